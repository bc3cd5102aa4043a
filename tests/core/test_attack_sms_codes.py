"""Attack on the SMS code pages (忘记密码 and 手机验证码登录): step 2 must not tell a
stranger who has no code anything about the account behind a number — not that there is
one, not that it is staff, not its e-mail or user name."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.core.phone_login_helpers import SENT, last_code

pytestmark = pytest.mark.django_db

EMAIL = "wang.xiaoming@example.cn"
GUESS = "wangxiaoming"  # 12 letters: passes every rule but "similar to the e-mail"


@pytest.fixture
def sms(settings):
    SENT.clear()
    settings.ZONEGOV_LOGIN_SMS_CHANNEL = "tests.core.phone_login_helpers.RecordingSms"
    return SENT


def _errors(response) -> list[str]:
    return re.findall(r"invalid-feedback[^>]*>(.*?)<", response.content.decode(), re.S)


def _step_two(phone: str, password: str, code: str = "000000") -> tuple[Client, object]:
    client = Client()
    assert client.post("/accounts/password/forgot/", {"phone": phone}).status_code == 302
    response = client.post(
        "/accounts/password/forgot/code/",
        {"code": code, "new_password1": password, "new_password2": password},
    )
    return client, response


def test_step_two_does_not_confirm_an_accounts_email_to_a_stranger(cast, sms):
    cast.applicant.email = EMAIL
    cast.applicant.save()
    _, registered = _step_two(cast.applicant.mobile, GUESS)
    _, unknown = _step_two("13912340009", GUESS)
    assert not any("太相似" in e for e in _errors(registered)), _errors(registered)
    assert _errors(registered) == _errors(unknown)


def test_the_owner_with_the_code_still_hears_the_rule_and_may_try_again(cast, sms):
    cast.applicant.email = EMAIL
    cast.applicant.save()
    client = Client()
    client.post("/accounts/password/forgot/", {"phone": cast.applicant.mobile})
    code = last_code(cast.applicant.mobile)
    page = client.post(
        "/accounts/password/forgot/code/",
        {"code": code, "new_password1": GUESS, "new_password2": GUESS},
    )
    assert any("太相似" in e for e in _errors(page)), _errors(page)
    cast.applicant.refresh_from_db()
    assert not cast.applicant.check_password(GUESS)
    # the same code, a better password: reset
    done = client.post(
        "/accounts/password/forgot/code/",
        {"code": code, "new_password1": "Neu-Passwort-26", "new_password2": "Neu-Passwort-26"},
    )
    assert done.status_code == 302
    cast.applicant.refresh_from_db()
    assert cast.applicant.check_password("Neu-Passwort-26")


def _wrong_tries(url_start: str, url_code: str, phone: str, data: dict) -> list[list[str]]:
    client = Client()
    assert client.post(url_start, {"phone": phone}).status_code == 302
    return [_errors(client.post(url_code, data)) for _ in range(6)]


def test_wrong_reset_codes_get_the_same_answers_with_or_without_an_account(cast, sms):
    data = {"code": "000000", "new_password1": "Neu-Passwort-26", "new_password2": "x"}
    data["new_password2"] = data["new_password1"]
    start, code = "/accounts/password/forgot/", "/accounts/password/forgot/code/"
    registered = _wrong_tries(start, code, cast.applicant.mobile, data)
    if last_code(cast.applicant.mobile) == "000000":  # one in a million
        return
    unknown = _wrong_tries(start, code, "13912340009", data)
    assert registered == unknown
    assert "还可以再试 4 次" in registered[0][0] and "次数过多" in registered[-1][0]


def test_wrong_login_codes_do_not_tell_a_staff_number_from_a_citizens(cast, sms):
    cast.officer.mobile = "13700000009"
    cast.officer.save()
    cast.applicant.mobile_verified_at = timezone.now()  # a citizen SMS login opens
    cast.applicant.save()
    start, code = "/accounts/phone/", "/accounts/phone/code/"
    citizen = _wrong_tries(start, code, cast.applicant.mobile, {"code": "000000"})
    if last_code(cast.applicant.mobile) == "000000":  # one in a million
        return
    staff = _wrong_tries(start, code, "13700000009", {"code": "000000"})
    assert citizen == staff
