"""Control characters and far-off dates: refused where people type them, with a message,
and never a 500 — not in the 公示 feeds, the .xlsx exports, the verification page or the
statistics, whichever database runs underneath. (A review found each of these as a 500.)"""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.licensing.conftest import FILING_TICKS, filing_of, issued_licence
from zonegov.licensing import services
from zonegov.licensing.models import Licence, PublicNotice

pytestmark = pytest.mark.django_db

VERTICAL_TAB = "\x0b"


def test_an_address_with_a_control_character_is_refused_and_the_rest_kept(cast, lic, login):
    client = login(cast.applicant)
    app = services.application_start(actor=cast.applicant, kind="filing")
    ticks = {**FILING_TICKS, "premises_address": f"高新区{VERTICAL_TAB}神马大道88号"}
    result = services.application_save_ticks(actor=cast.applicant, application=app, data=ticks)
    app = result.application
    assert result.errors["premises_address"] == [
        "不能包含控制字符（如 \\x00、\\x0b），请删除后重新填写。"
    ]
    assert app.subject_type == FILING_TICKS["subject_type"]  # the rest is kept
    assert VERTICAL_TAB not in app.premises_address

    response = client.patch(
        f"/api/licensing/applications/{app.pk}",
        {"premises_address": f"高新区{VERTICAL_TAB}神马大道88号"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"].endswith("premises_address")


@pytest.mark.parametrize("typed", ["情节\x00严重", f"情节{VERTICAL_TAB}严重"])
def test_a_revocation_reason_with_a_control_character_is_refused(cast, lic, login, typed):
    licence = issued_licence(cast, lic)
    response = login(cast.officer).post(
        f"/licensing/licences/{licence.pk}/revoke/",
        {"reason": typed, "decision_number": "平高市监罚〔2026〕12号"},
        follow=True,
    )
    assert response.status_code == 200
    assert "不能包含控制字符" in response.content.decode()
    licence.refresh_from_db()
    assert licence.status == "valid"
    assert not PublicNotice.objects.filter(licence=licence, event="revoked").exists()


def _stored_before_the_rule(licence: Licence) -> None:
    """Records written before control characters were refused still hold them."""
    Licence.objects.filter(pk=licence.pk).update(
        premises_address=f"高新区{VERTICAL_TAB}长安大道1号", operator_name=f"彭记{VERTICAL_TAB}杂货"
    )
    PublicNotice.objects.filter(licence=licence).update(
        premises_address=f"高新区{VERTICAL_TAB}长安大道1号", operator_name=f"彭记{VERTICAL_TAB}杂货"
    )


def test_feeds_and_exports_drop_control_characters_of_older_records(cast, lic, client, login):
    licence = filing_of(cast.applicant)
    _stored_before_the_rule(licence)

    for feed in ("/gongshi/rss/", "/gongshi/atom/"):
        response = client.get(feed)
        assert response.status_code == 200
        body = response.content.decode()
        assert "彭记杂货" in body and "高新区长安大道1号" in body

    officer = login(cast.officer)
    for url in ("/licensing/library/?format=xlsx", "/api/licensing/library/export"):
        response = officer.get(url)
        assert response.status_code == 200
        sheet = load_workbook(BytesIO(response.content)).active
        cells = {str(c.value) for row in sheet.iter_rows() for c in row}
        assert "彭记杂货" in cells and "高新区长安大道1号" in cells
        assert response["Cache-Control"] == "private, no-store"


def test_a_verification_url_with_a_nul_is_not_found(client, db):
    assert client.get("/verify/JY1%00234/").status_code == 404


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_far_off_dates_in_the_announcement_search_are_explained(client, db, value):
    page = client.get("/gongshi/", {"date_to": value})
    assert page.status_code == 200
    assert "日期应在 1900-01-01 至 2199-12-31 之间" in page.content.decode()
    assert client.get("/gongshi/rss/", {"date_from": value}).status_code == 400
    response = client.get("/api/public/notices", {"date_to": value})
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["date_to"]


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_far_off_dates_on_the_dashboard_are_explained(cast, login, value):
    client = login(cast.leader)
    for params in ({"date_to": value}, {"date_from": value}):
        page = client.get("/dashboard/", params)
        assert page.status_code in (200, 400)
        assert "日期应在 1900-01-01 至 2199-12-31 之间" in page.content.decode()
        assert client.get("/dashboard/export.xlsx", params).status_code in (200, 400)
        response = client.get("/api/dashboard/sections/licensing", params)
        assert response.status_code == 400
        assert "1900-01-01" in response.json()["message"]
