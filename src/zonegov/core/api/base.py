"""Shared pieces of the JSON API: authentication and the one error shape.

Error shape (every 4xx): ``{"message": str, "errors": [{"field": str, "message": str}]}``.
"""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from zonegov.core.models import ApiToken


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    message: str
    errors: list[ErrorItem] = []


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _user_for_token(key: str) -> Any | None:
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(key_hash=ApiToken.hash_key(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` for API clients (tokens: /api/tokens or the admin)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        user = _user_for_token(token)
        if user is not None:
            request.user = user
        return user


class TokenHeaderAuth(APIKeyHeader):
    param_name = "X-API-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        if not key:
            return None
        user = _user_for_token(key)
        if user is not None:
            request.user = user
        return user


class ActiveSessionAuth(SessionAuth):
    """Browser session (CSRF-checked for unsafe methods)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        user = super().authenticate(request, key)
        if user is not None and getattr(user, "is_active", False):
            return user
        return None


AUTH = [TokenAuth(), TokenHeaderAuth(), ActiveSessionAuth()]


def error_body(message: str, field_errors: dict[str, list[str]] | None = None) -> dict:
    return {
        "message": message,
        "errors": [
            {"field": field, "message": str(msg)}
            for field, msgs in (field_errors or {}).items()
            for msg in msgs
        ],
    }
