"""The SMS channel goes through the outbox: queued with the notification, delivered by
the drain, retried if the adapter fails, applied once."""

import logging

import pytest

from zonegov.core.models import OutboxMessage, OutboxStatus
from zonegov.core.services.notifications import SmsChannel, notify
from zonegov.core.services.outbox import LOCAL_DESTINATION, outbox_drain

sent: list[dict] = []


class RecordingSms(SmsChannel):
    """A gateway adapter double that fails on its first call."""

    def deliver_sms(self, *, mobile: str, text: str, idempotency_key: str) -> None:
        sent.append({"mobile": mobile, "text": text, "key": idempotency_key})
        if len(sent) == 1:
            raise ConnectionError("gateway down")


@pytest.fixture
def sms_channels(settings):
    settings.ZONEGOV_NOTIFICATION_CHANNELS = [
        "zonegov.core.services.notifications.PortalChannel",
        "zonegov.core.services.notifications.LogSmsChannel",
    ]


def test_the_sms_channel_enqueues_an_outbox_message(cast, sms_channels):
    n = notify(user=cast.applicant, title="许可证即将到期", body="请及时办理延续")
    message = OutboxMessage.objects.get(topic="sms")
    assert message.destination == LOCAL_DESTINATION
    assert message.payload["mobile"] == "13800000001"
    assert message.payload["text"] == "许可证即将到期：请及时办理延续"
    assert message.payload["notification_id"] == n.pk
    assert n.channels == {"portal": "ok", "sms": f"queued {message.pk}"}


def test_the_log_channel_writes_the_sms_to_the_log_in_the_drain(cast, sms_channels, caplog):
    notify(user=cast.applicant, title="许可证即将到期")
    with caplog.at_level(logging.WARNING, logger="zonegov.core.services.notifications"):
        assert outbox_drain().delivered == 1
    assert "138****0001" in caplog.text and "许可证即将到期" in caplog.text
    assert "13800000001" not in caplog.text


def test_a_user_without_a_mobile_number_gets_the_portal_message_only(cast, sms_channels):
    n = notify(user=cast.officer, title="待办")
    assert n.channels["sms"].startswith("skipped")
    assert not OutboxMessage.objects.exists()


def test_a_failing_gateway_is_retried_and_sends_once(cast, settings):
    sent.clear()
    settings.ZONEGOV_NOTIFICATION_CHANNELS = [f"{__name__}.RecordingSms"]
    notify(user=cast.applicant, title="提醒")
    message = OutboxMessage.objects.get(topic="sms")
    assert outbox_drain().failed == 1
    message.refresh_from_db()
    assert "gateway down" in message.last_error
    assert outbox_drain(now=message.available_at).delivered == 1
    assert outbox_drain(now=message.available_at).claimed == 0
    assert len(sent) == 2 and {s["key"] for s in sent} == {str(message.pk)}
    message.refresh_from_db()
    assert message.status == OutboxStatus.DELIVERED
