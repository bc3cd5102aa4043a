"""The message exists if and only if the business change committed."""

import pytest
from django.db import transaction

from zonegov.core.errors import ApplicationError
from zonegov.core.models import OutboxMessage, OutboxStatus
from zonegov.core.services.outbox import outbox_enqueue

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


def test_a_message_enqueued_in_a_rolled_back_transaction_leaves_nothing():
    with pytest.raises(Boom), transaction.atomic():
        outbox_enqueue(
            topic="licence.granted", payload={"licence": "JY1"}, destination="supervision"
        )
        raise Boom
    assert not OutboxMessage.objects.exists()


def test_a_committed_message_is_pending_and_due_now():
    with transaction.atomic():
        message = outbox_enqueue(
            topic="licence.granted", payload={"licence": "JY1"}, destination="supervision"
        )
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.destination == "supervision"
    assert message.attempts == 0
    assert message.payload == {"licence": "JY1"}
    assert (message.available_at - message.created_at).total_seconds() < 5


def test_each_message_has_its_own_idempotency_key():
    first = outbox_enqueue(topic="t", payload={}, destination="supervision")
    second = outbox_enqueue(topic="t", payload={}, destination="supervision")
    assert first.pk != second.pk


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"topic": "", "payload": {}, "destination": "supervision"}, "主题"),
        ({"topic": "t", "payload": {"x": {1, 2}}, "destination": "supervision"}, "JSON"),
        ({"topic": "t", "payload": {}, "destination": ""}, "目的地"),
    ],
)
def test_it_refuses_a_message_it_could_not_send(kwargs, message):
    with pytest.raises(ApplicationError) as exc:
        outbox_enqueue(**kwargs)
    assert message in exc.value.message
    assert not OutboxMessage.objects.exists()
