"""Citizens' login with a mobile number and a one-time SMS code (手机验证码登录).

Workers filing a wage complaint, residents reporting a problem, petitioners: people who
come to the platform once or twice and will not keep a password. They type their mobile
number, receive a six-digit code by SMS and are logged in; the first login opens a
citizen account (no unit, no roles, no usable password, user name = the number).

Rules (docs/security.md "SMS login codes"):

- **Hashed, short-lived, single use, few tries.** Only an HMAC-SHA256 of the code under a
  pepper (``ZONEGOV_PHONE_CODE_PEPPER``, default ``SECRET_KEY``) and a per-code salt is
  stored (``core.PhoneLoginCode``); a code lives ``CODE_TTL`` (5 minutes), allows
  ``MAX_ATTEMPTS`` (5) tries, compared in constant time, and logs in once. A new code
  replaces the previous one.
- **Rate-limited** per number (1 a minute, 5 an hour) and per client address (codes
  requested and codes tried), counted in the shared cache (``core.ratelimit.window_hit``);
  limits in ``ZONEGOV_PHONE_LOGIN_LIMITS``.
- **Non-enumerating.** The answer to "send me a code" is the same whether the number has
  an account, has none, or belongs to an account that may not log in by SMS.
- **Never staff.** An account with a unit, a role, Django staff or superuser status, or a
  disabled one never logs in by SMS: a code to such a number is never issued, the phone
  gets an SMS saying so instead. Staff log in with password (Argon2, django-axes) — a SIM
  swap or a stolen phone must not open an officer's workbench.
- **No legal effect.** Possessing a phone is not a verified identity; an act with legal
  effect still needs a provider verification (``core.identity.base``).

Delivery goes through the SMS channel interface (``core.services.notifications.
SmsChannel``): ``ZONEGOV_LOGIN_SMS_CHANNEL`` (dotted path) or the first SMS channel in
``ZONEGOV_NOTIFICATION_CHANNELS``. A login code is handed to the channel's
``deliver_sms`` at once rather than through the outbox: a code is worthless after five
minutes, so back-off retries do not help, and the outbox keeps its payloads readable at
/outbox/, where a code must never be. Without a configured channel, development uses
:class:`DemoSmsChannel` (the code is logged and shown on the page, 演示短信); production
without a channel offers no SMS login.
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError
from zonegov.core.identifiers import MOBILE_RE
from zonegov.core.models import PhoneLoginCode, User
from zonegov.core.privacy import PRIVACY_VERSION
from zonegov.core.ratelimit import too_many_message, window_hit
from zonegov.core.services.audit import audit_append
from zonegov.core.services.notifications import LogSmsChannel, SmsChannel

logger = logging.getLogger(__name__)

CODE_LENGTH = 6
CODE_TTL = timedelta(minutes=5)
MAX_ATTEMPTS = 5
DEFAULT_LIMITS = {
    "phone_per_minute": 1,  # codes sent to one number
    "phone_per_hour": 5,
    "address_per_hour": 20,  # codes requested from one client address
    "verify_per_address_per_hour": 50,  # codes tried from one client address
}
HASH_SALT = "zonegov.core.identity.phone.code"
_SEPARATORS = re.compile(r"[\s\-()]")


class PhoneLoginError(ApplicationError):
    """Something the user can fix or wait out; ``message`` says it in Chinese."""


class TooManyRequests(PhoneLoginError):
    status_code = 429

    def __init__(self, wait: int) -> None:
        super().__init__(too_many_message(wait))
        self.wait = max(wait, 1)


class DemoSmsChannel(LogSmsChannel):
    """演示短信: writes the SMS to the log and lets the login page show it. Development
    only: refused when ``PRODUCTION`` is set (here and by ``manage.py check``)."""

    demo = True

    def deliver_sms(self, *, mobile: str, text: str, idempotency_key: str) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise RuntimeError("The demo SMS channel cannot be used in production.")
        super().deliver_sms(mobile=mobile, text=text, idempotency_key=idempotency_key)


@dataclass(frozen=True)
class CodeSent:
    """The answer to a code request (the same for every number). ``demo_text`` is the
    SMS itself when the demo channel carried it (development only), else empty."""

    phone: str
    expires_at: datetime
    demo_text: str = ""

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else "****"


def limits() -> dict[str, int]:
    configured = getattr(settings, "ZONEGOV_PHONE_LOGIN_LIMITS", None) or {}
    return {key: int(configured.get(key, value)) for key, value in DEFAULT_LIMITS.items()}


def normalise_phone(value: str) -> str:
    """A Chinese mainland mobile number, 11 digits (spaces, dashes and a +86 prefix are
    dropped); raises :class:`PhoneLoginError` naming what is wrong."""
    # NFKC: full-width digits typed with a Chinese input method become ASCII ones.
    number = _SEPARATORS.sub("", unicodedata.normalize("NFKC", str(value or "")))
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("0086"):
        number = number[4:]
    if not (number.isascii() and MOBILE_RE.match(number)):
        message = _("请输入11位中国大陆手机号（以1开头，第二位为3–9）。")
        raise PhoneLoginError(message, field_errors={"phone": [message]})
    return number


def login_sms_channel() -> SmsChannel | None:
    """The channel that carries login codes, or None when SMS login is not offered."""
    path = getattr(settings, "ZONEGOV_LOGIN_SMS_CHANNEL", "")
    if path:
        return import_string(path)()
    for path in getattr(settings, "ZONEGOV_NOTIFICATION_CHANNELS", None) or ():
        cls = import_string(path)
        if isinstance(cls, type) and issubclass(cls, SmsChannel):
            return cls()
    if not getattr(settings, "PRODUCTION", False):
        return DemoSmsChannel()
    return None


def phone_login_available() -> bool:
    return login_sms_channel() is not None


def is_citizen_account(user: User) -> bool:
    """Active, no unit, no role, no staff or superuser flag: an account SMS codes may
    serve at all (忘记密码 included)."""
    return (
        user.is_active
        and not user.is_staff
        and not user.is_superuser
        and user.unit_id is None
        and not user.roles.exists()
    )


def may_log_in_by_sms(user: User) -> bool:
    """A citizen account whose mobile number an SMS code once proved (registration, SMS
    login, 忘记密码). A number that was only typed (an account registered before the
    registration checked it) could be someone else's: its holder must not land in it."""
    return user.mobile_verified_at is not None and is_citizen_account(user)


