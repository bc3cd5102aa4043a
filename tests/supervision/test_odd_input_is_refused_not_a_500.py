"""What a review of the supervision module found, each a test first: odd input is refused
with a message (never a 500, never stored), a leader who only reads adds no evidence, a
handled 核查处置 keeps its report, and a past year's plan shows who was never inspected."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.conftest import make_user
from tests.supervision.conftest import deliver, licensed_on, payload
from zonegov.core.models import Attachment
from zonegov.core.roles import LEADER
from zonegov.supervision import services
from zonegov.supervision.conf import CHECKLIST
from zonegov.supervision.models import (
    InspectionItem,
    PlanEntry,
    SamplingItem,
    SupervisedOperator,
)
from zonegov.supervision.selectors import plan_rows

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CONTROL = "不能包含控制字符"


def _pdf(name: str = "report.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def _sampling(sup, operator, result: str = "fail", **kwargs):
    return services.sampling_record(
        actor=sup.supervisor,
        operator=operator,
        sample_name="凉拌菜",
        batch_number="B1",
        sampled_on=timezone.localdate(),
        laboratory="平顶山市食品检验中心",
        items=[services.SampleItemInput(item_tested="大肠菌群", result=result)],
        **kwargs,
    )


def test_odd_plan_ids_and_nul_searches_answer_without_a_500(sup, operator, login):
    client = login(sup.supervisor)
    services.plan_generate(actor=sup.supervisor, unit=sup.scjg, year=timezone.localdate().year)
    assert client.get("/supervision/plan/", {"plan": "²"}).status_code == 404
    assert client.get("/supervision/plan/", {"plan": str(2**70)}).status_code == 404
    page = client.get("/supervision/", {"q": "某某\x00餐饮"})
    assert page.status_code == 200
    assert operator.holder_name in page.content.decode()


def test_checklist_notes_with_control_characters_are_refused(sup, operator, login):
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=timezone.localdate()
    )
    data = {
        "inspected_on": timezone.localdate().isoformat(),
        "inspectors": [sup.supervisor.pk, sup.partner.pk],
        "outcome": "compliant",
        "summary": "",
    }
    for code, _text in CHECKLIST:
        data[f"item_{code}"] = "compliant"
        data[f"note_{code}"] = ""
    first = CHECKLIST[0][0]
    data[f"note_{first}"] = "地面\x0b油污"
    response = login(sup.supervisor).post(f"/supervision/inspections/{inspection.pk}/record/", data)
    assert response.status_code == 200
    assert CONTROL in response.content.decode()
    assert InspectionItem.objects.get(inspection=inspection, code=first).note == ""
    inspection.refresh_from_db()
    assert inspection.state == "planned"


def test_sample_test_rows_with_control_characters_are_refused(sup, operator, login):
    data = {
        "sample_name": "凉拌菜",
        "batch_number": "B1",
        "sampled_on": timezone.localdate().isoformat(),
        "laboratory": "检验中心",
        "item1_name": "大肠\x0b菌群",
        "item1_standard": "GB 2726",
        "item1_measured": "超标",
        "item1_result": "fail",
    }
    response = login(sup.supervisor).post(
        f"/supervision/operators/{operator.pk}/samplings/new/", data
    )
    assert response.status_code == 200
    assert CONTROL in response.content.decode()
    assert not SamplingItem.objects.exists()


@pytest.mark.parametrize("version", [2**31, 2**63, 2**70, 1e20])
def test_a_licence_message_with_an_impossible_version_is_skipped(sup, version):
    deliver("granted", payload(version=version))  # asserts the drain reported no error
    assert not SupervisedOperator.objects.exists()


@pytest.mark.parametrize(
    "occurred_at",
    ["0001-01-01T00:00:00+08:00", "0001-01-01T00:00:00", "9999-12-31T23:59:59-08:00"],
)
def test_a_licence_message_from_an_impossible_time_is_skipped(sup, login, occurred_at):
    deliver("granted", payload(occurred_at=occurred_at))
    assert not SupervisedOperator.objects.exists()
    assert login(sup.supervisor).get("/supervision/").status_code == 200


def test_far_off_dates_of_a_licence_message_are_left_empty(sup):
    deliver("granted", payload(valid_from="0001-01-01", valid_until="9999-12-31"))
    operator = SupervisedOperator.objects.get()
    assert operator.valid_from is None and operator.valid_until is None


def test_inspection_and_sampling_dates_must_be_possible(sup, operator, login):
    client = login(sup.supervisor)
    base = f"/api/supervision/operators/{operator.pk}"
    for planned in ("0001-01-01", "9999-12-31"):
        response = client.post(
            f"{base}/inspections", {"planned_date": planned}, content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "planned_date"
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=timezone.localdate()
    )
    items = [{"code": code, "result": "compliant"} for code, _text in CHECKLIST]
    response = client.post(
        f"/api/supervision/inspections/{inspection.pk}/record",
        {
            "inspector_ids": [sup.supervisor.pk, sup.partner.pk],
            "items": items,
            "outcome": "compliant",
            "inspected_on": "2020-01-01",
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "field": "inspected_on",
            "message": f"检查日期不能早于经营者取得许可的日期（{licensed_on().isoformat()}）。",
        }
    ]
    response = client.post(
        f"{base}/samplings",
        {
            "sample_name": "凉拌菜",
            "batch_number": "B1",
            "sampled_on": "0001-01-01",
            "laboratory": "检验中心",
            "items": [{"item_tested": "大肠菌群", "result": "fail"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert not SamplingItem.objects.exists()


def test_a_leader_who_only_reads_adds_no_evidence(sup, operator, login):
    leader = make_user("sup_leader", sup.scjg, LEADER, full_name="分局长")
    sampling = _sampling(sup, operator, result="pass")
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=timezone.localdate()
    )
    client = login(leader)
    for owner, pk in (
        ("supervision.sampling", sampling.pk),
        ("supervision.inspection", inspection.pk),
    ):
        assert client.get(f"/api/attachments/{owner}/{pk}").status_code == 200  # reads
        response = client.post(f"/api/attachments/{owner}/{pk}", {"file": _pdf(), "label": "x"})
        assert response.status_code == 403
    assert not Attachment.objects.exists()
    response = login(sup.partner).post(
        f"/api/attachments/supervision.sampling/{sampling.pk}", {"file": _pdf(), "label": "报告"}
    )
    assert response.status_code == 201


def test_a_handled_followup_keeps_the_report_it_was_handled_on(sup, operator, login):
    sampling = _sampling(sup, operator, report_file=_pdf())
    followup = sampling.followup
    services.followup_act(actor=sup.supervisor, followup=followup, action="investigate")
    services.followup_act(actor=sup.supervisor, followup=followup, action="conclude", note="已处置")
    report = Attachment.objects.get(owner_id=str(sampling.pk))
    client = login(sup.supervisor)
    client.post(f"/attachments/{report.pk}/delete/")
    assert Attachment.objects.filter(pk=report.pk).exists()
    late = BytesIO(PDF)
    late.name = "late.pdf"
    response = client.post(
        f"/api/attachments/supervision.sampling/{sampling.pk}", {"file": late, "label": "补充"}
    )
    assert response.status_code == 409  # the record is closed
    assert Attachment.objects.filter(owner_id=str(sampling.pk)).count() == 1


def test_a_past_years_plan_shows_who_was_never_inspected(sup, operator):
    year = timezone.localdate().year - 1
    plan = services.plan_generate(actor=sup.supervisor, unit=sup.scjg, year=year)
    entry = PlanEntry.objects.get(plan=plan)
    assert entry.done_count < entry.planned_count
    assert str(entry.next_due) == f"{year}-12-31"
    assert [row.overdue for row in plan_rows(sup.supervisor, plan)] == [True]


def test_a_refused_verification_note_is_explained_and_kept(sup, operator, login):
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=timezone.localdate()
    )
    items = [services.ItemInput(code=c, result="noncompliant", note="问题") for c, _t in CHECKLIST]
    services.inspection_record(
        actor=sup.supervisor,
        inspection=inspection,
        inspectors=[sup.supervisor, sup.partner],
        items=items,
        outcome="noncompliant",
        rectification_deadline=timezone.localdate() + timezone.timedelta(days=10),
    )
    client = login(sup.supervisor)
    response = client.post(
        f"/supervision/inspections/{inspection.pk}/verify/", {"note": "已整改\x0b完毕"}, follow=True
    )
    page = response.content.decode()
    assert CONTROL in page and "已整改" in page
    inspection.refresh_from_db()
    assert inspection.state == "rectifying"
