"""Reads of attachments. Visibility follows the owning record (``core.attachments_rules``)."""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse

# Importing the rules module registers the core.*attachment* permissions.
from zonegov.core.attachments_rules import may_add_to_owner, may_view_owner
from zonegov.core.models import Attachment
from zonegov.core.models.attachments import AttachmentKind

#: ``accept`` attribute of upload inputs (a hint to the file picker only; the server
#: decides by content).
ACCEPT = ",".join(
    [
        "image/jpeg",
        "image/png",
        "image/webp",
        "application/pdf",
        "video/mp4",
        "video/quicktime",
        "video/webm",
        ".jpg",
        ".jpeg",
        ".png",
        ".webp",
        ".pdf",
        ".mp4",
        ".m4v",
        ".mov",
        ".webm",
    ]
)


def attachments_of(owner: models.Model) -> QuerySet[Attachment]:
    """All attachments of ``owner``, oldest first (no permission check: callers have
    already checked that the user may view the owner)."""
    owner_type = ContentType.objects.get_for_model(owner)
    return (
        Attachment.objects.filter(owner_type=owner_type, owner_id=str(owner.pk))
        .select_related("uploaded_by", "owner_type")
        .order_by("uploaded_at", "id")
    )


def attachment_for_download(user: Any, attachment_id: uuid.UUID | str) -> Attachment:
    """The attachment, if ``user`` may view its owner; otherwise Http404 (a refusal does
    not confirm that the file exists)."""
    try:
        attachment = Attachment.objects.select_related("owner_type").get(pk=attachment_id)
    except (Attachment.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
    if not getattr(user, "is_authenticated", False) or not user.has_perm(
        "core.view_attachment", attachment
    ):
        raise Http404
    return attachment


def owner_lookup(content_type: ContentType | int | str, owner_id: str) -> models.Model:
    """The record ``owner_id`` of a content type given as a ContentType, its id, or
    ``"app_label.model"``; Http404 when either does not exist. No permission check."""
    owner_id = str(owner_id)
    if not owner_id or len(owner_id) > 64 or "\x00" in owner_id + str(content_type):
        raise Http404  # PostgreSQL refuses NUL in a query; no owner has such a key
    try:
        if isinstance(content_type, ContentType):
            ct = content_type
        elif isinstance(content_type, int) or str(content_type).isdigit():
            ct = ContentType.objects.get_for_id(int(content_type))
        else:
            app_label, _, model = str(content_type).lower().partition(".")
            ct = ContentType.objects.get_by_natural_key(app_label, model)
        model_class = ct.model_class()
        if model_class is None:
            raise Http404
        return model_class._default_manager.get(pk=owner_id)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError, OverflowError) as exc:
        raise Http404 from exc


def access_owner(user: Any, content_type: ContentType | int | str, owner_id: str) -> models.Model:
    """``owner_lookup`` plus the view permission of the owner (Http404 when refused)."""
    owner = owner_lookup(content_type, owner_id)
    if not may_view_owner(user, owner):
        raise Http404
    return owner


@dataclass
class AttachmentRow:
    attachment: Attachment
    can_delete: bool

    @property
    def url(self) -> str:
        return reverse("attachment_download", args=[self.attachment.pk])

    @property
    def download_url(self) -> str:
        return self.url + "?download=1"

    @property
    def delete_url(self) -> str:
        return reverse("attachment_delete", args=[self.attachment.pk])

    @property
    def is_photo(self) -> bool:
        return self.attachment.kind == AttachmentKind.PHOTO

    @property
    def is_video(self) -> bool:
        return self.attachment.kind == AttachmentKind.VIDEO

    @property
    def is_pdf(self) -> bool:
        return self.attachment.kind == AttachmentKind.PDF

    @property
    def title(self) -> str:
        return self.attachment.label or self.attachment.original_name


@dataclass
class AttachmentPanel:
    """What the attachments panel of a record shows to one user. Iterating gives the rows."""

    rows: list[AttachmentRow] = field(default_factory=list)
    can_add: bool = False
    owner_type_id: int | None = None
    pending_label: str = ""
    upload_url: str = ""
    accept: str = ACCEPT
    limits: dict[str, int] = field(default_factory=dict)

    def __iter__(self) -> Iterator[AttachmentRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def limits_mb(self) -> dict[str, str]:
        from zonegov.core.services.attachments import format_size

        return {kind: format_size(size) for kind, size in self.limits.items()}


def attachment_panel_for(user: Any, owner: models.Model | None) -> AttachmentPanel:
    """Attachments of ``owner`` that ``user`` may see, with what they may do. Empty when
    the user may not view the owner."""
    if owner is None or getattr(owner, "pk", None) is None or not may_view_owner(user, owner):
        return AttachmentPanel()
    owner_type = ContentType.objects.get_for_model(owner)
    rows = []
    for attachment in attachments_of(owner):
        attachment.owner = owner  # spares one query per row in the permission check
        rows.append(
            AttachmentRow(
                attachment=attachment,
                can_delete=user.has_perm("core.delete_attachment", attachment),
            )
        )
    can_add = may_add_to_owner(user, owner)
    return AttachmentPanel(
        rows=rows,
        can_add=can_add,
        owner_type_id=owner_type.pk,
        upload_url=reverse("attachment_upload", args=[owner_type.pk, str(owner.pk)])
        if can_add
        else "",
        limits=dict(settings.ZONEGOV_ATTACHMENT_LIMITS),
    )
