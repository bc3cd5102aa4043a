"""/api/dashboard: the sections a user may see and one section's figures; the error
shape for bad input; 401/403/404 for those who may not."""

import pytest

pytestmark = pytest.mark.django_db

PERIOD = "date_from=2025-01-01&date_to=2025-06-30"


def test_the_sections_a_leader_sees(cast, login):
    response = login(cast.leader).get("/api/dashboard/sections")
    assert response.status_code == 200
    body = response.json()
    assert [s["key"] for s in body] == ["licensing", "supervision", "ratings"]
    licensing = body[0]
    assert licensing["title"] == "食品经营许可"
    assert licensing["scope"] == {"kind": "zone", "label": "全区"}
    assert [d["key"] for d in licensing["dimensions"]] == ["kind", "park", "month"]
    measures = {m["key"]: m for m in licensing["measures"]}
    assert measures["instant_share"]["kind"] == "share"
    assert measures["median_workdays"]["kind"] == "days"
    assert measures["e_certificate_rate"]["help"]


def test_one_sections_figures(cast, known, login):
    response = login(cast.leader).get(f"/api/dashboard/sections/licensing?{PERIOD}&dimension=kind")
    assert response.status_code == 200
    body = response.json()
    assert body["date_from"] == "2025-01-01" and body["date_to"] == "2025-06-30"
    assert body["dimension"] == "kind" and body["dimension_label"] == "按种类"
    cards = {f["key"]: f for f in body["figures"]}
    assert cards["applications"]["value"] == 5
    assert cards["instant_share"]["value"] == pytest.approx(0.4)
    assert cards["instant_share"]["display"] == "40.0%"
    assert cards["median_workdays"]["display"] == "1 个工作日"
    rows = {r["key"]: r for r in body["rows"]}
    assert rows["filing"]["values"]["applications"] == 2
    assert rows["licence"]["values"]["median_hours"] == 168
    assert body["total"]["label"] == "合计"
    assert body["total"]["values"]["rejections"] == 1


def test_the_default_dimension_is_month_and_period_this_year(cast, login):
    body = login(cast.leader).get("/api/dashboard/sections/supervision").json()
    from django.utils import timezone

    today = timezone.localdate()
    assert body["dimension"] == "month"
    assert body["date_from"] == f"{today.year}-01-01"
    assert len(body["rows"]) == today.month


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("date_from=20250101", "date_from", "不是有效日期"),
        ("date_from=2025-06-01&date_to=2025-01-01", "date_from", "不能晚于结束日期"),
        ("dimension=street", "dimension", "没有“street”这个统计维度"),
    ],
)
def test_bad_input_answers_400_with_the_reason(cast, login, query, field, message):
    response = login(cast.leader).get(f"/api/dashboard/sections/licensing?{query}")
    assert response.status_code == 400
    body = response.json()
    assert message in body["message"]
    assert field in {e["field"] for e in body["errors"]}


def test_a_licensing_officer_sees_licensing_but_not_supervision(cast, login):
    client = login(cast.officer)
    assert [s["key"] for s in client.get("/api/dashboard/sections").json()] == ["licensing"]
    assert client.get("/api/dashboard/sections/licensing").status_code == 200
    assert client.get("/api/dashboard/sections/supervision").status_code == 404
    assert client.get("/api/dashboard/sections/nonexistent").status_code == 404


def test_applicants_are_refused_and_anonymous_must_authenticate(cast, login, client):
    assert client.get("/api/dashboard/sections").status_code == 401
    assert client.get("/api/dashboard/sections/licensing").status_code == 401
    login(cast.applicant)
    assert client.get("/api/dashboard/sections").status_code == 403
    assert client.get("/api/dashboard/sections/licensing").status_code == 403
    client.logout()
    login(cast.grid_worker)
    assert client.get("/api/dashboard/sections").status_code == 403
