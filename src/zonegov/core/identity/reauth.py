"""Re-authentication before an act with legal effect (an electronic signature): the
person proves again that they are at the keyboard, with the login password or a fresh
SMS code (purpose "sign") sent to the account's own, proved mobile. A session left open
on a shared computer, or an API token copied from it, is not enough. Wrong answers count
against the same limits as logins (django-axes for passwords, the SMS code limits)."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.identity import phone as phone_codes
from zonegov.core.middleware import client_ip
from zonegov.core.models import User


def sms_reauth_available(user: User) -> bool:
    """May ``user`` confirm by an SMS code (a citizen account with a proved mobile)?"""
    return (
        bool(user.mobile)
        and phone_codes.phone_login_available()
        and phone_codes.may_log_in_by_sms(user)
    )


def send_sign_code(*, request: HttpRequest, user: User) -> phone_codes.CodeSent:
    """Send a signing code to ``user``'s own mobile; raises :class:`ApplicationError`."""
    if not sms_reauth_available(user):
        raise ApplicationError(
            _("您的账号不能用短信验证码确认签名（未绑定已验证的手机号），请用登录密码。"),
            field_errors={"code": [_("请用登录密码确认签名。")]},
        )
    return phone_codes.request_code(
        phone=user.mobile, client_ip=client_ip(request), purpose=phone_codes.SIGN
    )


def reauthenticate(*, request: HttpRequest, user: User, password: str = "", code: str = "") -> None:
    """Check the password or the signing code of ``user``; raises
    :class:`ApplicationError` (Chinese message, ``field_errors`` on ``password`` or
    ``code``) when neither proves them: 400 when neither was given, 403 when the one given
    is wrong, 429 when the code limits are reached (for the API)."""
    if password:
        if not user.has_usable_password():
            message = _("您的账号没有设置密码，请用短信验证码。")
            raise ApplicationError(message, field_errors={"password": [message]})
        again = authenticate(request, username=user.get_username(), password=password)
        if again is None or again.pk != user.pk:
            message = _("密码不正确。")
            raise PermissionRefused(message, field_errors={"password": [message]})
        return
    if code:
        try:
            phone_codes.verify_sign_code(user=user, code=code, client_ip=client_ip(request))
        except phone_codes.TooManyRequests:
            raise
        except phone_codes.PhoneLoginError as exc:
            raise PermissionRefused(exc.message, field_errors=exc.field_errors) from None
        return
    message = _("请输入登录密码或短信验证码，确认是本人签名。")
    raise ApplicationError(message, field_errors={"__all__": [message]})
