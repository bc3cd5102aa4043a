"""Issue 12 defect 12: the operator was never told an inspection's result or a 整改 order
(now ``notify()`` to the holder's account named by the licence message); a revoked
operator reads 已吊销 on the plan and the operator list can be filtered by it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import make_user
from tests.supervision.conftest import deliver, payload
from zonegov.core.models import Notification
from zonegov.supervision import services
from zonegov.supervision.conf import CHECKLIST
from zonegov.supervision.models import ItemResult, Outcome, SupervisedOperator

pytestmark = pytest.mark.django_db


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
    operator = SupervisedOperator.objects.get(licence_number="JY24104010000127")
    assert operator.account == user
    return user, operator


def test_a_rectification_order_reaches_the_operator(sup, holder, client):
    user, operator = holder
    client.force_login(user)
    today = timezone.localdate()
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=today
    )
    deadline = today + timedelta(days=15)
    inspection = services.inspection_record(
        actor=sup.supervisor,
        inspection=inspection,
        inspectors=[sup.supervisor, sup.inspector],
        items=_items(failing="7", note="消毒记录缺失"),
        outcome=Outcome.NONCOMPLIANT,
        rectification_deadline=deadline,
    )
    (notice,) = Notification.objects.filter(recipient=user)
    assert notice.title.startswith("责令限期整改通知")
    assert "不符合" in notice.body and "消毒记录缺失" in notice.body
    assert deadline.isoformat() in notice.body
    # The notice opens the signed 责令整改通知书, which its operator may download.
    assert notice.url.startswith("/api/documents/ZG-") and notice.url.endswith("/pdf")
    pdf = client.get(notice.url)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    services.inspection_verify(actor=sup.partner, inspection=inspection, note="已补齐消毒记录")
    latest = Notification.objects.filter(recipient=user).order_by("-id").first()
    assert latest.title.startswith("整改复查通过") and "已补齐消毒记录" in latest.body


def test_a_compliant_result_reaches_the_operator(sup, holder):
    user, operator = holder
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=timezone.localdate()
    )
    services.inspection_record(
        actor=sup.supervisor,
        inspection=inspection,
        inspectors=[sup.supervisor, sup.partner],
        items=_items(),
        outcome=Outcome.COMPLIANT,
    )
    (notice,) = Notification.objects.filter(recipient=user)
    assert "监督检查结果：符合" in notice.title


def test_an_unknown_account_is_no_one_and_nothing_breaks(sup):
    deliver("granted", payload(holder_account_id=987654))
    operator = SupervisedOperator.objects.get()
    assert operator.account is None
    inspection = services.inspection_create(
        actor=sup.supervisor, operator=operator, planned_date=timezone.localdate()
    )
    services.inspection_record(
        actor=sup.supervisor,
        inspection=inspection,
        inspectors=[sup.supervisor, sup.partner],
        items=_items(),
        outcome=Outcome.COMPLIANT,
    )
    assert not Notification.objects.filter(title__startswith="监督检查结果").exists()


def test_a_revoked_operator_reads_revoked_on_the_plan_and_in_the_filter(sup, holder, login):
    _user, operator = holder
    client = login(sup.supervisor)
    r = client.post("/supervision/plan/", {"year": timezone.localdate().year, "unit": sup.scjg.pk})
    deliver("revoked", payload("revoked", decision_number="平高市监罚〔2026〕1号", reason="x"))
    page = client.get(r["Location"]).content.decode()
    row = page[page.index('data-testid="plan"') :]
    assert "已吊销" in row and "已注销" not in row
    listing = client.get("/supervision/?status=revoked").content.decode()
    assert '<option value="revoked" selected>已吊销</option>' in listing
    assert operator.holder_name in listing.split("监管对象")[1]
