"""API clients authenticate with a key (issue 11): the database holds only its hash, a
live key with the endpoint's scope passes, a revoked, expired or wrong key answers 401, a
key without the scope 403, a user token or session is no client key (nor a client key a
user token), use is recorded at most once a minute, and each client has its own
per-minute limit."""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.core.api_client_fixtures import bearer, get, issue, make_document, post_json
from zonegov.core.api_scopes import register_scope, unregister_scope
from zonegov.core.models import ApiClientKey
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.services.api_clients import (
    api_client_key_issue,
    api_client_key_revoke,
    api_client_revoke,
)
from zonegov.core.services.users import api_token_create

pytestmark = pytest.mark.django_db


def test_the_database_holds_only_a_hash_of_the_key(cast):
    _client, record, key = issue(cast)
    assert key.startswith("zgc_") and len(key) >= 4 + 43  # 32 random bytes, base64url
    assert record.prefix == key[:12]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {ApiClientKey._meta.db_table}")
        rows = cursor.fetchall()
        cursor.execute("SELECT changes FROM core_auditrecord")
        audit = cursor.fetchall()
    assert rows and not any(key in str(value) for row in rows for value in row)
    assert not any(key in str(row) for row in audit)
    assert ApiClientKey.objects.get().key_hash == ApiClientKey.hash_key(key)


def test_a_live_key_reads_document_status_with_either_header(cast):
    make_document("ZG-2026-000123")
    _client, _record, key = issue(cast)
    response = get("/api/client/documents/ZG-2026-000123", key)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "valid" and body["status_label"] == "有效"
    assert body["holder_name"] == "平顶山市好味餐饮有限公司"
    response = get("/api/client/documents/zg-2026-000123", **bearer(key))
    assert response.status_code == 200
    assert get("/api/client/documents/ZG-2026-999999", key).status_code == 404


def test_the_batch_answers_every_number_in_the_order_asked(cast):
    old = make_document("ZG-2026-000100", status=DocumentStatus.CHANGED)
    make_document("ZG-2026-000101", replaces=old)
    make_document("ZG-2026-000102", status=DocumentStatus.REVOKED)
    make_document("ZG-2020-000001", valid_until=timezone.localdate() - timedelta(days=1))
    _client, _record, key = issue(cast)
    response = post_json(
        "/api/client/documents/status",
        {"numbers": ["ZG-2026-000102", "ＺＧ－２０２６－０００１００", "nope", "ZG-2020-000001"]},
        key,
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["found"] for i in items] == [True, True, False, True]
    assert items[0]["document"]["status"] == "revoked"
    assert items[1]["query"] == "ＺＧ－２０２６－０００１００"
    assert items[1]["document"]["status"] == "changed"
    assert items[1]["document"]["replaced_by_number"] == "ZG-2026-000101"
    assert items[2]["document"] is None
    assert items[3]["document"]["status"] == "expired"


def test_the_batch_refuses_bad_input_with_a_chinese_message(cast):
    _client, _record, key = issue(cast)
    empty = post_json("/api/client/documents/status", {"numbers": []}, key)
    assert empty.status_code == 400 and "至少提供一个" in empty.json()["message"]
    many = post_json("/api/client/documents/status", {"numbers": ["x"] * 101}, key)
    assert many.status_code == 400 and "最多查询 100 个" in many.json()["message"]
    long = post_json("/api/client/documents/status", {"numbers": ["x" * 65]}, key)
    assert long.status_code == 400
    assert long.json()["errors"][0]["field"] == "numbers.0"
    wrong_type = post_json("/api/client/documents/status", {"numbers": "ZG-1"}, key)
    assert wrong_type.status_code == 400
    assert post_json("/api/client/documents/status", {}, key).status_code == 400


def test_a_missing_or_wrong_key_answers_401_in_chinese(cast):
    make_document("ZG-2026-000123")
    _client, _record, key = issue(cast)
    missing = get("/api/client/documents/ZG-2026-000123")
    assert missing.status_code == 401 and "缺少 API 密钥" in missing.json()["message"]
    wrong = get("/api/client/documents/ZG-2026-000123", key[:-2] + "xx")
    assert wrong.status_code == 401 and "无效" in wrong.json()["message"]
    assert get("/api/client/documents/ZG-2026-000123", "x" * 5000).status_code == 401


