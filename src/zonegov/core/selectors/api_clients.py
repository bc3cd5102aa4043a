"""Reads of API clients: the admin list and detail, and finding the client of a key."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Max, QuerySet
from django.http import Http404
from django.utils import timezone

from zonegov.core.api_scopes import scope_label
from zonegov.core.models import ApiClient, ApiClientKey


def api_clients() -> QuerySet[ApiClient]:
    """Every client, newest first, with the last use of any of its keys
    (``last_used_at``) — revoked ones too, for the record."""
    return ApiClient.objects.select_related("unit", "created_by").annotate(
        last_used_at=Max("keys__last_used_at")
    )


def access_api_client(user: Any, pk: Any) -> ApiClient:
    """The client for someone who may manage clients (the caller checks that), else 404."""
    try:
        return api_clients().get(pk=int(pk))
    except (ApiClient.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def access_api_client_key(client: ApiClient, pk: Any) -> ApiClientKey:
    try:
        return client.keys.get(pk=int(pk))
    except (ApiClientKey.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def keys_of(client: ApiClient) -> QuerySet[ApiClientKey]:
    return client.keys.select_related("created_by", "revoked_by").order_by("-created_at", "-id")


@dataclass(frozen=True)
class ScopeRow:
    code: str
    label: str


def scope_rows(client: ApiClient) -> list[ScopeRow]:
    return [ScopeRow(code, scope_label(code)) for code in client.scopes or []]


def client_status(client: ApiClient, *, now: datetime | None = None) -> str:
    """ "revoked", "active" (has a live key) or "no_key" (every key revoked or expired)."""
    if client.revoked_at is not None:
        return "revoked"
    now = now or timezone.now()
    return "active" if any(k.is_active_at(now) for k in client.keys.all()) else "no_key"


def key_for_secret(secret: str) -> ApiClientKey | None:
    """The live key (not revoked, not expired, of a client not revoked) whose SHA-256 is
    that of ``secret``, else None. The lookup is by the indexed hash; the hashes are then
    compared in constant time as well, so that no timing of the comparison itself tells
    an attacker how much of a guess was right."""
    if not secret or len(secret) > 200:
        return None
    digest = ApiClientKey.hash_key(secret)
    key = (
        ApiClientKey.objects.select_related("client", "client__unit")
        .filter(key_hash=digest)
        .first()
    )
    if key is None or not hmac.compare_digest(key.key_hash, digest):
        return None
    if key.client.revoked_at is not None or not key.is_active_at(timezone.now()):
        return None
    return key
