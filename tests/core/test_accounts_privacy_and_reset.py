"""Issue 12 defect 11: Chinese password messages, a mismatch that hides nothing, privacy
consent (个人信息保护法) recorded on the account, 忘记密码 by SMS code, and staff created by
an admin changing their password at first login."""

import re

import pytest
from django.test import Client
from django.utils import timezone

from tests.conftest import PASSWORD
from tests.core.registration_helpers import register
from tests.core.test_auth import GOOD
from zonegov.core.models import ApiToken, AuditRecord, User
from zonegov.core.privacy import PRIVACY_VERSION

pytestmark = pytest.mark.django_db

CONSENTED = GOOD
WITHOUT_CONSENT = {k: v for k, v in GOOD.items() if k != "privacy_consent"}


def _errors(page: str) -> list[str]:
    return re.findall(r"invalid-feedback[^>]*>(.*?)<", page, re.S)


def test_password_rules_are_explained_in_chinese(client):
    page = client.post(
        "/accounts/register/", {**CONSENTED, "password": "123", "password2": "123"}
    ).content.decode()
    errors = _errors(page)
    assert "密码太短：至少需要 8 个字符。" in errors
    assert "密码不能全是数字，请加入字母或符号。" in errors
    assert not any(re.search(r"[A-Za-z]{4,}", e) for e in errors), errors


def test_a_password_mismatch_does_not_hide_the_other_errors(client):
    page = client.post(
        "/accounts/register/",
        {**CONSENTED, "mobile": "1234", "password": "123", "password2": "1234"},
    ).content.decode()
    errors = " ".join(_errors(page))
    assert "两次输入的密码不一致" in errors
    assert "11位数字" in errors  # the mobile
    assert "密码太短" in errors  # the password rules
    assert not User.objects.filter(username="1234").exists()


def test_registration_requires_privacy_consent_and_records_it(client):
    page = client.post("/accounts/register/", WITHOUT_CONSENT).content.decode()
    assert "请阅读并同意《个人信息保护政策》后再注册" in page
    assert not User.objects.filter(mobile=GOOD["mobile"]).exists()
    assert 'href="/privacy/"' in page
    register(client, CONSENTED)
    user = User.objects.get(mobile=GOOD["mobile"])
    assert user.privacy_consented_at is not None and user.privacy_version == PRIVACY_VERSION


def test_the_privacy_page_says_purpose_scope_and_retention(client):
    response = client.get("/privacy/")
    page = response.content.decode()
    assert response.status_code == 200
    for heading in ("处理目的", "处理的个人信息范围", "保存期限", "您的权利"):
        assert heading in page


@pytest.fixture
def sms(settings):
    from tests.core.phone_login_helpers import SENT

    SENT.clear()
    settings.ZONEGOV_LOGIN_SMS_CHANNEL = "tests.core.phone_login_helpers.RecordingSms"
    return SENT


def _code(sms) -> str:
    return re.search(r"验证码是 (\d{6})", sms[-1]["text"]).group(1)


def test_an_applicant_resets_a_forgotten_password_by_sms(cast, client, sms):
    ApiToken.objects.create(
        user=cast.applicant,
        name="t",
        prefix="x",
        key_hash="h" * 64,
        expires_at="2030-01-01T00:00:00+08:00",
    )
    cast.applicant.mobile = "13912340000"
    cast.applicant.save()
    login_page = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password/forgot/"' in login_page
    response = client.post("/accounts/password/forgot/", {"phone": "139 1234 0000"})
    assert response.status_code == 302
    assert "重置登录密码" in sms[-1]["text"]
    code = _code(sms)
    page = client.post(
        "/accounts/password/forgot/code/",
        {"code": code, "new_password1": "12345678", "new_password2": "12345679"},
    ).content.decode()
    assert "两次输入的密码不一致" in page and "密码不能全是数字" in page  # both at once
    response = client.post(
        "/accounts/password/forgot/code/",
        {"code": code, "new_password1": "Neu-Passwort-26", "new_password2": "Neu-Passwort-26"},
        follow=True,
    )
    assert "密码已重置" in response.content.decode()
    cast.applicant.refresh_from_db()
    assert cast.applicant.check_password("Neu-Passwort-26")
    assert AuditRecord.objects.filter(action="user.password_reset").exists()
    assert not ApiToken.objects.filter(user=cast.applicant, revoked_at__isnull=True).exists()
    # the code is used up
    again = client.post(
        "/accounts/password/forgot/code/",
        {"code": code, "new_password1": "Other-Passwort-26", "new_password2": "Other-Passwort-26"},
    )
    assert again.status_code in (200, 302)
    cast.applicant.refresh_from_db()
    assert cast.applicant.check_password("Neu-Passwort-26")


