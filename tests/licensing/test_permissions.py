"""An applicant never sees another applicant's application, attachment, draft, form or
certificate; officers only those of their unit; drafts stay with their applicant. All
refusals are 404s, through pages and API alike."""

import pytest

from tests.licensing.conftest import draft, instant_filing, submitted_licence, upload
from zonegov.core.models import Attachment

pytestmark = pytest.mark.django_db


def _urls(app):
    return [
        f"/licensing/applications/{app.pk}/",
        f"/licensing/applications/{app.pk}/form.pdf",
        f"/api/licensing/applications/{app.pk}",
        f"/api/licensing/applications/{app.pk}/form",
    ]


def test_another_applicant_sees_nothing(cast, lic, login):
    app = submitted_licence(cast)
    client = login(cast.other_applicant)
    for url in _urls(app):
        assert client.get(url).status_code == 404, url
    attachment = Attachment.objects.filter(owner_id=str(app.pk)).first()
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404
    assert client.get(f"/api/attachments/{attachment.pk}").status_code == 404
    for action in ("submit", "withdraw", "sign", "save"):
        assert client.post(f"/licensing/applications/{app.pk}/{action}/").status_code == 404
    assert (
        client.patch(
            f"/api/licensing/applications/{app.pk}",
            {"address": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert client.get("/api/licensing/applications").json() == []
    assert app.reference not in client.get("/licensing/mine/").content.decode()


def test_another_applicant_cannot_see_a_certificate(cast, lic, login):
    app = instant_filing(cast)
    client = login(cast.other_applicant)
    for url in (
        f"/licensing/licences/{app.licence.pk}/",
        f"/licensing/licences/{app.licence.pk}/certificate/",
        f"/api/licensing/licences/{app.licence.pk}",
        f"/api/licensing/licences/{app.licence.pk}/certificate",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/licensing/licences/{app.licence.pk}/request/cancel/").status_code == 404


def test_drafts_are_invisible_to_officers(cast, lic, login):
    app = draft(cast)
    upload(app, cast.applicant, "storefront")
    client = login(cast.officer)
    for url in _urls(app):
        assert client.get(url).status_code == 404, url
    attachment = Attachment.objects.get(owner_id=str(app.pk))
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 404


def test_an_officer_of_another_unit_sees_nothing(cast, lic, login):
    app = submitted_licence(cast)
    client = login(lic.stranger_officer)
    for url in _urls(app):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/licensing/applications/{app.pk}/act/accept/").status_code == 404
    assert (
        client.post(
            f"/api/licensing/applications/{app.pk}/accept", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get("/api/licensing/applications?queue=accept").json() == []


def test_officers_of_the_unit_and_the_inspection_unit_see_the_case(cast, lic, login):
    from zonegov.licensing import services

    app = submitted_licence(cast)
    assert login(cast.officer).get(f"/api/licensing/applications/{app.pk}").status_code == 200
    assert login(cast.leader).get(f"/licensing/applications/{app.pk}/").status_code == 200
    services.application_accept(actor=cast.officer, application=app)
    assert login(lic.inspector).get(f"/licensing/applications/{app.pk}/").status_code == 200


def test_an_applicant_cannot_use_officer_actions(cast, lic, login):
    app = submitted_licence(cast)
    client = login(cast.applicant)
    assert client.post(f"/licensing/applications/{app.pk}/act/accept/").status_code == 403
    response = client.post(
        f"/api/licensing/applications/{app.pk}/accept", {}, content_type="application/json"
    )
    assert response.status_code == 403
    app.refresh_from_db()
    assert app.state == "submitted"