def _pepper() -> str:
    return str(getattr(settings, "ZONEGOV_PHONE_CODE_PEPPER", "") or settings.SECRET_KEY)


def code_hash(phone: str, salt: str, code: str) -> str:
    return salted_hmac(
        HASH_SALT, f"{phone}:{salt}:{code}", secret=_pepper(), algorithm="sha256"
    ).hexdigest()


def _check_limit(key: str, limit_name: str, window: int) -> None:
    wait = window_hit(key, limit=limits()[limit_name], window=window)
    if wait:
        raise TooManyRequests(wait)


LOGIN = "login"
RESET = "reset"  # 忘记密码: a code to set a new password (core.views.password_reset)
REGISTER = "register"  # 申请人注册: proves the number before an account takes it
SIGN = "sign"  # re-authentication before an electronic signature (licensing)


def _code_text(code: str, purpose: str = LOGIN) -> str:
    minutes = int(CODE_TTL.total_seconds() // 60)
    if purpose == REGISTER:
        return _(
            "【高新区政务服务】您正在注册申请人账号，验证码是 %(code)s，%(minutes)d 分钟内有效。"
            "请勿告诉他人；如非本人操作，请忽略。"
        ) % {"code": code, "minutes": minutes}
    if purpose == SIGN:
        return _(
            "【高新区政务服务】您正在对申请书进行电子签名，验证码是 %(code)s，%(minutes)d 分钟内"
            "有效。签名具有法律效力，请勿告诉他人；如非本人操作，请立即修改密码。"
        ) % {"code": code, "minutes": minutes}
    if purpose == RESET:
        return _(
            "【高新区政务服务】您正在重置登录密码，验证码是 %(code)s，%(minutes)d 分钟内有效。"
            "请勿告诉他人；如非本人操作，请忽略，您的密码不会改变。"
        ) % {"code": code, "minutes": minutes}
    return _(
        "【高新区政务服务】您的登录验证码是 %(code)s，%(minutes)d 分钟内有效。"
        "请勿告诉他人；工作人员不会向您索要验证码。"
    ) % {"code": code, "minutes": minutes}


def _refusal_text(purpose: str = LOGIN, *, unverified: bool = False) -> str:
    if purpose == REGISTER:
        return _(
            "【高新区政务服务】有人用您的手机号申请注册申请人账号。该号码已有账号，无需重新"
            "注册：如是您本人，请直接登录，忘记密码可用短信重设。如非本人操作，请忽略。"
        )
    if unverified:
        return _(
            "【高新区政务服务】有人用您的手机号申请短信验证码登录。该号码的账号注册时未验证"
            "手机号，不能用短信验证码登录：请用手机号和密码登录，或用“忘记密码”通过短信"
            "重设密码（同时完成验证）。如非本人操作，请忽略。"
        )
    if purpose == RESET:
        return _(
            "【高新区政务服务】有人为您的手机号申请重置密码。您的号码对应工作人员账号"
            "或已停用的账号，不能用短信重置密码，请联系本单位的组织管理员。如非本人操作，请忽略。"
        )
    return _(
        "【高新区政务服务】有人用您的手机号申请短信验证码登录。您的号码对应工作人员账号"
        "或已停用的账号，不能用短信验证码登录，请用用户名和密码登录或联系管理员。"
        "如非本人操作，请忽略。"
    )


def _account(phone: str) -> User | None:
    return User.objects.filter(mobile=phone).first()


def _target(phone: str, purpose: str) -> tuple[str, str]:
    """What a code request for ``purpose`` sends: ("code", "") a code; ("refuse", text)
    an SMS saying why not; ("none", "") nothing (the page answers the same)."""
    user = _account(phone)
    if purpose == REGISTER:
        if user is None and not User.objects.filter(username=phone).exists():
            return "code", ""
        return "refuse", _refusal_text(REGISTER)
    if purpose == RESET:
        # 忘记密码 also serves accounts whose number was never proved: it is how their
        # owner proves it (docs/security.md "Mobile numbers are proved").
        if user is None:
            return "none", ""
        return ("code", "") if is_citizen_account(user) else ("refuse", _refusal_text(RESET))
    if purpose == SIGN:
        if user is not None and may_log_in_by_sms(user):
            return "code", ""
        return "none", ""
    if user is not None:
        if may_log_in_by_sms(user):
            return "code", ""
        if is_citizen_account(user):
            return "refuse", _refusal_text(LOGIN, unverified=True)
        return "refuse", _refusal_text(LOGIN)
    # A user name equal to the number on an account with another (or no) mobile: the
    # number proves nothing about that account and a new one cannot take the name.
    if User.objects.filter(username=phone).exists():
        return "refuse", _refusal_text(LOGIN)
    return "code", ""


def request_code(*, phone: str, client_ip: str = "", purpose: str = LOGIN) -> CodeSent:
    """Send a code for ``purpose`` — ``"login"``, ``"reset"`` (忘记密码), ``"register"``
    (申请人注册) or ``"sign"`` (re-authentication before signing) — to ``phone`` (or, for
    a number that may not use it, a message saying so). The answer is the same whatever
    the number."""
    phone = normalise_phone(phone)
    channel = login_sms_channel()
    if channel is None:
        if purpose == RESET:
            raise PhoneLoginError(_("本平台尚未开通短信服务，忘记密码请到政务服务窗口办理。"))
        raise PhoneLoginError(_("本平台尚未开通短信验证码登录，请用手机号和密码登录。"))
    _check_limit(f"phone_login:addr:{client_ip}", "address_per_hour", 3600)
    _check_limit(f"phone_login:phone:{phone}", "phone_per_minute", 60)
    _check_limit(f"phone_login:phone:{phone}", "phone_per_hour", 3600)

    now = timezone.now()
    expires_at = now + CODE_TTL
    with transaction.atomic():
        PhoneLoginCode.objects.filter(expires_at__lt=now - timedelta(days=1)).delete()
        PhoneLoginCode.objects.filter(
            phone=phone, used_at=None, superseded=False, purpose=purpose
        ).update(superseded=True)
        row = None
        target, refusal = _target(phone, purpose)
        text: str | None
        if target == "code":
            code = f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"
            salt = secrets.token_hex(16)
            row = PhoneLoginCode.objects.create(
                phone=phone,
                salt=salt,
                code_hash=code_hash(phone, salt, code),
                created_at=now,
                expires_at=expires_at,
                purpose=purpose,
            )
            text = _code_text(code, purpose)
            key = f"phone-{purpose}-{row.pk}"
        elif target == "none":
            text = None
            key = ""
        else:
            text = refusal
            key = f"phone-{purpose}-refusal-{secrets.token_hex(8)}"
    # A number that got no code answers wrong guesses exactly as one that did (tries
    # left, then "too many", then expired): otherwise step 2 tells which numbers are staff
    # or registered. Its tries are counted in the shared cache, for the code's lifetime.
    decoy = _decoy_key(phone, purpose)
    if row is None:
        cache.set(decoy, 0, timeout=int(CODE_TTL.total_seconds()))
    else:
        cache.delete(decoy)
    if text is None:  # e.g. a reset for a number without an account: no SMS, same answer
        return CodeSent(phone=phone, expires_at=expires_at)
    try:
        channel.deliver_sms(mobile=phone, text=text, idempotency_key=key)
    except Exception:
        logger.exception("login SMS to %s failed", mask_phone(phone))
        if row is not None:
            PhoneLoginCode.objects.filter(pk=row.pk).update(superseded=True)
        raise PhoneLoginError(_("短信发送失败，请稍后再试。")) from None
    return CodeSent(
        phone=phone,
        expires_at=expires_at,
        demo_text=text if getattr(channel, "demo", False) else "",
    )


def _decoy_key(phone: str, purpose: str) -> str:
    return f"phone_login:decoy:{purpose}:{phone}"


def _wrong_code(attempts: int) -> PhoneLoginError:
    """The answer to the ``attempts``-th wrong try of a code."""
    left = MAX_ATTEMPTS - attempts
    if left <= 0:
        message = _("验证码错误次数过多，已失效，请重新获取验证码。")
    else:
        message = _("验证码不正确，还可以再试 %(n)d 次。") % {"n": left}
    return PhoneLoginError(message, field_errors={"code": [message]})


def _decoy_try(phone: str, purpose: str) -> PhoneLoginError:
    """A try at a number that was sent no code: the answer a wrong code would get."""
    key = _decoy_key(phone, purpose)
    try:
        attempts = cache.incr(key)
    except ValueError:  # no code was asked for this number, or it has expired
        return _invalid()
    return _wrong_code(min(attempts, MAX_ATTEMPTS))


def _invalid() -> PhoneLoginError:
    message = _("验证码不正确或已失效，请重新获取验证码。")
    return PhoneLoginError(message, field_errors={"code": [message]})


def verify_code(*, phone: str, code: str, client_ip: str = "") -> User:
    """The citizen account of ``phone`` when ``code`` is its current code (opening the
    account at the first login); raises :class:`PhoneLoginError` otherwise."""
    phone = normalise_phone(phone)
    _consume_code(phone=phone, code=code, client_ip=client_ip, purpose=LOGIN)
    return _citizen_account(phone)


def verify_reset_code(
    *, phone: str, code: str, client_ip: str = "", new_password: str | None = None
) -> User:
    """The account whose password ``code`` (a current reset code of ``phone``) may
    reset; raises :class:`PhoneLoginError` otherwise. Uses the code up.

    ``new_password`` is checked against the account's own attributes (name, user name,
    e-mail) only once the code is right, and a refusal leaves the code usable: before
    that, the password rules must not tell a stranger anything about the account."""
    phone = normalise_phone(phone)
    found: list[User] = []

    def check_account() -> None:
        user = _account(phone)
        if user is None or not is_citizen_account(user):
            raise _invalid()
        if new_password is not None:
            from django.contrib.auth import password_validation
            from django.core.exceptions import ValidationError

            try:
                password_validation.validate_password(new_password, user)
            except ValidationError as exc:
                raise PhoneLoginError(
                    exc.messages[0], field_errors={"new_password1": list(exc.messages)}
                ) from None
        found.append(user)

    _consume_code(
        phone=phone, code=code, client_ip=client_ip, purpose=RESET, before_use=check_account
    )
    return found[0]


def verify_register_code(*, phone: str, code: str, client_ip: str = "") -> str:
    """Use up the current registration code of ``phone``; the normalised number, proved.
    Raises :class:`PhoneLoginError` (a number that has an account was sent no code, so
    every try there is answered as a wrong code)."""
    phone = normalise_phone(phone)
    _consume_code(phone=phone, code=code, client_ip=client_ip, purpose=REGISTER)
    return phone


def verify_sign_code(*, user: User, code: str, client_ip: str = "") -> None:
    """Use up the current signing code sent to ``user``'s own (proved) mobile; raises
    :class:`PhoneLoginError` otherwise."""
    if not user.mobile or not may_log_in_by_sms(user):
        raise _invalid()
    _consume_code(phone=user.mobile, code=code, client_ip=client_ip, purpose=SIGN)
    owner = _account(user.mobile)
    if owner is None or owner.pk != user.pk:
        raise _invalid()


def _consume_code(
    *,
    phone: str,
    code: str,
    client_ip: str,
    purpose: str,
    before_use: Callable[[], None] | None = None,
) -> None:
    """Check ``code`` against the current code of ``phone`` for ``purpose`` (tries
    counted, constant-time) and mark it used; raises :class:`PhoneLoginError`.
    ``before_use`` runs once the code is right, before it is marked used: what it raises
    leaves the code usable for another try."""
    code = str(code or "").strip()
    if not (len(code) == CODE_LENGTH and code.isascii() and code.isdigit()):
        message = _("请输入短信中的%(n)d位数字验证码。") % {"n": CODE_LENGTH}
        raise PhoneLoginError(message, field_errors={"code": [message]})
    _check_limit(f"phone_login:verify:{client_ip}", "verify_per_address_per_hour", 3600)
    now = timezone.now()
    row = (
        PhoneLoginCode.objects.filter(
            phone=phone, used_at=None, superseded=False, expires_at__gt=now, purpose=purpose
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if row is None:
        raise _decoy_try(phone, purpose)
    # Count the try first, atomically: concurrent guesses cannot exceed the limit.
    counted = PhoneLoginCode.objects.filter(
        pk=row.pk, used_at=None, attempts__lt=MAX_ATTEMPTS
    ).update(attempts=F("attempts") + 1)
    if not counted:
        message = _("验证码错误次数过多，已失效，请重新获取验证码。")
        raise PhoneLoginError(message, field_errors={"code": [message]})
    if not hmac.compare_digest(row.code_hash, code_hash(phone, row.salt, code)):
        raise _wrong_code(row.attempts + 1)
    if before_use is not None:
        before_use()
    if not PhoneLoginCode.objects.filter(pk=row.pk, used_at=None).update(used_at=now):
        raise _invalid()  # a concurrent request used it first


def _citizen_account(phone: str) -> User:
    user = _account(phone)
    if user is None:
        if User.objects.filter(username=phone).exists():
            raise _invalid()
        try:
            with transaction.atomic():
                # The code page says that logging in accepts the rules at /privacy/.
                user = User(
                    username=phone,
                    mobile=phone,
                    mobile_verified_at=timezone.now(),
                    privacy_consented_at=timezone.now(),
                    privacy_version=PRIVACY_VERSION,
                )
                user.set_unusable_password()
                user.save()
                audit_append(
                    actor=user,
                    action="user.register",
                    obj=user,
                    changes={"mobile": phone, "via": "sms"},
                )
        except IntegrityError:  # a concurrent first login opened it
            user = _account(phone)
            if user is None:
                raise _invalid() from None
    if not may_log_in_by_sms(user):
        raise _invalid()
    User.objects.filter(pk=user.pk).update(mobile_verified_at=timezone.now())
    user.mobile_verified_at = timezone.now()
    return user


def demo_channel_configured() -> bool:
    """Is the login SMS channel the demo one (for the production system check)?"""
    try:
        channel: Any = login_sms_channel()
    except ImportError:
        return False
    return bool(getattr(channel, "demo", False))
