"""The demo data: 38 operators approved fully electronically and spread from April to
yesterday over the parks, applications in every state, licences in the renewal window, an
expired and a revoked one — what a demo user sees on the dashboard, in the library, on the
public pages — and running it twice changes nothing."""

from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.conftest import make_unit, make_user
from zonegov.core import workdays
from zonegov.core.models import Enterprise, Notification, Person, User
from zonegov.core.models.org import UnitKind
from zonegov.licensing import services
from zonegov.licensing.demo import DemoCalendar
from zonegov.licensing.models import Application, Licence, LicenceStatus, PublicNotice
from zonegov.licensing.roles import INSPECTOR, LICENSING_OFFICER

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_zone(settings, cast):
    settings.ZONEGOV_LICENSING_UNIT_CODE = "xzfwzx"
    settings.ZONEGOV_LICENSING_INSPECTION_UNIT_CODE = "scjg"
    dept = make_unit("行政服务中心", "xzfwzx", UnitKind.DEPARTMENT, cast.zone)
    scjg = make_unit("市场监督管理局高新区分局", "scjg", UnitKind.DEPARTMENT, cast.zone)
    make_unit("临港物流产业园区", "park-lgwl", UnitKind.PARK, cast.zone)
    make_unit("皇台产业园区", "park-ht", UnitKind.PARK, cast.zone)
    make_unit("尼龙智造产业园区", "park-nlzz", UnitKind.PARK, cast.zone)
    make_user("shenpi", dept, LICENSING_OFFICER)
    make_user("hecha", scjg, INSPECTOR)
    make_user("hecha2", scjg, INSPECTOR)
    person = Person.objects.create(name="张三", id_number="410402199001011230")
    User.objects.create_user(username="13800138000", password="x", person=person)
    return cast


def _months(start: date, end: date) -> set[str]:
    months, day = set(), start
    while day <= end:
        months.add(f"{day:%Y-%m}")
        day += timedelta(days=28)
    months.add(f"{end:%Y-%m}")
    return months


def test_the_operators_are_spread_over_the_months_and_the_parks(demo_zone, login):
    call_command("seed_licensing", verbosity=0)
    cal = DemoCalendar()
    apps = Application.objects.filter(applicant__username__startswith="1370375")
    submitted = [workdays.local_date(a.submitted_at) for a in apps]
    assert min(submitted) == cal.days[0] and max(submitted) < timezone.localdate()
    assert {f"{d:%Y-%m}" for d in submitted} == _months(cal.start, cal.days[-1])
    for app in apps:
        took = app.decided_at - app.submitted_at
        if app.instant:
            assert took < timedelta(minutes=1)
        else:  # remote site check: 1 to 9 working days
            days = workdays.working_days_between(
                workdays.local_date(app.submitted_at), workdays.local_date(app.decided_at)
            )
            assert 0 <= days <= 9 and took > timedelta(hours=3)
        # the certificate, its validity and its 公示 line moved with the decision
        lic = app.licence
        assert lic.valid_from == workdays.local_date(app.decided_at)
        assert workdays.local_date(lic.versions.get().issued_at) == lic.valid_from
        assert lic.notices.get(event="granted").valid_from == lic.valid_from
    parks = Enterprise.objects.filter(uscc__in=apps.values("holder_code")).values_list(
        "park__name", flat=True
    )
    assert set(parks) >= {"电气装备产业园区", "临港物流产业园区", "皇台产业园区", None}

    client = login(demo_zone.leader)
    period = {"date_from": cal.start.isoformat(), "date_to": timezone.localdate().isoformat()}
    by_month = client.get("/api/dashboard/sections/licensing", {**period, "dimension": "month"})
    total = by_month.json()["total"]["values"]
    assert total["e_certificate_rate"] == 1.0
    assert total["median_workdays"] >= 1 and total["median_hours"] > 8
    busy = [r for r in by_month.json()["rows"] if r["values"]["approvals"]]
    assert len(busy) >= len(_months(cal.start, cal.days[-1]))
    by_park = client.get("/api/dashboard/sections/licensing", {**period, "dimension": "park"})
    in_parks = [r for r in by_park.json()["rows"] if r["values"]["applications"]]
    assert len(in_parks) >= 4  # three parks or more, and 未归属园区


def test_every_state_and_the_lifecycle_once_however_often_seeded(demo_zone, login, client):
    call_command("seed_licensing", verbosity=0)
    operators = Licence.objects.filter(owner__username__startswith="1370375")
    assert operators.count() == 38
    assert all(lic.current_document_id for lic in operators)
    states = set(Application.objects.values_list("state", flat=True))
    assert states >= {
        "draft", "submitted", "correction_requested", "resubmitted", "accepted",
        "inspecting", "reviewing", "issued", "rejected", "withdrawn",
    }  # fmt: skip
    assert Application.objects.filter(instant=True).exists()
    before = (
        Application.objects.count(),
        Licence.objects.count(),
        PublicNotice.objects.count(),
        Notification.objects.count(),
        Enterprise.objects.count(),
    )
    call_command("seed_licensing", verbosity=0)
    assert (
        Application.objects.count(),
        Licence.objects.count(),
        PublicNotice.objects.count(),
        Notification.objects.count(),
        Enterprise.objects.count(),
    ) == before

    today = timezone.localdate()
    valid = Licence.objects.filter(status=LicenceStatus.VALID, valid_until__isnull=False)
    in_window = [lic for lic in valid if services.renewal_reminder_due(lic, today)]
    assert len(in_window) >= 3
    # inside the 延续 window: at most 90 working days left (about 130 calendar days when
    # Spring Festival or National Day falls in between)
    assert all(
        services.working_days_before_expiry(today, lic.valid_until) <= 90 for lic in in_window
    )
    zhang = User.objects.get(username="13800138000")
    assert any(lic.owner == zhang for lic in in_window)
    assert Notification.objects.filter(recipient=zhang, title="证照延续申请期已开始").exists()

    expired = Licence.objects.get(status=LicenceStatus.EXPIRED)
    assert expired.valid_until < today
    assert expired.current_document.status == "expired"
    assert expired.valid_until - expired.valid_from == timedelta(days=364)  # one-year card
    revoked = Licence.objects.get(status=LicenceStatus.REVOKED)
    notice = revoked.notices.get(event="revoked")
    assert "平高市监罚" in notice.note
    assert revoked.valid_from < workdays.local_date(notice.occurred_at) < today

    assert "已过期" in client.get(f"/verify/{expired.current_document.number}/").text
    assert "已吊销" in client.get(f"/verify/{revoked.current_document.number}/").text
    # 公示: the revocation is announced among the demo's decisions
    assert "吊销" in client.get("/gongshi/", {"event": "revoked"}).text
    assert revoked.number in client.get("/gongshi/", {"event": "revoked"}).text
    officer = User.objects.get(username="shenpi")
    page = login(officer).get("/licensing/library/expiring/")
    assert page.status_code == 200
    assert all(lic.number in page.text for lic in in_window if lic.unit.code == "xzfwzx")
