"""Managing API clients through the API (``/api/api-clients``), for zone-level org admins:
the same acts as the pages /admin-tools/api-clients/ — list, issue (the key is in the
answer, once), issue another key, revoke a key, revoke a client.

Keys are issued only from a logged-in browser session, never with a user's API token: a
stolen token must not be able to mint client keys that outlive its own revocation (the
rule of ``api_token_create``). Revoking works with a token too."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from zonegov.core.api.base import ERRORS, token_of
from zonegov.core.api_scopes import scope_label
from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.models import ApiClient, Unit
from zonegov.core.selectors.api_clients import (
    access_api_client,
    access_api_client_key,
    api_clients,
    client_status,
    keys_of,
)
from zonegov.core.services.api_clients import (
    api_client_issue,
    api_client_key_issue,
    api_client_key_revoke,
    api_client_revoke,
    check_may_manage_api_clients,
)

router = Router(tags=["api-clients"])


class ScopeOut(Schema):
    code: str
    label: str


class KeyOut(Schema):
    id: int
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None
    last_used_ip: str | None
    active: bool


class ApiClientOut(Schema):
    id: int
    name: str
    organisation: str
    contact: str
    unit_id: int | None
    unit_name: str | None
    scopes: list[ScopeOut]
    status: str  # active, no_key (every key revoked or expired), revoked
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    keys: list[KeyOut]


class ApiClientIn(Schema):
    name: str
    organisation: str
    contact: str = ""
    unit_id: int | None = None
    scopes: list[str]
    expires_at: datetime | None = None  # of the first key; none: valid until revoked


class KeyIn(Schema):
    expires_at: datetime | None = None
    revoke_others: bool = False


class IssuedKeyOut(Schema):
    key: str  # shown this once; only its hash is stored
    key_id: int
    prefix: str
    expires_at: datetime | None


class IssuedClientOut(Schema):
    client: ApiClientOut
    key: IssuedKeyOut


def _client_out(client: ApiClient) -> dict:
    now = timezone.now()
    keys = list(keys_of(client))
    return {
        "id": client.pk,
        "name": client.name,
        "organisation": client.organisation,
        "contact": client.contact,
        "unit_id": client.unit_id,
        "unit_name": client.unit.name if client.unit_id else None,
        "scopes": [{"code": c, "label": scope_label(c)} for c in client.scopes or []],
        "status": client_status(client, now=now),
        "created_at": client.created_at,
        "revoked_at": client.revoked_at,
        "last_used_at": max((k.last_used_at for k in keys if k.last_used_at), default=None),
        "keys": [
            {
                **{f: getattr(k, f) for f in KeyOut.model_fields if f != "active"},
                "active": k.is_active_at(now),
            }
            for k in keys
        ],
    }


def _key_out(record, key: str) -> dict:
    return {
        "key": key,
        "key_id": record.pk,
        "prefix": record.prefix,
        "expires_at": record.expires_at,
    }


def _session_only(request: HttpRequest) -> None:
    if token_of(request) is not None:
        raise PermissionRefused(
            _("不能用 API 令牌签发客户端密钥：请登录后在“API 客户端”页面签发，或用浏览器会话调用。")
        )


@router.get(
    "", response={200: list[ApiClientOut], **ERRORS}, summary="API clients (zone org admins)"
)
def list_api_clients(request: HttpRequest):
    check_may_manage_api_clients(request.auth)
    return [_client_out(c) for c in api_clients().select_related("unit")[:500]]


@router.post(
    "",
    response={201: IssuedClientOut, **ERRORS},
    summary="Issue an API client with its first key (browser session only; key shown once)",
)
def issue_api_client(request: HttpRequest, payload: ApiClientIn):
    check_may_manage_api_clients(request.auth)
    _session_only(request)
    unit = None
    if payload.unit_id is not None:
        unit = Unit.objects.filter(pk=payload.unit_id).first()
        if unit is None:
            message = _("没有这个单位，请检查单位编号。")
            raise ApplicationError(message, field_errors={"unit_id": [message]})
    client, record, key = api_client_issue(
        actor=request.auth,
        name=payload.name,
        organisation=payload.organisation,
        contact=payload.contact,
        unit=unit,
        scopes=payload.scopes,
        expires_at=payload.expires_at,
    )
    return Status(
        201,
        {
            "client": _client_out(access_api_client(request.auth, client.pk)),
            "key": _key_out(record, key),
        },
    )


@router.get("/{client_id}", response={200: ApiClientOut, **ERRORS}, summary="One API client")
def get_api_client(request: HttpRequest, client_id: int):
    check_may_manage_api_clients(request.auth)
    return _client_out(access_api_client(request.auth, client_id))


@router.post(
    "/{client_id}/keys",
    response={201: IssuedKeyOut, **ERRORS},
    summary="Issue another key (rotation; browser session only; key shown once)",
)
def issue_api_client_key(request: HttpRequest, client_id: int, payload: KeyIn):
    check_may_manage_api_clients(request.auth)
    _session_only(request)
    client = access_api_client(request.auth, client_id)
    record, key = api_client_key_issue(
        actor=request.auth,
        client=client,
        expires_at=payload.expires_at,
        revoke_others=payload.revoke_others,
    )
    return Status(201, _key_out(record, key))


@router.delete(
    "/{client_id}/keys/{key_id}", response={204: None, **ERRORS}, summary="Revoke one key"
)
def revoke_api_client_key(request: HttpRequest, client_id: int, key_id: int):
    check_may_manage_api_clients(request.auth)
    key = access_api_client_key(access_api_client(request.auth, client_id), key_id)
    api_client_key_revoke(actor=request.auth, key=key)
    return Status(204, None)


@router.post(
    "/{client_id}/revoke",
    response={200: ApiClientOut, **ERRORS},
    summary="Revoke a client and every key it holds",
)
def revoke_api_client(request: HttpRequest, client_id: int):
    check_may_manage_api_clients(request.auth)
    client = access_api_client(request.auth, client_id)
    api_client_revoke(actor=request.auth, client=client)
    return _client_out(access_api_client(request.auth, client_id))
