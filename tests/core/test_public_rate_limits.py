"""The public, unauthenticated endpoints limit each client address per minute: over the
limit the page says in Chinese how long to wait (HTTP 429 with Retry-After); other
addresses and logged-in work are unaffected."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight(settings):
    settings.ZONEGOV_PUBLIC_RATE_LIMITS = {"verify_upload": 2, "verify_lookup": 3, "notices": 3}
    return settings


def test_verification_lookups_are_limited_per_address(client, tight):
    for _ in range(3):
        assert client.get("/verify/ZG-2026-000001/").status_code == 404  # unknown number
    response = client.get("/verify/ZG-2026-000001/")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert (
        "访问过于频繁，请" in response.content.decode() and "秒后再试" in response.content.decode()
    )
    # Another address is not affected.
    assert client.get("/verify/ZG-2026-000001/", REMOTE_ADDR="10.1.2.3").status_code == 404


def test_pdf_uploads_have_their_own_tighter_limit(client, tight):
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload():
        pdf = SimpleUploadedFile("x.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
        return client.post("/verify/", {"file": pdf})

    assert upload().status_code == 200
    assert upload().status_code == 200
    assert upload().status_code == 429
    # Looking up by number still works for this address.
    assert client.get("/verify/").status_code == 200


def test_the_api_answers_429_in_the_error_shape(client, tight):
    for _ in range(3):
        assert client.get("/api/documents/verify/ZG-2026-000001").status_code == 404
    response = client.get("/api/documents/verify/ZG-2026-000001")
    assert response.status_code == 429
    assert response.json()["message"].startswith("访问过于频繁")
    assert response["Retry-After"]


def test_the_public_announcement_page_feeds_and_json_share_a_limit(client, tight):
    assert client.get("/gongshi/").status_code == 200
    assert client.get("/gongshi/rss/").status_code == 200
    assert client.get("/api/public/notices").status_code == 200
    assert client.get("/gongshi/atom/").status_code == 429
    assert client.get("/api/public/notices").status_code == 429


def test_a_limit_of_zero_switches_the_scope_off(client, settings):
    settings.ZONEGOV_PUBLIC_RATE_LIMITS = {"verify_lookup": 0}
    for _ in range(50):
        assert client.get("/verify/ZG-2026-000001/").status_code == 404


def test_behind_a_trusted_proxy_each_client_has_its_own_allowance(client, tight):
    tight.ZONEGOV_TRUSTED_PROXIES = ["127.0.0.1"]
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for _ in range(3):
        client.get("/verify/X/", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy)
    assert client.get("/verify/X/", HTTP_X_FORWARDED_FOR="203.0.113.7", **proxy).status_code == 429
    # Another client behind the same proxy is not affected.
    assert client.get("/verify/X/", HTTP_X_FORWARDED_FOR="203.0.113.8", **proxy).status_code == 404
    # A client cannot dodge its limit by sending its own X-Forwarded-For: the proxy appends
    # the address it saw, and that right-most untrusted hop is what counts.
    spoofed = "198.51.100.1, 203.0.113.7"
    assert client.get("/verify/X/", HTTP_X_FORWARDED_FOR=spoofed, **proxy).status_code == 429


def test_without_a_trusted_proxy_the_header_is_ignored(client, tight):
    for forwarded in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        client.get("/verify/X/", HTTP_X_FORWARDED_FOR=forwarded)
    assert client.get("/verify/X/", HTTP_X_FORWARDED_FOR="203.0.113.4").status_code == 429
