"""/api/attachments: list, upload and download the files of a record; errors in the one
JSON shape of the API."""
# ruff: noqa: F811  (pytest fixtures imported from test_attachment_samples)

import hashlib

import pytest

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
from zonegov.core.services.attachments import attachment_add
from zonegov.core.services.users import api_token_create


def records_url(case) -> str:
    return f"/api/attachments/core.assignment/{case.pk}"


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status
    data = response.json()
    assert set(data) == {"message", "errors"}
    assert isinstance(data["message"], str) and data["message"]
    return data


def test_an_officer_uploads_and_lists_through_the_api(cast, case, media, login):
    client = login(cast.officer)
    response = client.post(records_url(case), {"file": upload(PDF, "报告.pdf"), "label": "报告"})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["kind"] == "pdf"
    assert created["original_name"] == "报告.pdf"
    assert created["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert created["download_url"] == f"/api/attachments/{created['id']}/download"

    listed = client.get(records_url(case)).json()
    assert [a["id"] for a in listed] == [created["id"]]
    assert listed[0]["label"] == "报告"


def test_a_bearer_token_works_too(cast, case, media, client):
    _, key = api_token_create(user=cast.officer, name="手机端")
    response = client.post(
        records_url(case),
        {"file": upload(JPEG, "a.jpg")},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 201
    assert Attachment.objects.get().uploaded_by == cast.officer


def test_download_through_the_api_supports_ranges(cast, case, media, login):
    content = video_bytes(5000)
    video = attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(content, "v.mp4"))
    client = login(cast.officer)
    response = client.get(f"/api/attachments/{video.pk}/download")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    response = client.get(f"/api/attachments/{video.pk}/download", headers={"Range": "bytes=10-19"})
    assert response.status_code == 206
    assert b"".join(response.streaming_content) == content[10:20]
    assert response["Content-Range"] == "bytes 10-19/5000"
    response = client.get(f"/api/attachments/{video.pk}/download", headers={"Range": "bytes=9000-"})
    assert response.status_code == 416


def test_a_refused_content_is_400_with_the_field(cast, case, media, login):
    response = login(cast.officer).post(records_url(case), {"file": upload(TEXT, "a.jpg")})
    data = assert_error_shape(response, 400)
    assert "文件内容不是可接受的类型" in data["message"]
    assert data["errors"] == [{"field": "file", "message": "文件类型不符合要求。"}]


def test_a_missing_file_is_400(cast, case, media, login):
    response = login(cast.officer).post(records_url(case), {"label": "x"})
    data = assert_error_shape(response, 400)
    assert any(e["field"] == "file" for e in data["errors"])


def test_a_closed_case_is_409(cast, case, media, login):
    close_case(case, cast)
    response = login(cast.officer).post(records_url(case), {"file": upload(PDF, "a.pdf")})
    data = assert_error_shape(response, 409)
    assert "已办结" in data["message"]


@pytest.mark.parametrize("who", ["park_officer", "applicant"])
def test_others_get_404_everywhere(cast, case, media, login, who):
    pdf = attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(PDF, "a.pdf"))
    client = login(getattr(cast, who))
    assert_error_shape(client.get(records_url(case)), 404)
    assert_error_shape(client.post(records_url(case), {"file": upload(PDF, "a.pdf")}), 404)
    assert_error_shape(client.get(f"/api/attachments/{pdf.pk}/download"), 404)
    assert Attachment.objects.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/api/attachments/core.nosuchmodel/1",
        "/api/attachments/core.assignment/999999",
        "/api/attachments/core.assignment/not-a-number",
        "/api/attachments/nonsense/1",
        "/api/attachments/00000000-0000-0000-0000-000000000000/download",
    ],
)
def test_unknown_records_are_404(cast, login, url):
    assert_error_shape(login(cast.officer).get(url), 404)


def test_anonymous_callers_get_401(case, client):
    assert_error_shape(client.get(records_url(case)), 401)
