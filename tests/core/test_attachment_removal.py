"""Only the uploader removes a file, and only while the owning record is open."""
# ruff: noqa: F811  (pytest fixtures imported from test_attachment_samples)

import pytest
from django.urls import reverse

from tests.core.test_attachment_samples import PDF, case, close_case, media, upload  # noqa: F401
from zonegov.core.errors import PermissionRefused
from zonegov.core.models import Attachment, AuditRecord
from zonegov.core.services.attachments import OwnerClosed, attachment_add, attachment_remove


@pytest.fixture
def report(cast, case, media):
    return attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(PDF, "报告.pdf"))


def test_the_uploader_removes_the_file_and_it_leaves_storage(
    cast, case, report, media, login, django_capture_on_commit_callbacks
):
    stored = media / report.file.name
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = login(cast.officer).post(
            reverse("attachment_delete", args=[report.pk]), follow=True
        )
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    assert any("已删除附件：报告.pdf" in str(m) for m in response.context["messages"])
    assert not Attachment.objects.exists()
    assert not stored.exists()
    assert AuditRecord.objects.filter(action="attachment.remove").count() == 1


def test_someone_else_who_sees_the_case_cannot_remove_it(cast, report):
    with pytest.raises(PermissionRefused):
        attachment_remove(actor=cast.leader, attachment=report)
    assert Attachment.objects.exists()


def test_someone_who_cannot_see_the_case_gets_404(cast, report, login):
    response = login(cast.park_officer).post(reverse("attachment_delete", args=[report.pk]))
    assert response.status_code == 404
    assert Attachment.objects.exists()


def test_the_uploader_cannot_remove_it_once_the_case_is_closed(cast, case, report, login):
    close_case(case, cast)
    with pytest.raises(OwnerClosed):
        attachment_remove(actor=cast.officer, attachment=Attachment.objects.get())
    response = login(cast.officer).post(reverse("attachment_delete", args=[report.pk]), follow=True)
    assert any("已办结" in str(m) for m in response.context["messages"])
    assert Attachment.objects.exists()


def test_delete_is_post_only(cast, report, login):
    response = login(cast.officer).get(reverse("attachment_delete", args=[report.pk]))
    assert response.status_code == 405
