import secrets
from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError
from zonegov.core.identifiers import validate_id_number, validate_mobile
from zonegov.core.models import ApiToken, Person, Role, Unit, User
from zonegov.core.roles import STAFF_ROLES
from zonegov.core.services.audit import audit_append, diff, model_snapshot
from zonegov.core.validation import person_name_problem


def _field_error(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


@transaction.atomic
def applicant_register(*, mobile: str, full_name: str, id_number: str, password: str) -> User:
    """Self-registration of an applicant (申请人) with real-name identity."""
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
    if person_name_problem(full_name):
        errors["full_name"] = [person_name_problem(full_name)]
    if "mobile" not in errors and User.objects.filter(mobile=mobile).exists():
        errors["mobile"] = [_("该手机号已注册，请直接登录。")]
    if (
        "id_number" not in errors
        and Person.objects.filter(id_number=id_number, user__isnull=False).exists()
    ):
        errors["id_number"] = [_("该身份证号已注册账号。")]
    candidate = User(username=mobile, mobile=mobile, full_name=full_name)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ApplicationError(_("注册信息有误，请按提示修改。"), field_errors=errors)
    person, _created = Person.objects.get_or_create(
        id_number=id_number, defaults={"name": full_name, "mobile": mobile}
    )
    candidate.person = person
    candidate.set_password(password)
    candidate.save()
    audit_append(actor=candidate, action="user.register", obj=candidate, changes={"mobile": mobile})
    return candidate


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
    if User.objects.filter(username=username).exists():
        raise _field_error("username", _("该用户名已被使用。"))
    if mobile:
        try:
            mobile = validate_mobile(mobile)
        except ValidationError as exc:
            raise _field_error("mobile", exc.messages[0]) from exc
        if User.objects.filter(mobile=mobile).exists():
            raise _field_error("mobile", _("该手机号已被其他账号使用。"))
    password = password or secrets.token_urlsafe(10)
    user = User(
        username=username,
        full_name=full_name,
        unit=unit,
        mobile=mobile or None,
        title=title,
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
    return user


@transaction.atomic
def password_change(*, user: User, new_password: str) -> None:
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_append(actor=user, action="user.password_change", obj=user)


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token; the secret is returned once and only its hash is stored."""
    if not name.strip():
        raise _field_error("name", _("请填写令牌用途。"))
    key = "zg_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=key[:8], key_hash=ApiToken.hash_key(key)
    )
    audit_append(actor=user, action="api_token.create", obj=token)
    return token, key


@transaction.atomic
def api_token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise ApplicationError(_("只能吊销自己的令牌。"))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_append(actor=user, action="api_token.revoke", obj=token)
