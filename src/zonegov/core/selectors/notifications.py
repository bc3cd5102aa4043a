"""Reads of notifications: always scoped to the recipient."""

from typing import Any

from django.db.models import QuerySet

from zonegov.core.models import Notification


def notifications_for(user: Any, *, unread: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first (none for anonymous users)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient=user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs


def unread_notification_count(user: Any) -> int:
    return notifications_for(user, unread=True).count()
