"""core.kpis helpers an app's compute builds on: the period selects a date field by
calendar day and a date-time field by Asia/Shanghai day; kinds without a name get the
app's label; spans count hours and working days (the day of receipt not counted)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from zonegov.core import kpis
from zonegov.core.models import CalendarOverride, OutboxMessage

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
JUNE = kpis.Period(date(2026, 6, 1), date(2026, 6, 30))


def test_a_date_field_is_selected_by_its_calendar_day():
    for day in (date(2026, 5, 31), date(2026, 6, 1), date(2026, 6, 30), date(2026, 7, 1)):
        CalendarOverride.objects.create(date=day, is_working_day=True, note="测试")
    picked = kpis.in_period(CalendarOverride.objects.all(), "date", JUNE)
    assert sorted(o.date for o in picked) == [date(2026, 6, 1), date(2026, 6, 30)]


def test_a_date_time_field_is_selected_by_its_shanghai_day():
    late_may = OutboxMessage.objects.create(topic="t", payload={}, destination="x")
    first_june = OutboxMessage.objects.create(topic="t", payload={}, destination="x")
    # 31 May 23:30 in Shanghai is still May; 1 June 00:10 is June (16:10 UTC the day before).
    OutboxMessage.objects.filter(pk=late_may.pk).update(
        created_at=datetime(2026, 5, 31, 23, 30, tzinfo=SH)
    )
    OutboxMessage.objects.filter(pk=first_june.pk).update(
        created_at=datetime(2026, 6, 1, 0, 10, tzinfo=SH)
    )
    picked = kpis.in_period(OutboxMessage.objects.all(), "created_at", JUNE)
    assert [m.pk for m in picked] == [first_june.pk]


def test_kinds_present_are_rows_and_the_unnamed_one_gets_the_apps_label():
    query = kpis.Query(JUNE, "kind", kpis.Scope(kpis.ScopeKind.ZONE))
    labels = kpis.row_labels(query, ["餐饮", kpis.NONE_KEY, "便利店"], unnamed_kind="未注明种类")
    assert labels == [("none", "未注明种类"), ("便利店", "便利店"), ("餐饮", "餐饮")]
    months = kpis.row_labels(kpis.Query(JUNE, "month", query.scope), [])
    assert months == [("2026-06", "2026年6月")]


def test_durations_count_hours_and_working_days_after_the_day_of_receipt():
    friday = datetime(2026, 6, 5, 10, 0, tzinfo=SH)
    monday = datetime(2026, 6, 8, 16, 0, tzinfo=SH)
    times = kpis.durations([("food", friday, monday), (None, friday, friday)])
    assert times == {"food": [(78.0, 1)], kpis.NONE_KEY: [(0.0, 0)]}
