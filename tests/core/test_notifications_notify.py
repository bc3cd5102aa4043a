"""notify(): stored for the portal, once per dedupe key, refused when malformed."""

import pytest
from django.db import transaction

from zonegov.core.errors import ApplicationError
from zonegov.core.models import Notification, OutboxMessage
from zonegov.core.services.notifications import notify


def test_it_stores_a_portal_notification(cast):
    n = notify(
        user=cast.applicant, title="许可证即将到期", body="请在 30 日内申请延续", url="/licensing/"
    )
    assert n.recipient == cast.applicant
    assert n.read_at is None
    assert n.channels == {"portal": "ok"}


def test_a_daily_job_never_sends_the_same_reminder_twice(cast):
    first = notify(user=cast.applicant, title="延续提醒", dedupe_key="renewal:JY1:2026-11")
    again = notify(user=cast.applicant, title="延续提醒", dedupe_key="renewal:JY1:2026-11")
    assert first.pk == again.pk
    assert Notification.objects.filter(recipient=cast.applicant).count() == 1
    # The key is per recipient: another holder gets their own.
    notify(user=cast.other_applicant, title="延续提醒", dedupe_key="renewal:JY1:2026-11")
    assert Notification.objects.count() == 2


def test_without_a_key_each_call_is_a_new_notification(cast):
    notify(user=cast.applicant, title="a")
    notify(user=cast.applicant, title="a")
    assert Notification.objects.count() == 2


class Boom(Exception):
    pass


def test_it_rolls_back_with_the_change_it_reports(cast, settings):
    settings.ZONEGOV_NOTIFICATION_CHANNELS = [
        "zonegov.core.services.notifications.PortalChannel",
        "zonegov.core.services.notifications.LogSmsChannel",
    ]
    with pytest.raises(Boom), transaction.atomic():
        notify(user=cast.applicant, title="已批准")
        raise Boom
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"title": ""}, "标题"),
        ({"title": "x" * 201}, "标题"),
        ({"title": "ok", "url": "javascript:alert(1)"}, "链接"),
        ({"title": "ok", "url": "//evil.example/"}, "链接"),
        ({"title": "ok", "dedupe_key": ""}, "去重键"),
    ],
)
def test_it_refuses_bad_input(cast, kwargs, text):
    with pytest.raises(ApplicationError) as exc:
        notify(user=cast.applicant, **kwargs)
    assert text in exc.value.message
    assert not Notification.objects.exists()
