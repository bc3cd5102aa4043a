"""审 → 监 on expiry: the daily job that marks a licence 已过期 tells supervision
(``licence.expired``, once), and supervision takes the operator out of the inspection
plan as it does on cancellation; a renewal filed in time but decided after the expiry date
brings it back. Every step runs under a frozen clock, from the grant to the expiry."""
# ruff: noqa: F811  (pytest fixtures imported from tests.licensing.conftest)

from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from tests.conftest import make_user
from tests.licensing.conftest import (  # noqa: F401
    _licensing_settings,
    inspecting,
    lic,
    pass_all,
    pki_dir,
    upload_guide,
)
from tests.supervision.conftest import ensure_case_types
from zonegov.core.errors import ApplicationError
from zonegov.core.models import OutboxMessage
from zonegov.core.services.outbox import outbox_drain
from zonegov.licensing import services as licensing
from zonegov.supervision import selectors
from zonegov.supervision import services as supervision
from zonegov.supervision.models import InspectionState, OperatorStatus, SupervisedOperator
from zonegov.supervision.roles import SUPERVISOR

pytestmark = pytest.mark.django_db

GRANTED_ON = date(2026, 3, 2)


def at(day: date, hour: int = 9):
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )


def daily() -> str:
    out = StringIO()
    call_command("licensing_daily", stdout=out)
    return out.getvalue()


@pytest.fixture
def licensed(cast, lic):
    """A licence granted on GRANTED_ON, its operator in supervision, and a supervisor."""
    ensure_case_types()
    supervisor = make_user("sup-exp", lic.inspection, SUPERVISOR, full_name="监管员")
    partner = make_user("sup-exp2", lic.inspection, SUPERVISOR, full_name="监管员乙")
    with at(GRANTED_ON):
        app = pass_all(inspecting(cast), lic.inspector)
        licensing.application_approve(actor=cast.officer, application=app, note="符合条件")
        app.refresh_from_db()
        outbox_drain()
    licence = app.licence
    operator = SupervisedOperator.objects.get(licence_number=licence.number)
    return licence, operator, supervisor, partner


def test_the_daily_job_tells_supervision_once_and_the_operator_leaves_the_plan(licensed, login):
    licence, operator, supervisor, partner = licensed
    last_day = licence.valid_until
    year = last_day.year
    with at(date(year, 1, 5)):
        plan = supervision.plan_generate(actor=supervisor, unit=operator.unit, year=year)
        entry = plan.entries.get(operator=operator)
        assert entry.next_due is not None
        open_inspection = supervision.inspection_create(
            actor=supervisor,
            operator=operator,
            planned_date=last_day,
            inspectors=[supervisor, partner],
        )

    with at(last_day, 23):  # the last valid day: nothing yet
        assert "expired 0" in daily()
    assert not OutboxMessage.objects.filter(topic="licence.expired").exists()

    the_day_after = last_day + timedelta(days=1)
    with at(the_day_after):
        assert "expired 1" in daily()
        assert "expired 0" in daily()  # a second run the same day
        message = OutboxMessage.objects.get(topic="licence.expired")
        assert message.destination == "supervision"
        assert message.payload["event"] == "expired"
        assert message.payload["licence_number"] == licence.number
        assert message.payload["valid_until"] == last_day.isoformat()
        assert message.payload["expired_on"] == the_day_after.isoformat()
        assert message.payload["certificate_number"] == licence.current_document.number
        outbox_drain()
        operator.refresh_from_db()
        assert operator.status == OperatorStatus.EXPIRED
        assert operator.get_status_display() == "已过期"
        assert operator.events.filter(event="expired").count() == 1
        # Out of this year's plan: no inspection due, never shown as overdue.
        entry.refresh_from_db()
        assert entry.stopped and entry.next_due is None
        assert not [r for r in selectors.plan_rows(supervisor, plan) if r.overdue]
        assert operator not in selectors.inbox_for(supervisor)
        # No new routine inspection; the one already scheduled stays open to be finished,
        # as on cancellation.
        with pytest.raises(ApplicationError) as refused:
            supervision.inspection_create(
                actor=supervisor,
                operator=operator,
                planned_date=the_day_after,
                inspectors=[supervisor, partner],
            )
        assert "已过期" in refused.value.message
        open_inspection.refresh_from_db()
        assert open_inspection.state == InspectionState.PLANNED
        # The operator list shows it as 已过期, and the plan page says why it stopped.
        client = login(supervisor)
        page = client.get("/supervision/", {"status": "expired"}).content.decode()
        assert operator.holder_name in page and "已过期" in page
        assert "已过期" in client.get("/supervision/plan/", {"plan": plan.pk}).content.decode()

    with at(the_day_after + timedelta(days=1)):
        assert "expired 0" in daily()
        outbox_drain()
    assert OutboxMessage.objects.filter(topic="licence.expired").count() == 1
    assert operator.events.filter(event="expired").count() == 1
    # Next year's plan leaves it out.
    with at(date(year + 1, 1, 5)):
        next_plan = supervision.plan_generate(actor=supervisor, unit=operator.unit, year=year + 1)
        assert not next_plan.entries.filter(operator=operator).exists()


def test_a_renewal_decided_after_the_expiry_date_brings_the_operator_back(cast, lic, licensed):
    licence, operator, supervisor, _partner = licensed
    last_day = licence.valid_until
    year = last_day.year
    with at(date(year, 1, 5)):
        plan = supervision.plan_generate(actor=supervisor, unit=operator.unit, year=year)
    filed_on = licensing.renewal_window(last_day)[0] + timedelta(days=7)
    with at(filed_on):  # inside the 延续 window, conditions changed: a site check is due
        app = licensing.application_start(
            actor=cast.applicant, kind="licence", app_type="renew", licence=licence
        )
        app = licensing.application_update(
            actor=cast.applicant, application=app, data={"declarations": True}
        )
        app = licensing.application_sign(actor=cast.applicant, application=app)
        upload_guide(app, cast.applicant)
        app = licensing.application_submit(actor=cast.applicant, application=app)
        app = licensing.application_accept(actor=cast.officer, application=app)
    the_day_after = last_day + timedelta(days=1)
    with at(the_day_after):
        assert "expired 1" in daily()
        outbox_drain()
        operator.refresh_from_db()
        assert operator.status == OperatorStatus.EXPIRED
        app = pass_all(app, lic.inspector)
        licensing.application_approve(actor=cast.officer, application=app, note="符合")
        outbox_drain()
        operator.refresh_from_db()
        assert operator.status == OperatorStatus.ACTIVE
        assert operator.cancelled_at is None
        assert [e.event for e in operator.events.all()] == ["granted", "expired", "renewed"]
        entry = plan.entries.get(operator=operator)
        assert not entry.stopped
        assert entry.next_due is not None and entry.next_due >= the_day_after
