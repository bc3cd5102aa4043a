"""Consumers of the licensing module's outbox messages (审 → 监): every grant, change,
renewal, replacement and cancellation reaches the supervision side. Auto-imported by
``outbox_drain``; the core applies each message once per consumer."""

from zonegov.core.models import OutboxMessage
from zonegov.core.services.outbox import register_consumer
from zonegov.supervision.services import TOPICS, operator_apply_event


def apply_licence_message(message: OutboxMessage) -> None:
    operator_apply_event(
        topic=message.topic, payload=dict(message.payload or {}), message_id=str(message.pk)
    )


for _topic in TOPICS:
    register_consumer(_topic, apply_licence_message, name=f"zonegov.supervision:{_topic}")
