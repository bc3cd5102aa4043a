"""Issue 12: 受理, 补正, 不予许可 and a recorded on-site visit each issue one signed,
numbered formal document about the case, with the case's facts in its text; it verifies at
/verify with its kind and status; numbers run gap-free per kind (a step that fails gives
its number back, and the step itself rolls back); the applicant downloads it from the
case page, another applicant gets 404. The instant approval issues none.

Date-dependent: numbers carry the year of the suite's clock (2026)."""

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.core.documents_fixtures import PDFTOTEXT, needs, stored_bytes
from tests.licensing.conftest import inspecting, instant_filing, submitted_licence
from zonegov.core.models import IssuedDocument
from zonegov.core.selectors.documents import documents_about
from zonegov.core.services.documents import document_verify
from zonegov.licensing import services
from zonegov.licensing.models import Application

pytestmark = pytest.mark.django_db


def text_of(doc: IssuedDocument) -> str:
    """The PDF's text without white space (CJK lines break anywhere)."""
    needs(PDFTOTEXT)
    out = subprocess.run(
        [PDFTOTEXT, "-", "-"], input=stored_bytes(doc), capture_output=True, check=True
    )
    return "".join(out.stdout.decode().split())


def documents(app) -> list[IssuedDocument]:
    return documents_about(app, kinds=services.LICENSING_INSTRUMENTS)


def test_acceptance_issues_one_acceptance_notice_with_the_dates(cast, lic):
    app = inspecting(cast)
    [doc] = documents(app)
    assert (doc.kind, doc.title) == ("acceptance_notice", "受理通知书")
    today = timezone.localdate()
    assert doc.number == f"SL-{today.year}-000001"
    text = text_of(doc)
    assert app.reference in text and "平顶山市测试餐饮管理有限公司" in text
    assert "予以受理" in text and f"受理日期{today.year}年{today.month}月{today.day}日" in text
    due = app.due_at.astimezone().date()
    assert f"{due.year}年{due.month}月{due.day}日前" in text  # 承诺期限
    assert f"受理〔{today.year}〕第1号" in text


def test_correction_lists_everything_missing_once(cast, lic):
    app = submitted_licence(cast)
    services.application_request_correction(
        actor=cast.officer,
        application=app,
        items=["营业执照照片不清晰", "缺少从业人员健康证明"],
        note="请一并上传后厨全景视频",
    )
    [doc] = documents(app)
    assert doc.kind == "correction_notice" and doc.number == "BZ-2026-000001"
    text = text_of(doc)
    assert "一次性告知" in text
    for part in ("1.营业执照照片不清晰", "2.缺少从业人员健康证明", "请一并上传后厨全景视频"):
        assert part in text
    assert app.reference in text and "个工作日内决定是否受理" in text


def test_refusal_states_the_reasons_and_the_remedies(cast, lic):
    app = inspecting(cast)
    services.application_reject(
        actor=cast.officer, application=app, reason="经营场所与住宅相连，无有效隔离"
    )
    docs = documents(app)
    assert [d.kind for d in docs] == ["acceptance_notice", "refusal_decision"]
    text = text_of(docs[1])
    assert "经营场所与住宅相连，无有效隔离" in text and "决定不予许可" in text
    assert "六十日内" in text and "行政复议" in text
    assert "六个月内" in text and "行政诉讼" in text


def test_a_recorded_onsite_visit_issues_its_record(cast, lic):
    app = inspecting(cast)
    visit = services.onsite_visit_order(
        actor=lic.inspector,
        application=app,
        reason="视频看不清后厨",
        inspectors=[lic.inspector, lic.inspector2],
    )
    assert len(documents(app)) == 1  # ordering a visit issues nothing
    visited = timezone.localdate() - timedelta(days=1)
    services.onsite_visit_record(
        actor=lic.inspector2,
        visit=visit,
        visited_on=visited,
        result="pass",
        note="后厨布局合理，设施齐全",
    )
    doc = documents(app)[-1]
    assert doc.kind == "onsite_record" and doc.number == f"HC-{timezone.localdate().year}-000001"
    text = text_of(doc)
    day = f"{visited.year}年{visited.month}月{visited.day}日"
    for part in ("视频看不清后厨", day, "核查员甲、核查员乙", "后厨布局合理，设施齐全"):
        assert part in text
    assert "符合" in text


