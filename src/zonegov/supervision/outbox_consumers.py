"""Consumers of the licensing module's outbox messages (审 → 监): every grant, change,
renewal, replacement, cancellation, revocation and expiry reaches the supervision side.
Auto-imported by ``outbox_drain``; the core applies each message once per consumer.

A message that does not follow the contract (docs/supervision.md; e.g. no licence number)
can never be applied, so it is logged and skipped rather than raised: raising would retry
it until it is dead and hold back the message's webhook delivery to the external
supervision system. A missing supervising unit, in contrast, is raised (the message is
retried and applied once the unit exists)."""

import logging

from zonegov.core.errors import ApplicationError
from zonegov.core.models import OutboxMessage
from zonegov.core.services.outbox import register_consumer
from zonegov.supervision.services import TOPICS, operator_apply_event

logger = logging.getLogger(__name__)


def apply_licence_message(message: OutboxMessage) -> None:
    payload = message.payload if isinstance(message.payload, dict) else {}
    try:
        operator_apply_event(topic=message.topic, payload=payload, message_id=str(message.pk))
    except ApplicationError as exc:
        logger.warning("licence message %s skipped: %s", message.pk, exc.message)


for _topic in TOPICS:
    register_consumer(_topic, apply_licence_message, name=f"zonegov.supervision:{_topic}")
