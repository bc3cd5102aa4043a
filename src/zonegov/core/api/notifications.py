"""The caller's own notifications. Another user's notification is "not found"."""

from datetime import datetime

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from zonegov.core.api.base import ERRORS
from zonegov.core.selectors.notifications import notifications_for
from zonegov.core.services.notifications import notification_mark_read


class NotificationOut(Schema):
    id: int
    title: str
    body: str
    url: str
    created_at: datetime
    read_at: datetime | None


router = Router(tags=["notifications"])


@router.get(
    "",
    response={200: list[NotificationOut], **ERRORS},
    summary="My notifications, newest first",
)
def list_notifications(request, unread: bool = False, limit: int = 100):
    return list(notifications_for(request.auth, unread=unread)[: max(1, min(limit, 500))])


@router.post(
    "/{notification_id}/read",
    response={200: NotificationOut, **ERRORS},
    summary="Mark one of my notifications read",
)
def read_notification(request, notification_id: int):
    notification = get_object_or_404(notifications_for(request.auth), pk=notification_id)
    return notification_mark_read(user=request.auth, notification=notification)
