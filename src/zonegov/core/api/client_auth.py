"""Authentication of API clients (machines, ``core.ApiClient``) for django-ninja.

Any router or endpoint of any app can use it::

    from zonegov.core.api.client_auth import CLIENT_ERRORS, ApiClientKeyAuth

    @router.get(
        "/thing", auth=ApiClientKeyAuth(scope="app:read"), response={200: X, **CLIENT_ERRORS}
    )
    def thing(request):
        request.api_client  # the ApiClient; request.user stays anonymous

The key travels as ``X-Api-Key: <key>`` or ``Authorization: Bearer <key>``. A missing,
wrong, revoked or expired key (or a key of a revoked client) answers 401, a live key
without the endpoint's scope 403, a client over its per-minute limit 429 — each with a
Chinese message in the API's one error shape. A key never stands for a user: endpoints
with the default (user) authentication refuse it, and these endpoints refuse user tokens
and browser sessions. An endpoint open to both users and clients lists it after the user
authentications (``auth=[*AUTH, ApiClientKeyAuth(scope=...)]``): it answers 401 itself
rather than let a later class try.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyHeader

from zonegov.core.api.base import ErrorOut
from zonegov.core.api_scopes import get_scope, scope_label
from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.middleware import client_ip
from zonegov.core.models import ApiClient, ApiClientKey
from zonegov.core.ratelimit import RateLimited, over_limit_for
from zonegov.core.selectors.api_clients import key_for_secret
from zonegov.core.services.api_clients import api_client_key_touch, api_client_rate_limit

CLIENT_ERRORS = {code: ErrorOut for code in (400, 401, 403, 404, 429)}
RATE_SCOPE = "api_client"


class ClientKeyRefused(ApplicationError):
    status_code = 401


class ApiClientKeyAuth(APIKeyHeader):
    """``auth=ApiClientKeyAuth(scope="app:action")``; without ``scope`` any live key of a
    client passes (for endpoints that only tell a client about itself)."""

    param_name = "X-Api-Key"

    def __init__(self, scope: str | None = None) -> None:
        if scope is not None and get_scope(scope) is None:
            raise ImproperlyConfigured(
                f"API scope {scope!r} is not registered (core.api_scopes.register_scope)"
            )
        self.scope = scope
        super().__init__()

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.headers.get(self.param_name, "").strip()
        if key:
            return key
        scheme, _sep, value = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
        return None

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        if not key:
            raise ClientKeyRefused(
                _("缺少 API 密钥：请在请求头 X-Api-Key 或 Authorization: Bearer 中提供。")
            )
        record = key_for_secret(key)
        if record is None:
            raise ClientKeyRefused(
                _("API 密钥无效、已吊销或已过期。请向高新区组织管理员申请新的密钥。")
            )
        client: ApiClient = record.client
        wait = over_limit_for(f"client{client.pk}", RATE_SCOPE, api_client_rate_limit())
        if wait:
            raise RateLimited(wait)
        api_client_key_touch(key=record, ip=client_ip(request))
        if self.scope is not None and not client.has_scope(self.scope):
            raise PermissionRefused(
                _("此 API 客户端未获授权范围“%(label)s”（%(code)s），请联系高新区组织管理员。")
                % {"label": scope_label(self.scope), "code": self.scope}
            )
        request.api_client = client
        request.api_client_key = record
        return client


def client_of(request: HttpRequest) -> ApiClient | None:
    """The API client that authenticated ``request``, or None."""
    return getattr(request, "api_client", None)


def client_key_of(request: HttpRequest) -> ApiClientKey | None:
    return getattr(request, "api_client_key", None)
