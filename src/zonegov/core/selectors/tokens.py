"""Reads of a user's own API tokens."""

from typing import Any

from django.db.models import QuerySet

from zonegov.core.models import ApiToken


def tokens_of(user: Any) -> QuerySet[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones too, for the record)."""
    return ApiToken.objects.filter(user_id=getattr(user, "pk", None)).order_by("-created_at", "-id")
