"""Attachment pages: upload to a record, download (with HTTP range requests so that
browsers can seek in videos), delete. Files are never served from MEDIA_URL; every
download passes the owner's permission check here."""

import re
from collections.abc import Iterator
from typing import IO, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import models
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    StreamingHttpResponse,
)
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import resolve_url
from django.urls import path
from django.utils.http import http_date, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from zonegov.core.downloads import content_disposition
from zonegov.core.errors import ApplicationError
from zonegov.core.models import Attachment
from zonegov.core.selectors.attachments import access_owner, attachment_for_download
from zonegov.core.services.attachments import (
    attachment_add,
    attachment_limit,
    attachment_remove,
    format_size,
    kinds_description,
)
from zonegov.core.uploads import UploadSizeCap

STREAM_CHUNK = 64 * 1024
# One range only ("bytes=a-b", "bytes=a-", "bytes=-n"); at most 19 digits so int() is
# cheap and a 64-bit offset. Anything else (several ranges, other units) is ignored and
# the whole file is sent, as RFC 9110 allows.
_RANGE_RE = re.compile(r"^\s*bytes\s*=\s*(\d{0,19})\s*-\s*(\d{0,19})\s*$", re.IGNORECASE)


class RangeNotSatisfiable(Exception):
    pass


def parse_byte_range(header: str, size: int) -> tuple[int, int] | None:
    """Inclusive (first, last) byte positions asked for by a ``Range`` header, or None
    when the header is to be ignored (absent, malformed, several ranges). Raises
    ``RangeNotSatisfiable`` when no byte of the file is in the range."""
    match = _RANGE_RE.match(header or "")
    if match is None:
        return None
    first_text, last_text = match.groups()
    if not first_text and not last_text:
        return None
    if not first_text:
        suffix = int(last_text)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable
        return max(0, size - suffix), size - 1
    first = int(first_text)
    last = int(last_text) if last_text else size - 1
    if last_text and last < first:
        return None
    if first >= size:
        raise RangeNotSatisfiable
    return first, min(last, size - 1)


