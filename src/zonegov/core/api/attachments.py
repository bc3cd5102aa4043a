"""Attachments API: list and upload the files of a record, download one (with ranges).

A record is named by its content type (``"app_label.model"``, e.g. ``core.assignment``)
and primary key. Whoever may view the record may list and download its files and, while
it is open, upload; everyone else gets 404.
"""

import uuid
from datetime import datetime

from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from zonegov.core.api.base import ERRORS
from zonegov.core.errors import ApplicationError
from zonegov.core.models import Attachment
from zonegov.core.selectors.attachments import (
    access_owner,
    attachment_for_download,
    attachments_of,
)
from zonegov.core.services.attachments import attachment_add
from zonegov.core.views.attachments import attachment_response

router = Router(tags=["attachments"])


class AttachmentOut(Schema):
    id: uuid.UUID
    kind: str
    label: str
    original_name: str
    mime_type: str
    size: int
    sha256: str
    uploaded_by_id: int | None
    uploaded_at: datetime
    download_url: str

    @staticmethod
    def resolve_download_url(obj: Attachment) -> str:
        return reverse("api:attachment_download", args=[obj.pk])


# Declared before the "{content_type}/{owner_id}" routes, which would also match it.
@router.get(
    "/{uuid:attachment_id}/download",
    response=ERRORS,
    url_name="attachment_download",
    summary="Download one file (supports Range: bytes=…)",
    openapi_extra={
        "responses": {
            "200": {"description": "The whole file"},
            "206": {"description": "One byte range (Content-Range)"},
            "416": {"description": "Range outside the file"},
        }
    },
)
def download_attachment(request: HttpRequest, attachment_id: uuid.UUID) -> HttpResponseBase:
    attachment = attachment_for_download(request.auth, attachment_id)
    return attachment_response(request, attachment)


@router.get(
    "/{content_type}/{owner_id}",
    response={200: list[AttachmentOut], **ERRORS},
    summary="Files attached to a record",
)
def list_attachments(request: HttpRequest, content_type: str, owner_id: str):
    owner = access_owner(request.auth, content_type, owner_id)
    return list(attachments_of(owner))


@router.post(
    "/{content_type}/{owner_id}",
    response={201: AttachmentOut, **ERRORS},
    summary="Attach a file (multipart: file, label); the kind is detected from the content",
)
def upload_attachment(
    request: HttpRequest,
    content_type: str,
    owner_id: str,
    file: File[UploadedFile | None] = None,
    label: Form[str] = "",
):
    owner = access_owner(request.auth, content_type, owner_id)
    if file is None:
        message = _("请选择要上传的文件。")
        raise ApplicationError(message, field_errors={"file": [message]})
    attachment = attachment_add(actor=request.auth, owner=owner, uploaded_file=file, label=label)
    return Status(201, attachment)
