"""Issue 12 defect 8: after a 符合 on-site visit the hand-over still read "核查结论：存在不符
合项" (from the remote checks it replaced), the visit was missing from 办理记录, and each
recorded checklist item sent the inspector back to the top of the page."""

import pytest
from django.utils import timezone

from tests.licensing.conftest import inspecting
from zonegov.core.selectors.workflow import timeline_for
from zonegov.licensing import services

pytestmark = pytest.mark.django_db


def _visit(cast, lic, result: str, note: str):
    app = inspecting(cast)
    services.site_check_record(
        actor=lic.inspector, application=app, code="kitchen", result="fail", note="视频模糊"
    )
    visit = services.onsite_visit_order(
        actor=lic.inspector,
        application=app,
        reason="后厨视频模糊",
        inspectors=[lic.inspector, lic.inspector2],
    )
    services.onsite_visit_record(
        actor=lic.inspector2,
        visit=visit,
        visited_on=timezone.localdate(),
        result=result,
        note=note,
    )
    return services.inspection_finish(actor=lic.inspector, application=app)


def test_a_passed_visit_is_the_verdict_handed_over(cast, lic, login):
    app = _visit(cast, lic, "pass", "后厨布局合理，符合要求")
    handover = list(timeline_for(app))[-1].note
    assert "存在不符合项" not in handover
    assert "现场核查符合" in handover and "后厨布局合理" in handover
    page = login(cast.officer).get(app.get_absolute_url()).content.decode()
    timeline = page[page.index('data-testid="timeline"') :]
    assert "安排现场核查" in timeline and "后厨视频模糊" in timeline
    assert "记录现场核查结果" in timeline and "核查员乙" in timeline


def test_a_failed_visit_says_so(cast, lic):
    app = _visit(cast, lic, "fail", "无更衣室")
    handover = list(timeline_for(app))[-1].note
    assert "现场核查不符合" in handover and "无更衣室" in handover


def test_recording_an_item_returns_to_that_item(cast, lic, login):
    app = inspecting(cast)
    client = login(lic.inspector)
    page = client.get(app.get_absolute_url()).content.decode()
    assert 'id="shot-kitchen"' in page
    response = client.post(
        f"/licensing/applications/{app.pk}/act/check/",
        {"code": "kitchen", "result": "pass", "note": ""},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#shot-kitchen")
    response = client.post(
        f"/licensing/applications/{app.pk}/act/check/",
        {"code": "kitchen", "result": "fail", "note": ""},  # refused: still back at the item
    )
    assert response["Location"].endswith("#shot-kitchen")
