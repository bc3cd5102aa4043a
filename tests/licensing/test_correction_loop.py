"""一次性告知补正: one notice listing everything missing; the applicant corrects and
resubmits without retyping."""

import pytest

from tests.licensing.conftest import submitted_licence
from zonegov.core.errors import ApplicationError
from zonegov.licensing import services

pytestmark = pytest.mark.django_db


def test_a_correction_notice_needs_content(cast, lic):
    app = submitted_licence(cast)
    with pytest.raises(ApplicationError) as exc:
        services.application_request_correction(
            actor=cast.officer, application=app, items=[], note=""
        )
    assert "一次性告知" in exc.value.message


def test_the_applicant_corrects_and_resubmits_keeping_the_ticks(cast, lic):
    app = submitted_licence(cast)
    app = services.application_request_correction(
        actor=cast.officer,
        application=app,
        items=["经营场所门牌号不完整", "库房照片看不清"],
        note="请一并补正。",
    )
    assert app.state == "correction_requested"
    assert app.due_at is None  # the clock stops while the applicant corrects
    assert "1. 经营场所门牌号不完整" in app.correction_notice
    items_before = app.items
    app = services.application_update(
        actor=cast.applicant,
        application=app,
        data={"premises_address": "平顶山市高新区神马大道88号1楼"},
    )
    assert app.items == items_before
    with pytest.raises(ApplicationError):  # changed after signing
        services.application_resubmit(actor=cast.applicant, application=app)
    app = services.application_sign(actor=cast.applicant, application=app)
    app = services.application_resubmit(actor=cast.applicant, application=app)
    assert app.state == "resubmitted"
    assert app.due_at is not None
    app = services.application_accept(actor=cast.officer, application=app)
    assert app.state == "inspecting"


def test_the_applicant_may_withdraw_before_acceptance(cast, lic):
    app = submitted_licence(cast)
    app = services.application_withdraw(actor=cast.applicant, application=app)
    assert app.state == "withdrawn"
