"""The claimed name and Content-Type of an upload are ignored; the content decides."""
# ruff: noqa: F811  (pytest fixtures imported from test_attachment_samples)

import pytest

from tests.core.test_attachment_samples import (  # noqa: F401
    JPEG,
    MATROSKA,
    PDF,
    TEXT,
    case,
    media,
    upload,
)
from zonegov.core.errors import ApplicationError
from zonegov.core.models import Attachment
from zonegov.core.services.attachments import attachment_add


def test_it_refuses_a_text_file_renamed_jpg(cast, case, media):
    with pytest.raises(ApplicationError) as exc:
        attachment_add(
            actor=cast.officer, owner=case, uploaded_file=upload(TEXT, "现场.jpg", "image/jpeg")
        )
    assert "应为照片（JPEG、PNG 或 WebP）、PDF 文件、视频（MP4、MOV 或 WebM）" in exc.value.message
    assert "扩展名" in exc.value.message
    assert exc.value.field_errors == {"file": ["文件类型不符合要求。"]}
    assert not Attachment.objects.exists()


def test_it_refuses_a_jpeg_named_mp4_where_a_video_is_expected(cast, case, media):
    with pytest.raises(ApplicationError) as exc:
        attachment_add(
            actor=cast.officer,
            owner=case,
            uploaded_file=upload(JPEG, "现场视频.mp4", "video/mp4"),
            expected_kinds=["video"],
        )
    assert "应为视频（MP4、MOV 或 WebM）" in exc.value.message
    assert "照片" not in exc.value.message
    assert not Attachment.objects.exists()


def test_it_stores_a_jpeg_named_mp4_as_the_photo_it_is(cast, case, media):
    attachment = attachment_add(
        actor=cast.officer, owner=case, uploaded_file=upload(JPEG, "现场视频.mp4", "video/mp4")
    )
    assert (attachment.kind, attachment.mime_type, attachment.extension) == (
        "photo",
        "image/jpeg",
        ".jpg",
    )
    assert attachment.file.name.endswith(".jpg")
    assert attachment.original_name == "现场视频.mp4"


def test_it_refuses_a_matroska_video_naming_what_is_accepted(cast, case, media):
    with pytest.raises(ApplicationError) as exc:
        attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(MATROSKA, "a.webm"))
    assert "MP4、MOV 或 WebM" in exc.value.message


def test_it_refuses_an_empty_file(cast, case, media):
    with pytest.raises(ApplicationError) as exc:
        attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(b"", "空.pdf"))
    assert "文件是空的" in exc.value.message


def test_it_accepts_only_the_expected_kinds(cast, case, media):
    attachment = attachment_add(
        actor=cast.officer,
        owner=case,
        uploaded_file=upload(PDF, "报告.pdf"),
        expected_kinds=["pdf", "photo"],
    )
    assert attachment.kind == "pdf"


def test_it_keeps_only_the_base_name_of_what_the_browser_sent(cast, case, media):
    attachment = attachment_add(
        actor=cast.officer,
        owner=case,
        uploaded_file=upload(PDF, "报告.pdf"),
        original_name="C:\\fakepath\\整改\r\n报告.pdf",
    )
    assert attachment.original_name == "整改报告.pdf"


def test_it_refuses_a_label_longer_than_100_characters(cast, case, media):
    with pytest.raises(ApplicationError) as exc:
        attachment_add(
            actor=cast.officer, owner=case, uploaded_file=upload(PDF, "a.pdf"), label="长" * 101
        )
    assert "label" in exc.value.field_errors
    assert not Attachment.objects.exists()
