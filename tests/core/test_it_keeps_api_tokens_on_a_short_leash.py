"""API tokens (issue 10 item 5): created only from a logged-in session (never by another
token), listed and revocable on a page and in the API, expiring, and all revoked when the
password changes or the account is disabled."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tests.conftest import PASSWORD
from zonegov.core.models import ApiToken
from zonegov.core.services.users import api_token_create, staff_user_update

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_it_refuses_a_token_minted_by_a_token(cast):
    _token, key = api_token_create(user=cast.officer, name="同步")
    response = Client().post(
        "/api/me/tokens", {"name": "子令牌"}, content_type="application/json", **bearer(key)
    )
    assert response.status_code == 403
    assert "登录" in response.json()["message"]
    assert ApiToken.objects.filter(user=cast.officer).count() == 1
    response = Client().post(
        "/api/me/tokens",
        {"name": "子令牌"},
        content_type="application/json",
        HTTP_X_API_TOKEN=key,
    )
    assert response.status_code == 403


def test_revoking_the_first_token_leaves_no_survivors(cast):
    token, key = api_token_create(user=cast.officer, name="同步")
    client = Client()
    client.post("/api/me/tokens", {"name": "x"}, content_type="application/json", **bearer(key))
    assert client.delete(f"/api/me/tokens/{token.pk}", **bearer(key)).status_code == 204
    assert not ApiToken.objects.filter(user=cast.officer, revoked_at__isnull=True).exists()
    assert client.get("/api/me", **bearer(key)).status_code == 401


def test_a_session_creates_lists_and_revokes_tokens_through_the_api(cast, login):
    client = login(cast.officer)
    created = client.post("/api/me/tokens", {"name": "台账同步"}, content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    assert body["token"].startswith("zg_") and body["expires_at"]
    listed = client.get("/api/me/tokens").json()
    assert [t["name"] for t in listed] == ["台账同步"]
    assert "token" not in listed[0] or listed[0]["token"] is None
    assert listed[0]["active"] is True
    assert Client().get("/api/me", **bearer(body["token"])).status_code == 200
    assert client.delete(f"/api/me/tokens/{body['id']}").status_code == 204
    assert client.get("/api/me/tokens").json()[0]["active"] is False
    assert Client().get("/api/me", **bearer(body["token"])).status_code == 401


def test_one_cannot_list_or_revoke_someone_elses_tokens(cast, login):
    token, _key = api_token_create(user=cast.admin, name="管理员的")
    client = login(cast.officer)
    assert client.get("/api/me/tokens").json() == []
    assert client.delete(f"/api/me/tokens/{token.pk}").status_code == 404
    assert login(cast.officer).post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_tokens_page_creates_shows_once_and_revokes(cast, login):
    client = login(cast.officer)
    page = client.post("/accounts/tokens/", {"name": "数据上报"})
    html = page.content.decode()
    assert page.status_code == 200 and "只显示这一次" in html
    key = re.search(r"zg_[A-Za-z0-9_-]{20,}", html).group(0)
    token = ApiToken.objects.get(user=cast.officer)
    assert token.key_hash == ApiToken.hash_key(key)
    listing = client.get("/accounts/tokens/").content.decode()
    assert "数据上报" in listing and token.prefix in listing and key not in listing
    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_tokens_page_keeps_a_blank_name_and_explains(cast, login):
    response = login(cast.officer).post("/accounts/tokens/", {"name": "  "})
    assert "请填写令牌用途" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_tokens_expire_after_the_configured_days(cast, settings):
    settings.ZONEGOV_API_TOKEN_DAYS = 30
    with time_machine.travel(NOON, tick=False):
        token, key = api_token_create(user=cast.officer, name="短期")
        assert token.expires_at == NOON + timedelta(days=30)
    with time_machine.travel(NOON + timedelta(days=29), tick=False):
        assert Client().get("/api/me", **bearer(key)).status_code == 200
    with time_machine.travel(NOON + timedelta(days=30, seconds=1), tick=False):
        assert Client().get("/api/me", **bearer(key)).status_code == 401


def test_changing_the_password_revokes_every_token(cast, login):
    keys = [api_token_create(user=cast.officer, name=f"t{i}")[1] for i in range(2)]
    response = login(cast.officer).post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Another-Pass-77",
            "new_password2": "Another-Pass-77",
        },
    )
    assert response.status_code == 302
    for key in keys:
        assert Client().get("/api/me", **bearer(key)).status_code == 401
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()


def test_disabling_an_account_revokes_its_tokens(cast):
    _token, key = api_token_create(user=cast.officer, name="t")
    staff_user_update(
        actor=cast.admin,
        user=cast.officer,
        full_name=cast.officer.full_name,
        unit=cast.officer.unit,
        roles=["licensing_officer"],
        title="",
        is_active=False,
    )
    assert not ApiToken.objects.filter(revoked_at__isnull=True).exists()
    assert Client().get("/api/me", **bearer(key)).status_code == 401


@pytest.mark.parametrize("header", ["bearer", "x-api-token"])
def test_an_inactive_users_token_fails_even_if_not_revoked(cast, header):
    _token, key = api_token_create(user=cast.officer, name="t")
    cast.officer.is_active = False
    cast.officer.save()  # e.g. through the Django admin, bypassing the service
    extra = bearer(key) if header == "bearer" else {"HTTP_X_API_TOKEN": key}
    assert Client().get("/api/me", **extra).status_code == 401
