"""Managing API clients through the API (/api/api-clients): a zone-level org admin in a
browser session issues (the key in the answer, once), lists, rotates and revokes; a user
API token may revoke but never mint a client key; everyone else is refused."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import make_user
from tests.core.api_client_fixtures import bearer, get, issue
from zonegov.core.models import ApiClient, AuditRecord
from zonegov.core.roles import ORG_ADMIN
from zonegov.core.services.users import api_token_create

pytestmark = pytest.mark.django_db

BODY = {
    "name": "监管系统回调",
    "organisation": "市场监管分局",
    "scopes": ["documents:status"],
}


def test_a_session_issues_lists_rotates_and_revokes(cast, login):
    session = login(cast.admin)
    created = session.post(
        "/api/api-clients",
        {
            **BODY,
            "unit_id": cast.dept.pk,
            "expires_at": (timezone.now() + timedelta(days=200)).isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    key = body["key"]["key"]
    assert key.startswith(body["key"]["prefix"]) and body["client"]["unit_name"] == "行政服务中心"
    assert get("/api/client/me", key).status_code == 200
    listed = session.get("/api/api-clients").json()
    assert [c["name"] for c in listed] == ["监管系统回调"]
    assert "key" not in listed[0]["keys"][0] and "key_hash" not in listed[0]["keys"][0]
    assert key not in session.get("/api/api-clients").content.decode()
    assert listed[0]["last_used_at"] is not None and listed[0]["status"] == "active"
    client_id = body["client"]["id"]
    rotated = session.post(
        f"/api/api-clients/{client_id}/keys", {}, content_type="application/json"
    ).json()
    assert get("/api/client/me", rotated["key"]).status_code == 200
    old_id = body["key"]["key_id"]
    assert session.delete(f"/api/api-clients/{client_id}/keys/{old_id}").status_code == 204
    assert get("/api/client/me", key).status_code == 401
    revoked = session.post(f"/api/api-clients/{client_id}/revoke")
    assert revoked.status_code == 200 and revoked.json()["status"] == "revoked"
    assert get("/api/client/me", rotated["key"]).status_code == 401
    actions = set(AuditRecord.objects.values_list("action", flat=True))
    assert {"api_client.issue", "api_client.key_issue", "api_client.key_revoke"} <= actions
    assert "api_client.revoke" in actions


def test_bad_input_answers_400_with_field_errors(cast, login):
    session = login(cast.admin)
    for body, field in (
        ({**BODY, "name": " "}, "name"),
        ({**BODY, "scopes": []}, "scopes"),
        ({**BODY, "scopes": ["nope:nope"]}, "scopes"),
        ({**BODY, "unit_id": 999999}, "unit_id"),
        ({**BODY, "expires_at": "2020-01-01T00:00:00Z"}, "expires_at"),
        ({**BODY, "expires_at": "soon"}, "expires_at"),
    ):
        response = session.post("/api/api-clients", body, content_type="application/json")
        assert response.status_code == 400, body
        assert field in [e["field"] for e in response.json()["errors"]], response.json()
    assert not ApiClient.objects.exists()


def test_a_user_token_revokes_but_never_mints(cast):
    issued, record, key = issue(cast)
    _token, user_key = api_token_create(user=cast.admin, name="运维")
    client = Client()
    minted = client.post(
        "/api/api-clients", BODY, content_type="application/json", **bearer(user_key)
    )
    assert minted.status_code == 403 and "登录" in minted.json()["message"]
    rotated = client.post(
        f"/api/api-clients/{issued.pk}/keys",
        {},
        content_type="application/json",
        **bearer(user_key),
    )
    assert rotated.status_code == 403
    assert issued.keys.count() == 1 and ApiClient.objects.count() == 1
    revoked = client.delete(f"/api/api-clients/{issued.pk}/keys/{record.pk}", **bearer(user_key))
    assert revoked.status_code == 204
    assert get("/api/client/me", key).status_code == 401


def test_others_are_refused(cast, login):
    issued, record, _key = issue(cast)
    park_admin = make_user("park_admin", cast.park, ORG_ADMIN)
    calls = [
        ("get", "/api/api-clients", None),
        ("post", "/api/api-clients", BODY),
        ("get", f"/api/api-clients/{issued.pk}", None),
        ("post", f"/api/api-clients/{issued.pk}/keys", {}),
        ("delete", f"/api/api-clients/{issued.pk}/keys/{record.pk}", None),
        ("post", f"/api/api-clients/{issued.pk}/revoke", None),
    ]

    def call(client, method, url, body):
        if method == "post":
            return client.post(url, body or {}, content_type="application/json")
        return getattr(client, method)(url)

    for method, url, body in calls:
        assert call(Client(), method, url, body).status_code == 401, url
    for user in (cast.officer, cast.leader, cast.applicant, park_admin):
        session = login(user)
        for method, url, body in calls:
            assert call(session, method, url, body).status_code == 403, (user, url)
        session.logout()
    assert login(cast.admin).get("/api/api-clients/999999").status_code == 404
    record.refresh_from_db()
    issued.refresh_from_db()
    assert record.revoked_at is None and issued.revoked_at is None
