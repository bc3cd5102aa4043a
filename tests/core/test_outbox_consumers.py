"""In-platform consumers run in the drain and apply each message once, however many
drains see it."""

from collections import Counter

import pytest

from zonegov.core.models import OutboxConsumption, OutboxStatus
from zonegov.core.services.outbox import (
    LOCAL_DESTINATION,
    outbox_drain,
    outbox_enqueue,
    register_consumer,
    unregister_consumer,
)

pytestmark = pytest.mark.django_db

applied: Counter = Counter()


@pytest.fixture
def inbox():
    """A consumer of "supervision.inbox" that counts the messages it applies."""
    applied.clear()

    def consume(message):
        applied[str(message.pk)] += 1

    name = register_consumer("supervision.inbox", consume, name="tests.inbox")
    yield applied
    unregister_consumer("supervision.inbox", name)


def test_a_consumer_applies_a_message_once_across_two_drains(inbox):
    message = outbox_enqueue(
        topic="supervision.inbox", payload={"licence": "JY1"}, destination=LOCAL_DESTINATION
    )
    assert outbox_drain().delivered == 1
    # Force the message to be seen again, as after a crash before acknowledgement.
    type(message).objects.filter(pk=message.pk).update(status=OutboxStatus.PENDING)
    outbox_drain()
    assert inbox[str(message.pk)] == 1
    assert OutboxConsumption.objects.filter(message=message, consumer="tests.inbox").count() == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED


def test_a_failing_consumer_is_retried_and_its_writes_roll_back():
    calls = []

    def flaky(message):
        calls.append(message.pk)
        if len(calls) == 1:
            raise RuntimeError("inbox table locked")

    name = register_consumer("flaky.topic", flaky, name="tests.flaky")
    try:
        message = outbox_enqueue(topic="flaky.topic", payload={}, destination=LOCAL_DESTINATION)
        assert outbox_drain().failed == 1
        message.refresh_from_db()
        assert "inbox table locked" in message.last_error
        assert not OutboxConsumption.objects.filter(message=message).exists()
        assert outbox_drain(now=message.available_at).delivered == 1
        assert len(calls) == 2
        assert OutboxConsumption.objects.filter(message=message).count() == 1
    finally:
        unregister_consumer("flaky.topic", name)


def test_a_platform_message_without_any_consumer_waits_rather_than_vanishing():
    message = outbox_enqueue(topic="nobody.listens", payload={}, destination=LOCAL_DESTINATION)
    assert outbox_drain().waiting == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 0
    assert "nobody.listens" in message.last_error
