"""The officer's actions on a case come from the state machine: in each state each role is
offered exactly the transitions it may fire (plus the one extension of the limit), the
case page shows those buttons and no others, and a POST of an action not offered is
refused with the reason, leaving the case as it was."""

import pytest

from tests.licensing.conftest import inspecting, issued_licence, pass_all, submitted_licence
from zonegov.licensing import selectors, services
from zonegov.licensing.models import Application

pytestmark = pytest.mark.django_db

BUTTONS = {
    "accept": 'data-testid="accept"',
    "approve": 'data-testid="approve"',
    "reject": 'data-testid="reject"',
    "correction": 'data-testid="correction"',
    "inspect": 'data-testid="inspection"',
    "extend": "/act/extend/",
}


def _who(cast, lic):
    return {"officer": cast.officer, "leader": cast.leader, "inspector": lic.inspector}


def _assert_offers(cast, lic, login, app, expected):
    for role, user in _who(cast, lic).items():
        names = [a.name for a in selectors.officer_actions(app, user)]
        assert set(names) == expected[role], role
        page = login(user).get(app.get_absolute_url()).content.decode()
        shown = {name for name, marker in BUTTONS.items() if marker in page}
        assert shown == expected[role], role


def test_a_submitted_case_is_accepted_by_the_officer_only(cast, lic, login):
    app = submitted_licence(cast)
    _assert_offers(
        cast,
        lic,
        login,
        app,
        {
            "officer": {"accept", "reject", "correction"},
            "leader": {"reject", "correction"},
            "inspector": set(),
        },
    )


def test_a_case_under_inspection_is_checked_by_the_inspector(cast, lic, login):
    app = inspecting(cast)
    _assert_offers(
        cast,
        lic,
        login,
        app,
        {
            "officer": {"reject", "correction", "extend"},
            "leader": {"reject", "correction", "extend"},
            "inspector": {"inspect"},
        },
    )


def test_a_reviewed_case_is_decided_by_approvers(cast, lic, login):
    app = pass_all(inspecting(cast), lic.inspector)
    decide = {"approve", "reject", "correction", "extend"}
    _assert_offers(cast, lic, login, app, {"officer": decide, "leader": decide, "inspector": set()})


def test_the_extension_is_offered_only_once(cast, lic, login):
    app = pass_all(inspecting(cast), lic.inspector)
    services.application_extend(actor=cast.officer, application=app, days=5, reason="需专家论证")
    app.refresh_from_db()
    names = {a.name for a in selectors.officer_actions(app, cast.officer)}
    assert names == {"approve", "reject", "correction"}


def test_cases_waiting_for_the_applicant_or_closed_offer_nothing(cast, lic, login):
    app = services.application_request_correction(
        actor=cast.officer, application=submitted_licence(cast), items=["补充营业执照"], note=""
    )
    nothing = {"officer": set(), "leader": set(), "inspector": set()}
    _assert_offers(cast, lic, login, app, nothing)
    licence = issued_licence(cast, lic)
    issued = Application.objects.get(licence=licence, app_type="new")
    _assert_offers(cast, lic, login, issued, nothing)


@pytest.mark.parametrize(
    ("role", "action", "refusal"),
    [
        ("officer", "approve", "申请当前为“待受理”，您不能办理“准予许可”。"),
        ("leader", "accept", "申请当前为“待受理”，您不能办理“受理”。"),
        ("officer", "extend", "申请当前为“待受理”，您不能办理“延长时限”。"),
    ],
)
def test_an_action_not_offered_is_refused_with_the_reason(cast, lic, login, role, action, refusal):
    app = submitted_licence(cast)
    client = login(_who(cast, lic)[role])
    response = client.post(
        f"/licensing/applications/{app.pk}/act/{action}/", {"note": "同意"}, follow=True
    )
    assert response.status_code == 200
    assert refusal in response.content.decode()
    app.refresh_from_db()
    assert app.state == "submitted"


def test_an_inspector_cannot_record_checks_once_the_case_is_in_review(cast, lic, login):
    app = pass_all(inspecting(cast), lic.inspector)
    client = login(lic.inspector)
    for step in ("check", "finish", "visit"):
        response = client.post(
            f"/licensing/applications/{app.pk}/act/{step}/",
            {"code": "kitchen", "result": "fail", "note": "不清晰"},
            follow=True,
        )
        assert "申请当前为“审查中”，您不能办理“核查”。" in response.content.decode()
    app.refresh_from_db()
    assert app.state == "reviewing"
    assert not app.site_checks.filter(result="fail").exists()


def test_an_unknown_action_is_not_found(cast, lic, login):
    app = submitted_licence(cast)
    response = login(cast.officer).post(f"/licensing/applications/{app.pk}/act/explode/")
    assert response.status_code == 404
