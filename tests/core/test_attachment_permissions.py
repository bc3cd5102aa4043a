"""Who may see, download and add files: exactly those who may view the owning record."""
# ruff: noqa: F811  (pytest fixtures imported from test_attachment_samples)

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.core.test_attachment_samples import (  # noqa: F401
    JPEG,
    PDF,
    case,
    close_case,
    media,
    upload,
)
from zonegov.core.errors import PermissionRefused
from zonegov.core.models import Attachment
from zonegov.core.services.attachments import OwnerClosed, attachment_add


@pytest.fixture
def photo(cast, case, media):
    return attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(JPEG, "门头.jpg"))


def download_url(attachment) -> str:
    return reverse("attachment_download", args=[attachment.pk])


def upload_url(case) -> str:
    content_type = ContentType.objects.get_for_model(case)
    return reverse("attachment_upload", args=[content_type.pk, case.pk])


@pytest.mark.parametrize("who", ["officer", "leader", "admin"])
def test_those_who_see_the_case_download_its_files(cast, photo, login, who):
    response = login(getattr(cast, who)).get(download_url(photo))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == JPEG


@pytest.mark.parametrize("who", ["park_officer", "grid_worker", "applicant", "other_applicant"])
def test_others_get_404_on_download(cast, photo, login, who):
    assert login(getattr(cast, who)).get(download_url(photo)).status_code == 404


def test_an_unknown_attachment_is_404_too(cast, login):
    url = reverse("attachment_download", args=["00000000-0000-0000-0000-000000000000"])
    assert login(cast.officer).get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(photo, client):
    response = client.get(download_url(photo))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=" in response["Location"]


def test_anonymous_uploads_are_sent_to_log_in(case, client, media):
    response = client.post(upload_url(case), {"file": upload(PDF, "a.pdf")})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Attachment.objects.exists()


def test_another_units_officer_cannot_upload_and_gets_404(cast, case, login, media):
    response = login(cast.park_officer).post(upload_url(case), {"file": upload(PDF, "a.pdf")})
    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_an_unknown_owner_is_404(cast, login, media):
    content_type = ContentType.objects.get_for_model(Attachment)
    for url in (
        reverse("attachment_upload", args=[content_type.pk, "999999"]),
        reverse("attachment_upload", args=[999999, "1"]),
        reverse("attachment_upload", args=[content_type.pk, "not-a-uuid"]),
    ):
        response = login(cast.officer).post(url, {"file": upload(PDF, "a.pdf")})
        assert response.status_code == 404


def test_the_service_refuses_someone_who_cannot_see_the_owner(cast, case, media):
    with pytest.raises(PermissionRefused):
        attachment_add(actor=cast.park_officer, owner=case, uploaded_file=upload(PDF, "a.pdf"))


def test_nobody_can_upload_to_a_closed_case(cast, case, login, media):
    case = close_case(case, cast)
    with pytest.raises(OwnerClosed) as exc:
        attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(PDF, "a.pdf"))
    assert "已办结" in exc.value.message
    response = login(cast.officer).post(
        upload_url(case), {"file": upload(PDF, "a.pdf")}, follow=True
    )
    assert any("已办结" in str(m) for m in response.context["messages"])
    assert not Attachment.objects.exists()


def test_files_of_a_closed_case_stay_downloadable(cast, case, photo, login):
    close_case(case, cast)
    assert login(cast.officer).get(download_url(photo)).status_code == 200


def test_the_rules_are_registered_as_permissions(cast, case, photo):
    assert cast.officer.has_perm("core.view_attachment", photo)
    assert not cast.park_officer.has_perm("core.view_attachment", photo)
    assert cast.officer.has_perm("core.add_attachment_to", case)
    assert not cast.grid_worker.has_perm("core.add_attachment_to", case)
