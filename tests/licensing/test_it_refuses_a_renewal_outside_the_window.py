"""延续 only between 90 and 15 working days before expiry (《食品经营许可和备案管理办法》
第二十三条, research note §1.5 [C]); outside it a clear refusal in Chinese.

The reading (docs/licensing.md, "The renewal window"): the working days before expiry
are counted from the filing day (when it is a working day) up to the day before the last
valid day. These tests hold on whatever day the suite's clock starts (``.ci/run`` runs them
on a Saturday, a Sunday, 1 January, the eve of Spring Festival and a 调休 Saturday)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.identity_helpers import submit_verified
from tests.licensing.conftest import issued_licence, today
from zonegov.core import workdays
from zonegov.core.errors import ApplicationError
from zonegov.core.periods import years_end
from zonegov.licensing import services
from zonegov.licensing.models import Licence

pytestmark = pytest.mark.django_db


def _valid_until_with(working_days_left: int) -> date:
    """The last valid day such that exactly ``working_days_left`` working days lie between
    today (counted if it is a working day) and that day (not counted)."""
    day, counted = today(), 0
    while True:
        if workdays.is_working_day(day):
            counted += 1
            if counted == working_days_left:
                return day + timedelta(days=1)
        day += timedelta(days=1)


def _expiring_in(licence, working_days: int) -> Licence:
    Licence.objects.filter(pk=licence.pk).update(valid_until=_valid_until_with(working_days))
    licence.refresh_from_db()
    return licence


def _renew(cast, licence):
    return services.application_start(
        actor=cast.applicant, kind="licence", app_type="renew", licence=licence
    )


def test_it_refuses_a_renewal_too_early(cast, lic):
    licence = _expiring_in(issued_licence(cast, lic), 120)
    with pytest.raises(ApplicationError) as exc:
        _renew(cast, licence)
    assert "90至15个工作日" in exc.value.message
    assert "请于" in exc.value.message


def test_it_refuses_a_renewal_too_late(cast, lic):
    licence = _expiring_in(issued_licence(cast, lic), 10)
    with pytest.raises(ApplicationError) as exc:
        _renew(cast, licence)
    assert "已过延续申请期" in exc.value.message
    assert "停止经营" in exc.value.message


def test_it_refuses_renewing_an_expired_licence(cast, lic):
    licence = issued_licence(cast, lic)
    Licence.objects.filter(pk=licence.pk).update(valid_until=today() - timedelta(days=1))
    licence.refresh_from_db()
    with pytest.raises(ApplicationError) as exc:
        _renew(cast, licence)
    assert "过期" in exc.value.message


@pytest.mark.parametrize("left", [90, 50, 15])
def test_it_accepts_a_renewal_inside_the_window(cast, lic, left):
    licence = _expiring_in(issued_licence(cast, lic), left)
    app = _renew(cast, licence)
    assert app.state == "draft"


def test_it_refuses_a_renewal_91_working_days_before_expiry(cast, lic):
    licence = _expiring_in(issued_licence(cast, lic), 91)
    with pytest.raises(ApplicationError) as exc:
        _renew(cast, licence)
    assert "还有 91 个工作日" in exc.value.message


def test_it_refuses_a_renewal_14_working_days_before_expiry(cast, lic):
    licence = _expiring_in(issued_licence(cast, lic), 14)
    with pytest.raises(ApplicationError) as exc:
        _renew(cast, licence)
    assert "仅剩 14 个工作日" in exc.value.message


SHANGHAI = ZoneInfo("Asia/Shanghai")

# A licence valid until Thursday 31 December 2026. Counted by hand on the 2026 calendar
# (Mid-Autumn 25 Sep, National Day 1–7 Oct with the 调休 Saturdays 20 Sep and 10 Oct):
# the 90th working day before it is Friday 21 August, the 91st Thursday 20 August, the
# 15th Thursday 10 December, the 14th Friday 11 December.
HAND_COUNTED = [
    (date(2026, 8, 20), False, "尚未到延续申请期"),
    (date(2026, 8, 21), True, ""),
    (date(2026, 8, 22), True, ""),  # a Saturday inside the window
    (date(2026, 10, 3), True, ""),  # National Day
    (date(2026, 12, 10), True, ""),
    (date(2026, 12, 11), False, "已过延续申请期"),
    (date(2026, 12, 12), False, "已过延续申请期"),  # the Saturday after the close
]


def test_the_window_of_a_licence_valid_until_new_years_eve_is_the_hand_counted_one():
    assert services.renewal_window(date(2026, 12, 31)) == (date(2026, 8, 21), date(2026, 12, 10))


@pytest.mark.parametrize(("day", "accepted", "refusal"), HAND_COUNTED)
def test_it_decides_by_the_hand_counted_dates(cast, lic, day, accepted, refusal):
    with time_machine.travel(datetime(2026, day.month, day.day, 9, 30, tzinfo=SHANGHAI)):
        licence = issued_licence(cast, lic)
        Licence.objects.filter(pk=licence.pk).update(valid_until=date(2026, 12, 31))
        licence.refresh_from_db()
        if accepted:
            assert _renew(cast, licence).state == "draft"
        else:
            with pytest.raises(ApplicationError) as exc:
                _renew(cast, licence)
            assert refusal in str(exc.value.field_errors["app_type"])


def test_an_unchanged_renewal_is_approved_instantly_keeping_the_number(cast, lic):
    licence = _expiring_in(issued_licence(cast, lic), 30)
    old_doc = licence.current_document
    app = _renew(cast, licence)
    app = services.application_update(
        actor=cast.applicant,
        application=app,
        data={"conditions_unchanged": True, "declarations": True},
    )
    app = services.application_sign(actor=cast.applicant, application=app)
    app = submit_verified(cast.applicant, app)
    assert app.state == "issued" and app.instant
    licence.refresh_from_db()
    assert licence.version == 2
    assert licence.current_document.number == f"{licence.number}-002"
    assert licence.valid_from == today()
    assert licence.valid_until == years_end(today(), 5)
    old_doc.refresh_from_db()
    assert old_doc.status == "changed"
    version = licence.versions.get(version=2)
    assert version.metadata["关联证照标识"] == licence.versions.get(version=1).identifier
    assert version.identifier.split(".")[-2] == "002"


def test_a_renewal_with_changed_conditions_goes_to_inspection(cast, lic):
    licence = _expiring_in(issued_licence(cast, lic), 30)
    app = _renew(cast, licence)
    app = services.application_update(
        actor=cast.applicant,
        application=app,
        data={"conditions_unchanged": False, "declarations": True},
    )
    app = services.application_sign(actor=cast.applicant, application=app)
    with pytest.raises(ApplicationError) as exc:
        services.application_submit(actor=cast.applicant, application=app)
    assert "拍摄指引" in exc.value.message
