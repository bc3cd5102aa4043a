"""A document's status after issue: revoked (吊销), cancelled (注销), expired, changed."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError
from zonegov.core.models import IssuedDocument
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.services.audit import audit_append

# Which status may follow which. CHANGED is only reached through document_issue(replaces=).
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    DocumentStatus.VALID: {
        DocumentStatus.REVOKED,
        DocumentStatus.CANCELLED,
        DocumentStatus.EXPIRED,
    },
    DocumentStatus.EXPIRED: {DocumentStatus.REVOKED, DocumentStatus.CANCELLED},
    DocumentStatus.CHANGED: set(),
    DocumentStatus.REVOKED: set(),
    DocumentStatus.CANCELLED: set(),
}


def _set_status(*, actor: Any, document: IssuedDocument, status: str, reason: str) -> None:
    before = document.status
    document.status = status
    document.status_reason = reason[:200]
    document.status_changed_at = timezone.now()
    # A new status version: the QR code page re-checks the archive file on its next scan
    # instead of reusing the answer kept for the old status.
    document.status_version += 1
    document.stored_check = None
    document.save(
        update_fields=[
            "status",
            "status_reason",
            "status_changed_at",
            "status_version",
            "stored_check",
        ]
    )
    audit_append(
        actor=actor,
        action="document.status",
        obj=document,
        changes={"status": {"before": before, "after": status}, "reason": reason},
    )


@transaction.atomic
def document_set_status(
    *, actor: Any, document: IssuedDocument, status: str, reason: str
) -> IssuedDocument:
    """Revoke (吊销), cancel (注销) or expire a document. Revoked, cancelled and changed are
    final; a document never returns to valid (issue a new one instead)."""
    locked = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    reason = (reason or "").strip()
    try:
        target = DocumentStatus(status)
    except ValueError:
        raise ApplicationError(
            _("未知的文书状态。"), field_errors={"status": [_("无效的状态。")]}
        ) from None
    if target == locked.status:
        raise ApplicationError(
            _("文书已是“%(status)s”状态。") % {"status": target.label},
            field_errors={"status": [_("状态未改变。")]},
        )
    if target not in ALLOWED_TRANSITIONS[locked.status]:
        raise ApplicationError(
            _("文书当前为“%(current)s”，不能改为“%(target)s”。")
            % {"current": locked.get_status_display(), "target": target.label},
            field_errors={"status": [_("不允许的状态变更。")]},
        )
    if target in (DocumentStatus.REVOKED, DocumentStatus.CANCELLED) and not reason:
        raise ApplicationError(
            _("请填写吊销或注销的原因。"), field_errors={"reason": [_("请填写原因。")]}
        )
    if len(reason) > 200:
        raise ApplicationError(
            _("原因不能超过200字。"), field_errors={"reason": [_("不能超过200字。")]}
        )
    _set_status(actor=actor, document=locked, status=target, reason=reason)
    document.status = locked.status
    document.status_reason = locked.status_reason
    document.status_changed_at = locked.status_changed_at
    document.status_version = locked.status_version
    document.stored_check = None
    return document
