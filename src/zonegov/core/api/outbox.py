"""Outbox API for org admins and leaders: list messages with their delivery log, re-queue
a dead message."""

from datetime import datetime
from uuid import UUID

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from zonegov.core.access import require_staff
from zonegov.core.api.base import ERRORS
from zonegov.core.models import OutboxMessage
from zonegov.core.roles import RoleCode
from zonegov.core.selectors.outbox import outbox_messages
from zonegov.core.services.outbox import outbox_retry

OUTBOX_ROLES = (RoleCode.ORG_ADMIN, RoleCode.LEADER)


class DeliveryOut(Schema):
    attempt: int
    at: datetime
    ok: bool
    http_status: int | None
    error: str
    duration_ms: int


class OutboxMessageOut(Schema):
    id: UUID
    topic: str
    destination: str
    payload: dict
    status: str
    attempts: int
    created_at: datetime
    available_at: datetime
    delivered_at: datetime | None
    last_error: str
    deliveries: list[DeliveryOut]

    @staticmethod
    def resolve_deliveries(obj: OutboxMessage) -> list:
        return list(obj.deliveries.all())


router = Router(tags=["outbox"])


@router.get(
    "",
    response={200: list[OutboxMessageOut], **ERRORS},
    summary="Outbox messages, newest first, with delivery logs (org admin, leader)",
)
def list_outbox(request, status: str = "", topic: str = "", limit: int = 100):
    require_staff(request.auth, *OUTBOX_ROLES)
    return list(outbox_messages(status=status, topic=topic[:80])[: max(1, min(limit, 500))])


@router.post(
    "/{message_id}/retry",
    response={200: OutboxMessageOut, **ERRORS},
    summary="Re-queue a dead message for immediate delivery (org admin, leader)",
)
def retry_outbox(request, message_id: UUID):
    require_staff(request.auth, *OUTBOX_ROLES)
    message = get_object_or_404(OutboxMessage, pk=message_id)
    outbox_retry(actor=request.auth, message=message)
    return get_object_or_404(outbox_messages(), pk=message_id)
