"""The supervision demo as ``make run`` loads it (``seed_demo``: core, licensing, then
supervision): licensed operators arrive through the outbox, this year's plan with a few
operators overdue, inspections and samplings spread over the months with every outcome,
follow-ups open and concluded, figures on the dashboard — and seeding twice changes
nothing."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from tests.core import documents_fixtures
from zonegov.core.models import Notification, User
from zonegov.supervision.models import (
    FollowUp,
    FollowUpState,
    Inspection,
    InspectionState,
    OperatorStatus,
    Outcome,
    Sampling,
    SupervisedOperator,
    SupervisionPlan,
)

pki_dir = documents_fixtures.pki_dir

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        SupervisedOperator.objects.count(),
        Inspection.objects.count(),
        Sampling.objects.count(),
        FollowUp.objects.count(),
        SupervisionPlan.objects.count(),
        sum(p.entries.count() for p in SupervisionPlan.objects.all()),
        Notification.objects.count(),
    )


@pytest.fixture
def late_in_the_year():
    """The demo replays the calendar year up to today: its full shape (inspections in five
    months, overdue plan entries) shows late in the year, as on 26 November 2026."""
    with time_machine.travel(datetime(2026, 11, 26, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        yield


def test_seeding_works_on_any_day_of_the_year(pki_dir):
    """On the suite's clock (``.ci/run`` moves it to 1 January, Spring Festival, weekends):
    the demo loads, this year's plan covers every operator in business (a licence that
    expired, was cancelled or revoked before the year's plan was made is not in it), and
    seeding twice changes nothing."""
    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()
    operators = SupervisedOperator.objects.all()
    assert operators.count() >= 41
    plan = SupervisionPlan.objects.get(year=today.year)
    planned = set(plan.entries.values_list("operator_id", flat=True))
    active = set(operators.filter(status=OperatorStatus.ACTIVE).values_list("pk", flat=True))
    assert active <= planned
    assert all(i.inspected_on < today for i in Inspection.objects.all())
    before = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before


def test_the_demo_year_of_supervision(late_in_the_year, pki_dir, client):
    call_command("seed_demo", verbosity=0)
    today = timezone.localdate()

    # 审 → 监: every demo licence reached supervision; the revoked one stopped there
    operators = SupervisedOperator.objects.all()
    assert operators.count() >= 41
    assert operators.filter(status=OperatorStatus.REVOKED).count() == 1
    licensed_months = {timezone.localtime(o.licensed_at).strftime("%Y-%m") for o in operators}
    assert len(licensed_months) >= 5
    jianguan = User.objects.get(username="jianguan")
    inbox = Notification.objects.filter(recipient=jianguan, dedupe_key__startswith="supervision.")
    assert inbox.count() >= 41 and inbox.filter(read_at__isnull=True).exists()

    plan = SupervisionPlan.objects.get(year=today.year)
    entries = list(plan.entries.all())
    assert len(entries) == operators.count()
    overdue = [e for e in entries if e.is_overdue(today)]
    assert 0 < len(overdue) < len(entries) // 2

    inspections = Inspection.objects.all()
    assert {i.inspected_on.strftime("%Y-%m") for i in inspections} >= {f"{today:%Y-%m}"}
    assert len({i.inspected_on.month for i in inspections}) >= 5
    assert all(i.inspected_on < today and i.inspectors.count() >= 2 for i in inspections)
    assert set(inspections.values_list("outcome", flat=True)) == set(Outcome.values)
    open_rectification = inspections.get(state=InspectionState.RECTIFYING)
    assert open_rectification.rectification_deadline >= today
    verified = inspections.filter(state=InspectionState.VERIFIED)
    assert verified.exists()
    assert all(v.rectification_deadline < today and v.closed_at for v in verified)

    samplings = Sampling.objects.all()
    assert samplings.count() == 8 and samplings.filter(result="fail").count() == 2
    assert all(s.items.exists() for s in samplings)
    followups = FollowUp.objects.all()
    assert {f.state for f in followups} == {FollowUpState.OPEN, FollowUpState.HANDLED}

    client.force_login(
        User.objects.get(username="leader"), backend="django.contrib.auth.backends.ModelBackend"
    )
    period = {"date_from": f"{today.year}-01-01", "date_to": today.isoformat()}
    figures = client.get("/api/dashboard/sections/supervision", period).json()["total"]["values"]
    assert figures["inspections"] == inspections.count()
    assert figures["noncompliant"] >= 2 and figures["basically"] >= 1
    assert 0.8 < figures["inspection_pass_rate"] < 1
    assert figures["samplings"] == 8 and figures["sampling_pass_rate"] == 0.75
    assert figures["followups_opened"] == 2 and figures["followups_closed"] == 1
    by_park = client.get("/api/dashboard/sections/supervision", {**period, "dimension": "park"})
    assert sum(1 for r in by_park.json()["rows"] if r["values"]["inspections"]) >= 3
    licensing = client.get("/api/dashboard/sections/licensing", period).json()["total"]["values"]
    assert licensing["median_workdays"] >= 1 and licensing["e_certificate_rate"] == 1.0
    assert client.get("/supervision/").status_code == 200

    before = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before
