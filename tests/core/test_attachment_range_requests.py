"""Downloads honour HTTP range requests (browsers seek in videos this way) and carry the
headers that keep the browser from guessing the type."""
# ruff: noqa: F811  (pytest fixtures imported from test_attachment_samples)

from urllib.parse import quote

import pytest
from django.urls import reverse

from tests.core.test_attachment_samples import case, media, upload, video_bytes  # noqa: F401
from zonegov.core.services.attachments import attachment_add
from zonegov.core.views.attachments import RangeNotSatisfiable, parse_byte_range

CONTENT = video_bytes(10_000)


@pytest.fixture
def video(cast, case, media):
    return attachment_add(
        actor=cast.officer, owner=case, uploaded_file=upload(CONTENT, "现场 视频.mp4")
    )


@pytest.fixture
def client_(cast, login):
    return login(cast.officer)


def get(client, attachment, **headers):
    return client.get(reverse("attachment_download", args=[attachment.pk]), headers=headers)


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_plain_get_sends_the_whole_file_with_its_headers(client_, video):
    response = get(client_, video)
    assert response.status_code == 200
    assert body(response) == CONTENT
    assert response["Content-Type"] == "video/mp4"
    assert response["Content-Length"] == "10000"
    assert response["Accept-Ranges"] == "bytes"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["ETag"] == f'"{video.sha256}"'
    assert response["Content-Disposition"] == (
        "inline; filename=\"attachment.mp4\"; filename*=UTF-8''" + quote("现场 视频.mp4")
    )


def test_download_1_asks_the_browser_to_save_under_the_chinese_name(client_, video):
    response = client_.get(reverse("attachment_download", args=[video.pk]) + "?download=1")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''%E7%8E%B0%E5%9C%BA%20%E8%A7%86%E9%A2%91.mp4" in disposition
    assert 'filename="' in disposition  # ASCII fallback for old clients
    assert "现场" not in disposition  # headers stay ASCII


def test_a_closed_range_gets_206_with_those_bytes(client_, video):
    response = get(client_, video, Range="bytes=100-199")
    assert response.status_code == 206
    assert body(response) == CONTENT[100:200]
    assert response["Content-Range"] == "bytes 100-199/10000"
    assert response["Content-Length"] == "100"
    assert response["Content-Type"] == "video/mp4"


def test_an_open_ended_range_runs_to_the_end(client_, video):
    response = get(client_, video, Range="bytes=9000-")
    assert response.status_code == 206
    assert body(response) == CONTENT[9000:]
    assert response["Content-Range"] == "bytes 9000-9999/10000"


def test_a_suffix_range_sends_the_last_bytes(client_, video):
    response = get(client_, video, Range="bytes=-500")
    assert response.status_code == 206
    assert body(response) == CONTENT[-500:]
    assert response["Content-Range"] == "bytes 9500-9999/10000"


def test_a_range_past_the_end_is_clipped(client_, video):
    response = get(client_, video, Range="bytes=9990-20000")
    assert response.status_code == 206
    assert body(response) == CONTENT[9990:]
    assert response["Content-Range"] == "bytes 9990-9999/10000"


@pytest.mark.parametrize("header", ["bytes=10000-", "bytes=20000-30000", "bytes=-0"])
def test_an_unsatisfiable_range_gets_416(client_, video, header):
    response = get(client_, video, Range=header)
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */10000"


@pytest.mark.parametrize(
    "header", ["bytes=0-1,5-6", "items=0-1", "bytes=5-1", "bytes=abc", "bytes=" + "9" * 40 + "-"]
)
def test_a_range_it_does_not_serve_is_ignored_and_the_whole_file_sent(client_, video, header):
    response = get(client_, video, Range=header)
    assert response.status_code == 200
    assert body(response) == CONTENT


def test_if_range_with_a_stale_etag_sends_the_whole_file(client_, video):
    response = get(client_, video, Range="bytes=0-9", **{"If-Range": '"stale"'})
    assert response.status_code == 200
    response = get(client_, video, Range="bytes=0-9", **{"If-Range": f'"{video.sha256}"'})
    assert response.status_code == 206


def test_a_current_copy_gets_304(client_, video):
    response = get(client_, video, **{"If-None-Match": f'"{video.sha256}"'})
    assert response.status_code == 304


def test_head_answers_the_headers_only(client_, video):
    response = client_.head(reverse("attachment_download", args=[video.pk]))
    assert response.status_code == 200
    assert response["Content-Length"] == "10000"
    assert response.content == b""


def test_a_file_missing_from_storage_is_404_not_500(client_, video, media):
    (media / video.file.name).unlink()
    assert get(client_, video).status_code == 404


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-0", (0, 0)),
        ("bytes=0-", (0, 9)),
        ("bytes=-3", (7, 9)),
        ("bytes=-30", (0, 9)),
        ("BYTES = 2 - 4", (2, 4)),
        ("", None),
        ("bytes=-", None),
    ],
)
def test_parse_byte_range(header, expected):
    assert parse_byte_range(header, 10) == expected


def test_parse_byte_range_of_an_empty_file():
    with pytest.raises(RangeNotSatisfiable):
        parse_byte_range("bytes=0-", 0)
