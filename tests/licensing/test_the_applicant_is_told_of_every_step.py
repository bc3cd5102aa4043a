"""Issue 12: every decision and step reaches the applicant through notify() — portal inbox
and the SMS channel — with a link to the case: 受理, 补正 (everything missing and the date),
现场核查, 准予 with the certificate, 不予许可; nobody else is told, and a refused step tells
nobody. (The paper copy's notices: test_the_applicant_chooses_the_paper_copy_delivery.)"""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.licensing.conftest import inspecting, instant_filing, pass_all, submitted_licence
from zonegov.core import workdays
from zonegov.core.errors import ApplicationError
from zonegov.core.models import Notification, OutboxMessage
from zonegov.licensing import kinds, services

pytestmark = pytest.mark.django_db

SMS_CHANNELS = [
    "zonegov.core.services.notifications.PortalChannel",
    "zonegov.core.services.notifications.LogSmsChannel",
]


def told(user) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("pk"))


def only_new(user, before: int) -> Notification:
    new = told(user)[before:]
    assert len(new) == 1, [n.title for n in new]
    return new[0]


def test_acceptance_tells_the_applicant_once_with_the_case_link(cast, lic, login):
    app = submitted_licence(cast)
    assert told(cast.applicant) == []  # submitting is the applicant's own act
    app = services.application_accept(actor=cast.officer, application=app)
    notice = only_new(cast.applicant, 0)
    assert notice.title == f"申请已受理：{app.reference}"
    assert app.reference in notice.body and "核查" in notice.body
    assert notice.url == f"/licensing/applications/{app.pk}/"
    assert told(cast.other_applicant) == []
    client = login(cast.applicant)
    assert f"申请已受理：{app.reference}" in client.get("/notifications/").content.decode()
    opened = client.post(reverse("notification_read", args=[notice.pk]), {"open": "1"})
    assert opened.status_code == 302 and opened["Location"] == app.get_absolute_url()
    assert client.get(opened["Location"]).status_code == 200
    other = login(cast.other_applicant).get("/notifications/").content.decode()
    assert app.reference not in other


def test_the_correction_notice_lists_everything_missing_and_the_date(cast, lic):
    app = submitted_licence(cast)
    services.application_request_correction(
        actor=cast.officer,
        application=app,
        items=["经营场所门牌号不完整", "库房照片看不清", "缺少健康证明"],
        note="请一并补正。",
    )
    notice = only_new(cast.applicant, 0)
    assert notice.title == f"请补正申请材料：{app.reference}"
    for line in ("1. 经营场所门牌号不完整", "2. 库房照片看不清", "3. 缺少健康证明", "请一并补正。"):
        assert line in notice.body
    # Today plus CORRECTION_LIMIT working days (on the default clock, 2026-06-10, the
    # 端午 holiday on 19 June is skipped).
    today = timezone.localdate()
    due = workdays.add_working_days(today, kinds.CORRECTION_LIMIT)
    if today == date(2026, 6, 10):
        assert due > date(2026, 7, 7)
    assert f"请于 {due.isoformat()} 前" in notice.body
    assert notice.url == app.get_absolute_url()


def test_an_onsite_visit_appointment_is_told(cast, lic):
    app = inspecting(cast)
    before = len(told(cast.applicant))
    services.onsite_visit_order(
        actor=lic.inspector,
        application=app,
        reason="视频看不清后厨布局",
        inspectors=[lic.inspector, lic.inspector2],
    )
    notice = only_new(cast.applicant, before)
    assert notice.title == f"现场核查安排：{app.reference}"
    assert "视频看不清后厨布局" in notice.body and "核查员甲" in notice.body
    assert notice.url == app.get_absolute_url()


def test_approval_tells_the_certificate_number(cast, lic):
    app = pass_all(inspecting(cast), lic.inspector)
    before = len(told(cast.applicant))
    app = services.application_approve(actor=cast.officer, application=app, note="符合条件")
    app.refresh_from_db()
    notice = only_new(cast.applicant, before)
    assert notice.title == f"已准予许可：{app.reference}"
    assert app.licence.number in notice.body and "下载" in notice.body
    assert notice.url == app.get_absolute_url()
    assert told(cast.other_applicant) == []


def test_an_instant_approval_is_told_once(cast, lic):
    app = instant_filing(cast)
    app.refresh_from_db()
    assert app.state == "issued"
    notice = only_new(cast.applicant, 0)
    assert notice.title == f"已准予许可：{app.reference}"
    assert app.licence.number in notice.body


def test_a_refusal_tells_the_reason_and_the_rights(cast, lic):
    app = pass_all(inspecting(cast), lic.inspector)
    before = len(told(cast.applicant))
    services.application_reject(actor=cast.officer, application=app, reason="经营场所不符合要求")
    notice = only_new(cast.applicant, before)
    assert notice.title == f"不予许可决定：{app.reference}"
    assert "经营场所不符合要求" in notice.body and "行政复议" in notice.body


def test_a_refused_step_tells_nobody(cast, lic):
    app = pass_all(inspecting(cast), lic.inspector)
    before = len(told(cast.applicant))
    with pytest.raises(ApplicationError):
        services.application_reject(actor=cast.officer, application=app, reason="  ")
    assert len(told(cast.applicant)) == before


def test_the_sms_channel_carries_each_notice_when_configured(cast, lic, settings):
    settings.ZONEGOV_NOTIFICATION_CHANNELS = SMS_CHANNELS
    app = submitted_licence(cast)
    services.application_accept(actor=cast.officer, application=app)
    notice = only_new(cast.applicant, 0)
    assert notice.channels["sms"].startswith("queued")
    sms = OutboxMessage.objects.filter(topic="sms").get()
    assert sms.payload["mobile"] == cast.applicant.mobile
    assert app.reference in sms.payload["text"]
