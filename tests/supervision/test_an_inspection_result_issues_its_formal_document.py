"""Issue 12: recording an inspection issues one signed, numbered document about it — a
监督检查结果告知书 when the result closes the case, a 责令整改通知书 (with the problems, the
deadline and the remedies) when it orders rectification. It verifies at /verify with its
kind; supervision staff in scope and the operator's own account download it, others 404.

Date-dependent: numbers carry the year of the suite's clock (2026)."""

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import make_user
from tests.core.documents_fixtures import PDFTOTEXT, needs, stored_bytes
from tests.supervision.conftest import deliver, payload
from zonegov.core.selectors.documents import documents_about
from zonegov.core.services.documents import document_verify
from zonegov.supervision import services
from zonegov.supervision.conf import CHECKLIST
from zonegov.supervision.instruments import SUPERVISION_INSTRUMENTS
from zonegov.supervision.models import ItemResult, Outcome, SupervisedOperator

pytestmark = pytest.mark.django_db


def text_of(doc) -> str:
    needs(PDFTOTEXT)
    out = subprocess.run(
        [PDFTOTEXT, "-", "-"], input=stored_bytes(doc), capture_output=True, check=True
    )
    return "".join(out.stdout.decode().split())


def _items(failing: str = "", note: str = "") -> list[services.ItemInput]:
    return [
        services.ItemInput(
            code=c,
            result=ItemResult.NONCOMPLIANT if c == failing else ItemResult.COMPLIANT,
            note=note if c == failing else "",
        )
        for c, _ in CHECKLIST
    ]


@pytest.fixture
def holder(sup):
    user = make_user("13800009999", None, full_name="经营者本人")
    deliver("granted", payload(holder_account_id=user.pk))
    return user, SupervisedOperator.objects.get(licence_number="JY24104010000127")


def _record(sup, operator, **kwargs):
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=timezone.localdate()
    )
    return services.inspection_record(
        actor=sup.supervisor,
        inspection=inspection,
        inspectors=[sup.supervisor, sup.partner],
        **kwargs,
    )


def test_a_compliant_result_issues_a_result_notice(sup, holder, client):
    _user, operator = holder
    inspection = _record(sup, operator, items=_items(), outcome=Outcome.COMPLIANT)
    [doc] = documents_about(inspection, kinds=SUPERVISION_INSTRUMENTS)
    assert (doc.kind, doc.title, doc.number) == (
        "inspection_result",
        "监督检查结果告知书",
        "JG-2026-000001",
    )
    text = text_of(doc)
    assert "平顶山某某餐饮有限公司" in text and "JY24104010000127" in text
    assert "检查结果为：符合" in text and "监管员甲、监管员乙" in text
    assert document_verify(stored_bytes(doc)).genuine
    page = client.get(f"/verify/{doc.number}/").content.decode()
    assert 'data-testid="document-kind">监督检查结果告知书<' in page
    assert "市场监督管理局高新区分局" in page


def test_a_rectification_order_issues_a_rectification_notice(sup, holder, login):
    user, operator = holder
    deadline = timezone.localdate() + timedelta(days=15)
    inspection = _record(
        sup,
        operator,
        items=_items(failing="7", note="消毒记录缺失"),
        outcome=Outcome.NONCOMPLIANT,
        rectification_deadline=deadline,
    )
    [doc] = documents_about(inspection, kinds=SUPERVISION_INSTRUMENTS)
    assert doc.kind == "rectification_notice" and doc.number == "ZG-2026-000001"
    text = text_of(doc)
    assert "消毒记录缺失" in text and "责令" in text
    assert f"{deadline.year}年{deadline.month}月{deadline.day}日前改正" in text
    assert "六十日内" in text and "六个月内" in text
    services.inspection_verify(actor=sup.partner, inspection=inspection, note="已整改")
    assert len(documents_about(inspection, kinds=SUPERVISION_INSTRUMENTS)) == 1

    url = f"/api/documents/{doc.number}/pdf"
    page = login(sup.supervisor).get(inspection.get_absolute_url()).content.decode()
    assert 'data-testid="documents"' in page and url in page and "责令整改通知书" in page
    for reader in (sup.supervisor, sup.inspector, user):
        response = login(reader).get(url)
        assert response.status_code == 200, reader.username
        assert response["Content-Type"] == "application/pdf"
    stranger = make_user("13800008888", None, full_name="别的经营者")
    for other in (sup.other_supervisor, stranger):
        assert login(other).get(url).status_code == 404, other.username


def test_the_api_lists_the_inspections_document(sup, holder, login):
    _user, operator = holder
    inspection = _record(sup, operator, items=_items(), outcome=Outcome.COMPLIANT)
    data = login(sup.supervisor).get(f"/api/supervision/inspections/{inspection.pk}").json()
    [doc] = data["documents"]
    assert doc["kind"] == "inspection_result" and doc["number"] == "JG-2026-000001"
    assert doc["pdf_url"] == "/api/documents/JG-2026-000001/pdf"
