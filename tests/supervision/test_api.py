"""Everything through the API: operators, timeline, inspections, samplings, plans."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zonegov.supervision.conf import CHECKLIST

pytestmark = pytest.mark.django_db


def _post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_it_walks_an_operator_through_the_api(sup, operator, login):
    client = login(sup.supervisor)
    ops = client.get("/api/supervision/operators").json()
    assert [o["licence_number"] for o in ops] == ["JY24104010000127"]
    assert client.get("/api/supervision/inbox").json()[0]["id"] == operator.pk
    assert client.get(f"/api/supervision/operators/{operator.pk}").json()["unit_code"] == "scjg"

    r = _post(client, f"/api/supervision/operators/{operator.pk}/risk-level", {"risk_level": "C"})
    assert r.status_code == 200 and r.json()["risk_level"] == "C"

    today = timezone.localdate()
    r = _post(
        client,
        f"/api/supervision/operators/{operator.pk}/inspections",
        {"planned_date": today.isoformat()},
    )
    assert r.status_code == 201, r.json()
    inspection = r.json()
    assert len(inspection["items"]) == len(CHECKLIST)
    items = [{"code": c, "result": "compliant"} for c, _ in CHECKLIST]
    items[0] = {"code": "1", "result": "noncompliant", "note": "许可证未悬挂"}
    deadline = (today + timedelta(days=10)).isoformat()
    r = _post(
        client,
        f"/api/supervision/inspections/{inspection['id']}/record",
        {
            "inspector_ids": [sup.supervisor.pk],
            "items": items,
            "outcome": "basically",
            "rectification_deadline": deadline,
        },
    )
    assert r.status_code == 400
    assert any(e["field"] == "inspectors" for e in r.json()["errors"])
    r = _post(
        client,
        f"/api/supervision/inspections/{inspection['id']}/record",
        {
            "inspector_ids": [sup.supervisor.pk, sup.inspector.pk],
            "items": items,
            "outcome": "basically",
            "rectification_deadline": deadline,
        },
    )
    assert r.status_code == 200, r.json()
    assert r.json()["state"] == "rectifying"
    r = _post(client, f"/api/supervision/inspections/{inspection['id']}/verify", {"note": "已悬挂"})
    assert r.json()["state"] == "verified"

    r = _post(
        client,
        f"/api/supervision/operators/{operator.pk}/samplings",
        {
            "sample_name": "凉拌菜",
            "batch_number": "B1",
            "sampled_on": today.isoformat(),
            "laboratory": "检验中心",
            "items": [{"item_tested": "大肠菌群", "result": "fail", "measured": "超标"}],
        },
    )
    assert r.status_code == 201, r.json()
    sampling = r.json()
    assert sampling["result"] == "fail" and sampling["followup_id"]
    followup = client.get(f"/api/supervision/followups/{sampling['followup_id']}").json()
    assert followup["state"] == "open" and followup["due_at"]
    r = _post(
        client,
        f"/api/supervision/followups/{followup['id']}/act",
        {"action": "conclude", "note": "x"},
    )
    assert r.status_code == 400

    r = _post(client, "/api/supervision/plans", {"year": today.year})
    assert r.status_code == 201, r.json()
    plan = r.json()
    assert plan["entries"][0]["planned_count"] == 3  # C level
    assert client.get("/api/supervision/plans").json()[0]["id"] == plan["id"]

    kinds = [
        row["kind"]
        for row in client.get(f"/api/supervision/operators/{operator.pk}/timeline").json()
    ]
    assert kinds == ["licence", "inspection", "sampling", "followup"]


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/supervision/operators/{op}/inspections", {"planned_date": "not a date"}),
        ("/api/supervision/operators/{op}/inspections", {}),
        ("/api/supervision/operators/{op}/risk-level", {"risk_level": "Z"}),
        ("/api/supervision/operators/{op}/samplings", {"sample_name": "x"}),
        (
            "/api/supervision/operators/{op}/samplings",
            {
                "sample_name": "x",
                "batch_number": "b",
                "sampled_on": "2026-01-01",
                "laboratory": "l",
                "items": [{"item_tested": "t", "result": "maybe"}],
            },
        ),
        ("/api/supervision/plans", {"year": "soon"}),
        ("/api/supervision/plans", {"year": 2026, "unit_code": "nowhere"}),
    ],
)
def test_it_answers_bad_input_with_a_400_and_the_field(sup, operator, login, url, body):
    r = _post(login(sup.supervisor), url.format(op=operator.pk), body)
    assert r.status_code == 400, r.content
    assert r.json()["message"]


def test_the_report_file_and_photos_go_through_the_attachments_api(sup, operator, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from zonegov.supervision import services

    sampling = services.sampling_record(
        actor=sup.supervisor,
        operator=operator,
        sample_name="凉拌菜",
        batch_number="B1",
        sampled_on=timezone.localdate(),
        laboratory="检验中心",
        items=[services.SampleItemInput(item_tested="铅", result="pass")],
    )
    pdf = SimpleUploadedFile("r.pdf", b"%PDF-1.4\n%%EOF\n")
    r = login(sup.supervisor).post(
        f"/api/attachments/supervision.sampling/{sampling.pk}", {"file": pdf, "label": "报告"}
    )
    assert r.status_code == 201, r.content
    other = login(sup.other_supervisor)
    assert other.get(f"/api/attachments/supervision.sampling/{sampling.pk}").status_code == 404
