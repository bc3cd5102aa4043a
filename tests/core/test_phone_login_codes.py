"""SMS login codes (core.identity.phone): hashed with a pepper, five minutes, one use,
five tries, rate-limited per number and per address, never for staff accounts, and the
same answer for every number."""

from datetime import timedelta
from hashlib import sha256

import pytest
import time_machine
from django.utils import timezone

from tests.core import phone_login_helpers as sms
from zonegov.core.identity import phone
from zonegov.core.models import AuditRecord, PhoneLoginCode, User

NEW = "13912345678"


@pytest.fixture(autouse=True)
def gateway(settings):
    sms.SENT.clear()
    settings.ZONEGOV_LOGIN_SMS_CHANNEL = "tests.core.phone_login_helpers.RecordingSms"


def test_the_code_is_stored_only_as_a_peppered_hash(db):
    phone.request_code(phone=NEW, client_ip="10.0.0.1")
    code = sms.last_code(NEW)
    row = PhoneLoginCode.objects.get(phone=NEW)
    assert code not in row.code_hash and code not in row.salt
    assert row.code_hash != sha256(code.encode()).hexdigest()
    assert row.code_hash == phone.code_hash(NEW, row.salt, code)
    assert row.expires_at - row.created_at == timedelta(minutes=5)


def test_a_pepper_other_than_the_secret_key_changes_every_hash(db, settings):
    phone.request_code(phone=NEW)
    row = PhoneLoginCode.objects.get(phone=NEW)
    settings.ZONEGOV_PHONE_CODE_PEPPER = "another-pepper"
    assert phone.code_hash(NEW, row.salt, sms.last_code(NEW)) != row.code_hash


def test_the_first_login_opens_a_citizen_account(db):
    phone.request_code(phone="+86 139-1234-5678")
    user = phone.verify_code(phone=NEW, code=sms.last_code(NEW))
    assert (user.username, user.mobile) == (NEW, NEW)
    assert not user.has_usable_password()
    assert user.unit_id is None and not user.roles.exists()
    assert not user.is_staff and not user.is_superuser
    assert AuditRecord.objects.filter(action="user.register", object_id=str(user.pk)).exists()
    # the second login finds the same account
    with time_machine.travel(timezone.now() + timedelta(minutes=2), tick=True):
        phone.request_code(phone=NEW)
        assert phone.verify_code(phone=NEW, code=sms.last_code(NEW)) == user
    assert User.objects.filter(mobile=NEW).count() == 1


def _proved(user: User) -> None:
    """The number was proved by a code once (registration, SMS login, 忘记密码)."""
    user.mobile_verified_at = timezone.now()
    user.save()


def test_an_applicant_logs_into_their_own_account(cast):
    _proved(cast.applicant)
    phone.request_code(phone="13800000001")
    assert phone.verify_code(phone="13800000001", code=sms.last_code("13800000001")) == (
        cast.applicant
    )


def test_a_code_expires_after_five_minutes(db):
    phone.request_code(phone=NEW)
    code = sms.last_code(NEW)
    with time_machine.travel(timezone.now() + timedelta(minutes=5, seconds=1), tick=True):
        with pytest.raises(phone.PhoneLoginError) as exc:
            phone.verify_code(phone=NEW, code=code)
    assert "已失效" in exc.value.message
    assert not User.objects.filter(mobile=NEW).exists()


def test_a_code_logs_in_once(db):
    phone.request_code(phone=NEW)
    code = sms.last_code(NEW)
    phone.verify_code(phone=NEW, code=code)
    with pytest.raises(phone.PhoneLoginError):
        phone.verify_code(phone=NEW, code=code)


def test_a_new_code_replaces_the_previous_one(db):
    phone.request_code(phone=NEW)
    first = sms.last_code(NEW)
    with time_machine.travel(timezone.now() + timedelta(seconds=61), tick=True):
        phone.request_code(phone=NEW)
        second = sms.last_code(NEW)
        if first != second:
            with pytest.raises(phone.PhoneLoginError):
                phone.verify_code(phone=NEW, code=first)
        assert phone.verify_code(phone=NEW, code=second).mobile == NEW


def test_five_wrong_tries_kill_the_code(db):
    phone.request_code(phone=NEW)
    code = sms.last_code(NEW)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    messages = []
    for _ in range(5):
        with pytest.raises(phone.PhoneLoginError) as exc:
            phone.verify_code(phone=NEW, code=wrong)
        messages.append(exc.value.message)
    assert messages[0] == "验证码不正确，还可以再试 4 次。"
    assert "错误次数过多" in messages[-1]
    with pytest.raises(phone.PhoneLoginError) as exc:
        phone.verify_code(phone=NEW, code=code)
    assert "错误次数过多" in exc.value.message
    assert PhoneLoginCode.objects.get(phone=NEW).attempts == 5


@pytest.mark.parametrize("bad", ["", "12345", "1234567", "abcdef", "１２３４５６"])
def test_a_malformed_code_is_refused_in_chinese(db, bad):
    with pytest.raises(phone.PhoneLoginError) as exc:
        phone.verify_code(phone=NEW, code=bad)
    assert exc.value.field_errors["code"] == ["请输入短信中的6位数字验证码。"]


@pytest.mark.parametrize(
    "bad", ["", "12345678901", "1391234567", "23912345678", "139123456789", "1391234567٨"]
)
def test_only_chinese_mobile_numbers_get_a_code(db, bad):
    with pytest.raises(phone.PhoneLoginError) as exc:
        phone.request_code(phone=bad)
    assert "11位中国大陆手机号" in exc.value.message
    assert not sms.SENT


def test_full_width_digits_are_read_as_the_number(db):
    assert phone.request_code(phone="１３９１２３４５６７８").phone == NEW


