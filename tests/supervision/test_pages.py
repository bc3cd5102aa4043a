"""The pages, through the test client: forms keep what was typed on errors, bad input
never gives a 500, overdue plan rows are highlighted."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zonegov.supervision.conf import CHECKLIST
from zonegov.supervision.models import FollowUp, Inspection, InspectionState, PlanEntry, Sampling

pytestmark = pytest.mark.django_db


def _checklist(bad: str = "") -> dict:
    data = {f"item_{c}": "compliant" for c, _ in CHECKLIST}
    if bad:
        data[f"item_{bad}"] = "noncompliant"
        data[f"note_{bad}"] = "健康证过期"
    return data


def test_the_home_page_and_operator_page_show_the_one_record(sup, operator, login):
    client = login(sup.supervisor)
    home = client.get("/supervision/?q=某某&status=active&risk=B&page=x").content.decode()
    assert "新取证经营者" in home and operator.holder_name in home
    detail = client.get(f"/supervision/operators/{operator.pk}/").content.decode()
    assert "准予许可（新办）" in detail and "SQ-2026-000012" in detail
    assert client.get("/supervision/operators/99999/").status_code == 404


def test_it_records_an_inspection_through_the_form_and_keeps_input_on_errors(sup, operator, login):
    client = login(sup.supervisor)
    today = timezone.localdate()
    r = client.post(
        f"/supervision/operators/{operator.pk}/inspections/new/",
        {"planned_date": today.isoformat()},
    )
    inspection = Inspection.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/inspections/{inspection.pk}/record/")
    assert client.get(r["Location"]).status_code == 200

    url = f"/supervision/inspections/{inspection.pk}/record/"
    data = {
        **_checklist(bad="3"),
        "inspected_on": today.isoformat(),
        "inspectors": [sup.supervisor.pk],
        "outcome": "noncompliant",
        "summary": "现场发现两名从业人员健康证过期",
    }
    r = client.post(url, data)
    page = r.content.decode()
    assert r.status_code == 200
    assert "执法人员不得少于 2 人" in page or "至少两名" in page
    assert "现场发现两名从业人员健康证过期" in page and "健康证过期" in page
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.PLANNED

    data["inspectors"] = [sup.supervisor.pk, sup.partner.pk]
    r = client.post(url, data)  # 不符合 without a deadline
    assert r.status_code == 200 and "必须责令限期整改" in r.content.decode()

    data["rectification_deadline"] = (today + timedelta(days=7)).isoformat()
    r = client.post(url, data)
    assert r.status_code == 302
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.RECTIFYING
    detail = client.get(f"/supervision/inspections/{inspection.pk}/").content.decode()
    assert "整改中" in detail and "复查通过" in detail

    r = client.post(f"/supervision/inspections/{inspection.pk}/verify/", {"note": ""})
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.RECTIFYING
    client.post(f"/supervision/inspections/{inspection.pk}/verify/", {"note": "已换发健康证"})
    inspection.refresh_from_db()
    assert inspection.state == InspectionState.VERIFIED
    assert client.get(url).status_code == 302  # already recorded


def test_it_records_a_failed_sampling_through_the_form(sup, operator, login):
    client = login(sup.inspector)
    url = f"/supervision/operators/{operator.pk}/samplings/new/"
    assert client.get(url).status_code == 200
    data = {
        "sample_name": "卤牛肉",
        "batch_number": "2026-11-20",
        "sampled_on": timezone.localdate().isoformat(),
        "laboratory": "",
        "item1_name": "菌落总数",
        "item1_result": "fail",
        "item1_measured": "超标",
    }
    r = client.post(url, data)
    assert r.status_code == 200 and "卤牛肉" in r.content.decode()
    assert not Sampling.objects.exists()
    data["laboratory"] = "检验中心"
    r = client.post(url, data)
    sampling = Sampling.objects.get()
    assert r.status_code == 302
    followup = FollowUp.objects.get(sampling=sampling)
    assert "核查处置" in client.get(f"/supervision/samplings/{sampling.pk}/").content.decode()
    page = client.get(f"/supervision/followups/{followup.pk}/").content.decode()
    assert "开始核查" in page
    client.post(f"/supervision/followups/{followup.pk}/act/", {"action": "investigate"})
    client.post(f"/supervision/followups/{followup.pk}/act/", {"action": "conclude", "note": ""})
    followup.refresh_from_db()
    assert followup.state == "investigating"
    client.post(f"/supervision/followups/{followup.pk}/act/", {"action": "bogus", "note": "x"})
    client.post(
        f"/supervision/followups/{followup.pk}/act/", {"action": "conclude", "note": "已下架"}
    )
    followup.refresh_from_db()
    assert followup.state == "handled"


def test_the_plan_page_generates_and_highlights_overdue(sup, operator, login):
    client = login(sup.supervisor)
    r = client.post("/supervision/plan/", {"year": "abc", "unit": sup.scjg.pk})
    assert r.status_code == 200
    r = client.post("/supervision/plan/", {"year": timezone.localdate().year, "unit": sup.scjg.pk})
    assert r.status_code == 302
    PlanEntry.objects.update(next_due=timezone.localdate() - timedelta(days=3))
    page = client.get(r["Location"]).content.decode()
    assert 'data-overdue="1"' in page and "table-danger" in page
    assert client.get("/supervision/plan/?plan=99999").status_code == 404
    assert client.get("/supervision/plan/?overdue=1").status_code == 200


def test_risk_level_form_refuses_nonsense(sup, operator, login):
    client = login(sup.supervisor)
    r = client.post(f"/supervision/operators/{operator.pk}/risk/", {"risk_level": "Z"})
    assert r.status_code == 302
    r = client.post(f"/supervision/operators/{operator.pk}/risk/", {"risk_level": "D"})
    operator.refresh_from_db()
    assert operator.risk_level == "D" and operator.risk_level_graded
