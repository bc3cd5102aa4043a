"""吊销: an approver of the issuing unit revokes a licence with a reason and the penalty
decision's number; the certificate shows 已吊销 on the public verification page, the
decision is announced and pushed to supervision, and nothing more can be done with the
licence — every refusal names the licence's actual status."""

from datetime import timedelta

import pytest

from tests.conftest import make_user
from tests.licensing.conftest import filing_of, issued_licence, today
from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.models import AuditRecord, Notification, OutboxMessage
from zonegov.core.services.outbox import outbox_drain
from zonegov.licensing import services
from zonegov.licensing.models import Licence, PublicNotice
from zonegov.licensing.roles import SUPERVISOR

pytestmark = pytest.mark.django_db

DECISION = "平高市监罚〔2026〕12号"


def _revoke(cast, licence, **kwargs):
    return services.licence_revoke(
        actor=kwargs.pop("actor", cast.officer),
        licence=licence,
        reason=kwargs.pop("reason", "使用非食品原料生产食品，情节严重"),
        decision_number=kwargs.pop("decision_number", DECISION),
    )


def test_revoking_marks_the_licence_and_its_certificate(cast, lic, client):
    licence = issued_licence(cast, lic)
    _revoke(cast, licence)
    licence.refresh_from_db()
    doc = licence.current_document
    assert licence.status == "revoked" and doc.status == "revoked"
    assert DECISION in doc.status_reason
    page = client.get(f"/verify/{doc.number}/").content.decode()
    assert "已吊销" in page
    notice = PublicNotice.objects.get(licence=licence, event="revoked")
    assert DECISION in notice.note
    message = OutboxMessage.objects.get(topic="licence.revoked")
    assert message.payload["licence_number"] == licence.number
    assert message.payload["decision_number"] == DECISION
    assert message.payload["certificate_number"] == doc.number
    assert AuditRecord.objects.filter(action="licensing.licence.revoke").count() == 1
    assert Notification.objects.filter(recipient=cast.applicant, title__contains="吊销").exists()


def test_supervision_stops_routine_supervision_of_a_revoked_operator(cast, lic):
    licence = issued_licence(cast, lic)
    outbox_drain()
    _revoke(cast, licence)
    outbox_drain()
    from zonegov.supervision.models import SupervisedOperator

    operator = SupervisedOperator.objects.get(licence_number=licence.number)
    assert operator.status == "revoked" and operator.get_status_display() == "已吊销"
    assert operator.events.filter(event="revoked").exists()
    assert not operator.plan_entries.filter(stopped=False).exists()


def test_a_reason_and_a_decision_number_are_required(cast, lic):
    licence = issued_licence(cast, lic)
    with pytest.raises(ApplicationError) as exc:
        _revoke(cast, licence, reason=" ", decision_number="")
    assert set(exc.value.field_errors) == {"reason", "decision_number"}
    licence.refresh_from_db()
    assert licence.status == "valid"


def test_only_approvers_of_the_issuing_unit_may_revoke(cast, lic, login):
    licence = issued_licence(cast, lic)
    for actor in (cast.applicant, lic.inspector, lic.stranger_officer):
        with pytest.raises(PermissionRefused):
            _revoke(cast, licence, actor=actor)
    url = f"/licensing/licences/{licence.pk}/revoke/"
    data = {"reason": "x", "decision_number": DECISION}
    assert login(cast.applicant).post(url, data).status_code == 403
    assert login(lic.stranger_officer).post(url, data).status_code == 404
    supervisor = make_user("sup", cast.dept, SUPERVISOR)
    assert login(supervisor).post(url, data).status_code == 403
    api = f"/api/licensing/licences/{licence.pk}/revoke"
    assert (
        login(lic.stranger_officer).post(api, data, content_type="application/json").status_code
        == 404
    )
    assert login(cast.applicant).post(api, data, content_type="application/json").status_code == 403
    licence.refresh_from_db()
    assert licence.status == "valid"


def test_the_page_keeps_what_was_typed_when_refused(cast, lic, login):
    licence = issued_licence(cast, lic)
    client = login(cast.officer)
    page = client.get(f"/licensing/licences/{licence.pk}/").content.decode()
    assert 'data-testid="revoke"' in page
    response = client.post(
        f"/licensing/licences/{licence.pk}/revoke/",
        {"reason": "", "decision_number": DECISION},
        follow=True,
    )
    page = response.content.decode()
    assert "请填写吊销理由" in page and DECISION in page
    response = client.post(
        f"/licensing/licences/{licence.pk}/revoke/",
        {"reason": "情节严重", "decision_number": DECISION, "confirmed": "1"},
        follow=True,
    )
    page = response.content.decode()
    assert "证照已吊销" in page
    assert 'data-testid="licence-status">已吊销' in page
    assert 'data-testid="revoke"' not in page


def test_the_api_revokes(cast, lic, login):
    licence = issued_licence(cast, lic)
    client = login(cast.officer)
    url = f"/api/licensing/licences/{licence.pk}/revoke"
    bad = client.post(url, {"reason": "x"}, content_type="application/json")
    assert bad.status_code == 400
    assert [e["field"] for e in bad.json()["errors"]] == ["decision_number"]
    body = client.post(
        url, {"reason": "情节严重", "decision_number": DECISION}, content_type="application/json"
    ).json()
    assert body["status"] == "revoked" and body["versions"][0]["document_status"] == "revoked"
    again = client.post(
        url, {"reason": "情节严重", "decision_number": DECISION}, content_type="application/json"
    )
    assert again.status_code == 400 and "已吊销" in again.json()["message"]


@pytest.mark.parametrize("app_type", ["change", "replace", "cancel"])
def test_a_revoked_licence_cannot_be_changed_replaced_or_cancelled(cast, lic, app_type):
    licence = issued_licence(cast, lic)
    _revoke(cast, licence)
    with pytest.raises(ApplicationError) as exc:
        services.application_start(
            actor=cast.applicant, kind="licence", app_type=app_type, licence=licence
        )
    assert "已吊销" in exc.value.message and "已注销" not in exc.value.message


def test_refusals_name_the_actual_status(cast, lic, login):
    cancelled = filing_of(cast.other_applicant)
    Licence.objects.filter(pk=cancelled.pk).update(status="cancelled")
    with pytest.raises(ApplicationError) as exc:
        services.application_start(
            actor=cast.other_applicant, kind="filing", app_type="change", licence=cancelled
        )
    assert "已注销" in exc.value.message
    expired = issued_licence(cast, lic)
    Licence.objects.filter(pk=expired.pk).update(valid_until=today() - timedelta(days=1))
    services.licences_expire()
    client = login(cast.applicant)
    page = client.post(
        f"/licensing/licences/{expired.pk}/request/replace/", follow=True
    ).content.decode()
    assert "已过期" in page and "已注销" not in page
    assert 'data-testid="request-replace"' not in page
    with pytest.raises(ApplicationError) as exc:
        _revoke(cast, expired)
    assert "已过期" in exc.value.message
