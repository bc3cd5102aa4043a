"""Expired certificates change status on the day: ``valid_until`` is the last valid day,
so the daily job marks the licence and its certificate 已过期 on the day after, the
verification page says so, and running the job again changes nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.licensing.conftest import issued_licence, pass_all, today, upload_guide
from zonegov.core import workdays
from zonegov.core.models import AuditRecord, Notification
from zonegov.licensing import services
from zonegov.licensing.models import Application, Licence, PublicNotice

pytestmark = pytest.mark.django_db


def _valid_until(licence, day):
    Licence.objects.filter(pk=licence.pk).update(valid_until=day)
    licence.refresh_from_db()
    return licence


def test_a_licence_past_its_last_valid_day_expires(cast, lic, client):
    licence = _valid_until(issued_licence(cast, lic), today() - timedelta(days=1))
    notices = PublicNotice.objects.count()
    expired = services.licences_expire(today=today())
    assert [x.pk for x in expired] == [licence.pk]
    licence.refresh_from_db()
    doc = licence.current_document
    assert licence.status == "expired" and doc.status == "expired"
    assert "已过期" in client.get(f"/verify/{doc.number}/").content.decode()
    assert AuditRecord.objects.filter(action="licensing.licence.expire").count() == 1
    assert (
        Notification.objects.filter(recipient=cast.applicant, title__contains="已过期").count() == 1
    )
    # Expiry is not a decision: nothing is added to the public announcement.
    assert PublicNotice.objects.count() == notices


def test_running_again_changes_nothing(cast, lic):
    _valid_until(issued_licence(cast, lic), today() - timedelta(days=3))
    assert len(services.licences_expire(today=today())) == 1
    assert services.licences_expire(today=today()) == []
    assert services.licences_expire(today=today() + timedelta(days=1)) == []
    assert AuditRecord.objects.filter(action="licensing.licence.expire").count() == 1
    assert Notification.objects.filter(title__contains="已过期").count() == 1


def test_the_last_valid_day_is_still_valid(cast, lic):
    licence = _valid_until(issued_licence(cast, lic), today())
    assert services.licences_expire(today=today()) == []
    licence.refresh_from_db()
    assert licence.status == "valid"
    assert [x.pk for x in services.licences_expire(today=today() + timedelta(days=1))] == [
        licence.pk
    ]


def test_the_daily_command_expires_and_reports(cast, lic):
    licence = _valid_until(issued_licence(cast, lic), today() - timedelta(days=1))
    out = StringIO()
    call_command("licensing_daily", stdout=out)
    assert "expired 1" in out.getvalue()
    out = StringIO()
    call_command("licensing_daily", stdout=out)
    assert "expired 0" in out.getvalue()
    licence.refresh_from_db()
    assert licence.status == "expired"


def test_the_command_refuses_a_malformed_date(cast):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("licensing_daily", date="2026-02-30", stdout=StringIO())


def test_a_renewal_filed_in_time_but_decided_after_expiry_restores_the_licence(cast, lic):
    """行政许可法第五十条: a renewal filed in time is decided on; an officer's decision
    that falls after the expiry date (extended limit) still renews the licence."""
    licence = _valid_until(issued_licence(cast, lic), workdays.add_working_days(today(), 30))
    app = services.application_start(
        actor=cast.applicant, kind="licence", app_type="renew", licence=licence
    )
    # Conditions changed: a site check is needed, so the officers decide later.
    app = services.application_update(
        actor=cast.applicant, application=app, data={"declarations": True}
    )
    app = services.application_sign(actor=cast.applicant, application=app)
    upload_guide(app, cast.applicant)
    app = services.application_submit(actor=cast.applicant, application=app)
    assert app.state == "submitted"
    app = services.application_accept(actor=cast.officer, application=app)
    # Time passes: it was filed three days ago, and the licence's last valid day was
    # yesterday, before the decision.
    Application.objects.filter(pk=app.pk).update(submitted_at=timezone.now() - timedelta(days=3))
    _valid_until(licence, today() - timedelta(days=1))
    assert len(services.licences_expire(today=today())) == 1
    app = pass_all(app, lic.inspector)
    services.application_approve(actor=cast.officer, application=app, note="符合")
    licence.refresh_from_db()
    assert licence.status == "valid" and licence.version == 2
    assert licence.valid_until > today()


def test_an_expired_licence_cannot_be_changed(cast, lic):
    licence = _valid_until(issued_licence(cast, lic), today() - timedelta(days=1))
    services.licences_expire(today=today())
    from zonegov.core.errors import ApplicationError

    with pytest.raises(ApplicationError) as exc:
        services.application_start(
            actor=cast.applicant, kind="licence", app_type="change", licence=licence
        )
    assert "已过期" in exc.value.message
