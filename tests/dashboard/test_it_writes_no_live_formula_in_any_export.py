"""Every .xlsx export writes people's text as text a spreadsheet cannot evaluate: a unit
renamed ``=HYPERLINK(…)`` became a live formula in /dashboard/export.xlsx (penetration
test). All exports go through ``core.xlsx``; this test walks each one with a formula-like
value in a field that reaches it, and checks the workbook the user downloads: no cell is
a formula, the text is shown as typed (Excel's quotePrefix keeps it text when edited too),
and an exported enterprise sheet imports back unchanged.

(In tests/dashboard because its conftest gathers the licensing and supervision fixtures
the exports of every module need.)"""

import re
import zipfile
from datetime import datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from tests.dashboard.conftest import build_known
from zonegov.core import workdays
from zonegov.core.models import Enterprise, Unit
from zonegov.core.selectors.enterprises import enterprise_export_xlsx
from zonegov.core.services.enterprises import enterprise_import_xlsx
from zonegov.licensing.models import Licence

pytestmark = pytest.mark.django_db

NAME = '=HYPERLINK("http://x","y")'
PARK = '=HYPERLINK("http://x","园区")'
ADDRESS = "+1+高新区神马大道1号"
PERSON = "@SUM(1)"
CONTACT = "-1+1"
PERIOD = "date_from=2025-01-01&date_to=2025-06-30"
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))

# (who downloads, URL, values that must reach the workbook)
EXPORTS = [
    ("admin", "/enterprises/export.xlsx", {NAME, PARK, ADDRESS, PERSON, CONTACT}),
    ("admin", "/api/enterprises/export", {NAME, PARK, ADDRESS, PERSON, CONTACT}),
    ("admin", "/enterprises/import/template.xlsx", {PARK}),
    ("officer", "/licensing/library/?format=xlsx", {NAME}),
    ("officer", "/api/licensing/library/export", {NAME}),
    ("officer", "/licensing/library/expiring/?format=xlsx", {NAME}),
    ("leader", f"/dashboard/export.xlsx?{PERIOD}", {PARK}),
]


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def hostile(frozen, cast, lic):
    """Names and addresses as someone typed them, in every record an export reads."""
    Unit.objects.filter(pk=cast.park.pk).update(name=PARK)
    Enterprise.objects.filter(pk=lic.enterprise.pk).update(
        name=NAME, registered_address=ADDRESS, contact_name=CONTACT
    )
    Enterprise.objects.filter(pk=lic.other_enterprise.pk).update(legal_representative=PERSON)
    lic.enterprise.refresh_from_db()
    cast.park.refresh_from_db()
    build_known(cast, lic)  # licences and dashboard figures; the enterprise in the park
    licence = Licence.objects.filter(operator_name=NAME).first()
    assert licence is not None
    Licence.objects.filter(pk=licence.pk).update(
        valid_until=workdays.add_working_days(NOW.date(), 60)
    )


def formulas_in(content: bytes) -> list[str]:
    """Cells stored as formulas, read from the file itself and as openpyxl loads it."""
    found = []
    with zipfile.ZipFile(BytesIO(content)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                found += [f"{name}: {m}" for m in re.findall(rb"<(?:\w+:)?f[ >/]", z.read(name))]
    wb = load_workbook(BytesIO(content))
    found += [
        f"{ws.title}!{c.coordinate}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    return found


@pytest.mark.parametrize(("who", "url", "values"), EXPORTS, ids=[e[1] for e in EXPORTS])
def test_it_writes_no_formula_in_an_export(hostile, cast, login, who, url, values):
    response = login(getattr(cast, who)).get(url)
    assert response.status_code == 200, response.content[:500]
    assert formulas_in(response.content) == []
    wb = load_workbook(BytesIO(response.content))
    cells = {
        c.value: c
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str)
    }
    for value in values:
        assert value in cells, f"{value} does not reach {url}"
        assert cells[value].data_type == "s" and cells[value].quotePrefix


def test_it_imports_an_exported_sheet_back_unchanged(hostile, cast):
    before = {e.pk: e for e in Enterprise.objects.all()}
    content = enterprise_export_xlsx(Enterprise.objects.all())
    report = enterprise_import_xlsx(actor=cast.admin, file=content, strict=True)
    assert report.errors == []
    assert (report.created, report.updated, report.unchanged) == (0, 0, len(before))
    mine = Enterprise.objects.get(name=NAME)
    assert (mine.registered_address, mine.contact_name) == (ADDRESS, CONTACT)
    assert mine.park.name == PARK
    assert Enterprise.objects.filter(legal_representative=PERSON).count() == 1


def test_it_keeps_numbers_as_numbers(hostile, cast, login):
    wb = load_workbook(BytesIO(login(cast.leader).get(f"/dashboard/export.xlsx?{PERIOD}").content))
    total = list(wb["许可-按月份"].iter_rows(values_only=True))[-1]
    assert total[0] == "合计" and isinstance(total[1], int)


def test_it_covers_every_export_the_platform_offers():
    """A new export must be added to EXPORTS: every view/API module that answers with an
    .xlsx download is one whose URL is listed above."""
    from pathlib import Path

    src = Path(__file__).resolve().parents[2] / "src" / "zonegov"
    callers = sorted(
        str(p.relative_to(src))
        for p in src.rglob("*.py")
        if "xlsx_response(" in p.read_text() and p.name != "xlsx.py"
    )
    assert callers == [
        "core/api/enterprises.py",
        "core/views/enterprises.py",
        "dashboard/views.py",
        "licensing/api.py",
        "licensing/views.py",
    ]
    builders = sorted(
        str(p.relative_to(src))
        for p in src.rglob("*.py")
        if re.search(r"\bWorkbook\(|\.save\((?:buffer|out)\)", p.read_text())
        and p.name != "xlsx.py"
    )
    assert builders == [], "build export workbooks with core.xlsx (xlsx_workbook/xlsx_bytes)"
