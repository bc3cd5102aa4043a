"""Registration (issue 10 item 12) is rate-limited per address, does not tell whether a
mobile or 身份证号 is already registered, and a stranger typing someone's ID number does
not block the real person. A verified identity (issue 10 item 1) is what binds an ID
number uniquely; a self-typed one binds nothing."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from tests.conftest import OTHER_VALID_ID
from tests.core import phone_login_helpers as sms
from tests.core.registration_helpers import register as register_with_code
from tests.core.registration_helpers import send_code
from zonegov.core.identity.phone import mask_phone
from zonegov.core.models import User

GOOD = {
    "mobile": "13912345678",
    "full_name": "王五",
    "id_number": OTHER_VALID_ID,
    "password": "Kaidian-2026!",
    "password2": "Kaidian-2026!",
    "privacy_consent": "on",
}


def register(client: Client, **changes):
    return register_with_code(client, {**GOOD, **changes}, follow=True)


def visible_text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    # The CSRF token differs on every page; compare what a person reads.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


@pytest.mark.django_db
def test_a_taken_mobile_gets_the_same_answer_as_a_new_one(cast, settings):
    sms.SENT.clear()
    settings.ZONEGOV_LOGIN_SMS_CHANNEL = "tests.core.phone_login_helpers.RecordingSms"

    def answers(mobile: str) -> list[str]:
        client = Client()
        sent = send_code(client, {**GOOD, "mobile": mobile})
        tried = client.post("/accounts/register/", {**GOOD, "mobile": mobile, "code": "000000"})
        return [
            visible_text(r).replace(mask_phone(mobile), "M").replace(mobile, "N")
            for r in (sent, tried)
        ]

    new, taken = answers(GOOD["mobile"]), answers(cast.applicant.mobile)
    if sms.last_code(GOOD["mobile"]) != "000000":  # one in a million
        assert new == taken
    assert "已注册" not in " ".join(taken)
    # The owner of the number hears by SMS that someone tried; no code reached anyone.
    owner_sms = [s["text"] for s in sms.SENT if s["mobile"] == cast.applicant.mobile]
    assert len(owner_sms) == 1 and "该号码已有账号" in owner_sms[0]
    assert "验证码是" not in owner_sms[0]
    assert User.objects.filter(mobile=cast.applicant.mobile).count() == 1


@pytest.mark.django_db
def test_the_new_account_logs_in_with_the_password_it_chose(cast):
    register(Client())
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": GOOD["mobile"], "password": GOOD["password"]}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_someone_elses_id_number_does_not_block_the_real_person(cast):
    register(Client(), mobile="13700000001", full_name="冒名者")
    response = register(Client(), mobile="13700000002", full_name="王五")
    assert "身份证号已注册" not in response.content.decode()
    real = User.objects.get(mobile="13700000002")
    squatter = User.objects.get(mobile="13700000001")
    assert real.person.id_number == OTHER_VALID_ID == squatter.person.id_number
    assert real.person_id != squatter.person_id


@pytest.mark.django_db
@time_machine.travel(datetime(2026, 3, 2, 9, 0, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
def test_registration_is_rate_limited_per_address(cast, settings):
    settings.ZONEGOV_PUBLIC_RATE_LIMITS = {**settings.ZONEGOV_PUBLIC_RATE_LIMITS, "register": 3}
    client = Client()
    for i in range(3):
        register(client, mobile=f"1370000001{i}")
    response = client.post("/accounts/register/", {**GOOD, "mobile": "13700000019"})
    assert response.status_code == 429
    assert "访问过于频繁" in response.content.decode()
    assert not User.objects.filter(mobile="13700000019").exists()
    # Reading the form is not counted.
    assert client.get("/accounts/register/").status_code == 200
