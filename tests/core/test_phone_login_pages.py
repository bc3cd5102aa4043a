"""The 手机验证码登录 pages with the test client: from the login page's tab to a logged-in
citizen, the same answers for every number, Chinese refusals, CSRF, safe redirects."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from tests.core import phone_login_helpers as sms
from zonegov.core.models import PhoneLoginCode, User

NEW = "13912345678"


@pytest.fixture
def gateway(settings):
    sms.SENT.clear()
    settings.ZONEGOV_LOGIN_SMS_CHANNEL = "tests.core.phone_login_helpers.RecordingSms"


def page(response) -> str:
    return response.content.decode()


def test_a_citizen_walks_from_the_login_page_to_their_work(db, client):
    login_page = page(client.get("/accounts/login/"))
    assert "手机验证码登录" in login_page and 'href="/accounts/phone/"' in login_page

    assert "获取验证码" in page(client.get("/accounts/phone/"))
    response = client.post("/accounts/phone/", {"phone": NEW})
    assert response.status_code == 302 and response.url == "/accounts/phone/code/"

    # Development has no gateway: the demo SMS is shown on the page.
    code_page = page(client.get("/accounts/phone/code/"))
    assert "139****5678" in code_page
    demo = re.search(r"您的登录验证码是 (\d{6})", code_page)
    assert demo and 'data-testid="demo-sms"' in code_page

    response = client.post("/accounts/phone/code/", {"code": demo.group(1)})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").context["user"].username == NEW
    user = User.objects.get(mobile=NEW)
    assert not user.has_usable_password() and not user.is_staff_member


def test_registered_and_unknown_numbers_get_the_same_answer(cast, gateway):
    answers = []
    for number in ("13800000001", NEW):
        client = Client()
        response = client.post("/accounts/phone/", {"phone": number})
        masked = number[:3] + "****" + number[-4:]
        text = page(client.get(response.url)).replace(masked, "MASKED").replace(number, "N")
        text = re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "TOKEN", text)
        answers.append((response.status_code, response.url, text))
    assert answers[0] == answers[1]


def test_a_staff_members_number_gets_the_same_answer_and_no_access(cast, gateway):
    cast.officer.mobile = "13700000009"
    cast.officer.save()
    client = Client()
    response = client.post("/accounts/phone/", {"phone": "13700000009"})
    assert response.url == "/accounts/phone/code/"
    assert "如果手机号 137****0009 可以用短信验证码登录" in page(client.get(response.url))
    response = client.post("/accounts/phone/code/", {"code": "123456"})
    assert response.status_code == 200
    # the answer a wrong code to any number gets (not "no code was sent": that tells)
    assert "验证码不正确，还可以再试 4 次。" in page(response)
    assert "_auth_user_id" not in client.session


def test_a_wrong_code_says_how_many_tries_are_left_and_keeps_the_page(db, client, gateway):
    client.post("/accounts/phone/", {"phone": NEW})
    code = sms.last_code(NEW)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    response = client.post("/accounts/phone/code/", {"code": wrong})
    assert response.status_code == 200
    assert "验证码不正确，还可以再试 4 次。" in page(response)
    response = client.post("/accounts/phone/code/", {"code": "12ab"})
    assert "请输入短信中的6位数字验证码。" in page(response)
    assert client.post("/accounts/phone/code/", {"code": code}).status_code == 302


def test_a_second_request_within_the_minute_answers_429_in_chinese(db, client, gateway):
    minute = timezone.now().replace(second=0, microsecond=0) + timedelta(minutes=1)
    with time_machine.travel(minute, tick=True):
        client.post("/accounts/phone/", {"phone": NEW})
        response = client.post("/accounts/phone/", {"phone": NEW})
    assert response.status_code == 429
    assert "访问过于频繁" in page(response) and "秒后再试" in page(response)
    assert int(response["Retry-After"]) >= 1
    assert NEW in page(response)  # what was typed is kept
    assert len(sms.SENT) == 1


def test_a_bad_number_is_explained_not_a_500(db, client, gateway):
    for bad in ("12345", "23912345678", "1391234567٨", "x" * 30):
        response = client.post("/accounts/phone/", {"phone": bad})
        assert response.status_code == 200
        assert "手机号" in page(response) and "invalid-feedback" in page(response)
    assert not sms.SENT


def test_the_code_page_without_a_requested_code_goes_back_to_step_one(db, client):
    assert client.get("/accounts/phone/code/").url == "/accounts/phone/"
    assert client.post("/accounts/phone/code/", {"code": "123456"}).url == "/accounts/phone/"


def test_an_expired_code_is_refused_on_the_page(db, client, gateway):
    client.post("/accounts/phone/", {"phone": NEW})
    code = sms.last_code(NEW)
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=True):
        response = client.post("/accounts/phone/code/", {"code": code})
    assert "验证码不正确或已失效，请重新获取验证码。" in page(response)


def test_the_forms_need_the_csrf_token(db, gateway):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/accounts/phone/", {"phone": NEW}).status_code == 403
    assert not sms.SENT
    form = page(client.get("/accounts/phone/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    response = client.post("/accounts/phone/", {"phone": NEW, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.post("/accounts/phone/code/", {"code": sms.last_code(NEW)}).status_code == 403
    assert PhoneLoginCode.objects.get(phone=NEW).used_at is None


def test_it_returns_to_the_page_asked_for_but_never_to_another_site(db, gateway):
    client = Client()
    assert "?next=/notifications/" in page(client.get("/accounts/login/?next=/notifications/"))
    client.post("/accounts/phone/", {"phone": NEW, "next": "/notifications/"})
    response = client.post("/accounts/phone/code/", {"code": sms.last_code(NEW)})
    assert response.url == "/notifications/"

    other = Client()
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=True):
        other.post("/accounts/phone/", {"phone": NEW, "next": "https://evil.example/"})
        response = other.post("/accounts/phone/code/", {"code": sms.last_code(NEW)})
    assert response.url == "/"


def test_production_without_a_gateway_offers_no_sms_login(db, client, settings):
    settings.PRODUCTION = True
    response = client.get("/accounts/phone/")
    assert "尚未开通短信验证码登录" in page(response)
    response = client.post("/accounts/phone/", {"phone": NEW})
    assert response.status_code == 200 and not PhoneLoginCode.objects.exists()


def test_a_logged_in_user_is_sent_home(cast, login):
    client = login(cast.applicant)
    assert client.get("/accounts/phone/").url == "/"
    assert client.get("/accounts/phone/code/").url == "/"
