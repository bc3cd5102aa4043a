"""Outbox API for zone-level org admins and leaders: list messages with their delivery
log (payloads for zone-level org admins only), re-queue a dead message."""

from datetime import datetime
from uuid import UUID

from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from zonegov.core.access import require_perm, require_staff
from zonegov.core.api.base import ERRORS
from zonegov.core.models import OutboxMessage
from zonegov.core.roles import LEADER, ORG_ADMIN
from zonegov.core.selectors.outbox import OUTBOX_REFUSAL, outbox_messages
from zonegov.core.services.outbox import outbox_retry

OUTBOX_ROLES = (ORG_ADMIN, LEADER)


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
    payload: dict | None
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
    _check(request.auth)
    return _hide_payloads(
        request.auth,
        list(outbox_messages(status=status, topic=topic[:80])[: max(1, min(limit, 500))]),
    )


def _check(user) -> None:
    require_staff(user, *OUTBOX_ROLES)
    require_perm(user, "core.view_outbox", str(OUTBOX_REFUSAL))


def _hide_payloads(user, messages: list[OutboxMessage]) -> list[OutboxMessage]:
    if not user.has_perm("core.view_outbox_payload"):
        for message in messages:
            message.payload = None  # shown as null, never saved
    return messages


@router.post(
    "/{message_id}/retry",
    response={200: OutboxMessageOut, **ERRORS},
    summary="Re-queue a dead message for immediate delivery (org admin, leader)",
)
def retry_outbox(request, message_id: UUID):
    _check(request.auth)
    message = get_object_or_404(OutboxMessage, pk=message_id)
    outbox_retry(actor=request.auth, message=message)
    return _hide_payloads(request.auth, [get_object_or_404(outbox_messages(), pk=message_id)])[0]
