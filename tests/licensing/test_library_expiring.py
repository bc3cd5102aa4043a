"""Officers' list of licences expiring by month (next 12 months), with counts, each row's
renewal window and whether a renewal is under way; exported as .xlsx."""

from datetime import timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.licensing.conftest import filing_of, issued_licence, today
from zonegov.core import workdays
from zonegov.licensing import selectors, services
from zonegov.licensing.models import Licence

pytestmark = pytest.mark.django_db


def _month(day):
    return f"{day:%Y-%m}"


@pytest.fixture
def expiring(cast, lic):
    soon = issued_licence(cast, lic)
    until = workdays.add_working_days(today(), 60)
    Licence.objects.filter(pk=soon.pk).update(valid_until=until)
    soon.refresh_from_db()
    services.application_start(actor=cast.applicant, kind="licence", app_type="renew", licence=soon)
    later = issued_licence(cast, lic)
    Licence.objects.filter(pk=later.pk).update(valid_until=today() + timedelta(days=200))
    later.refresh_from_db()
    filing_of(cast.other_applicant)  # no expiry date: never listed
    gone = issued_licence(cast, lic)
    Licence.objects.filter(pk=gone.pk).update(
        valid_until=today() + timedelta(days=30), status="cancelled"
    )
    return soon, later


def test_it_groups_valid_licences_by_month(cast, lic, login, expiring):
    soon, later = expiring
    response = login(cast.officer).get("/licensing/library/expiring/")
    assert response.status_code == 200
    groups = response.context["groups"]
    assert len(groups) == 12 and groups[0].month == today().replace(day=1)
    counts = {_month(g.month): g.count for g in groups if g.count}
    if _month(soon.valid_until) == _month(later.valid_until):
        assert counts == {_month(soon.valid_until): 2}
    else:
        assert counts == {_month(soon.valid_until): 1, _month(later.valid_until): 1}
    rows = {r.licence.pk: r for g in groups for r in g.rows}
    assert set(rows) == {soon.pk, later.pk}
    assert rows[soon.pk].renewal is not None and rows[later.pk].renewal is None
    assert (rows[soon.pk].renewal_opens, rows[soon.pk].renewal_closes) == (
        services.renewal_window(soon.valid_until)
    )
    page = response.content.decode()
    assert "延续申请草稿" in page and "未申请延续" in page
    assert response.context["total"] == 2


def test_the_export_lists_the_rows(cast, lic, login, expiring):
    soon, later = expiring
    response = login(cast.officer).get("/licensing/library/expiring/?format=xlsx")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("到期月份", "证照编号")
    by_number = {r[1]: r for r in rows[1:]}
    assert set(by_number) == {soon.number, later.number}
    assert by_number[soon.number][0] == _month(soon.valid_until)
    assert by_number[soon.number][6] == soon.valid_until.isoformat()
    assert "草稿" in by_number[soon.number][8]
    assert by_number[later.number][8] == "未申请延续"


def test_the_api_and_the_scope(cast, lic, login, expiring):
    soon, _later = expiring
    body = login(cast.officer).get("/api/licensing/library/expiring").json()
    assert sum(m["count"] for m in body) == 2
    row = next(r for m in body for r in m["rows"] if r["number"] == soon.number)
    assert row["renewal_state"] == "draft"
    assert (
        sum(
            m["count"]
            for m in login(lic.stranger_officer).get("/api/licensing/library/expiring").json()
        )
        == 0
    )
    assert selectors.expiring_by_month(lic.stranger_officer)[0].count == 0
