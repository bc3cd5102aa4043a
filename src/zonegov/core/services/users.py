import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.identifiers import validate_id_number, validate_mobile
from zonegov.core.models import ApiToken, Person, Role, Unit, User
from zonegov.core.privacy import PRIVACY_VERSION
from zonegov.core.roles import ORG_ADMIN, STAFF_ROLES, ZONE_WIDE_ROLES, role_label
from zonegov.core.services.audit import audit_append, diff, model_snapshot
from zonegov.core.services.notifications import notify
from zonegov.core.validation import person_name_problem


def _field_error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def registration_errors(
    *, mobile: str, full_name: str, id_number: str, password: str
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Every problem with what a registering applicant typed, by field (format, check
    digit, password rules), all at once; and the cleaned values. The form shows these
    next to a password mismatch, so one error never hides the others."""
    errors: dict[str, list[str]] = {}
    try:
        mobile = validate_mobile(mobile)
    except ValidationError as exc:
        errors["mobile"] = exc.messages
    try:
        id_number = validate_id_number(id_number)
    except ValidationError as exc:
        errors["id_number"] = exc.messages
    full_name = (full_name or "").strip()
    if not full_name:
        errors["full_name"] = [_("请填写姓名。")]
    elif person_name_problem(full_name):
        errors["full_name"] = [person_name_problem(full_name)]
    candidate = User(username=mobile, mobile=mobile, full_name=full_name)
    if password:
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as exc:
            errors["password"] = exc.messages
    else:
        errors["password"] = [_("请设置密码。")]
    cleaned = {"mobile": mobile, "id_number": id_number, "full_name": full_name}
    return errors, cleaned


@transaction.atomic
def applicant_register(
    *,
    mobile: str,
    full_name: str,
    id_number: str,
    password: str,
    privacy_consented: bool = False,
    sms_code: str | None = None,
    client_ip: str = "",
) -> User | None:
    """Self-registration of an applicant (申请人) with the identity they type.

    Returns the new user, or None when the mobile number already has an account: then the
    owner is notified ("someone tried to register with your number") and the caller gives
    the same answer as for a new account, so registration never tells whether a number is
    registered (issue 10 item 12). Errors are only about what was typed (format, check
    digit, password rules) and the consent to the personal-information rules at
    /privacy/ (个人信息保护法 §13–14), whose time and version are kept on the account.

    The typed 身份证号 binds nothing: each self-registered account gets its own unverified
    ``Person``, so a stranger typing someone's ID number neither learns that it is taken
    nor blocks the real person. A verified identity binds an ID number uniquely (issue 10
    item 1).

    ``sms_code`` is the registration code sent to ``mobile`` (``core.identity.phone``,
    purpose "register"): the registration page always passes it, and the account records
    the number as proved (``mobile_verified_at``). A number that already has an account
    was sent no code, so its tries fail like wrong codes. Without ``sms_code`` (seeding,
    tests) the number is only typed: SMS login never opens such an account."""
    errors, cleaned = registration_errors(
        mobile=mobile, full_name=full_name, id_number=id_number, password=password
    )
    if not privacy_consented:
        errors["privacy_consent"] = [_("请阅读并同意《个人信息保护政策》后再注册。")]
    if errors:
        raise ApplicationError(_("注册信息有误，请按提示修改。"), field_errors=errors)
    mobile, id_number, full_name = cleaned["mobile"], cleaned["id_number"], cleaned["full_name"]
    if sms_code is not None:
        from zonegov.core.identity.phone import verify_register_code

        verify_register_code(phone=mobile, code=sms_code, client_ip=client_ip)
    candidate = User(username=mobile, mobile=mobile, full_name=full_name)
    owner = (
        User.objects.filter(mobile=mobile).first() or User.objects.filter(username=mobile).first()
    )
    if owner is not None:
        candidate.set_password(password)  # the same hashing work as a new account
        _registration_attempt_notice(owner)
        return None
    person = Person.objects.create(name=full_name, id_number=id_number, mobile=mobile)
    candidate.person = person
    candidate.set_password(password)
    candidate.privacy_consented_at = timezone.now()
    candidate.privacy_version = PRIVACY_VERSION
    candidate.mobile_verified_at = timezone.now() if sms_code is not None else None
    candidate.save()
    audit_append(
        actor=candidate,
        action="user.register",
        obj=candidate,
        changes={
            "mobile": mobile,
            "privacy_version": PRIVACY_VERSION,
            "mobile_verified": sms_code is not None,
        },
    )
    return candidate


def _registration_attempt_notice(owner: User) -> None:
    """Tell the owner of a number that someone tried to register with it (at most once a
    day, so the form cannot be used to flood their phone)."""
    audit_append(actor=None, action="user.register_attempt", obj=owner)
    notify(
        user=owner,
        title=_("有人尝试用您的手机号注册"),
        body=_(
            "有人在申请人注册页面填写了您的手机号。如果是您本人，请直接用手机号登录；"
            "忘记密码可在登录页点“忘记密码”用短信验证码重置（工作人员请联系组织管理员）。"
            "如果不是您本人，无需处理，您的账号未受影响。"
        ),
        dedupe_key=f"register-attempt:{timezone.localdate().isoformat()}",
    )


# --- role assignment (issue 10 item 4) ---------------------------------------------------
#
# Nobody changes their own roles or unit; an org admin changes only people in its own unit
# subtree and places them only there, so every role it grants covers at most its own
# scope; zone-wide roles (roles.ZONE_WIDE_ROLES) are granted and revoked only by a
# zone-level org admin (unit at the top of the tree). Every change of roles is an audit
# event ("user.roles_change") and a notification to the zone-level org admins.


def _check_role_change(
    *,
    actor: Any,
    target: User | None,
    old_unit: Unit | None,
    new_unit: Unit,
    old_roles: set[str],
    new_roles: set[str],
) -> tuple[list[str], list[str]]:
    """Refuse a role or unit change the actor may not make; return (granted, revoked)."""
    if not (
        getattr(actor, "is_authenticated", False)
        and actor.is_staff_member
        and actor.has_role(ORG_ADMIN)
    ):
        raise PermissionRefused(_("只有组织管理员可以管理人员和角色。"))
    granted = sorted(new_roles - old_roles)
    revoked = sorted(old_roles - new_roles)
    moved = old_unit is not None and old_unit.pk != new_unit.pk
    if target is not None and target.pk == actor.pk and (granted or revoked or moved):
        message = _("不能修改自己的角色或所属单位，请由其他组织管理员办理。")
        raise PermissionRefused(message, field_errors={"roles": [message]})
    scope = actor.unit.path
    for unit in (old_unit, new_unit):
        if unit is not None and not unit.path.startswith(scope):
            message = _("该人员或单位不在您的管辖范围内。")
            raise PermissionRefused(message, field_errors={"unit": [message]})
    # A move re-grants every role at the new unit.
    changed = (old_roles | new_roles) if moved else set(granted) | set(revoked)
    zone_wide = sorted(changed & ZONE_WIDE_ROLES)
    if zone_wide and actor.unit.parent_id is not None:
        message = _("只有高新区一级的组织管理员可以授予或撤销“%(roles)s”角色。") % {
            "roles": "、".join(role_label(r) for r in zone_wide)
        }
        raise PermissionRefused(message, field_errors={"roles": [message]})
    return granted, revoked


def _record_role_change(
    *, actor: Any, user: User, granted: list[str], revoked: list[str], moved_from: Unit | None
) -> None:
    if not (granted or revoked or moved_from):
        return
    changes: dict[str, Any] = {"granted": granted, "revoked": revoked, "unit": user.unit.name}
    if moved_from is not None:
        changes["moved_from"] = moved_from.name
    audit_append(actor=actor, action="user.roles_change", obj=user, changes=changes)
    none = _("无")
    body = _(
        "%(actor)s（%(actor_unit)s）变更了 %(user)s（%(unit)s）的角色。授予：%(granted)s；"
        "撤销：%(revoked)s。"
    ) % {
        "actor": actor.display_name,
        "actor_unit": actor.unit.name,
        "user": user.display_name,
        "unit": user.unit.name,
        "granted": "、".join(role_label(r) for r in granted) or none,
        "revoked": "、".join(role_label(r) for r in revoked) or none,
    }
    if moved_from is not None:
        body += _("所属单位由“%(old)s”调整为“%(new)s”。") % {
            "old": moved_from.name,
            "new": user.unit.name,
        }
    zone_admins = (
        User.objects.filter(
            is_active=True,
            roles__code=ORG_ADMIN,
            unit__isnull=False,
            unit__parent__isnull=True,
        )
        .exclude(pk=actor.pk)
        .distinct()
    )
    url = reverse("person_edit", args=[user.pk])
    for admin in zone_admins:
        notify(user=admin, title=_("人员角色变更"), body=body, url=url)


@transaction.atomic
def staff_user_create(
    *,
    actor: Any,
    username: str,
    full_name: str,
    unit: Unit,
    roles: list[str],
    mobile: str = "",
    title: str = "",
    password: str | None = None,
) -> tuple[User, str]:
    """Create a staff account; returns the user and the initial password to hand over."""
    unknown = set(roles) - STAFF_ROLES
    if unknown or not roles:
        raise _field_error("roles", _("请至少选择一个有效角色。"))
    granted, _revoked = _check_role_change(
        actor=actor,
        target=None,
        old_unit=None,
        new_unit=unit,
        old_roles=set(),
        new_roles=set(roles),
    )
    if User.objects.filter(username=username).exists():
        raise _field_error("username", _("该用户名已被使用。"))
    if mobile:
        try:
            mobile = validate_mobile(mobile)
        except ValidationError as exc:
            raise _field_error("mobile", exc.messages[0]) from exc
        if User.objects.filter(mobile=mobile).exists():
            raise _field_error("mobile", _("该手机号已被其他账号使用。"))
    # A generated initial password is handed over by the admin: the person must set
    # their own at the first login (core.middleware.PasswordChangeRequiredMiddleware).
    generated = not password
    password = password or secrets.token_urlsafe(10)
    user = User(
        username=username,
        full_name=full_name,
        unit=unit,
        mobile=mobile or None,
        title=title,
        must_change_password=generated,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    user.roles.set(Role.objects.filter(code__in=roles))
    audit_append(
        actor=actor,
        action="user.create",
        obj=user,
        changes={"unit": unit.name, "roles": sorted(roles)},
    )
    _record_role_change(actor=actor, user=user, granted=granted, revoked=[], moved_from=None)
    return user, password


@transaction.atomic
def staff_user_update(
    *,
    actor: Any,
    user: User,
    full_name: str,
    unit: Unit,
    roles: list[str],
    title: str,
    is_active: bool,
) -> User:
    before = model_snapshot(user, ["full_name", "unit", "title", "is_active"])
    before["roles"] = sorted(user.role_codes())
    if not roles or set(roles) - STAFF_ROLES:
        raise _field_error("roles", _("请至少选择一个有效角色。"))
    if user.pk == actor.pk and not is_active:
        raise _field_error("is_active", _("不能停用自己的账号。"))
    old_unit = user.unit
    granted, revoked = _check_role_change(
        actor=actor,
        target=user,
        old_unit=old_unit,
        new_unit=unit,
        old_roles=set(user.role_codes()),
        new_roles=set(roles),
    )
    was_active = user.is_active
    user.full_name = full_name
    user.unit = unit
    user.title = title
    user.is_active = is_active
    user.save()
    user.roles.set(Role.objects.filter(code__in=roles))
    user._role_codes = None
    after = model_snapshot(user, ["full_name", "unit", "title", "is_active"])
    after["roles"] = sorted(roles)
    audit_append(actor=actor, action="user.update", obj=user, changes=diff(before, after))
    moved_from = old_unit if old_unit is not None and old_unit.pk != unit.pk else None
    _record_role_change(
        actor=actor, user=user, granted=granted, revoked=revoked, moved_from=moved_from
    )
    if was_active and not is_active:
        api_tokens_revoke_all(user=user, actor=actor, reason="disabled")
    return user


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    """Change one's password; every API token of the user is revoked with it."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit_append(actor=user, action="user.password_change", obj=user)
    api_tokens_revoke_all(user=user, actor=user, reason="password_change")


@transaction.atomic
def password_reset_by_sms(*, user: User, new_password: str) -> None:
    """忘记密码: set the password of ``user``, whose reset code by SMS was just checked
    (``core.identity.phone.verify_reset_code``); the API tokens go with the old one. The
    code proved the mobile number: SMS login opens the account from now on."""
    user.set_password(new_password)
    user.must_change_password = False
    user.mobile_verified_at = timezone.now()
    user.save(update_fields=["password", "must_change_password", "mobile_verified_at"])
    audit_append(actor=user, action="user.password_reset", obj=user, changes={"via": "sms"})
    api_tokens_revoke_all(user=user, actor=user, reason="password_reset")


def api_token_days() -> int:
    """Validity of a new API token in days (``settings.ZONEGOV_API_TOKEN_DAYS``)."""
    return max(1, int(getattr(settings, "ZONEGOV_API_TOKEN_DAYS", 90)))


@transaction.atomic
def api_token_create(
    *, user: User, name: str, via_token: ApiToken | None = None
) -> tuple[ApiToken, str]:
    """Create a token; the secret is returned once and only its hash is stored.

    ``via_token`` is the token the request was authenticated with, if any: a token never
    mints another one (a stolen token could otherwise outlive its own revocation), so
    tokens are created only from a logged-in session."""
    if via_token is not None:
        raise PermissionRefused(
            _("不能用 API 令牌创建新令牌：请登录后在“我的 API 令牌”页面（/accounts/tokens/）创建。")
        )
    name = (name or "").strip()
    if not name:
        raise _field_error("name", _("请填写令牌用途。"))
    if len(name) > 100:
        raise _field_error("name", _("令牌用途不能超过 100 个字符。"))
    key = "zg_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:8],
        key_hash=ApiToken.hash_key(key),
        expires_at=timezone.now() + timedelta(days=api_token_days()),
    )
    audit_append(
        actor=user, action="api_token.create", obj=token, changes={"expires_at": token.expires_at}
    )
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise ApplicationError(_("只能吊销自己的令牌。"))
    if token.revoked_at is not None:
        return
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_append(actor=user, action="api_token.revoke", obj=token)


def api_tokens_revoke_all(*, user: User, actor: Any, reason: str) -> int:
    """Revoke every live token of ``user`` (password changed, account disabled)."""
    count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if count:
        audit_append(
            actor=actor,
            action="api_token.revoke_all",
            obj=user,
            changes={"reason": reason, "count": count},
        )
    return count
