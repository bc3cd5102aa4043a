"""Shared pieces of the JSON API: authentication and the one error shape.

Error shape (every 4xx): ``{"message": str, "errors": [{"field": str, "message": str}]}``.
"""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from zonegov.core.models import ApiToken
from zonegov.core.validation import control_characters_message, has_control_characters


class ErrorItem(Schema):
    field: str
    message: str


class ErrorOut(Schema):
    message: str
    errors: list[ErrorItem] = []


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}
# Public (no login) endpoints may also answer 429 (core/ratelimit.py).
PUBLIC_ERRORS = {**ERRORS, 429: ErrorOut}


def _user_for_token(request: HttpRequest, key: str) -> Any | None:
    """The active user of a live (not revoked, not expired) token, else None (401). The
    token itself is kept on ``request.api_token``: some actions (minting tokens) need a
    logged-in session and refuse a request authenticated by a token."""
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(
            key_hash=ApiToken.hash_key(key),
            revoked_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
        )
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    request.user = token.user
    request.api_token = token
    return token.user


def token_of(request: HttpRequest) -> ApiToken | None:
    """The API token that authenticated ``request``, or None for a browser session."""
    return getattr(request, "api_token", None)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer <token>`` for API clients (tokens: /accounts/tokens/)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any | None:
        return _user_for_token(request, token)


class TokenHeaderAuth(APIKeyHeader):
    param_name = "X-API-Token"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any | None:
        if not key:
            return None
        return _user_for_token(request, key)


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


def _control_character_paths(value: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(value, str):
        return [path] if has_control_characters(value) else []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            if isinstance(key, str) and has_control_characters(key):
                found.append((*path, key))
            found.extend(_control_character_paths(item, (*path, key)))
        return found
    if isinstance(value, list):
        return [
            p for i, item in enumerate(value) for p in _control_character_paths(item, (*path, i))
        ]
    return []


class StrictParser(Parser):
    """JSON/query parser that refuses control characters at the edge (NUL cannot be
    stored in PostgreSQL text, none of them fits a feed or a spreadsheet; see
    ``core.validation``)."""

    def _check(self, data: Any, where: str) -> Any:
        paths = _control_character_paths(data)
        if paths:
            message = control_characters_message()
            raise NinjaValidationError([{"loc": (where, *p), "msg": message} for p in paths])
        return data

    def parse_body(self, request: HttpRequest) -> Any:
        return self._check(super().parse_body(request), "body")

    def parse_querydict(self, data, list_fields, request):  # type: ignore[no-untyped-def]
        return self._check(super().parse_querydict(data, list_fields, request), "query")