def top_of_the_hour():
    """Limits count in fixed windows: start at a window's beginning, whatever the clock."""
    return timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def test_one_code_a_minute_and_five_an_hour_per_number(db):
    start = top_of_the_hour()
    with time_machine.travel(start, tick=True):
        phone.request_code(phone=NEW)
        with pytest.raises(phone.TooManyRequests) as exc:
            phone.request_code(phone=NEW)
    assert "访问过于频繁" in exc.value.message
    for minute in range(1, 5):
        with time_machine.travel(start + timedelta(minutes=minute, seconds=1), tick=True):
            phone.request_code(phone=NEW)
    with time_machine.travel(start + timedelta(minutes=6), tick=True):
        with pytest.raises(phone.TooManyRequests):
            phone.request_code(phone=NEW)
    assert len(sms.SENT) == 5


def test_one_address_cannot_spray_codes_over_many_numbers(db, settings):
    settings.ZONEGOV_PHONE_LOGIN_LIMITS = {"address_per_hour": 3}
    for n in range(3):
        phone.request_code(phone=f"1391234560{n}", client_ip="10.9.9.9")
    with pytest.raises(phone.TooManyRequests):
        phone.request_code(phone="13912345609", client_ip="10.9.9.9")
    phone.request_code(phone="13912345609", client_ip="10.9.9.10")


def test_one_address_cannot_guess_codes_without_end(db, settings):
    settings.ZONEGOV_PHONE_LOGIN_LIMITS = {"verify_per_address_per_hour": 2}
    phone.request_code(phone=NEW)
    for _ in range(2):
        with pytest.raises(phone.PhoneLoginError):
            phone.verify_code(phone=NEW, code="000000", client_ip="10.9.9.9")
    with pytest.raises(phone.TooManyRequests):
        phone.verify_code(phone=NEW, code=sms.last_code(NEW), client_ip="10.9.9.9")


def test_a_staff_members_phone_never_gives_a_code(cast):
    cast.officer.mobile = "13700000009"
    cast.officer.save()
    answer = phone.request_code(phone="13700000009")
    assert answer.phone == "13700000009"  # the same answer as for any number
    assert not PhoneLoginCode.objects.filter(phone="13700000009").exists()
    assert "不能用短信验证码登录" in sms.SENT[-1]["text"]
    for guess in ("000000", "123456"):
        with pytest.raises(phone.PhoneLoginError):
            phone.verify_code(phone="13700000009", code=guess)


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser", "not_active"])
def test_admin_and_disabled_accounts_never_log_in_by_sms(cast, flag):
    user = cast.applicant
    if flag == "not_active":
        user.is_active = False
    else:
        setattr(user, flag, True)
    user.save()
    phone.request_code(phone="13800000001")
    assert not PhoneLoginCode.objects.filter(phone="13800000001").exists()


def test_an_applicant_made_staff_after_the_code_was_sent_is_refused(cast):
    _proved(cast.applicant)
    phone.request_code(phone="13800000001")
    code = sms.last_code("13800000001")
    cast.applicant.unit = cast.dept
    cast.applicant.save()
    with pytest.raises(phone.PhoneLoginError):
        phone.verify_code(phone="13800000001", code=code)


def test_a_user_name_that_is_the_number_on_another_account_is_not_taken_over(cast):
    User.objects.create_user(username="13600000006", password="x-Password-1", mobile=None)
    phone.request_code(phone="13600000006")
    assert not PhoneLoginCode.objects.filter(phone="13600000006").exists()


def test_a_gateway_failure_is_a_message_not_a_500(db, settings):
    settings.ZONEGOV_LOGIN_SMS_CHANNEL = "tests.core.phone_login_helpers.BrokenSms"
    with pytest.raises(phone.PhoneLoginError) as exc:
        phone.request_code(phone=NEW)
    assert exc.value.message == "短信发送失败，请稍后再试。"
    assert not PhoneLoginCode.objects.filter(phone=NEW, superseded=False).exists()


def test_the_notification_sms_channel_carries_codes_when_no_login_channel_is_set(db, settings):
    del settings.ZONEGOV_LOGIN_SMS_CHANNEL
    settings.ZONEGOV_NOTIFICATION_CHANNELS = [
        "zonegov.core.services.notifications.PortalChannel",
        "tests.core.phone_login_helpers.RecordingSms",
    ]
    assert phone.request_code(phone=NEW).demo_text == ""
    assert sms.last_code(NEW)


def test_development_shows_the_demo_sms_and_production_refuses_it(db, settings):
    from zonegov.core.identity.checks import demo_sms_refused_in_production

    del settings.ZONEGOV_LOGIN_SMS_CHANNEL
    sent = phone.request_code(phone=NEW)
    assert "您的登录验证码是" in sent.demo_text
    assert demo_sms_refused_in_production() == []

    settings.PRODUCTION = True
    assert not phone.phone_login_available()
    with pytest.raises(phone.PhoneLoginError):
        phone.request_code(phone="13912345670")
    settings.ZONEGOV_LOGIN_SMS_CHANNEL = "zonegov.core.identity.phone.DemoSmsChannel"
    assert [e.id for e in demo_sms_refused_in_production()] == ["zonegov.E103"]
    with pytest.raises(phone.PhoneLoginError):  # refused at run time too
        phone.request_code(phone="13912345671")


def test_codes_are_deleted_a_day_after_they_expire(db):
    start = timezone.now()
    phone.request_code(phone=NEW)
    with time_machine.travel(start + timedelta(days=1, minutes=6), tick=True):
        phone.request_code(phone="13912345670")
    assert list(PhoneLoginCode.objects.values_list("phone", flat=True)) == ["13912345670"]
