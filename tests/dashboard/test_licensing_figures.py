"""Licensing figures on a known data set: counts, instant share, rejections, medians in
working days across a weekend and statutory holidays, e-certificate rate, grouped by
kind, park and month, and scoped to what each role may see."""

from datetime import date

import pytest

from zonegov.core import kpis, workdays
from zonegov.core.kpis import Period

pytestmark = pytest.mark.django_db

H1_2025 = Period(date(2025, 1, 1), date(2025, 6, 30))


def figures(user, dimension="month", period=H1_2025):
    section = kpis.section_for(user, "licensing")
    return kpis.compute(section, user, period, dimension).figures


def by_key(figs):
    return {r.key: r.values for r in figs.rows}


def test_the_totals_of_the_half_year(cast, known):
    total = figures(cast.leader).total.values
    assert total["applications"] == 5
    assert total["approvals"] == 3
    assert total["rejections"] == 1
    assert total["instant"] == 2
    assert total["instant_share"] == pytest.approx(2 / 5)
    assert total["e_certificates"] == 3
    assert total["e_certificate_rate"] == 1.0


def test_median_time_counts_working_days_across_weekends_and_holidays(cast, known):
    total = figures(cast.leader).total.values
    # 1 (weekend), 1 (劳动节 1–5 May), 4 (清明 4–6 April) working days → median 1
    assert total["median_workdays"] == 1
    # 72, 120, 168 hours → median 120
    assert total["median_hours"] == 120


def test_the_calendar_agrees_with_core_workdays(cast):
    counter = kpis.WorkingDayCounter(date(2025, 1, 1), date(2025, 12, 31))
    for start, end in [
        (date(2025, 3, 7), date(2025, 3, 10)),
        (date(2025, 5, 1), date(2025, 5, 6)),
        (date(2025, 4, 1), date(2025, 4, 8)),
        (date(2025, 9, 26), date(2025, 10, 13)),  # 国庆 with 调休 on Sat 11 Oct
        (date(2025, 1, 1), date(2025, 12, 31)),
    ]:
        assert counter.between(start, end) == workdays.working_days_between(start, end)
    assert counter.between(date(2025, 5, 1), date(2025, 5, 6)) == 1


def test_by_month_uses_the_local_month_of_submission(cast, known):
    rows = figures(cast.leader, "month")
    assert [r.key for r in rows.rows] == [f"2025-{m:02d}" for m in range(1, 7)]
    assert rows.rows[0].label == "2025年1月"
    months = by_key(rows)
    assert months["2025-01"]["applications"] == 0
    assert months["2025-01"]["instant_share"] is None
    assert months["2025-03"]["applications"] == 1
    assert months["2025-04"]["applications"] == 2  # the licence and the rejection
    assert months["2025-04"]["rejections"] == 1
    # submitted 00:30 on 1 May in Shanghai (30 April in UTC): counted in May
    assert months["2025-05"]["applications"] == 1
    assert months["2025-05"]["instant_share"] == 1.0
    assert months["2025-05"]["median_hours"] == 120
    assert months["2025-06"]["approvals"] == 0


def test_by_kind_lists_every_kind(cast, known):
    kinds = by_key(figures(cast.leader, "kind"))
    assert set(kinds) == {"licence", "filing", "small_shop", "small_workshop", "small_stall"}
    assert kinds["filing"]["applications"] == 2
    assert kinds["filing"]["instant_share"] == 1.0
    assert kinds["filing"]["median_workdays"] == 1
    assert kinds["licence"]["applications"] == 3
    assert kinds["licence"]["approvals"] == 1
    assert kinds["licence"]["rejections"] == 1
    assert kinds["licence"]["instant_share"] == 0
    assert kinds["licence"]["median_workdays"] == 4
    assert kinds["licence"]["median_hours"] == 168
    assert kinds["small_stall"]["applications"] == 0


def test_by_park_puts_applications_without_a_park_apart(cast, known):
    rows = figures(cast.leader, "park")
    parks = by_key(rows)
    assert parks[str(cast.park.pk)]["applications"] == 4
    assert parks["none"]["applications"] == 1
    assert parks["none"]["rejections"] == 1
    assert rows.rows[-1].label == "未归属园区"


def test_the_period_bounds_are_whole_local_days(cast, known):
    may_day = Period(date(2025, 5, 1), date(2025, 5, 1))
    assert figures(cast.leader, period=may_day).total.values["applications"] == 1
    april = Period(date(2025, 4, 1), date(2025, 4, 30))
    assert figures(cast.leader, period=april).total.values["applications"] == 2
    empty = figures(cast.leader, period=Period(date(2024, 1, 1), date(2024, 12, 31)))
    assert empty.total.values["applications"] == 0
    assert empty.total.values["median_workdays"] is None
    assert empty.total.values["e_certificate_rate"] is None


def test_a_licensing_officer_sees_their_units_cases_only(cast, lic, known):
    assert figures(cast.officer).total.values["applications"] == 5
    # a licensing officer of another department sees the section, but none of these
    stranger = figures(lic.stranger_officer).total.values
    assert stranger["applications"] == 0


def test_a_park_officer_sees_their_parks_enterprises_only(cast, known):
    section = kpis.section_for(cast.park_officer, "licensing")
    assert section.scope_for(cast.park_officer).kind == kpis.ScopeKind.PARK
    total = figures(cast.park_officer).total.values
    assert total["applications"] == 4  # the person's rejected application is not theirs
    assert total["rejections"] == 0
    parks = by_key(figures(cast.park_officer, "park"))
    assert set(parks) == {str(cast.park.pk)}


def test_no_figures_for_applicants_and_roles_without_a_section(cast, known):
    from django.http import Http404

    for user in (cast.applicant, cast.grid_worker):
        assert kpis.sections_for(user) == []
        with pytest.raises(Http404):
            kpis.section_for(user, "licensing")
