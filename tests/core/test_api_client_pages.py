"""The API client pages (issue 11): zone-level org admins list, issue (the key shown once),
rotate and revoke clients, each act in the audit chain; everyone else is refused — an
officer, a leader, an applicant, an org admin of a park (clients hold zone-wide scopes),
and anonymous visitors are sent to log in. Bad input is a form error, never a 500."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import make_user
from tests.core.api_client_fixtures import get, issue
from zonegov.core.models import ApiClient, ApiClientKey, AuditRecord
from zonegov.core.roles import ORG_ADMIN

pytestmark = pytest.mark.django_db

LIST = "/admin-tools/api-clients/"
NEW = "/admin-tools/api-clients/new/"

KEY_RE = re.compile(r"zgc_[A-Za-z0-9_-]{43}")


def valid_form(**overrides) -> dict:
    data = {
        "name": "外卖平台资质核验",
        "organisation": "某外卖平台",
        "contact": "赵工 13900000000",
        "unit": "",
        "scopes": ["documents:status"],
        "expires_on": "",
    }
    data.update(overrides)
    return data


def test_an_admin_issues_a_client_and_sees_the_key_once(cast, login):
    client = login(cast.admin)
    last_day = timezone.localdate() + timedelta(days=200)
    page = client.post(NEW, valid_form(unit=str(cast.dept.pk), expires_on=last_day.isoformat()))
    assert page.status_code == 200
    html = page.content.decode()
    assert "只显示这一次" in html and "no-store" in page["Cache-Control"]
    key = KEY_RE.search(html).group(0)
    issued = ApiClient.objects.get()
    assert issued.scopes == ["documents:status"] and issued.unit == cast.dept
    record = issued.keys.get()
    # Valid through the last day, Shanghai time.
    expected = f"{last_day + timedelta(days=1)}T00:00:00+08:00"
    assert timezone.localtime(record.expires_at).isoformat() == expected
    assert get("/api/client/me", key).json()["name"] == "外卖平台资质核验"
    # The list and the detail show the prefix, never the key again.
    for url in (LIST, f"/admin-tools/api-clients/{issued.pk}/"):
        html = client.get(url).content.decode()
        assert record.prefix in html and key not in html
    audit = AuditRecord.objects.get(action="api_client.issue")
    assert audit.actor == cast.admin and audit.changes["key_prefix"] == record.prefix
    assert audit.changes["scopes"] == ["documents:status"]


def test_the_list_shows_last_use_and_status(cast, login):
    issued, _record, key = issue(cast)
    revoked, _r, _k = issue(cast, name="旧系统")
    client = login(cast.admin)
    client.post(f"/admin-tools/api-clients/{revoked.pk}/revoke/")
    get("/api/client/me", key)
    html = client.get(LIST).content.decode()
    assert html.count('data-testid="api-client-row"') == 2
    assert "查询证照状态" in html and "已吊销" in html and "可用" in html
    used = timezone.localtime(ApiClientKey.objects.get(client=issued).last_used_at)
    assert used.strftime("%Y-%m-%d %H:%M") in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"name": "  "}, "name", "这个字段是必填项"),
        ({"organisation": ""}, "organisation", "这个字段是必填项"),
        ({"scopes": []}, "scopes", "请至少选择一项授权范围"),
        ({"scopes": ["admin:everything"]}, "scopes", "admin:everything"),
        ({"expires_on": "TODAY"}, "expires_on", "到期日期须晚于今天"),
        ({"expires_on": "2099-01-01"}, "expires_on", "三年"),
        ({"expires_on": "明天"}, "expires_on", "日期"),
        ({"unit": "999999"}, "unit", "选择一个有效的选项"),
        ({"name": "x" * 101}, "name", "100"),
        ({"contact": "a\x07b"}, "contact", "控制字符"),
    ],
)
def test_bad_input_is_a_form_error_that_keeps_what_was_typed(
    cast, login, overrides, field, message
):
    if overrides.get("expires_on") == "TODAY":  # the (frozen) clock's today, not collection's
        overrides = {**overrides, "expires_on": timezone.localdate().isoformat()}
    page = login(cast.admin).post(NEW, valid_form(**overrides))
    assert page.status_code == 200
    html = page.content.decode()
    assert message in html
    assert "某外卖平台" in html or field == "organisation"
    assert not ApiClient.objects.exists()


def test_rotation_issues_a_second_key_and_the_old_one_keeps_working(cast, login):
    issued, old, old_key = issue(cast)
    client = login(cast.admin)
    page = client.post(f"/admin-tools/api-clients/{issued.pk}/keys/", {"expires_on": ""})
    new_key = KEY_RE.search(page.content.decode()).group(0)
    assert new_key != old_key
    assert get("/api/client/me", old_key).status_code == 200
    assert get("/api/client/me", new_key).status_code == 200
    # Revoking the old key: a confirmation page, then the POST.
    confirm = client.get(f"/admin-tools/api-clients/{issued.pk}/keys/{old.pk}/revoke/")
    assert confirm.status_code == 200 and old.prefix in confirm.content.decode()
    assert get("/api/client/me", old_key).status_code == 200  # GET changed nothing
    done = client.post(f"/admin-tools/api-clients/{issued.pk}/keys/{old.pk}/revoke/")
    assert done.status_code == 302
    assert get("/api/client/me", old_key).status_code == 401
    assert get("/api/client/me", new_key).status_code == 200
    actions = list(AuditRecord.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["api_client.key_issue", "api_client.key_revoke"]


def test_rotation_after_a_leak_revokes_every_other_key(cast, login):
    issued, _old, old_key = issue(cast)
    page = login(cast.admin).post(
        f"/admin-tools/api-clients/{issued.pk}/keys/", {"revoke_others": "on"}
    )
    new_key = KEY_RE.search(page.content.decode()).group(0)
    assert get("/api/client/me", old_key).status_code == 401
    assert get("/api/client/me", new_key).status_code == 200
    audit = AuditRecord.objects.get(action="api_client.key_issue")
    assert audit.changes["revoked_keys"] == [_old.prefix]


def test_a_bad_rotation_expiry_is_a_form_error(cast, login):
    issued, _old, _key = issue(cast)
    page = login(cast.admin).post(
        f"/admin-tools/api-clients/{issued.pk}/keys/",
        {"expires_on": str(timezone.localdate() - timedelta(days=1))},
    )
    assert page.status_code == 400 and "到期日期须晚于今天" in page.content.decode()
    assert issued.keys.count() == 1


def test_revoking_a_client_needs_confirmation_and_is_audited(cast, login):
    issued, _record, key = issue(cast)
    client = login(cast.admin)
    url = f"/admin-tools/api-clients/{issued.pk}/revoke/"
    assert "无法恢复" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert get("/api/client/me", key).status_code == 401
    audit = AuditRecord.objects.get(action="api_client.revoke")
    assert audit.actor == cast.admin and audit.changes["revoked_keys"] == [_record.prefix]
    # A revoked client gets no new key.
    page = client.post(f"/admin-tools/api-clients/{issued.pk}/keys/", {})
    assert page.status_code == 400 and "已吊销" in page.content.decode()
    assert issued.keys.filter(revoked_at__isnull=True).count() == 0


def test_the_nav_shows_the_pages_to_zone_level_org_admins_only(cast, login):
    assert LIST in login(cast.admin).get("/").content.decode()
    for user in (cast.officer, cast.leader):
        assert LIST not in login(user).get("/").content.decode()


@pytest.fixture
def park_admin(cast):
    return make_user("park_admin", cast.park, ORG_ADMIN, full_name="园区管理员")


def test_everyone_else_is_refused(cast, login, client, park_admin):
    issued, record, key = issue(cast)
    detail = f"/admin-tools/api-clients/{issued.pk}/"
    urls = [
        ("get", LIST),
        ("get", NEW),
        ("post", NEW),
        ("get", detail),
        ("post", f"{detail}keys/"),
        ("get", f"{detail}revoke/"),
        ("post", f"{detail}revoke/"),
        ("post", f"{detail}keys/{record.pk}/revoke/"),
    ]
    for method, url in urls:
        response = getattr(client, method)(url, valid_form() if method == "post" else None)
        assert response.status_code == 302 and "/login" in response["Location"], url
    for user in (cast.officer, cast.leader, cast.park_officer, cast.applicant, park_admin):
        session = login(user)
        for method, url in urls:
            data = valid_form() if method == "post" else None
            response = getattr(session, method)(url, data)
            assert response.status_code == 403, (user, url)
        session.logout()
    assert ApiClient.objects.count() == 1 and issued.keys.count() == 1
    assert get("/api/client/me", key).status_code == 200


def test_a_record_that_does_not_exist_is_a_404(cast, login):
    issued, _record, _key = issue(cast)
    _other, other_record, _k = issue(cast, name="银行核验")
    client = login(cast.admin)
    assert client.get("/admin-tools/api-clients/999999/").status_code == 404
    # A key of another client is not found under this one.
    url = f"/admin-tools/api-clients/{issued.pk}/keys/{other_record.pk}/revoke/"
    assert client.post(url).status_code == 404
    other_record.refresh_from_db()
    assert other_record.revoked_at is None


def test_an_expired_key_shows_as_expired_and_the_client_without_a_usable_key(cast, login):
    issued, _record, _key = issue(cast, expires_at=timezone.now() + timedelta(days=1))
    with time_machine.travel(timezone.now() + timedelta(days=1, minutes=1)):
        client = login(cast.admin)  # inside: a day idle would end a staff session
        html = client.get(f"/admin-tools/api-clients/{issued.pk}/").content.decode()
        listing = client.get(LIST).content.decode()
    row = html[html.index('data-testid="api-client-key-row"') :]
    assert "已过期" in row[: row.index("</tr>")]
    assert "无可用密钥" in html and "无可用密钥" in listing


def test_the_issue_form_offers_every_registered_scope_with_what_it_allows(cast, login):
    client = login(cast.admin)
    html = client.get(NEW).content.decode()
    assert 'type="checkbox" name="scopes" value="documents:status"' in html
    assert "查询证照状态（documents:status）" in html and "批量查询" in html
    # After an error the ticked scope stays ticked.
    html = client.post(NEW, valid_form(name="")).content.decode()
    assert 'value="documents:status" id="id_scopes_0" checked' in html
