"""不予许可: a reason is required and the applicant is told of the right to administrative
review or litigation."""

import pytest

from tests.licensing.conftest import inspecting
from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.licensing import services

pytestmark = pytest.mark.django_db


def test_it_refuses_a_rejection_without_reason(cast, lic):
    app = inspecting(cast)
    with pytest.raises(ApplicationError) as exc:
        services.application_reject(actor=cast.officer, application=app, reason="  ")
    assert "必须写明理由" in exc.value.message


def test_the_decision_includes_the_review_notice(cast, lic):
    app = inspecting(cast)
    app = services.application_reject(actor=cast.officer, application=app, reason="无独立更衣场所")
    assert app.state == "rejected"
    assert "无独立更衣场所" in app.decision_note
    assert "行政复议" in app.decision_note and "行政诉讼" in app.decision_note


def test_an_officer_of_another_unit_cannot_decide(cast, lic):
    app = inspecting(cast)
    with pytest.raises(PermissionRefused):
        services.application_reject(actor=lic.stranger_officer, application=app, reason="x")
