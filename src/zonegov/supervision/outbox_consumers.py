"""Consumers of the licensing module's outbox messages (审 → 监): every grant, change,
renewal, replacement, cancellation, revocation and expiry reaches the supervision side.
Auto-imported by ``outbox_drain``; the core applies each message once per consumer.

The supervision module subscribes its destination ``supervision`` to the licence topics
(apps.py); the consumer here is that destination's in-platform side (the external
supervision system's webhook, when configured, is the other), so a licence topic fanned
out to further destinations is applied once. Payloads are read through the contract the
producer declared (``core.topics``, by topic name — supervision never imports licensing).

A message that does not follow the contract (docs/supervision.md; e.g. no licence number)
can never be applied, so it is logged and skipped rather than raised: raising would retry
it until it is dead and hold back the message's webhook delivery to the external
supervision system. A missing supervising unit, in contrast, is raised (the message is
retried and applied once the unit exists)."""

import logging

from zonegov.core import topics
from zonegov.core.errors import ApplicationError
from zonegov.core.models import OutboxMessage
from zonegov.core.services.outbox import register_consumer

logger = logging.getLogger(__name__)

#: The outbox destination of the supervision side.
DESTINATION = "supervision"


def apply_licence_message(message: OutboxMessage) -> None:
    from zonegov.supervision.services import operator_apply_event

    try:
        event = topics.topic(message.topic).parse(message.payload)
    except (LookupError, topics.TopicContractError) as exc:
        logger.warning("licence message %s skipped: %s", message.pk, str(exc)[:500])
        return
    try:
        operator_apply_event(
            topic=message.topic,
            payload=event.model_dump(mode="json", exclude_unset=True),
            message_id=str(message.pk),
        )
    except ApplicationError as exc:
        logger.warning("licence message %s skipped: %s", message.pk, exc.message)


def _register() -> None:
    from zonegov.supervision.services import TOPICS

    for topic in TOPICS:
        register_consumer(
            topic,
            apply_licence_message,
            name=f"zonegov.supervision:{topic}",
            destination=DESTINATION,
        )


_register()
