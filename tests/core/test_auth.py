import pytest
from django.test import Client

from tests.conftest import OTHER_VALID_ID, PASSWORD
from tests.core.registration_helpers import register
from zonegov.core.models import AuditRecord, User

GOOD = {
    "mobile": "13912345678",
    "full_name": "王五",
    "id_number": OTHER_VALID_ID,
    "password": "Kaidian-2026!",
    "password2": "Kaidian-2026!",
    "privacy_consent": "on",
}


@pytest.mark.django_db
def test_an_applicant_registers_with_mobile_name_and_id_and_then_logs_in(client):
    response = register(client, GOOD, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/accounts/login/"
    assert "注册已受理" in response.content.decode()
    user = User.objects.get(mobile="13912345678")
    assert user.person.id_number == OTHER_VALID_ID
    assert user.mobile_verified_at is not None  # the SMS code proved the number
    assert user.is_applicant and not user.is_staff_member
    assert AuditRecord.objects.filter(action="user.register").exists()
    login = client.post(
        "/accounts/login/", {"username": GOOD["mobile"], "password": GOOD["password"]}
    )
    assert login.status_code == 302


@pytest.mark.django_db
def test_a_wrong_id_check_digit_is_refused_and_what_was_typed_is_kept(client):
    wrong = OTHER_VALID_ID[:-1] + "7"
    response = client.post("/accounts/register/", {**GOOD, "id_number": wrong})
    page = response.content.decode()
    assert response.status_code == 200
    assert "校验位不正确" in page
    assert 'value="13912345678"' in page and 'value="王五"' in page and wrong in page
    assert not User.objects.filter(mobile="13912345678").exists()


@pytest.mark.django_db
def test_a_bad_mobile_and_mismatched_passwords_are_all_reported_at_once(client):
    response = client.post(
        "/accounts/register/", {**GOOD, "mobile": "1234", "password2": "different-1"}
    )
    page = response.content.decode()
    assert "两次输入的密码不一致" in page
    response = client.post("/accounts/register/", {**GOOD, "mobile": "1234"})
    assert "11位数字" in response.content.decode()


@pytest.mark.django_db
def test_a_mobile_number_cannot_register_twice_and_its_owner_is_told(client, cast):
    taken = {**GOOD, "mobile": cast.applicant.mobile}
    response = register(client, taken, follow=True)
    # A squatter is never sent a code: every try is answered as a wrong code.
    assert "验证码不正确" in response.content.decode()
    assert User.objects.filter(mobile=cast.applicant.mobile).count() == 1


@pytest.mark.django_db
def test_staff_log_in_and_out(cast):
    client = Client()
    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/accounts/logout/")
    assert "我的工作" not in client.get("/").content.decode()  # the public home page
    assert client.get("/assignments/").status_code == 302


@pytest.mark.django_db
def test_applicants_log_in_with_their_mobile_number(cast):
    client = Client()
    response = client.post("/accounts/login/", {"username": "13800000001", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_wrong_password_says_so_in_chinese(cast):
    response = Client().post("/accounts/login/", {"username": "officer", "password": "nope"})
    assert "密码不正确" in response.content.decode()


@pytest.mark.django_db
def test_five_failures_lock_the_account_with_a_clear_message(cast):
    client = Client()
    for _ in range(5):
        client.post("/accounts/login/", {"username": "officer", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


@pytest.mark.django_db
def test_a_user_changes_their_password(cast, login):
    client = login(cast.officer)
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Another-Pass-77",
            "new_password2": "Another-Pass-77",
        },
    )
    assert response.status_code == 302
    cast.officer.refresh_from_db()
    assert cast.officer.check_password("Another-Pass-77")


@pytest.mark.django_db
def test_staff_sessions_end_after_the_idle_time(cast, login, settings):
    settings.STAFF_SESSION_IDLE_MINUTES = 30
    client = login(cast.officer)
    assert client.get("/").status_code == 200
    session = client.session
    session["last_seen"] -= 31 * 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.argon2
@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(client):
    register(client, GOOD)
    assert User.objects.get(mobile="13912345678").password.startswith("argon2")


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy(client):
    response = client.get("/accounts/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_interface_is_chinese_by_default_and_english_on_request(client):
    # An English-language browser still gets Chinese until the user switches.
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "登录" in page and "Log in" not in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert "Log in" in client.get("/accounts/login/").content.decode()


@pytest.mark.django_db
def test_a_newcomer_from_a_guide_registers_and_logs_in_to_where_they_were_going(client):
    apply = "/licensing/apply/?kind=filing"
    login_page = client.get("/accounts/login/", {"next": apply}).content.decode()
    assert 'href="/accounts/register/?next=/licensing/apply/%3Fkind%3Dfiling"' in login_page
    form = client.get("/accounts/register/", {"next": apply}).content.decode()
    assert f'name="next" value="{apply}"' in form
    response = register(client, {**GOOD, "next": apply})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Flicensing%2Fapply%2F%3Fkind%3Dfiling"
    login = client.post(
        response["Location"],
        {"username": GOOD["mobile"], "password": GOOD["password"], "next": apply},
    )
    assert login["Location"] == apply


@pytest.mark.django_db
def test_registration_never_sends_a_newcomer_to_another_site(client):
    response = register(client, {**GOOD, "next": "https://evil.example/"})
    assert response["Location"] == "/accounts/login/"
