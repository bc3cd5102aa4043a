"""Mobile squatting (attack review): registration proves the number with an SMS code
(purpose "register"), and SMS login never opens an account whose number was only typed,
so nobody can register someone else's number and be found by its owner's SMS login."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.conftest import OTHER_VALID_ID
from tests.core import phone_login_helpers as sms
from tests.core.registration_helpers import REGISTER, code_on_page, register, send_code
from zonegov.core.models import PhoneLoginCode, User
from zonegov.core.services.users import applicant_register

pytestmark = pytest.mark.django_db

VICTIM = "13912345678"
GOOD = {
    "mobile": VICTIM,
    "full_name": "王五",
    "id_number": OTHER_VALID_ID,
    "password": "Kaidian-2026!",
    "password2": "Kaidian-2026!",
    "privacy_consent": "on",
}


def a_minute_later():
    """One code a minute per number, whatever it is for."""
    return time_machine.travel(timezone.now() + timedelta(minutes=2), tick=True)


@pytest.fixture
def gateway(settings):
    sms.SENT.clear()
    settings.ZONEGOV_LOGIN_SMS_CHANNEL = "tests.core.phone_login_helpers.RecordingSms"


def test_registration_without_the_sms_code_is_refused(client):
    page = client.post(REGISTER, GOOD).content.decode()
    assert "请输入短信验证码" in page
    assert not User.objects.filter(mobile=VICTIM).exists()


def test_getting_a_code_keeps_what_was_typed_and_opens_no_account(client):
    page = client.get(REGISTER).content.decode()
    assert 'data-testid="send-code"' in page and "获取验证码" in page
    response = send_code(client, GOOD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "139****5678" in page and 'data-testid="demo-sms"' in page
    assert "您正在注册申请人账号" in page and code_on_page(response)
    assert 'value="王五"' in page and OTHER_VALID_ID in page and 'value="13912345678"' in page
    assert 'value="Kaidian-2026!"' in page and "checked" in page  # nothing to retype
    assert "invalid-feedback" not in page  # nothing judged yet
    assert not User.objects.filter(mobile=VICTIM).exists()


def test_a_bad_number_gets_no_code_and_says_why(client):
    page = send_code(client, {**GOOD, "mobile": "1234"}).content.decode()
    assert "请输入11位中国大陆手机号" in page
    assert not PhoneLoginCode.objects.exists()


def test_a_wrong_code_opens_no_account_and_the_right_one_proves_the_number(client):
    code = code_on_page(send_code(client, GOOD))
    wrong = "000000" if code != "000000" else "111111"
    page = client.post(REGISTER, {**GOOD, "code": wrong}).content.decode()
    assert "验证码不正确，还可以再试 4 次" in page
    assert not User.objects.filter(mobile=VICTIM).exists()
    response = client.post(REGISTER, {**GOOD, "code": code}, follow=True)
    assert "注册已受理" in response.content.decode()
    user = User.objects.get(mobile=VICTIM)
    assert user.mobile_verified_at is not None
    # The code is used up: it cannot open a second account or be replayed.
    again = client.post(REGISTER, {**GOOD, "code": code}).content.decode()
    assert "验证码不正确或已失效" in again


def test_a_login_code_does_not_register(client, gateway):
    client.post("/accounts/phone/", {"phone": VICTIM})
    login_code = sms.last_code(VICTIM)
    User.objects.filter(mobile=VICTIM).delete()
    page = client.post(REGISTER, {**GOOD, "code": login_code}).content.decode()
    assert "验证码不正确" in page
    assert not User.objects.filter(mobile=VICTIM).exists()


def test_the_owner_of_a_registered_number_is_told_by_sms_and_no_code_is_issued(cast, gateway):
    response = send_code(Client(), {**GOOD, "mobile": cast.applicant.mobile})
    assert response.status_code == 200 and "138****0001" in response.content.decode()
    (message,) = [s["text"] for s in sms.SENT if s["mobile"] == cast.applicant.mobile]
    assert "该号码已有账号" in message and not re.search(r"\d{6}", message)
    assert not PhoneLoginCode.objects.filter(phone=cast.applicant.mobile).exists()


def test_a_squatter_cannot_take_a_number_then_the_owner_logs_in_to_their_own_account(gateway):
    # The squatter types the victim's number but never receives the code.
    squatter = Client()
    send_code(squatter, {**GOOD, "full_name": "冒名者"})
    squatter.post(REGISTER, {**GOOD, "full_name": "冒名者", "code": "123456"})
    assert not User.objects.filter(mobile=VICTIM).exists()
    # The owner logs in by SMS and gets a fresh account of their own.
    owner = Client()
    with a_minute_later():
        owner.post("/accounts/phone/", {"phone": VICTIM})
        owner.post("/accounts/phone/code/", {"code": sms.last_code(VICTIM)})
        user = owner.get("/").context["user"]
    assert user.mobile == VICTIM and user.full_name != "冒名者"
    assert user.mobile_verified_at is not None


def test_sms_login_does_not_open_an_account_whose_number_was_never_proved(db, gateway):
    # An account registered before registration checked the number (or by seeding).
    squatted = applicant_register(
        mobile=VICTIM,
        full_name="冒名者",
        id_number=OTHER_VALID_ID,
        password="Squat-2026-pw",
        privacy_consented=True,
    )
    assert squatted.mobile_verified_at is None
    owner = Client()
    response = owner.post("/accounts/phone/", {"phone": VICTIM})
    assert response.status_code == 302  # the same answer as for every number
    (message,) = [s["text"] for s in sms.SENT if s["mobile"] == VICTIM]
    assert "未验证手机号" in message and "忘记密码" in message
    assert not re.search(r"验证码是 \d{6}", message)
    page = owner.post("/accounts/phone/code/", {"code": "000000"}).content.decode()
    assert "验证码不正确" in page
    assert not owner.get("/").context["user"].is_authenticated


def test_forgotten_password_by_sms_proves_the_number_and_then_sms_login_works(db, gateway):
    user = applicant_register(
        mobile=VICTIM,
        full_name="王五",
        id_number=OTHER_VALID_ID,
        password="Kaidian-2026!",
        privacy_consented=True,
    )
    client = Client()
    client.post("/accounts/password/forgot/", {"phone": VICTIM})
    code = sms.last_code(VICTIM)
    response = client.post(
        "/accounts/password/forgot/code/",
        {"code": code, "new_password1": "Neu-Passwort-26", "new_password2": "Neu-Passwort-26"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.mobile_verified_at is not None
    with a_minute_later():
        client.post("/accounts/phone/", {"phone": VICTIM})
        client.post("/accounts/phone/code/", {"code": sms.last_code(VICTIM)})
        assert client.get("/").context["user"] == user


def test_sms_registration_then_sms_login_lands_in_the_same_account(client, gateway):
    send_code(client, GOOD)
    client.post(REGISTER, {**GOOD, "code": sms.last_code(VICTIM)})
    user = User.objects.get(mobile=VICTIM)
    phone_client = Client()
    with a_minute_later():
        phone_client.post("/accounts/phone/", {"phone": VICTIM})
        phone_client.post("/accounts/phone/code/", {"code": sms.last_code(VICTIM)})
        assert phone_client.get("/").context["user"] == user


def test_code_requests_are_rate_limited_per_number(client, gateway):
    send_code(client, GOOD)
    response = send_code(client, GOOD)
    assert response.status_code == 429
    assert "访问过于频繁" in response.content.decode() or "秒后" in response.content.decode()
    assert 'value="王五"' in response.content.decode()  # still kept


def test_register_helper_uses_the_page(client):
    assert register(client, GOOD).status_code == 302
