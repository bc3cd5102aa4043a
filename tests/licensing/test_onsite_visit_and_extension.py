"""An on-site visit needs at least two inspectors; the decision limit can be extended once
by up to 5 working days with a recorded reason."""

from datetime import date

import pytest

from tests.licensing.conftest import inspecting
from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.licensing import services

pytestmark = pytest.mark.django_db


def test_a_visit_needs_two_inspectors(cast, lic):
    app = inspecting(cast)
    with pytest.raises(ApplicationError) as exc:
        services.onsite_visit_order(
            actor=lic.inspector, application=app, reason="视频不清晰", inspectors=[lic.inspector]
        )
    assert "不少于2名" in exc.value.message


def test_a_recorded_visit_replaces_the_remote_verdicts(cast, lic):
    app = inspecting(cast)
    visit = services.onsite_visit_order(
        actor=lic.inspector,
        application=app,
        reason="视频不清晰",
        inspectors=[lic.inspector, lic.inspector2],
    )
    with pytest.raises(ApplicationError):
        services.inspection_finish(actor=lic.inspector, application=app)
    services.onsite_visit_record(
        actor=lic.inspector2,
        visit=visit,
        visited_on=date.today(),
        result="pass",
        note="现场符合要求",
    )
    app = services.inspection_finish(actor=lic.inspector, application=app)
    assert app.state == "reviewing"


def test_only_participants_record_the_visit(cast, lic):
    app = inspecting(cast)
    visit = services.onsite_visit_order(
        actor=lic.inspector,
        application=app,
        reason="核实",
        inspectors=[lic.inspector, lic.inspector2],
    )
    with pytest.raises(PermissionRefused):
        services.onsite_visit_record(
            actor=cast.officer, visit=visit, visited_on=date.today(), result="pass", note="x"
        )


def test_the_decision_limit_extends_once(cast, lic):
    app = inspecting(cast)
    due = app.due_at
    with pytest.raises(ApplicationError):
        services.application_extend(actor=cast.officer, application=app, days=6, reason="复杂")
    app = services.application_extend(
        actor=cast.officer, application=app, days=5, reason="需专家论证"
    )
    assert app.due_at > due and app.extension_reason == "需专家论证"
    with pytest.raises(ApplicationError) as exc:
        services.application_extend(actor=cast.officer, application=app, days=1, reason="again")
    assert "延长过一次" in exc.value.message


def test_the_extension_form_counts_in_the_case_types_unit(cast, lic, login):
    app = inspecting(cast)
    assert (app.limit_unit, app.limit_rolls) == ("working_days", False)
    page = login(cast.officer).get(f"/licensing/applications/{app.pk}/").content.decode()
    assert 'name="days" min="1" max="5"' in page and "个工作日</span>" in page
