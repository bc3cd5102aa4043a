"""Uploading from a record's page: POST to attachment_upload, back to the page with a
message. Large files go to a temporary file on disk, never into memory."""
# ruff: noqa: F811  (pytest fixtures imported from test_attachment_samples)

import hashlib

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.urls import reverse

from tests.core.test_attachment_samples import (  # noqa: F401
    JPEG,
    PDF,
    TEXT,
    case,
    close_case,
    media,
    upload,
    video_bytes,
)
from zonegov.core.models import Attachment
from zonegov.core.views import attachments as attachment_views

MB = 1024 * 1024


def upload_url(case) -> str:
    content_type = ContentType.objects.get_for_model(case)
    url = reverse("attachment_upload", args=[content_type.pk, case.pk])
    return f"{url}?next={case.get_absolute_url()}"


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_an_officer_uploads_a_photo_and_returns_to_the_case(cast, case, media, login):
    client = login(cast.officer)
    response = client.post(
        upload_url(case), {"file": upload(JPEG, "后厨.jpg"), "label": "后厨现场"}, follow=True
    )
    assert response.redirect_chain[-1][0] == case.get_absolute_url()
    attachment = Attachment.objects.get()
    assert (attachment.kind, attachment.label, attachment.original_name) == (
        "photo",
        "后厨现场",
        "后厨.jpg",
    )
    assert any("已上传附件：后厨.jpg" in m for m in messages_of(response))
    page = response.content.decode()
    assert f'<img src="/attachments/{attachment.pk}/"' in page


def test_a_refused_upload_says_why_in_chinese_and_keeps_the_label(cast, case, media, login):
    client = login(cast.officer)
    response = client.post(
        upload_url(case), {"file": upload(TEXT, "照片.jpg"), "label": "门头照片"}, follow=True
    )
    assert response.status_code == 200
    assert any("文件内容不是可接受的类型" in m for m in messages_of(response))
    assert 'value="门头照片"' in response.content.decode()
    assert not Attachment.objects.exists()


def test_posting_without_a_file_asks_for_one(cast, case, media, login):
    response = login(cast.officer).post(upload_url(case), {"label": "x"}, follow=True)
    assert any("请选择要上传的文件" in m for m in messages_of(response))


def test_a_video_larger_than_the_memory_threshold_is_streamed_to_disk(
    cast, case, media, login, settings, monkeypatch
):
    settings.ZONEGOV_ATTACHMENT_LIMITS = {"photo": 1 * MB, "pdf": 1 * MB, "video": 4 * MB}
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE < 3 * MB
    seen = []
    real_add = attachment_views.attachment_add

    def spy(**kwargs):
        seen.append(type(kwargs["uploaded_file"]))
        return real_add(**kwargs)

    monkeypatch.setattr(attachment_views, "attachment_add", spy)
    content = video_bytes(3 * MB)
    response = login(cast.officer).post(upload_url(case), {"file": upload(content, "现场.mp4")})
    assert response.status_code == 302
    assert seen == [TemporaryUploadedFile]
    attachment = Attachment.objects.get()
    assert attachment.kind == "video"
    assert attachment.size == 3 * MB
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert (media / attachment.file.name).stat().st_size == 3 * MB


def test_an_upload_beyond_every_limit_is_dropped_while_it_arrives(
    cast, case, media, login, settings, monkeypatch
):
    settings.ZONEGOV_ATTACHMENT_LIMITS = {"photo": 1 * MB, "pdf": 1 * MB, "video": 2 * MB}
    called = []
    monkeypatch.setattr(attachment_views, "attachment_add", lambda **kw: called.append(kw))
    response = login(cast.officer).post(
        upload_url(case), {"file": upload(video_bytes(3 * MB), "a.mp4")}, follow=True
    )
    assert called == []
    assert any("文件过大" in m and "2 MB" in m for m in messages_of(response))


def test_an_upload_needs_the_csrf_token(cast, case, media, client):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(cast.officer, backend="django.contrib.auth.backends.ModelBackend")
    response = csrf_client.post(upload_url(case), {"file": upload(PDF, "a.pdf")})
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_the_form_is_shown_only_while_the_user_may_attach(cast, case, media, login):
    client = login(cast.officer)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="attachment-upload"' in page
    close_case(case, cast)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="attachments"' in page
    assert 'data-testid="attachment-upload"' not in page


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/"])
def test_it_never_redirects_off_site(cast, case, media, login, next_url):
    content_type = ContentType.objects.get_for_model(case)
    url = reverse("attachment_upload", args=[content_type.pk, case.pk]) + f"?next={next_url}"
    response = login(cast.officer).post(url, {"file": upload(PDF, "a.pdf")})
    assert response["Location"] == case.get_absolute_url()
