"""Each kind has its own size limit, from settings, checked against the sniffed kind."""
# ruff: noqa: F811  (pytest fixtures imported from test_attachment_samples)

import pytest

from tests.core.test_attachment_samples import (  # noqa: F401
    PDF,
    PNG,
    case,
    media,
    upload,
    video_bytes,
)
from zonegov.core.errors import ApplicationError
from zonegov.core.models import Attachment
from zonegov.core.services.attachments import attachment_add

MB = 1024 * 1024


@pytest.fixture
def small_limits(settings):
    settings.ZONEGOV_ATTACHMENT_LIMITS = {"photo": 1 * MB, "pdf": 2 * MB, "video": 3 * MB}


def test_it_refuses_a_photo_over_the_photo_limit_giving_it_in_mb(cast, case, media, small_limits):
    big_photo = PNG + b"\x00" * (MB + 1 - len(PNG))
    with pytest.raises(ApplicationError) as exc:
        attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(big_photo, "a.png"))
    assert "照片不能超过 1 MB" in exc.value.message
    assert not Attachment.objects.exists()


def test_a_video_may_be_larger_than_the_photo_limit(cast, case, media, small_limits):
    attachment = attachment_add(
        actor=cast.officer, owner=case, uploaded_file=upload(video_bytes(2 * MB), "a.mp4")
    )
    assert attachment.kind == "video"
    assert attachment.size == 2 * MB


def test_it_refuses_a_video_over_the_video_limit(cast, case, media, small_limits):
    with pytest.raises(ApplicationError) as exc:
        attachment_add(
            actor=cast.officer, owner=case, uploaded_file=upload(video_bytes(3 * MB + 1), "a.mp4")
        )
    assert "视频不能超过 3 MB" in exc.value.message
    assert "请压缩后重新上传" in exc.value.message


def test_the_limit_follows_the_content_not_the_name(cast, case, media, small_limits):
    # A 1.5 MB PNG named .pdf is a photo, so the 1 MB photo limit applies, not the PDF one.
    photo = PNG + b"\x00" * (MB + MB // 2)
    with pytest.raises(ApplicationError) as exc:
        attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(photo, "a.pdf"))
    assert "照片不能超过 1 MB" in exc.value.message


def test_a_file_exactly_at_the_limit_is_accepted(cast, case, media, small_limits):
    pdf = PDF + b"\n" * (2 * MB - len(PDF))
    attachment = attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(pdf, "a.pdf"))
    assert attachment.size == 2 * MB


def test_the_default_limits_are_20_50_and_500_mb():
    from django.conf import settings

    assert settings.ZONEGOV_ATTACHMENT_LIMITS == {
        "photo": 20 * MB,
        "pdf": 50 * MB,
        "video": 500 * MB,
    }
