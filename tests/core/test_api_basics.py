import pytest

from zonegov.core.services.users import api_token_create, api_token_revoke


@pytest.mark.django_db
def test_the_openapi_document_is_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "zonegov API"


@pytest.mark.django_db
def test_anonymous_calls_get_401_in_the_common_error_shape(client):
    response = client.get("/api/me")
    assert response.status_code == 401
    assert set(response.json()) == {"message", "errors"}


def test_a_bearer_token_identifies_the_user_until_revoked(cast, client):
    token, key = api_token_create(user=cast.officer, name="台账同步")
    response = client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.json()["username"] == "officer"
    api_token_revoke(user=cast.officer, token=token)
    assert client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_field_errors_come_back_by_field(cast, login):
    response = login(cast.admin).post(
        "/api/units", {"name": "新网格"}, content_type="application/json"
    )
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"code", "kind", "parent_id"} <= fields


def test_a_unit_of_an_unknown_type_is_refused_with_a_field_error(cast, login):
    """Schemathesis found this one: an unknown ``kind`` under a real parent was a 500."""
    client = login(cast.admin)
    response = client.post(
        "/api/units",
        {"name": "新单位", "code": "x1", "kind": "foo", "parent_id": cast.zone.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["kind"]
    assert not cast.zone.children.filter(code="x1").exists()


def test_nul_characters_are_refused_at_the_edge(cast, login):
    response = login(cast.officer).post(
        "/api/me/tokens", {"name": "a\x00b"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "name"
    search = login(cast.officer).get("/api/enterprises", {"q": "x\x00"})
    assert search.status_code == 400


def test_numbers_beyond_what_the_database_holds_are_bad_input(cast, login):
    client = login(cast.admin)
    assert client.get("/api/enterprises", {"offset": 10**30}).status_code == 200
    response = client.get(f"/api/units/{10**30}")
    assert response.status_code in (400, 404, 405)
    response = client.get(f"/api/assignments/{10**25}")
    assert response.status_code in (400, 404)
    assert response.json()["message"]
