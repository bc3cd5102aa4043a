"""Delivery to a real HTTP receiver on 127.0.0.1: retries with growing back-off, the
receiver applies the effect once, nothing is lost while the receiver is down."""

import json
from itertools import pairwise

import pytest

from tests.core.outbox_receiver import SECRET, Receiver, free_port_url, use_webhook
from zonegov.core.models import OutboxDelivery, OutboxStatus
from zonegov.core.services.outbox import outbox_drain, outbox_enqueue, verify_signature

pytestmark = pytest.mark.django_db


def drain_until_settled(message, rounds: int = 20):
    """Drain at each next attempt time until the message is no longer pending."""
    next_times = []
    for _ in range(rounds):
        message.refresh_from_db()
        if message.status != OutboxStatus.PENDING:
            break
        next_times.append(message.available_at)
        outbox_drain(now=message.available_at)
    message.refresh_from_db()
    return next_times


def test_a_receiver_failing_three_times_gets_the_message_once_on_the_fourth(settings):
    with Receiver(fail_times=3) as receiver:
        use_webhook(settings, receiver.url)
        message = outbox_enqueue(
            topic="licence.granted", payload={"licence": "JY1"}, destination="supervision"
        )
        times = drain_until_settled(message)
    assert message.status == OutboxStatus.DELIVERED
    assert message.attempts == 4
    assert message.delivered_at is not None
    assert message.last_error == ""
    assert len(receiver.requests) == 4
    assert {r["key"] for r in receiver.requests} == {str(message.pk)}
    assert receiver.effects[str(message.pk)] == 1
    gaps = [(b - a).total_seconds() for a, b in pairwise(times)]
    assert len(gaps) == 3
    assert gaps == sorted(gaps) and gaps[0] >= 25  # 30 s, 60 s, 120 s (±15 %)
    log = list(OutboxDelivery.objects.filter(message=message).order_by("attempt"))
    assert [d.attempt for d in log] == [1, 2, 3, 4]
    assert [d.http_status for d in log] == [503, 503, 503, 200]
    assert [d.ok for d in log] == [False, False, False, True]
    assert "HTTP 503" in log[0].error


def test_the_body_and_headers_are_signed_and_carry_the_idempotency_key(settings):
    with Receiver() as receiver:
        use_webhook(settings, receiver.url)
        message = outbox_enqueue(
            topic="licence.changed", payload={"名称": "张记面馆", "n": 1}, destination="supervision"
        )
        outbox_drain()
    request = receiver.requests[0]
    body = json.loads(request["body"])
    assert body == {
        "id": str(message.pk),
        "topic": "licence.changed",
        "created_at": body["created_at"],
        "payload": {"名称": "张记面馆", "n": 1},
    }
    assert "张记面馆".encode() in request["body"]  # UTF-8, not \u escapes
    assert request["headers"]["Idempotency-Key"] == str(message.pk)
    assert request["headers"]["X-Zonegov-Topic"] == "licence.changed"
    assert verify_signature(SECRET, request["headers"]["X-Zonegov-Signature"], request["body"])


def test_a_receiver_that_is_down_delays_the_message_but_never_loses_it(settings):
    use_webhook(settings, free_port_url())
    message = outbox_enqueue(
        topic="licence.cancelled", payload={"licence": "JY2"}, destination="supervision"
    )
    report = outbox_drain()
    assert report.failed == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.available_at > message.created_at
    assert message.last_error
    assert outbox_drain().claimed == 0  # not due again yet
    with Receiver() as receiver:
        use_webhook(settings, receiver.url)
        outbox_drain(now=message.available_at)
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
    assert receiver.effects[str(message.pk)] == 1


def test_without_a_url_messages_wait_with_a_clear_reason(settings):
    settings.ZONEGOV_WEBHOOKS = {"supervision": {"url": "", "secret": ""}}
    message = outbox_enqueue(topic="licence.granted", payload={}, destination="supervision")
    report = outbox_drain()
    assert report.waiting == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 0
    assert message.last_error == "未配置接收地址"
    assert not OutboxDelivery.objects.exists()


def test_production_refuses_plain_http(settings):
    settings.PRODUCTION = True
    with Receiver() as receiver:
        use_webhook(settings, receiver.url)
        message = outbox_enqueue(topic="licence.granted", payload={}, destination="supervision")
        outbox_drain()
    assert receiver.requests == []
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert "HTTPS" in message.last_error


def test_plain_http_to_another_host_is_refused_even_in_development(settings):
    use_webhook(settings, "http://192.0.2.1/hook")
    message = outbox_enqueue(topic="licence.granted", payload={}, destination="supervision")
    outbox_drain()
    message.refresh_from_db()
    assert message.attempts == 0
    assert "HTTPS" in message.last_error


def test_a_drain_takes_at_most_its_limit(settings):
    with Receiver() as receiver:
        use_webhook(settings, receiver.url)
        for i in range(5):
            outbox_enqueue(topic="t", payload={"i": i}, destination="supervision")
        assert outbox_drain(limit=2).delivered == 2
        assert outbox_drain(limit=10).delivered == 3
    assert len(receiver.effects) == 5
