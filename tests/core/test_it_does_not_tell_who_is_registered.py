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
from zonegov.core.models import Notification, User

GOOD = {
    "mobile": "13912345678",
    "full_name": "王五",
    "id_number": OTHER_VALID_ID,
    "password": "Kaidian-2026!",
    "password2": "Kaidian-2026!",
    "privacy_consent": "on",
}


def register(client: Client, **changes):
    return client.post("/accounts/register/", {**GOOD, **changes}, follow=True)


def visible_text(response) -> str:
    html = response.content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    # The CSRF token differs on every page; compare what a person reads.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", main)


@pytest.mark.django_db
def test_a_taken_mobile_gets_the_same_answer_as_a_new_one(cast):
    new = register(Client())
    taken = register(Client(), mobile=cast.applicant.mobile, id_number="11010519491231002X")
    assert new.redirect_chain == taken.redirect_chain
    assert visible_text(new) == visible_text(taken)
    assert "已注册" not in visible_text(taken)
    # The owner of the number hears that someone tried.
    note = Notification.objects.get(recipient=cast.applicant)
    assert "注册" in note.title
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
