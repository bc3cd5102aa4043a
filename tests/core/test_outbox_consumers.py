"""In-platform consumers run in the drain and apply each message once, however many
drains see it."""

from collections import Counter

import pytest

from zonegov.core.models import OutboxConsumption, OutboxDelivery, OutboxStatus, Unit
from zonegov.core.models.org import UnitKind
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


@pytest.fixture
def duplicate_unit_consumer(cast):
    """A consumer of "units.create" whose own write breaks its own unique constraint
    (a unit code that exists already): a bug or bad data on the consumer's side."""

    def consume(message):
        Unit.objects.create(
            name="重复单位",
            code=message.payload["code"],
            kind=UnitKind.DEPARTMENT,
            parent=cast.zone,
        )

    name = register_consumer("units.create", consume, name="tests.units")
    yield name
    unregister_consumer("units.create", name)


def test_a_consumers_own_integrity_error_fails_the_attempt_instead_of_losing_the_message(
    cast, duplicate_unit_consumer
):
    message = outbox_enqueue(
        topic="units.create", payload={"code": cast.zone.code}, destination=LOCAL_DESTINATION
    )
    report = outbox_drain()
    assert report.delivered == 0 and report.failed == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert "tests.units: IntegrityError" in message.last_error
    attempt = OutboxDelivery.objects.get(message=message)
    assert not attempt.ok and "IntegrityError" in attempt.error
    # Its writes rolled back with the once-only record, so a later drain tries again.
    assert not OutboxConsumption.objects.filter(message=message).exists()


def test_a_consumer_that_keeps_failing_ends_dead_and_visible_on_the_outbox_page(
    cast, duplicate_unit_consumer, settings, login
):
    settings.ZONEGOV_OUTBOX_MAX_ATTEMPTS = 2
    message = outbox_enqueue(
        topic="units.create", payload={"code": cast.zone.code}, destination=LOCAL_DESTINATION
    )
    outbox_drain()
    message.refresh_from_db()
    outbox_drain(now=message.available_at)
    message.refresh_from_db()
    assert message.status == OutboxStatus.DEAD
    assert message.deliveries.filter(ok=False).count() == 2
    page = login(cast.admin).get("/outbox/?status=dead").content.decode()
    assert 'data-status="dead"' in page
    assert "tests.units: IntegrityError" in page


def test_an_already_applied_message_is_applied_once_when_delivered_again(cast):
    created = []

    def consume(message):
        created.append(
            Unit.objects.create(
                name="新单位",
                code=message.payload["code"],
                kind=UnitKind.DEPARTMENT,
                parent=cast.zone,
            )
        )

    name = register_consumer("units.create", consume, name="tests.units.once")
    try:
        message = outbox_enqueue(
            topic="units.create", payload={"code": "new-unit"}, destination=LOCAL_DESTINATION
        )
        assert outbox_drain().delivered == 1
        # Seen again, as after a crash between applying and acknowledging.
        type(message).objects.filter(pk=message.pk).update(status=OutboxStatus.PENDING)
        assert outbox_drain().delivered == 1
        assert len(created) == 1
        assert Unit.objects.filter(code="new-unit").count() == 1
        assert message.deliveries.filter(ok=True).count() == 2
    finally:
        unregister_consumer("units.create", name)
