"""Login throttling (issue 10 item 12): besides 5 failures per user name and address, one
address is locked after 20 failures across any number of accounts."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD, make_user


def fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        client.post("/accounts/login/", {"username": username, "password": "wrong"})


@pytest.mark.django_db
def test_it_locks_an_address_spraying_passwords_over_many_accounts(cast, settings):
    settings.ZONEGOV_LOGIN_FAILURES_PER_ADDRESS = 20
    users = [make_user(f"staff{i}", cast.park, "park_officer") for i in range(8)]
    client = Client()
    for user in users:
        fail(client, user.username, 4)  # 32 failures, never 5 on one account
    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


@pytest.mark.django_db
def test_the_address_limit_lets_a_busy_office_below_it_log_in(cast, settings):
    settings.ZONEGOV_LOGIN_FAILURES_PER_ADDRESS = 20
    users = [make_user(f"clerk{i}", cast.park, "park_officer") for i in range(4)]
    client = Client()
    for user in users:
        fail(client, user.username, 4)  # 16 failures from one NAT'd office
    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_another_address_is_not_affected(cast, settings):
    settings.ZONEGOV_LOGIN_FAILURES_PER_ADDRESS = 20
    users = [make_user(f"staff{i}", cast.park, "park_officer") for i in range(6)]
    client = Client(REMOTE_ADDR="10.0.0.7")
    for user in users:
        fail(client, user.username, 4)
    other = Client(REMOTE_ADDR="10.0.0.8")
    response = other.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
