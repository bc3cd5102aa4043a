"""The attachments panel on a case page: thumbnails, playable videos, download links."""
# ruff: noqa: F811  (pytest fixtures imported from test_attachment_samples)

from django.template import Context, Template
from django.test import RequestFactory

from tests.core.test_attachment_samples import (  # noqa: F401
    JPEG,
    PDF,
    WEBM,
    case,
    close_case,
    media,
    upload,
)
from zonegov.core.services.attachments import attachment_add


def test_the_case_page_shows_each_kind_as_a_user_expects(cast, case, media, login):
    photo = attachment_add(
        actor=cast.officer, owner=case, uploaded_file=upload(JPEG, "门头.jpg"), label="门头"
    )
    video = attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(WEBM, "v.webm"))
    pdf = attachment_add(actor=cast.leader, owner=case, uploaded_file=upload(PDF, "通知.pdf"))
    page = login(cast.officer).get(case.get_absolute_url()).content.decode()
    assert f'<img src="/attachments/{photo.pk}/"' in page
    assert 'alt="门头"' in page
    assert "<video controls" in page
    assert f'src="/attachments/{video.pk}/"' in page
    assert f'href="/attachments/{pdf.pk}/?download=1"' in page
    # The officer may delete their own two files, not the leader's.
    assert page.count("/delete/?next=") == 2
    assert f"/attachments/{pdf.pk}/delete/" not in page


def test_the_panel_of_a_closed_case_offers_no_upload_and_no_delete(cast, case, media, login):
    attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(PDF, "a.pdf"))
    close_case(case, cast)
    page = login(cast.officer).get(case.get_absolute_url()).content.decode()
    assert 'data-testid="attachment"' in page
    assert "/delete/" not in page
    assert 'data-testid="attachment-upload"' not in page


def test_the_tag_shows_nothing_to_someone_who_cannot_see_the_owner(cast, case, media):
    attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(PDF, "a.pdf"))
    request = RequestFactory().get("/")
    request.user = cast.park_officer
    template = Template(
        "{% load attachments %}{% attachments_for owner as items %}"
        "{{ items|length }}|{{ items.can_add }}"
    )
    assert template.render(Context({"owner": case, "request": request})) == "0|False"
    request.user = cast.officer
    assert template.render(Context({"owner": case, "request": request})) == "1|True"
