"""The API for API clients (machines with a key, ``/api/client``): who am I, and the
status of issued certificates and documents by number.

Who uses ``documents:status``: a system that must keep checking that the certificates
shown to it are still good — an online food-ordering platform re-checking its merchants'
food business licences, a bank or a market-supervision system; and the webhook receivers
of the outbox (docs/integration.md), which get ``licence.*`` messages with a
``certificate_number`` and call back for the certificate's current status before acting
on an old message. The public verification page answers the same facts for one number
at a time, limited per address; a client asks for up to ``MAX_NUMBERS`` numbers at once,
limited per client.
"""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema

from zonegov.core.api.client_auth import CLIENT_ERRORS, ApiClientKeyAuth, client_key_of
from zonegov.core.api.documents import DocumentPublicOut
from zonegov.core.api_scopes import DOCUMENTS_STATUS, scope_label
from zonegov.core.errors import ApplicationError
from zonegov.core.models import IssuedDocument
from zonegov.core.selectors.documents import (
    document_by_number,
    document_public_info,
    normalize_number,
)

router = Router(tags=["api-client"])

MAX_NUMBERS = 100
MAX_NUMBER_CHARS = 64


class ScopeOut(Schema):
    code: str
    label: str


class ClientMeOut(Schema):
    name: str
    organisation: str
    unit: str | None
    scopes: list[ScopeOut]
    key_prefix: str
    key_expires_at: datetime | None


class StatusQuery(Schema):
    numbers: list[str]


class StatusItemOut(Schema):
    query: str
    found: bool
    document: DocumentPublicOut | None


class StatusOut(Schema):
    checked_at: datetime
    items: list[StatusItemOut]


@router.get(
    "/me",
    auth=ApiClientKeyAuth(),
    response={200: ClientMeOut, **CLIENT_ERRORS},
    summary="The calling API client: name, scopes, the key's prefix and expiry (any live key)",
)
def client_me(request: HttpRequest):
    client = request.auth
    key = client_key_of(request)
    return {
        "name": client.name,
        "organisation": client.organisation,
        "unit": client.unit.name if client.unit_id else None,
        "scopes": [{"code": c, "label": scope_label(c)} for c in client.scopes or []],
        "key_prefix": key.prefix if key else "",
        "key_expires_at": key.expires_at if key else None,
    }


def _public(document: IssuedDocument) -> dict:
    info = document_public_info(document)
    return {
        **{k: getattr(info, k) for k in DocumentPublicOut.model_fields if k != "public_fields"},
        "public_fields": [{"label": k, "value": v} for k, v in info.public_fields],
    }


@router.post(
    "/documents/status",
    auth=ApiClientKeyAuth(scope=DOCUMENTS_STATUS),
    response={200: StatusOut, **CLIENT_ERRORS},
    summary=f"Current status of up to {MAX_NUMBERS} documents by number, in the order asked "
    "(scope documents:status)",
    description=(
        'Body: {"numbers": ["ZG-2026-000123", ...]}. Each item answers `found` and, when '
        "found, the document's public facts and effective status (valid, changed, revoked, "
        "cancelled, expired; a changed one names the number that replaced it). Numbers are "
        "matched as on the public verification page (full-width characters folded, letter "
        "case ignored when unambiguous)."
    ),
)
def client_documents_status(request: HttpRequest, payload: StatusQuery):
    from django.utils import timezone

    numbers = payload.numbers
    if not numbers:
        message = _("请至少提供一个文书编号。")
        raise ApplicationError(message, field_errors={"numbers": [message]})
    if len(numbers) > MAX_NUMBERS:
        message = _("一次最多查询 %(n)d 个编号，请分批查询。") % {"n": MAX_NUMBERS}
        raise ApplicationError(message, field_errors={"numbers": [message]})
    errors = {
        f"numbers.{i}": [_("编号不能超过 %(n)d 个字符。") % {"n": MAX_NUMBER_CHARS}]
        for i, number in enumerate(numbers)
        if len(number) > MAX_NUMBER_CHARS
    }
    if errors:
        raise ApplicationError(_("提交的数据有误。"), field_errors=errors)
    normalized = [normalize_number(n) for n in numbers]
    exact = {d.number: d for d in IssuedDocument.objects.filter(number__in=set(normalized))}
    items = []
    for query, number in zip(numbers, normalized, strict=True):
        document = exact.get(number) or document_by_number(number)
        items.append(
            {
                "query": query,
                "found": document is not None,
                "document": _public(document) if document is not None else None,
            }
        )
    return {"checked_at": timezone.now(), "items": items}


# After the batch route: its path would otherwise take "status" for a number.
@router.get(
    "/documents/{number}",
    auth=ApiClientKeyAuth(scope=DOCUMENTS_STATUS),
    response={200: DocumentPublicOut, **CLIENT_ERRORS},
    summary="Current status of one issued document by its number (scope documents:status)",
)
def client_document_status(request: HttpRequest, number: str):
    document = document_by_number(number)
    if document is None:
        raise Http404
    return _public(document)