def test_revoked_keys_and_revoked_clients_answer_401(cast):
    client, record, key = issue(cast)
    second, second_key = api_client_key_issue(actor=cast.admin, client=client)
    api_client_key_revoke(actor=cast.admin, key=record)
    assert get("/api/client/me", key).status_code == 401
    assert get("/api/client/me", second_key).status_code == 200
    api_client_revoke(actor=cast.admin, client=client)
    assert get("/api/client/me", second_key).status_code == 401
    second.refresh_from_db()
    assert second.revoked_at is not None


def test_an_expired_key_answers_401(cast):
    _client, _record, key = issue(cast, expires_at=timezone.now() + timedelta(days=2))
    assert get("/api/client/me", key).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=2, seconds=1)):
        response = get("/api/client/me", key)
    assert response.status_code == 401 and "已过期" in response.json()["message"]


def test_a_key_without_the_scope_answers_403(cast):
    register_scope("testing:other", "测试用范围")
    try:
        _client, _record, key = issue(cast, scopes=["testing:other"])
    finally:
        unregister_scope("testing:other")
    response = get("/api/client/documents/ZG-2026-000123", key)
    assert response.status_code == 403
    assert "documents:status" in response.json()["message"]
    assert "查询证照状态" in response.json()["message"]
    # The key itself is good: the client may still ask who it is.
    me = get("/api/client/me", key)
    assert me.status_code == 200 and me.json()["scopes"][0]["code"] == "testing:other"


def test_a_client_key_is_no_user_token_and_a_user_token_no_client_key(cast, login):
    make_document("ZG-2026-000123")
    _client, _record, key = issue(cast)
    assert get("/api/me", **bearer(key)).status_code == 401
    assert get("/api/outbox", **bearer(key)).status_code == 401
    _token, user_key = api_token_create(user=cast.admin, name="同步")
    assert get("/api/client/documents/ZG-2026-000123", **bearer(user_key)).status_code == 401
    session = login(cast.admin)
    assert session.get("/api/client/documents/ZG-2026-000123").status_code == 401


def test_use_is_recorded_at_most_once_a_minute(cast):
    _client, record, key = issue(cast)
    assert get("/api/client/me", key, REMOTE_ADDR="10.9.8.7").status_code == 200
    record.refresh_from_db()
    first = record.last_used_at
    assert first is not None and record.last_used_ip == "10.9.8.7"
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            assert get("/api/client/me", key, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith("UPDATE")]
    record.refresh_from_db()
    assert record.last_used_at == first and record.last_used_ip == "10.9.8.7"
    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        assert get("/api/client/me", key, REMOTE_ADDR="10.0.0.1").status_code == 200
    record.refresh_from_db()
    assert record.last_used_at > first and record.last_used_ip == "10.0.0.1"


def test_each_client_has_its_own_per_minute_limit(cast, settings):
    settings.ZONEGOV_API_CLIENT_RATE_LIMIT = 3
    client, _record, key = issue(cast)
    _second_key_record, second_key = api_client_key_issue(actor=cast.admin, client=client)
    _other, _other_record, other_key = issue(cast, name="银行核验")
    assert get("/api/client/me", key).status_code == 200
    assert get("/api/client/me", second_key).status_code == 200
    assert get("/api/client/me", key, REMOTE_ADDR="10.1.1.1").status_code == 200
    limited = get("/api/client/me", second_key, REMOTE_ADDR="10.2.2.2")
    assert limited.status_code == 429
    assert "访问过于频繁" in limited.json()["message"]
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert get("/api/client/me", other_key).status_code == 200


def test_the_openapi_document_describes_the_client_endpoints(client):
    spec = client.get("/api/openapi.json").json()
    operation = spec["paths"]["/api/client/documents/status"]["post"]
    assert operation["security"] == [{"ApiClientKeyAuth": []}]
    scheme = spec["components"]["securitySchemes"]["ApiClientKeyAuth"]
    assert scheme["in"] == "header" and scheme["name"] == "X-Api-Key"
    assert "/api/client/documents/{number}" in spec["paths"]