def test_a_login_code_does_not_reset_a_password(cast, client, sms):
    cast.applicant.mobile = "13912340000"
    cast.applicant.mobile_verified_at = timezone.now()
    cast.applicant.save()
    client.post("/accounts/phone/", {"phone": "13912340000"})
    login_code = _code(sms)
    client.post("/accounts/password/forgot/", {"phone": "13912340000"})
    sms.clear()
    session = client.session
    session["zonegov.password_reset"] = {"phone": "13912340000", "demo_text": ""}
    session.save()
    page = client.post(
        "/accounts/password/forgot/code/",
        {
            "code": login_code,
            "new_password1": "Neu-Passwort-26",
            "new_password2": "Neu-Passwort-26",
        },
    ).content.decode()
    assert "验证码不正确" in page
    cast.applicant.refresh_from_db()
    assert cast.applicant.check_password(PASSWORD)


def test_staff_are_never_reset_by_sms_and_unknown_numbers_get_the_same_answer(cast, sms):
    cast.officer.mobile = "13912340001"
    cast.officer.save()
    staff = Client().post("/accounts/password/forgot/", {"phone": "13912340001"})
    assert staff.status_code == 302
    assert "验证码" not in sms[-1]["text"] and "组织管理员" in sms[-1]["text"]
    count = len(sms)
    unknown = Client().post("/accounts/password/forgot/", {"phone": "13912340009"})
    assert unknown.status_code == 302 and unknown["Location"] == staff["Location"]
    assert len(sms) == count  # nothing sent to a number without an account


def test_staff_created_by_an_admin_must_change_the_password_first(cast, login, client):
    admin = login(cast.admin)
    response = admin.post(
        "/org/people/new/",
        {
            "username": "newclerk",
            "full_name": "新同事",
            "unit": cast.dept.pk,
            "roles": ["licensing_officer"],
            "is_active": "on",
        },
        follow=True,
    )
    initial = re.search(r"初始密码：(\S+?)（", response.content.decode()).group(1)
    fresh = Client()
    assert (
        fresh.post("/accounts/login/", {"username": "newclerk", "password": initial}).status_code
        == 302
    )
    response = fresh.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/password/"
    assert 'data-testid="must-change"' in response.content.decode()
    assert fresh.get("/audit/")["Location"] == "/accounts/password/"
    response = fresh.post(
        "/accounts/password/",
        {
            "old_password": initial,
            "new_password1": "Eigenes-2026!",
            "new_password2": "Eigenes-2026!",
        },
    )
    assert response.status_code == 302
    assert fresh.get("/").status_code == 200
    assert not User.objects.get(username="newclerk").must_change_password


def test_a_first_sms_login_shows_the_rules_and_records_the_consent(client, sms):
    client.post("/accounts/phone/", {"phone": "13912340077"})
    page = client.get("/accounts/phone/code/").content.decode()
    assert 'data-testid="privacy-notice"' in page and 'href="/privacy/"' in page
    client.post("/accounts/phone/code/", {"code": _code(sms)})
    user = User.objects.get(mobile="13912340077")
    assert user.privacy_consented_at is not None and user.privacy_version == PRIVACY_VERSION


def test_an_account_added_in_the_admin_must_change_its_password(cast, client):
    root = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(root, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        "/admin/core/user/add/",
        {
            "username": "viaadmin",
            "password1": "Admin-Gave-26",
            "password2": "Admin-Gave-26",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(username="viaadmin").must_change_password
