"""A multipart body Django cannot parse — a part header (file name) over 1 KB, or
``multipart/form-data`` without a boundary — is the client's error: every API endpoint
answers 400 in the API's error shape, every page a 400 page in Chinese; never a 500
(penetration test: POST /api/documents/verify answered 500)."""

import pytest
from django.test import Client

from tests.core import documents_fixtures

pki_dir = documents_fixtures.pki_dir

BOUNDARY = "zonegovboundary"


def long_file_name() -> tuple[bytes, str]:
    name = "证" * 400 + ".pdf"  # 1.2 KB in UTF-8: Django's part headers are capped at 1 KB
    body = (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
        "%PDF-1.7\n%%EOF\r\n"
        f"--{BOUNDARY}--\r\n"
    ).encode()
    return body, f"multipart/form-data; boundary={BOUNDARY}"


def no_boundary() -> tuple[bytes, str]:
    return b"%PDF-1.7\n%%EOF", "multipart/form-data"


def empty_boundary() -> tuple[bytes, str]:
    return b"%PDF-1.7\n%%EOF", "multipart/form-data; boundary="


MALFORMED = [long_file_name, no_boundary, empty_boundary]


@pytest.fixture(params=[False, True], ids=["production", "debug"])
def debug(request, settings):
    """django-ninja answers an unhandled exception with a 500 when DEBUG is on."""
    settings.DEBUG = request.param
    return request.param


def post(client: Client, url: str, make) -> object:
    body, content_type = make()
    return client.generic("POST", url, body, content_type=content_type)


def assert_api_400(response) -> None:
    assert response.status_code == 400, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"message", "errors"}
    assert "无法解析" in body["message"] and "boundary" in body["message"]


@pytest.mark.django_db
@pytest.mark.parametrize("make", MALFORMED)
def test_it_answers_the_public_verify_api_with_a_400(pki_dir, debug, make):
    assert_api_400(post(Client(), "/api/documents/verify", make))


@pytest.mark.django_db
@pytest.mark.parametrize("make", MALFORMED)
def test_it_answers_a_token_clients_upload_with_a_400(cast, debug, make):
    from zonegov.core.services.users import api_token_create

    _token, key = api_token_create(user=cast.officer, name="台账同步")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert_api_400(post(client, "/api/enterprises/import", make))
    assert_api_400(post(client, f"/api/attachments/core.enterprise/{cast.zone.pk}", make))


@pytest.mark.django_db
@pytest.mark.parametrize("make", MALFORMED)
def test_it_answers_a_browser_session_with_a_400(cast, debug, make):
    """Session clients pass the CSRF check first, which reads the form body too."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.officer, backend="django.contrib.auth.backends.ModelBackend")
    client.get("/")  # the CSRF cookie
    token = client.cookies["csrftoken"].value
    body, content_type = make()
    response = client.generic(
        "POST", "/api/enterprises/import", body, content_type=content_type, HTTP_X_CSRFTOKEN=token
    )
    assert_api_400(response)


@pytest.mark.django_db
@pytest.mark.parametrize("make", MALFORMED)
def test_it_answers_the_verify_page_with_a_400_page(pki_dir, debug, make):
    response = post(Client(), "/verify/", make)
    assert response.status_code == 400
    html = response.content.decode()
    assert "请求有误（400）" in html and "文件名过长" in html
