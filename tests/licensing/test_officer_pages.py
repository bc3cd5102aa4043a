"""The officers' workbench: queue per role sorted by deadline with overdue highlighted;
accept, remote verification, approve, reject, correction through the pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.licensing.conftest import inspecting, pass_all, submitted_licence
from zonegov.licensing.models import Application

pytestmark = pytest.mark.django_db


def test_the_queue_puts_overdue_cases_first(cast, lic, login):
    late = submitted_licence(cast)
    Application.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=20))
    page = login(cast.officer).get("/licensing/workbench/?queue=accept").content.decode()
    assert "table-danger" in page and "超期" in page
    assert late.reference in page


def test_accept_then_inspect_then_approve_through_pages(cast, lic, login):
    app = submitted_licence(cast)
    client = login(cast.officer)
    response = client.post(
        f"/licensing/applications/{app.pk}/act/accept/", {"note": "", "confirmed": "1"}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == "inspecting"
    inspector = login(lic.inspector)
    page = inspector.get("/licensing/workbench/").content.decode()
    assert app.reference in page
    page = inspector.get(app.get_absolute_url()).content.decode()
    assert "<video" in page and "审查要点" in page and "签名有效" in page
    for shot in (
        "storefront",
        "kitchen",
        "changing_room",
        "storage",
        "pest_control",
        "disinfection",
        "walkthrough",
    ):
        inspector.post(
            f"/licensing/applications/{app.pk}/act/check/",
            {"code": shot, "result": "pass", "note": ""},
        )
    inspector.post(f"/licensing/applications/{app.pk}/act/finish/", {"note": "视频清晰"})
    app.refresh_from_db()
    assert app.state == "reviewing"
    client = login(cast.officer)
    client.post(
        f"/licensing/applications/{app.pk}/act/approve/", {"note": "同意", "confirmed": "1"}
    )
    app.refresh_from_db()
    assert app.state == "issued" and app.licence.number.startswith("JY")


def test_a_rejection_without_reason_keeps_the_page_and_says_why(cast, lic, login):
    app = pass_all(inspecting(cast), lic.inspector)
    client = login(cast.officer)
    response = client.post(
        f"/licensing/applications/{app.pk}/act/reject/", {"note": ""}, follow=True
    )
    assert "必须写明理由" in response.content.decode()
    response = client.post(
        f"/licensing/applications/{app.pk}/act/reject/",
        {"note": "无更衣室", "confirmed": "1"},
        follow=True,
    )
    app.refresh_from_db()
    assert app.state == "rejected"
    applicant_page = login(cast.applicant).get(app.get_absolute_url()).content.decode()
    assert "无更衣室" in applicant_page and "行政复议" in applicant_page


def test_a_correction_notice_reaches_the_applicant(cast, lic, login):
    app = submitted_licence(cast)
    login(cast.officer).post(
        f"/licensing/applications/{app.pk}/act/correction/",
        {"items": "门牌号不完整\n库房照片模糊", "note": ""},
    )
    page = login(cast.applicant).get(app.get_absolute_url()).content.decode()
    assert "一次性告知" in page and "库房照片模糊" in page
    assert 'data-testid="ticks-form"' in page  # can correct without retyping


def test_the_workbench_is_for_licensing_roles_only(cast, lic, login):
    assert login(cast.park_officer).get("/licensing/workbench/").status_code == 403
    assert login(cast.applicant).get("/licensing/workbench/").status_code == 403