class FileRangeIterator:
    """Yields ``length`` bytes of an open file from ``start`` in small chunks, so even a
    500 MB video is never read whole. ``close`` (called by the response) closes the file
    even when the body was never iterated."""

    def __init__(self, handle: IO[bytes], start: int, length: int):
        self.handle = handle
        self.start = start
        self.length = length

    def __iter__(self) -> Iterator[bytes]:
        self.handle.seek(self.start)
        remaining = self.length
        while remaining > 0:
            chunk = self.handle.read(min(STREAM_CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk

    def close(self) -> None:
        self.handle.close()


def _etag(attachment: Attachment) -> str:
    return f'"{attachment.sha256}"'


def attachment_response(request: HttpRequest, attachment: Attachment) -> HttpResponseBase:
    """The file of ``attachment`` (whose permission the caller has checked): 200 with the
    whole file, 206 with one byte range, 416 when the range is outside the file, 304 when
    the browser's copy is current. Used by the page view and the API."""
    size = attachment.size
    etag = _etag(attachment)
    last_modified = http_date(attachment.uploaded_at.timestamp())
    disposition = "attachment" if request.GET.get("download") else "inline"
    common = {
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Last-Modified": last_modified,
        "Cache-Control": "private, no-cache",
        "X-Content-Type-Options": "nosniff",
    }

    if_none_match = {t.strip() for t in request.headers.get("If-None-Match", "").split(",")}
    if etag in if_none_match or "*" in if_none_match:
        response: HttpResponseBase = HttpResponse(status=304)
        for key, value in common.items():
            response[key] = value
        return response

    byte_range: tuple[int, int] | None = None
    range_header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range", "").strip()
    if range_header and (not if_range or if_range in (etag, last_modified)):
        try:
            byte_range = parse_byte_range(range_header, size)
        except RangeNotSatisfiable:
            response = HttpResponse(status=416)
            for key, value in common.items():
                response[key] = value
            response["Content-Range"] = f"bytes */{size}"
            return response

    start, last = byte_range if byte_range is not None else (0, size - 1)
    length = max(0, last - start + 1)

    if request.method == "HEAD":
        response = HttpResponse(status=206 if byte_range else 200)
    else:
        try:
            handle = attachment.file.storage.open(attachment.file.name, "rb")
        except (FileNotFoundError, OSError) as exc:
            # The row exists but the file is gone (restored backup, manual deletion):
            # say "not found" rather than fail.
            raise Http404 from exc
        response = StreamingHttpResponse(
            FileRangeIterator(handle, start, length), status=206 if byte_range else 200
        )
    for key, value in common.items():
        response[key] = value
    response["Content-Type"] = attachment.mime_type
    response["Content-Length"] = str(length)
    response["Content-Disposition"] = content_disposition(
        disposition, attachment.original_name, attachment.extension
    )
    if byte_range is not None:
        response["Content-Range"] = f"bytes {start}-{last}/{size}"
    return response


def _next_url(request: HttpRequest, default: str, *, read_body: bool = True) -> str:
    """Where to go back to: ``next`` from the query string (or the form), if it is on this
    site. ``read_body=False`` avoids parsing an upload just to redirect to login."""
    candidate = request.GET.get("next") or ""
    if not candidate and read_body and request.method == "POST":
        candidate = request.POST.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def _owner_url(owner: models.Model | None) -> str:
    if owner is not None and hasattr(owner, "get_absolute_url"):
        return owner.get_absolute_url()
    return resolve_url("home")


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("文件"),
        error_messages={
            "required": gettext_lazy("请选择要上传的文件。"),
            "empty": gettext_lazy("文件是空的，请选择有内容的文件。"),
            "invalid": gettext_lazy("没有收到文件，请重新选择后上传。"),
        },
    )
    label = forms.CharField(label=gettext_lazy("说明"), max_length=100, required=False)


def pending_label_key(content_type_id: int | str, owner_id: str) -> str:
    return f"attachment_label:{content_type_id}:{owner_id}"


@csrf_exempt  # CSRF is checked in _upload, after the size cap is in place
@require_POST
def attachment_upload(request: HttpRequest, content_type_id: int, owner_id: str) -> HttpResponse:
    """Any logged-in user who may view the record: attach a file (kind detected from the
    content), then back to the page it came from."""
    if not request.user.is_authenticated:
        return redirect_to_login(_next_url(request, resolve_url("home"), read_body=False))
    # Upload handlers can only change before the body is read, hence csrf_exempt above.
    cap = UploadSizeCap(request, max(attachment_limit(k) for k in ("photo", "pdf", "video")))
    request.upload_handlers.insert(0, cap)
    try:
        request.POST  # noqa: B018 - parse the body now, under the size cap
    except MultiPartParserError:
        messages.error(request, _("上传的数据不完整，请重新选择文件上传。"))
        return HttpResponseRedirect(_next_url(request, resolve_url("home"), read_body=False))
    return _upload(request, content_type_id, owner_id, cap)


@csrf_protect
def _upload(
    request: HttpRequest, content_type_id: int, owner_id: str, cap: UploadSizeCap
) -> HttpResponse:
    owner = access_owner(request.user, content_type_id, owner_id)
    back = _next_url(request, _owner_url(owner))
    form = UploadForm(request.POST, request.FILES)
    label = (request.POST.get("label") or "").strip()
    if cap.exceeded:
        error = _("文件过大：%(kinds)s的上限分别为 %(limits)s。请压缩后重新上传。") % {
            "kinds": kinds_description(),
            "limits": "、".join(
                format_size(attachment_limit(k)) for k in ("photo", "pdf", "video")
            ),
        }
    elif not form.is_valid():
        error = " ".join(str(m) for errors in form.errors.values() for m in errors)
    else:
        try:
            attachment = attachment_add(
                actor=request.user,
                owner=owner,
                uploaded_file=form.cleaned_data["file"],
                label=form.cleaned_data["label"],
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            request.session.pop(pending_label_key(content_type_id, owner_id), None)
            messages.success(
                request,
                _("已上传附件：%(name)s（%(kind)s，%(size)s）")
                % {
                    "name": attachment.original_name,
                    "kind": attachment.get_kind_display(),
                    "size": format_size(attachment.size),
                },
            )
            return HttpResponseRedirect(back)
    messages.error(request, error)
    if label:
        # Keep what the user typed; the panel fills it in again.
        request.session[pending_label_key(content_type_id, owner_id)] = label[:100]
    return HttpResponseRedirect(back)


@require_http_methods(["GET", "HEAD"])
def attachment_download(request: HttpRequest, pk: Any) -> HttpResponseBase:
    """Users who may view the owning record: the file, inline (``?download=1`` to save
    it), with range support."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    attachment = attachment_for_download(request.user, pk)
    return attachment_response(request, attachment)


@require_POST
def attachment_delete(request: HttpRequest, pk: Any) -> HttpResponse:
    """The uploader, while the record is open: withdraw a file."""
    if not request.user.is_authenticated:
        return redirect_to_login(_next_url(request, resolve_url("home")))
    attachment = attachment_for_download(request.user, pk)
    back = _next_url(request, _owner_url(attachment.owner))
    name = attachment.original_name
    try:
        attachment_remove(actor=request.user, attachment=attachment)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已删除附件：%(name)s") % {"name": name})
    return HttpResponseRedirect(back)


urlpatterns = [
    path(
        "attachments/upload/<int:content_type_id>/<str:owner_id>/",
        attachment_upload,
        name="attachment_upload",
    ),
    path("attachments/<uuid:pk>/", attachment_download, name="attachment_download"),
    path("attachments/<uuid:pk>/delete/", attachment_delete, name="attachment_delete"),
]
