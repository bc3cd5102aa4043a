"""After the configured number of failed attempts a message is given up ("dead"); staff
re-queue it from the page or the API, and that is audited."""

import pytest

from tests.core.outbox_receiver import Receiver, use_webhook
from zonegov.core.models import AuditRecord, OutboxMessage, OutboxStatus
from zonegov.core.services.outbox import outbox_drain, outbox_enqueue


@pytest.fixture
def dead_message(cast, settings):
    settings.ZONEGOV_OUTBOX_MAX_ATTEMPTS = 3
    with Receiver(fail_times=100) as receiver:
        use_webhook(settings, receiver.url)
        message = outbox_enqueue(
            topic="licence.granted", payload={"licence": "JY1"}, destination="supervision"
        )
        for _ in range(5):
            message.refresh_from_db()
            outbox_drain(now=message.available_at)
    message.refresh_from_db()
    assert len(receiver.requests) == 3
    return message


def test_it_gives_up_after_the_maximum_number_of_attempts(dead_message):
    assert dead_message.status == OutboxStatus.DEAD
    assert dead_message.attempts == 3
    assert "HTTP 503" in dead_message.last_error
    assert dead_message.deliveries.count() == 3
    assert outbox_drain(now=dead_message.available_at).claimed == 0


def test_staff_retry_from_the_page_requeues_and_delivers_it(dead_message, cast, login, settings):
    client = login(cast.admin)
    response = client.post(f"/outbox/{dead_message.pk}/retry/", follow=True)
    assert response.status_code == 200
    assert "已重新排队" in response.content.decode()
    dead_message.refresh_from_db()
    assert dead_message.status == OutboxStatus.PENDING
    assert dead_message.attempts == 0
    record = AuditRecord.objects.get(action="outbox.retry")
    assert record.object_id == str(dead_message.pk)
    assert record.actor_name == "管理员"
    with Receiver() as receiver:
        use_webhook(settings, receiver.url)
        assert outbox_drain().delivered == 1
    dead_message.refresh_from_db()
    assert dead_message.status == OutboxStatus.DELIVERED
    assert dead_message.deliveries.count() == 4  # the log keeps the earlier attempts


def test_the_api_requeues_a_dead_message(dead_message, cast, login):
    response = login(cast.leader).post(f"/api/outbox/{dead_message.pk}/retry")
    assert response.status_code == 200
    assert response.json()["status"] == "pending"
    assert len(response.json()["deliveries"]) == 3


def test_only_dead_messages_can_be_requeued(cast, login):
    message = outbox_enqueue(topic="t", payload={}, destination="supervision")
    response = login(cast.admin).post(f"/api/outbox/{message.pk}/retry")
    assert response.status_code == 400
    assert "已放弃" in response.json()["message"]
    page = login(cast.admin).post(f"/outbox/{message.pk}/retry/", follow=True)
    assert "只有已放弃的消息" in page.content.decode()
    assert OutboxMessage.objects.get(pk=message.pk).status == OutboxStatus.PENDING
    assert not AuditRecord.objects.filter(action="outbox.retry").exists()


def test_an_unknown_message_is_404(cast, login):
    client = login(cast.admin)
    assert client.post("/api/outbox/00000000-0000-0000-0000-000000000000/retry").status_code == 404
    assert client.post("/outbox/00000000-0000-0000-0000-000000000000/retry/").status_code == 404
    assert client.post("/api/outbox/not-a-uuid/retry").status_code in (400, 404)
