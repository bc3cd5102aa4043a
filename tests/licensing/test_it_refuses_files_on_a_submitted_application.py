"""Issue 10.10: an application's photos and videos are the applicant's, and freeze once
it is submitted - also through the generic attachments API (the registered owner rule
of licensing: licensing.change_application and the editable states)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.licensing.conftest import JPEG, draft, submitted_licence
from zonegov.core.models import Attachment

pytestmark = pytest.mark.django_db


def post_photo(client, app):
    return client.post(
        f"/api/attachments/licensing.application/{app.pk}",
        {"file": SimpleUploadedFile("门头.jpg", JPEG)},
    )


def test_the_applicant_adds_files_to_a_draft(cast, lic, login):
    app = draft(cast)
    assert post_photo(login(cast.applicant), app).status_code == 201


def test_an_officer_who_reads_the_application_adds_no_files(cast, lic, login):
    app = submitted_licence(cast)
    before = Attachment.objects.count()
    response = post_photo(login(cast.officer), app)
    assert response.status_code == 403
    assert Attachment.objects.count() == before


def test_the_applicant_adds_nothing_once_submitted(cast, lic, login):
    app = submitted_licence(cast)
    before = Attachment.objects.count()
    response = post_photo(login(cast.applicant), app)
    assert response.status_code == 409
    assert "申请已提交" in response.json()["message"]
    assert Attachment.objects.count() == before
