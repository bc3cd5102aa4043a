"""An applicant's 身份证号 or 统一社会信用代码 is checked by its standard when the ticks are
saved: a real number from a county no table knows, a 港澳台 residence permit or a village
collective's N-code is kept; a future birth date is a field error, never a 500."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from zonegov.core.identifiers import id_check_digit, uscc_check_character
from zonegov.licensing import services
from zonegov.licensing.models import Application

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("lic")]


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(
        datetime(2026, 5, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        yield


J = {"content_type": "application/json"}


def id_number(body: str) -> str:
    return body + id_check_digit(body)


def uscc(body: str) -> str:
    return body + uscc_check_character(body)


def _patch(client, app: Application, holder_code: str):
    return client.patch(f"/api/licensing/applications/{app.pk}", {"holder_code": holder_code}, **J)


@pytest.mark.parametrize(
    "code",
    [
        id_number("41047119900101123"),  # the zone's own statistical code
        id_number("32057119850505002"),  # 苏州工业园区
        id_number("41900119900101123"),  # 济源 (code from 1997), born 1990
        id_number("83000019900101123"),  # 台湾居民居住证
    ],
)
def test_a_person_holder_code_no_county_table_knows_is_kept(cast, login, code):
    app = services.application_start(actor=cast.applicant, kind="small_stall", holder_kind="person")
    response = _patch(login(cast.applicant), app, code)
    assert response.status_code == 200, response.content
    app.refresh_from_db()
    assert app.holder_code == code


def test_a_future_birth_date_is_a_field_error(cast, login):
    app = services.application_start(actor=cast.applicant, kind="small_stall", holder_kind="person")
    response = _patch(login(cast.applicant), app, id_number("41040220260521123"))
    assert response.status_code == 400
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["holder_code"] == "身份证号中的出生日期（2026-05-21）晚于今天，请核对。"


def test_a_village_collectives_n_code_is_kept(cast, login):
    code = uscc("N2410471MF0000001")
    app = services.application_start(actor=cast.applicant, kind="filing")
    response = _patch(login(cast.applicant), app, code)
    assert response.status_code == 200, response.content
    app.refresh_from_db()
    assert app.holder_code == code


def test_the_page_shows_the_birth_date_error_and_keeps_what_was_typed(cast, login):
    client = login(cast.applicant)
    client.post("/licensing/apply/", {"kind": "small_stall", "holder_kind": "person"})
    app = Application.objects.get()
    typed = id_number("41040220270101123")
    response = client.post(
        f"/licensing/applications/{app.pk}/save/",
        {"holder_kind": "person", "holder_code": typed, "operator_name": "张三"},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "身份证号中的出生日期（2027-01-01）晚于今天，请核对。" in page
    assert typed in page


def test_the_page_keeps_a_number_from_a_new_county(cast, login):
    client = login(cast.applicant)
    client.post("/licensing/apply/", {"kind": "small_stall", "holder_kind": "person"})
    app = Application.objects.get()
    code = id_number("32057119850505002")
    response = client.post(
        f"/licensing/applications/{app.pk}/save/",
        {"holder_kind": "person", "holder_code": code, "operator_name": "张三"},
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.holder_code == code
