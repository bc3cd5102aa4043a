"""Public verification of issued documents (no login): by number, by QR code, by upload.

Nobody can download a document here; the page shows whether a file is genuine, its
current status, the issuer and the fields the issuer chose to make public.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from zonegov.core.forms import BootstrapMixin
from zonegov.core.models import IssuedDocument
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.ratelimit import over_limit, public_rate_limit, too_many_response
from zonegov.core.selectors.documents import (
    DocumentPublicInfo,
    document_by_number,
    document_public_info,
    normalize_number,
)
from zonegov.core.services.documents import (
    INSTRUMENT_KINDS,
    MAX_VERIFY_BYTES,
    VerificationResult,
    document_verify,
    document_verify_stored,
)
from zonegov.core.uploads import UploadSizeCap

MAX_MB = MAX_VERIFY_BYTES // (1024 * 1024)


class NumberForm(BootstrapMixin, forms.Form):
    number = forms.CharField(
        label=gettext_lazy("文书编号"),
        max_length=80,
        help_text=gettext_lazy("证照或文书上印的编号，例如 ZG-2026-000123。"),
    )


class UploadForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("PDF 文件"),
        required=False,
        help_text=format_lazy(
            gettext_lazy("上传您收到的电子证照 PDF 原件（不超过 {mb} MB）。"), mb=MAX_MB
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, too_large: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        if upload.size > MAX_VERIFY_BYTES:
            raise forms.ValidationError(_("文件超过 %(mb)d MB，无法核验。") % {"mb": MAX_MB})
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(0)
        if b"%PDF-" not in head:
            raise forms.ValidationError(
                _("所选文件不是 PDF 文件。请上传平台签发的电子证照 PDF 原件（扩展名为 .pdf）。")
            )
        return upload

    def clean(self):
        data = super().clean()
        if self.too_large:
            self.add_error("file", _("文件超过 %(mb)d MB，无法核验。") % {"mb": MAX_MB})
        elif not data.get("file") and "file" not in self.errors:
            self.add_error("file", _("请选择要核验的 PDF 文件。"))
        return data


@dataclass
class Check:
    label: str
    ok: bool
    text: str
    details: list[str]


def _day(value) -> str:
    return date_format(value, "Y年n月j日") if value else ""


def _status_text(info: DocumentPublicInfo) -> str:
    since = _day(info.status_since)
    if info.status == DocumentStatus.VALID:
        text = _("有效")
        if info.valid_until:
            return text + _("（有效期至 %(d)s）") % {"d": _day(info.valid_until)}
        if info.kind in INSTRUMENT_KINDS:  # a notice or decision has no validity period
            return text + _("（%(d)s 签发）") % {"d": since}
        return text + _("（长期有效，%(d)s 起）") % {"d": since}
    if info.status == DocumentStatus.EXPIRED:
        return _("已过期（有效期至 %(d)s）") % {"d": since} if since else _("已过期")
    if info.status == DocumentStatus.CHANGED and info.replaced_by_number:
        return _("已变更（%(d)s 起，由编号 %(n)s 的新文书替代）") % {
            "d": since,
            "n": info.replaced_by_number,
        }
    if since:
        return _("%(status)s（%(d)s）") % {"status": info.status_label, "d": since}
    return info.status_label


def build_checks(result: VerificationResult, info: DocumentPublicInfo | None) -> list[Check]:
    """The three checks in plain words: integrity, status, issuer."""
    if not result.checkable:
        integrity = Check(
            _("完整性"),
            False,
            _("无法核验：文件超出核验资源限制，无法判断真伪。"),
            result.reasons,
        )
    elif result.genuine:
        integrity = Check(
            _("完整性"),
            True,
            _("电子签名有效：文件由本平台签发，签发后未被改动。"),
            [_("签名证书：%(name)s") % {"name": result.signer_name}] if result.signer_name else [],
        )
    else:
        integrity = Check(
            _("完整性"), False, _("未通过：不能证明文件由本平台签发且未被改动。"), result.reasons
        )
    if info is None:
        status = Check(_("状态"), False, _("无法确认：本平台没有这个文件的签发记录。"), [])
        issuer = Check(_("签发机关"), False, _("无法确认。"), [])
    else:
        status = Check(_("状态"), info.is_valid, _status_text(info), [])
        issuer = Check(
            _("签发机关"),
            result.genuine,
            info.issuer_name,
            [_("签发日期：%(d)s") % {"d": _day(timezone.localdate(info.issued_at))}],
        )
    return [integrity, status, issuer]


def _result_context(result: VerificationResult) -> dict:
    info = document_public_info(result.document) if result.document is not None else None
    return {"result": result, "info": info, "checks": build_checks(result, info)}


def _lookup_page(
    request: HttpRequest,
    *,
    number_form: NumberForm | None = None,
    upload_form: UploadForm | None = None,
    extra: dict | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "number_form": number_form or NumberForm(),
        "upload_form": upload_form or UploadForm(),
        "max_mb": MAX_MB,
        **(extra or {}),
    }
    return render(request, "core/verify/lookup.html", context, status=status)


@never_cache
@csrf_exempt  # CSRF is checked in _verify_upload, after the size-limit handler is in place
@require_http_methods(["GET", "POST"])
def verify_lookup(request: HttpRequest) -> HttpResponse:
    """Anyone: look a document up by number, or upload a PDF to check it."""
    wait = over_limit(request, "verify_upload" if request.method == "POST" else "verify_lookup")
    if wait:
        return too_many_response(request, wait)
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_VERIFY_BYTES + 64 * 1024:
            form = UploadForm(too_large=True, data={}, files={})
            return _lookup_page(request, upload_form=form, status=413)
        limiter = UploadSizeCap(request, MAX_VERIFY_BYTES)
        request.upload_handlers.insert(0, limiter)
        return _verify_upload(request, limiter)
    number_form = NumberForm(request.GET if "number" in request.GET else None)
    if number_form.is_bound and number_form.is_valid():
        document = document_by_number(number_form.cleaned_data["number"])
        if document is not None:
            return redirect("verify_document", document.number)
        number_form.add_error(
            "number",
            _("没有找到编号为 %(number)s 的文书，请核对编号（注意区分字母 O 和数字 0）。")
            % {"number": normalize_number(number_form.cleaned_data["number"])},
        )
    return _lookup_page(request, number_form=number_form)


@csrf_protect
def _verify_upload(request: HttpRequest, limiter: UploadSizeCap) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES, too_large=limiter.exceeded)
    if not form.is_valid():
        return _lookup_page(request, upload_form=form, status=400)
    upload = form.cleaned_data["file"]
    result = document_verify(upload.read())
    context = _result_context(result)
    context["uploaded_name"] = upload.name
    return render(request, "core/verify/result.html", context)


@never_cache
@require_http_methods(["GET"])
@public_rate_limit("verify_lookup")
def verify_document(request: HttpRequest, number: str) -> HttpResponse:
    """Anyone (the QR code target): the checks for the file we issued under ``number``."""
    document = document_by_number(number)
    if document is None:
        return render(
            request,
            "core/verify/not_found.html",
            {"number": normalize_number(number)[:80], "number_form": NumberForm()},
            status=404,
        )
    if document.number != number:
        return redirect("verify_document", document.number)
    result = document_verify_stored(document)
    key = _page_key(request, result, document)
    if key is None:
        return render(request, "core/verify/document.html", _result_context(result))
    html = _pages.get(key)
    if html is None:
        context = _result_context(result)
        context["csrf_token"] = _CSRF_HOLE
        html = render_to_string("core/verify/document.html", context, request)
        if len(_pages) >= _PAGES_MAX:
            _pages.clear()
        _pages[key] = html
    return HttpResponse(html.replace(_CSRF_HOLE, get_token(request)))


# --- the QR code page, rendered once per distinct content -------------------------------
# Every scan of an unchanged document by an anonymous phone renders the same HTML except
# for the CSRF token (the language switch in the navigation bar posts a form). Rendering it
# costs more than the rest of the request together, so each worker keeps the page it
# rendered, keyed by everything the page shows or depends on — the verdict, the document's
# row (its public fields, status and status version: a status change is a new key at once),
# the language, the day (the status shown depends on it), the path, the zone's name — with a
# hole where the token goes, filled per request. Signed-in
# users, requests with a session or pending messages and requests with a query string are
# rendered normally. A memo of derived output, so one per process is correct with many.
_CSRF_HOLE = "zgCsrfHole" + "Q" * 54  # the shape of a masked token: 64 letters
_pages: dict[tuple[Any, ...], str] = {}
_PAGES_MAX = 512


def _page_key(
    request: HttpRequest, result: VerificationResult, document: IssuedDocument
) -> tuple[Any, ...] | None:
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated or request.GET:
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return None
    verdict = (
        result.genuine,
        result.checkable,
        result.signature_valid,
        result.signed_by_us,
        result.on_record,
        result.covers_whole_file,
        result.status,
        result.status_since,
        result.signer_name,
        tuple(result.reasons),
    )
    # What document_public_info() reads from the row; the successor's number of a changed
    # document comes with the status version (a replacement bumps it; changed is final).
    row = (
        document.pk,
        document.status_version,
        document.status,
        document.status_changed_at,
        document.number,
        document.kind,
        document.title,
        document.holder_name,
        document.issuer_name,
        document.issued_at,
        document.valid_until,
        repr(document.public_fields),
    )
    today: date = timezone.localdate()
    return (
        request.path,
        translation.get_language(),
        today,
        settings.ZONEGOV_ZONE_NAME,
        verdict,
        row,
    )


def _forget_pages(**kwargs: Any) -> None:
    _pages.clear()


setting_changed.connect(_forget_pages, dispatch_uid="zonegov.core.views.verify.pages")


urlpatterns = [
    path("verify/", verify_lookup, name="verify_lookup"),
    path("verify/<str:number>/", verify_document, name="verify_document"),
]
