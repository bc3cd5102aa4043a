"""Registration takes every real 身份证号: the county part is not looked up (the zone's own
statistical code 410471, 苏州工业园区 320571, 济源 419001 for someone born before 1997, 港澳台
residence permits); a future birth date is a form error with what was typed kept."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.core.registration_helpers import register
from tests.core.test_auth import GOOD
from zonegov.core.identifiers import id_check_digit
from zonegov.core.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(
        datetime(2026, 5, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        yield


def id_number(body: str) -> str:
    return body + id_check_digit(body)


@pytest.mark.parametrize(
    "body",
    ["41047119900101123", "32057119850505002", "41900119900101123", "81000019900101123"],
)
def test_it_registers_a_person_whose_county_no_table_knows(client, body):
    code = id_number(body)
    response = register(client, {**GOOD, "id_number": code}, follow=True)
    assert response.status_code == 200
    assert "注册已受理" in response.content.decode()
    assert User.objects.get(mobile=GOOD["mobile"]).person.id_number == code


def test_it_refuses_a_birth_date_after_today_and_keeps_what_was_typed(client):
    code = id_number("41040220260521123")
    response = client.post("/accounts/register/", {**GOOD, "id_number": code})
    page = response.content.decode()
    assert response.status_code == 200
    assert "身份证号中的出生日期（2026-05-21）晚于今天，请核对。" in page
    assert code in page and 'value="13912345678"' in page
    assert not User.objects.filter(mobile=GOOD["mobile"]).exists()


def test_it_refuses_a_province_that_does_not_exist(client):
    code = id_number("99040219900101123")
    response = client.post("/accounts/register/", {**GOOD, "id_number": code})
    assert "身份证号前两位“99”不是省级行政区划代码，请核对。" in response.content.decode()
    assert not User.objects.filter(mobile=GOOD["mobile"]).exists()
