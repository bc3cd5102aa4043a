"""/api/enterprises: search, read, register, change, history, import, export — and the
one error shape {"message", "errors": [{"field", "message"}]}."""

from io import BytesIO

from openpyxl import load_workbook

from tests.conftest import make_unit
from tests.core.enterprise_fixtures import (
    fields,
    make_uscc,
    register,
    row,
    upload,
    wrong_check_character,
    xlsx,
)
from zonegov.core.models import Enterprise
from zonegov.core.models.org import UnitKind
from zonegov.core.services.users import api_token_create

JSON = "application/json"


def errors_by_field(response) -> dict[str, list[str]]:
    body = response.json()
    assert set(body) == {"message", "errors"}
    out: dict[str, list[str]] = {}
    for item in body["errors"]:
        out.setdefault(item["field"], []).append(item["message"])
    return out


def test_search_is_paginated_with_limit_and_offset(cast, login):
    for n in range(1, 6):
        register(cast.admin, n)
    client = login(cast.grid_worker)
    page = client.get("/api/enterprises", {"limit": 2, "offset": 2}).json()
    assert page["count"] == 5 and page["limit"] == 2 and page["offset"] == 2
    assert [e["uscc"] for e in page["items"]] == [make_uscc(3), make_uscc(4)]
    found = client.get("/api/enterprises", {"q": make_uscc(5)[:17]}).json()
    assert [e["uscc"] for e in found["items"]] == [make_uscc(5)]
    clamped = client.get("/api/enterprises", {"limit": 100000, "offset": -3}).json()
    assert clamped["limit"] == 200 and clamped["offset"] == 0


def test_a_bearer_token_client_reads_one_enterprise(cast, client):
    enterprise = register(cast.admin, park=cast.park)
    _token, key = api_token_create(user=cast.officer, name="台账同步")
    response = client.get(f"/api/enterprises/{enterprise.pk}", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200
    body = response.json()
    assert body["uscc"] == enterprise.uscc
    assert body["kind_label"] == "有限责任公司"
    assert body["park"] == cast.park.pk and body["park_name"] == "电气装备产业园区"


def test_applicants_and_anonymous_callers_are_refused(cast, login, client):
    enterprise = register(cast.admin)
    assert client.get("/api/enterprises").status_code == 401
    applicant = login(cast.applicant)
    for url in ("/api/enterprises", f"/api/enterprises/{enterprise.pk}", "/api/enterprises/export"):
        response = applicant.get(url)
        assert response.status_code == 403, url
        assert set(response.json()) == {"message", "errors"}


def test_registering_through_the_api(cast, login):
    payload = {**fields(1), "park": cast.park.pk, "industry": "C38", "established_on": "2020/5/6"}
    response = login(cast.admin).post("/api/enterprises", payload, content_type=JSON)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["industry"] == "38" and body["industry_name"] == "电气机械和器材制造业"
    assert body["established_on"] == "2020-05-06"
    assert Enterprise.objects.get().uscc == make_uscc(1)


def test_a_wrong_check_character_comes_back_under_uscc(cast, login):
    payload = {**fields(1), "uscc": wrong_check_character(make_uscc(1))}
    response = login(cast.admin).post("/api/enterprises", payload, content_type=JSON)
    assert response.status_code == 400
    assert errors_by_field(response) == {
        "uscc": ["统一社会信用代码校验位不正确（GB 32100），请核对最后一位。"]
    }


def test_missing_fields_and_unknown_references_are_listed_in_chinese(cast, login):
    client = login(cast.admin)
    response = client.post("/api/enterprises", {}, content_type=JSON)
    assert response.status_code == 400
    assert set(errors_by_field(response)) == {
        "uscc",
        "name",
        "kind",
        "legal_representative",
        "registered_address",
    }
    response = client.post(
        "/api/enterprises",
        {**fields(1), "park": 999999, "industry": "ZZ", "established_on": "昨天"},
        content_type=JSON,
    )
    assert set(errors_by_field(response)) == {"park", "industry", "established_on"}
    response = client.post("/api/enterprises", "not json", content_type=JSON)
    assert response.status_code == 400
    assert not Enterprise.objects.exists()


def test_patch_changes_only_the_given_fields_and_records_history(cast, login):
    enterprise = register(cast.admin, park=cast.park)
    client = login(cast.park_officer)
    response = client.patch(
        f"/api/enterprises/{enterprise.pk}",
        {"legal_representative": "新法人", "size": "medium"},
        content_type=JSON,
    )
    assert response.status_code == 200, response.json()
    assert response.json()["legal_representative"] == "新法人"
    assert response.json()["name"] == enterprise.name
    history = client.get(f"/api/enterprises/{enterprise.pk}/history").json()
    assert history[0]["action"] == "enterprise.update"
    assert {c["label"]: [c["before"], c["after"]] for c in history[0]["changes"]} == {
        "法定代表人/负责人": ["王测试", "新法人"],
        "规模": ["", "中型"],
    }
    assert history[1]["action_label"] == "登记"


def test_patch_by_an_officer_of_another_park_is_refused(cast, login):
    other = make_unit("临港物流产业园区", "lgwl", UnitKind.PARK, cast.zone)
    enterprise = register(cast.admin, park=other)
    response = login(cast.park_officer).patch(
        f"/api/enterprises/{enterprise.pk}", {"name": "改名"}, content_type=JSON
    )
    assert response.status_code == 403
    assert set(response.json()) == {"message", "errors"}


def test_a_missing_enterprise_is_404(cast, login):
    response = login(cast.officer).get("/api/enterprises/999999")
    assert response.status_code == 404
    assert set(response.json()) == {"message", "errors"}


def test_import_returns_the_report(cast, login):
    client = login(cast.officer)
    content = xlsx([row(1), row(2, 名称="")])
    response = client.post("/api/enterprises/import", {"file": upload(content), "strict": "true"})
    assert response.status_code == 200
    body = response.json()
    assert body["written"] is False and body["strict"] is True
    assert body["bad_rows"] == [3]
    assert body["errors"] == [{"row": 3, "column": "名称", "message": "请填写名称。", "value": ""}]
    response = client.post("/api/enterprises/import", {"file": upload(content)})
    assert response.json()["created"] == 1 and response.json()["written"] is True


def test_import_of_a_non_xlsx_file_is_a_400_with_a_message(cast, login):
    response = login(cast.officer).post(
        "/api/enterprises/import", {"file": upload(b"hello", "a.txt")}
    )
    assert response.status_code == 400
    assert "请上传 Excel .xlsx 文件" in response.json()["message"]


def test_import_without_a_file_is_a_400(cast, login):
    response = login(cast.officer).post("/api/enterprises/import", {})
    assert response.status_code == 400
    assert "file" in errors_by_field(response)


def test_export_downloads_xlsx_of_the_search(cast, login):
    register(cast.admin, 1, name="甲电气有限公司")
    register(cast.admin, 2, name="乙物流有限公司")
    response = login(cast.grid_worker).get("/api/enterprises/export", {"q": "电气"})
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content))["市场主体"]
    assert [r[1].value for r in ws.iter_rows(min_row=2)] == ["甲电气有限公司"]