def test_the_document_verifies_with_its_kind_and_status(cast, lic, client):
    app = inspecting(cast)
    [doc] = documents(app)
    result = document_verify(stored_bytes(doc))
    assert result.genuine and result.valid_now and result.document == doc
    page = client.get(f"/verify/{doc.number}/").content.decode()
    assert "受理通知书" in page and 'data-testid="document-kind">受理通知书<' in page
    today = timezone.localdate()
    assert f"有效（{today.year}年{today.month}月{today.day}日 签发）" in page
    assert f"受理〔{today.year}〕第1号" in page  # the 文号 among the public fields


def test_numbers_are_gap_free_per_kind_and_a_failed_step_rolls_back(cast, lic, monkeypatch):
    first = submitted_licence(cast)
    second = submitted_licence(cast)
    third = submitted_licence(cast)
    services.application_accept(actor=cast.officer, application=first)

    def broken(*args, **kwargs):
        raise RuntimeError("signing device unavailable")

    monkeypatch.setattr("zonegov.core.services.documents.issuing.sign_pdf", broken)
    with pytest.raises(RuntimeError):
        services.application_accept(actor=cast.officer, application=second)
    second.refresh_from_db()
    assert second.state == "submitted" and documents(second) == []
    monkeypatch.undo()
    services.application_accept(actor=cast.officer, application=second)
    services.application_request_correction(
        actor=cast.officer, application=third, items=["缺照片"], note=""
    )
    numbers = sorted(
        IssuedDocument.objects.filter(kind__in=services.LICENSING_INSTRUMENTS).values_list(
            "number", flat=True
        )
    )
    assert numbers == ["BZ-2026-000001", "SL-2026-000001", "SL-2026-000002"]
    assert Application.objects.get(pk=second.pk).state == "inspecting"


def test_the_applicant_downloads_from_the_case_page_and_others_get_404(cast, lic, login):
    app = inspecting(cast)
    [doc] = documents(app)
    url = f"/api/documents/{doc.number}/pdf"
    applicant = login(cast.applicant)
    page = applicant.get(app.get_absolute_url()).content.decode()
    assert 'data-testid="documents"' in page and url in page and "受理通知书" in page
    response = applicant.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == stored_bytes(doc)
    assert ".pdf" in response["Content-Disposition"]
    assert login(cast.officer).get(url).status_code == 200  # staff in scope
    for user in (cast.other_applicant, lic.stranger_officer, cast.park_officer):
        assert login(user).get(url).status_code == 404, user.username


def test_the_instant_approval_issues_no_formal_document(cast, lic):
    app = instant_filing(cast)
    assert app.state == "issued" and documents(app) == []


def test_the_api_lists_the_cases_documents(cast, lic, login):
    app = inspecting(cast)
    [doc] = documents(app)
    data = login(cast.applicant).get(f"/api/licensing/applications/{app.pk}").json()
    assert [(d["number"], d["kind"], d["title"]) for d in data["documents"]] == [
        (doc.number, "acceptance_notice", "受理通知书")
    ]
    assert data["documents"][0]["pdf_url"] == f"/api/documents/{doc.number}/pdf"
    assert data["documents"][0]["status_label"] == "有效"


def test_an_officer_reading_english_pages_still_issues_a_chinese_decision(cast, lic):
    from django.utils import translation

    app = inspecting(cast)
    with translation.override("en"):
        services.application_reject(
            actor=cast.officer, application=app, reason="经营场所与住宅相连，无有效隔离"
        )
    text = text_of(documents(app)[1])
    assert "你（单位）如对本决定不服" in text and "决定不予许可" in text
    assert "You" not in text and "refusal" not in text.lower()
