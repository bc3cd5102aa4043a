"""Issue 10.10: files attach only to the record types a module registered as owners
(with that module's own permission and open/closed rule) - never to a unit, a user, or
an attachment itself (which would let files be added to a closed case's evidence)."""
# ruff: noqa: F811  (pytest fixtures imported from test_attachment_samples)

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from tests.core.test_attachment_api import assert_error_shape
from tests.core.test_attachment_samples import (  # noqa: F401
    JPEG,
    PDF,
    case,
    close_case,
    media,
    upload,
)
from zonegov.core.attachments_rules import attachment_owner_types
from zonegov.core.errors import ApplicationError
from zonegov.core.models import Attachment
from zonegov.core.services.attachments import OwnerClosed, attachment_add

REFUSAL = "不能添加附件"


def page_upload(client, owner):
    content_type = ContentType.objects.get_for_model(owner)
    url = reverse("attachment_upload", args=[content_type.pk, owner.pk])
    return client.post(url, {"file": upload(PDF, "a.pdf")}, follow=True)


def test_exactly_the_modules_records_that_take_files_are_registered():
    assert set(attachment_owner_types()) == {
        "core.assignment",
        "licensing.application",
        "supervision.inspection",
        "supervision.sampling",
        "supervision.followup",
    }


@pytest.mark.parametrize("who", ["admin", "park_officer"])
def test_it_refuses_a_unit_inside_or_outside_ones_scope(cast, media, who):
    # The zone-level admin sees the park; the park officer does not see the department.
    owner = cast.park if who == "admin" else cast.dept
    with pytest.raises(ApplicationError, match=REFUSAL):
        attachment_add(actor=getattr(cast, who), owner=owner, uploaded_file=upload(PDF, "a.pdf"))
    assert not Attachment.objects.exists()


def test_it_refuses_a_user(cast, media):
    with pytest.raises(ApplicationError, match=REFUSAL):
        attachment_add(actor=cast.admin, owner=cast.officer, uploaded_file=upload(PDF, "a.pdf"))


def test_it_refuses_an_attachment_as_owner_even_of_an_open_case(cast, case, media):
    photo = attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(JPEG, "门头.jpg"))
    with pytest.raises(ApplicationError, match=REFUSAL):
        attachment_add(actor=cast.officer, owner=photo, uploaded_file=upload(PDF, "a.pdf"))
    assert Attachment.objects.count() == 1


def test_an_attachment_of_a_closed_case_takes_no_files(cast, case, media):
    """The bypass of the issue: the case is frozen, its file is not a way in."""
    photo = attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(JPEG, "门头.jpg"))
    case = close_case(case, cast)
    with pytest.raises(ApplicationError, match=REFUSAL):
        attachment_add(actor=cast.officer, owner=photo, uploaded_file=upload(PDF, "a.pdf"))
    with pytest.raises(OwnerClosed):
        attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(PDF, "a.pdf"))
    assert Attachment.objects.count() == 1


def test_the_api_answers_400_in_the_error_shape(cast, case, media, login):
    client = login(cast.officer)
    photo = attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(JPEG, "门头.jpg"))
    for url in (
        f"/api/attachments/core.unit/{cast.dept.pk}",
        f"/api/attachments/core.attachment/{photo.pk}",
    ):
        data = assert_error_shape(client.post(url, {"file": upload(PDF, "a.pdf")}), 400)
        assert REFUSAL in data["message"]
    assert Attachment.objects.count() == 1


def test_the_page_says_why_and_stores_nothing(cast, case, media, login):
    client = login(cast.admin)
    photo = attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(JPEG, "门头.jpg"))
    for owner in (cast.park, photo):
        response = page_upload(client, owner)
        assert response.status_code == 200
        assert any(REFUSAL in str(m) for m in response.context["messages"])
    assert Attachment.objects.count() == 1


def test_a_registered_owner_still_takes_files(cast, case, media, login):
    response = login(cast.officer).post(
        f"/api/attachments/core.assignment/{case.pk}", {"file": upload(PDF, "a.pdf")}
    )
    assert response.status_code == 201
