"""Holders are reminded when the 延续 window opens (90 working days before expiry) and
when it is about to close (its last 5 working days before the 15-working-day limit), in
the portal and through the SMS channel when the deployment configures one; re-runs never
send twice, a run after missed days still sends what is due, and nothing is sent outside
the window."""

from datetime import timedelta

import pytest

from tests.licensing.conftest import issued_licence, today
from zonegov.core import workdays
from zonegov.core.models import Notification, OutboxMessage
from zonegov.licensing import services
from zonegov.licensing.models import Licence

pytestmark = pytest.mark.django_db


def _expiring(licence, working_days: int, start=None):
    until = workdays.add_working_days(start or today(), working_days)
    Licence.objects.filter(pk=licence.pk).update(valid_until=until)
    licence.refresh_from_db()
    return licence


def _reminders(user):
    return list(
        Notification.objects.filter(recipient=user, dedupe_key__startswith="licensing.renewal.")
    )


def test_the_opening_reminder_is_sent_once(cast, lic):
    licence = _expiring(issued_licence(cast, lic), 80)
    report = services.renewal_reminders_send(today=today())
    assert report.opening == [licence.number] and report.closing == []
    services.renewal_reminders_send(today=today())
    services.renewal_reminders_send(today=today() + timedelta(days=1))
    (note,) = _reminders(cast.applicant)
    _opens, closes = services.renewal_window(licence.valid_until)
    assert note.title == "证照延续申请期已开始"
    assert licence.number in note.body and closes.isoformat() in note.body
    assert note.url == f"/licensing/licences/{licence.pk}/"


def test_a_job_that_missed_days_still_sends_the_opening_reminder(cast, lic):
    licence = _expiring(issued_licence(cast, lic), 40)  # window open for 50 working days
    report = services.renewal_reminders_send(today=today())
    assert report.opening == [licence.number]


def test_the_closing_reminder_comes_in_the_last_five_working_days(cast, lic):
    licence = _expiring(issued_licence(cast, lic), 60)
    services.renewal_reminders_send(today=today())
    _opens, closes = services.renewal_window(licence.valid_until)
    # The window's last five working days are the closing day and the four before it.
    before = workdays.add_working_days(today(), 40)
    assert workdays.working_days_between(before, closes) == 5
    assert services.renewal_reminders_send(today=before).closing == []
    first = workdays.add_working_days(before, 1)
    assert services.renewal_reminders_send(today=first).closing == [licence.number]
    assert services.renewal_reminders_send(today=closes).closing == []
    titles = sorted(n.title for n in _reminders(cast.applicant))
    assert titles == ["证照延续申请期即将截止", "证照延续申请期已开始"]
    closing = next(n for n in _reminders(cast.applicant) if "截止" in n.title)
    assert closes.isoformat() in closing.body


def test_nothing_is_sent_outside_the_window(cast, lic):
    licence = _expiring(issued_licence(cast, lic), 120)
    assert services.renewal_reminders_send(today=today()).opening == []
    _expiring(licence, 10)  # the window closed 5 working days ago
    report = services.renewal_reminders_send(today=today())
    assert report.opening == [] and report.closing == []
    assert _reminders(cast.applicant) == []


def test_no_reminder_for_a_licence_that_is_not_valid(cast, lic):
    licence = _expiring(issued_licence(cast, lic), 60)
    Licence.objects.filter(pk=licence.pk).update(status="revoked")
    assert services.renewal_reminders_send(today=today()).opening == []


def test_no_opening_reminder_once_a_renewal_is_started(cast, lic):
    licence = _expiring(issued_licence(cast, lic), 60)
    services.application_start(
        actor=cast.applicant, kind="licence", app_type="renew", licence=licence
    )
    assert services.renewal_reminders_send(today=today()).opening == []


def test_a_renewed_licence_is_reminded_again_for_its_next_period(cast, lic):
    licence = _expiring(issued_licence(cast, lic), 60)
    services.renewal_reminders_send(today=today())
    later = licence.valid_until + timedelta(days=365 * 5)
    Licence.objects.filter(pk=licence.pk).update(valid_until=later)
    opens, _closes = services.renewal_window(later)
    assert services.renewal_reminders_send(today=opens).opening == [licence.number]
    assert len(_reminders(cast.applicant)) == 2


def test_reminders_go_out_by_sms_when_the_channel_is_configured(cast, lic, settings):
    settings.ZONEGOV_NOTIFICATION_CHANNELS = [
        "zonegov.core.services.notifications.PortalChannel",
        "zonegov.core.services.notifications.LogSmsChannel",
    ]
    _expiring(issued_licence(cast, lic), 60)
    before = OutboxMessage.objects.filter(topic="sms").count()
    services.renewal_reminders_send(today=today())
    sms = OutboxMessage.objects.filter(topic="sms").order_by("-created_at").first()
    assert OutboxMessage.objects.filter(topic="sms").count() == before + 1
    assert sms.payload["mobile"] == cast.applicant.mobile
    assert "延续" in sms.payload["text"]


def test_the_holder_sees_the_reminder_and_the_renewal_banner(cast, lic, login):
    licence = _expiring(issued_licence(cast, lic), 60)
    services.renewal_reminders_send(today=today())
    client = login(cast.applicant)
    assert "证照延续申请期已开始" in client.get("/notifications/").content.decode()
    page = client.get(f"/licensing/licences/{licence.pk}/").content.decode()
    _opens, closes = services.renewal_window(licence.valid_until)
    assert f"可申请延续，截止 {closes.isoformat()}" in page
    assert 'data-testid="renewal-banner-button"' in page
    _expiring(licence, 120)
    page = client.get(f"/licensing/licences/{licence.pk}/").content.decode()
    assert 'data-testid="renewal-banner"' not in page


def test_the_daily_command_sends_reminders_once(cast, lic):
    from io import StringIO

    from django.core.management import call_command

    _expiring(issued_licence(cast, lic), 60)
    out = StringIO()
    call_command("licensing_daily", stdout=out)
    assert "opening 1" in out.getvalue()
    out = StringIO()
    call_command("licensing_daily", stdout=out)
    assert "opening 0" in out.getvalue()
    assert len(_reminders(cast.applicant)) == 1
