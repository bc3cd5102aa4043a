"""Attack on the API-client admin API: an expiry without a time zone (what most clients
send: ``2027-01-01T00:00:00``) must be a 201 or a Chinese 400, never a 500."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

BODY = {
    "name": "监管系统回调",
    "organisation": "市场监管分局",
    "scopes": ["documents:status"],
}


@pytest.mark.parametrize("expires_at", ["2027-01-01T00:00:00", "2027-01-01", "2020-01-01T08:00"])
def test_an_expiry_without_a_time_zone_is_read_in_beijing_time(cast, expires_at):
    session = Client(raise_request_exception=False)
    session.force_login(cast.admin, backend="django.contrib.auth.backends.ModelBackend")
    created = session.post(
        "/api/api-clients", {**BODY, "expires_at": expires_at}, content_type="application/json"
    )
    assert created.status_code in (201, 400), created.content[:300]
    if expires_at.startswith("2020"):
        assert created.status_code == 400
        assert "到期日期须晚于今天" in created.json()["errors"][0]["message"]
        return
    assert created.status_code == 201
    expiry = created.json()["key"]["expires_at"]
    assert expiry.startswith("2027-01-01T00:00:00") and expiry.endswith("+08:00")
    client_id = created.json()["client"]["id"]
    rotated = session.post(
        f"/api/api-clients/{client_id}/keys",
        {"expires_at": expires_at},
        content_type="application/json",
    )
    assert rotated.status_code == 201, rotated.content[:300]
