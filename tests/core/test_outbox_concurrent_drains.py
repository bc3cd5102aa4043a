"""Several runners at once (the scale path): each message is sent by exactly one."""

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections

from tests.core.outbox_receiver import Receiver, use_webhook
from zonegov.core.models import OutboxMessage, OutboxStatus
from zonegov.core.services.outbox import outbox_drain, outbox_enqueue


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_drains_never_send_a_message_twice(settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite test databases live in one connection's memory")
    with Receiver() as receiver:
        use_webhook(settings, receiver.url)
        for i in range(40):
            outbox_enqueue(topic="licence.granted", payload={"i": i}, destination="supervision")
        barrier = threading.Barrier(4)
        errors: list[BaseException] = []

        def runner():
            try:
                barrier.wait()
                while outbox_drain(limit=3).claimed:
                    pass
            except BaseException as exc:  # reported below
                errors.append(exc)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=runner) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert not errors
    keys = [r["key"] for r in receiver.requests]
    assert len(keys) == 40 and len(set(keys)) == 40
    assert OutboxMessage.objects.filter(status=OutboxStatus.DELIVERED).count() == 40


@pytest.mark.django_db
def test_the_command_drains_one_pass(settings, capsys):
    with Receiver() as receiver:
        use_webhook(settings, receiver.url)
        message = outbox_enqueue(topic="licence.granted", payload={}, destination="supervision")
        call_command("outbox_drain")
    assert "delivered=1" in capsys.readouterr().out
    assert receiver.effects[str(message.pk)] == 1
