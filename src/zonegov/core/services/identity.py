"""Identity levels of accounts: binding a verified identity, 柜面核验, fresh logins.

Levels (``IdentityLevel``): an account is *self-registered* until a trusted party
verifies it — an identity provider (统一身份认证 / 电子营业执照, ``core.identity``) or an
officer at the counter who checked the ID card in person. A verification binds the
account's name and ID number (the typed ones are replaced) and the verified ID number
to this one account.

A *fresh verified login* is a provider verification made in this browser session, within
``ZONEGOV_IDENTITY_FRESH_MINUTES`` (default 30). A password login alone is never one,
and neither is a counter verification (it proves who the account belongs to, not who is
at the keyboard now). Acts with legal effect — an instant certificate — ask for it
(``login_verification``); provider levels can be "the highest ever reached"
(research/identity.md §1.3), so the freshness is the platform's own.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.identifiers import mask_id_number, validate_id_number
from zonegov.core.identity.base import (
    EnterpriseRole,
    IdentityProvider,
    ProviderError,
    VerifiedIdentity,
    get_provider,
)
from zonegov.core.models import IdentityLevel, IdentityVerification, Person, User
from zonegov.core.roles import COUNTER_ROLES
from zonegov.core.services.audit import audit_append
from zonegov.core.validation import person_name_problem

SESSION_KEY = "zonegov.identity"

# Who may verify an applicant at the counter (柜面核验): the roles declared ``counter=True``
# (core.roles.COUNTER_ROLES; licensing's 审批员 at the service centre's windows).


def fresh_minutes() -> int:
    return int(getattr(settings, "ZONEGOV_IDENTITY_FRESH_MINUTES", 30))


@dataclass(frozen=True)
class LoginIdentity:
    """What this browser session holds: which provider verification it made, and when."""

    verification_id: int
    verified_at: datetime


def session_identity(request: Any) -> LoginIdentity | None:
    """The provider verification made in ``request``'s session, if any."""
    session = getattr(request, "session", None)
    data = session.get(SESSION_KEY) if session is not None else None
    if not isinstance(data, dict):
        return None
    at = parse_datetime(str(data.get("at", "")))
    pk = data.get("verification")
    if at is None or not isinstance(pk, int):
        return None
    return LoginIdentity(verification_id=pk, verified_at=at)


def remember_in_session(request: Any, verification: IdentityVerification) -> LoginIdentity:
    request.session[SESSION_KEY] = {
        "verification": verification.pk,
        "at": verification.verified_at.isoformat(),
    }
    return LoginIdentity(verification.pk, verification.verified_at)


def current_identity(user: Any) -> IdentityVerification | None:
    """The account's current verification (None: self-registered)."""
    if not getattr(user, "pk", None):
        return None
    return IdentityVerification.objects.filter(user=user, current=True).first()


def account_level(user: Any) -> str:
    current = current_identity(user)
    return current.level if current else IdentityLevel.SELF_REGISTERED


def enterprise_role(verification: IdentityVerification) -> EnterpriseRole | None:
    if not verification.enterprise_uscc:
        return None
    return EnterpriseRole(
        uscc=verification.enterprise_uscc,
        name=verification.enterprise_name,
        role=verification.enterprise_role,
        legal_rep_name=verification.enterprise_legal_rep,
        matters=tuple(verification.enterprise_matters or ()),
        authorised_until=verification.enterprise_authorised_until,
    )


def login_verification(
    *, user: Any, login: LoginIdentity | None, now: datetime | None = None
) -> tuple[IdentityVerification | None, str]:
    """The provider verification behind this login if it is fresh, else None and why."""
    not_verified = _("本次登录未通过统一身份认证实名核验")
    if login is None or not getattr(user, "pk", None):
        return None, not_verified
    verification = IdentityVerification.objects.filter(
        pk=login.verification_id, user=user, current=True, level=IdentityLevel.PROVIDER
    ).first()
    if verification is None or verification.verified_at != login.verified_at:
        return None, not_verified
    provider = get_provider(verification.provider)
    if provider is None:
        return None, not_verified
    try:
        provider.refuse_in_production()
    except ProviderError as exc:
        return None, exc.message
    now = now or timezone.now()
    if now - verification.verified_at > timedelta(minutes=fresh_minutes()):
        return None, _("统一身份认证实名核验已超过%(n)s分钟，请重新核验") % {"n": fresh_minutes()}
    return verification, ""


def _clean_person(name: str, id_number: str) -> tuple[str, str]:
    problem = person_name_problem(name)
    if problem:
        raise ApplicationError(problem, field_errors={"name": [problem]})
    try:
        id_number = validate_id_number(id_number)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], field_errors={"id_number": exc.messages}) from exc
    return name.strip(), id_number


def _bind_person(user: User, name: str, id_number: str) -> None:
    """Point the account at the verified person: typed values are replaced, and an
    unverified account that typed this ID number loses its (never binding) claim."""
    person = user.person if user.person and user.person.id_number == id_number else None
    if person is None:
        person = Person.objects.filter(id_number=id_number).first()
    if person is None:
        person = Person.objects.create(name=name, id_number=id_number, mobile=user.mobile or "")
    squatter = User.objects.filter(person=person).exclude(pk=user.pk).first()
    if squatter is not None:
        squatter.person = None
        squatter.save(update_fields=["person"])
        audit_append(
            actor=None,
            action="identity.claim_released",
            obj=squatter,
            changes={"id_number": mask_id_number(id_number), "bound_to": user.pk},
        )
    if person.name != name:
        person.name = name
        person.save(update_fields=["name"])
    user.person = person
    user.full_name = name
    user.save(update_fields=["person", "full_name"])


def _bind(*, user: User, name: str, id_number: str, fields: dict[str, Any]) -> IdentityVerification:
    mine = IdentityVerification.objects.select_for_update().filter(user=user, current=True).first()
    if mine is not None and mine.id_number != id_number:
        raise ApplicationError(
            _(
                "本账号已实名核验为另一身份（%(id)s），不能再绑定其他人的身份。"
                "如需变更，请携带身份证到政务服务中心窗口办理。"
            )
            % {"id": mine.masked_id_number}
        )
    other = (
        IdentityVerification.objects.select_for_update()
        .filter(id_number=id_number, current=True)
        .exclude(user=user)
        .select_related("user")
        .first()
    )
    if other is not None:
        if other.user.is_active:
            raise ApplicationError(
                _(
                    "该身份证号已实名绑定到另一个账号（手机号尾号%(tail)s）。一人只能绑定一个账号；"
                    "如该账号不是您本人注册，请携带身份证到政务服务中心窗口办理。"
                )
                % {"tail": (other.user.mobile or other.user.username)[-4:]}
            )
        other.current = False
        other.save(update_fields=["current"])
    if mine is not None:
        mine.current = False
        mine.save(update_fields=["current"])
    try:
        with transaction.atomic():
            verification = IdentityVerification.objects.create(
                user=user, name=name, id_number=id_number, current=True, **fields
            )
    except IntegrityError as exc:  # another account bound it in the same instant
        raise ApplicationError(
            _("该身份证号正在绑定到另一个账号，请稍后重试或到政务服务中心窗口办理。")
        ) from exc
    _bind_person(user, name, id_number)
    return verification


@transaction.atomic
def identity_bind(
    *, user: User, identity: VerifiedIdentity, provider: IdentityProvider
) -> IdentityVerification:
    """Record what ``provider`` verified for ``user`` and bind it to the account."""
    provider.refuse_in_production()
    if not provider.accepts(identity.assurance):
        raise ApplicationError(
            _(
                "%(provider)s返回的实名等级为“%(level)s”，未达到实名核验要求。"
                "请在该平台完成实名认证（如人脸识别）后重试，或到窗口办理柜面核验。"
            )
            % {"provider": provider.label, "level": identity.assurance or "-"}
        )
    if not identity.subject:
        raise ApplicationError(_("认证平台没有返回用户标识，无法完成核验，请稍后重试。"))
    try:
        name, id_number = _clean_person(identity.name, identity.id_number)
    except ApplicationError as exc:
        raise ApplicationError(
            _("认证平台返回的姓名或身份证号无法使用（%(reason)s），请到窗口办理柜面核验。")
            % {"reason": exc.message}
        ) from exc
    enterprise = identity.enterprise
    raw = json.dumps(identity.raw, sort_keys=True, ensure_ascii=False, default=str)
    verification = _bind(
        user=User.objects.select_for_update().get(pk=user.pk),
        name=name,
        id_number=id_number,
        fields={
            "level": IdentityLevel.PROVIDER,
            "provider": provider.name,
            "provider_label": provider.label,
            "assurance": identity.assurance[:40],
            "subject": identity.subject[:128],
            "verified_at": identity.verified_at,
            "enterprise_uscc": (enterprise.uscc.upper()[:18] if enterprise else ""),
            "enterprise_name": (enterprise.name[:200] if enterprise else ""),
            "enterprise_role": (enterprise.role if enterprise else ""),
            "enterprise_legal_rep": (enterprise.legal_rep_name[:50] if enterprise else ""),
            "enterprise_matters": (list(enterprise.matters) if enterprise else []),
            "enterprise_authorised_until": (enterprise.authorised_until if enterprise else None),
            "raw_sha256": hashlib.sha256(raw.encode()).hexdigest(),
        },
    )
    user.refresh_from_db()
    audit_append(
        actor=user,
        action="identity.verify",
        obj=verification,
        changes={
            "provider": provider.name,
            "assurance": verification.assurance,
            "id_number": verification.masked_id_number,
            "enterprise": verification.enterprise_uscc,
            "role": verification.enterprise_role,
        },
    )
    return verification


def may_verify_at_counter(actor: Any) -> bool:
    return bool(
        getattr(actor, "is_authenticated", False)
        and actor.is_staff_member
        and actor.has_role(*COUNTER_ROLES)
    )


@transaction.atomic
def identity_counter_verify(
    *, actor: Any, user: User, name: str, id_number: str, card_checked: bool, note: str = ""
) -> IdentityVerification:
    """柜面核验: an officer checked the applicant's resident ID card in person (original,
    face matches) and records the name and number on it."""
    if not may_verify_at_counter(actor):
        raise PermissionRefused(_("只有审批员可以办理柜面核验。"))
    if user.is_staff_member or not user.is_active:
        raise ApplicationError(_("只能为申请人账号办理柜面核验。"))
    if not card_checked:
        message = _("请核对身份证原件并确认人证一致后再提交。")
        raise ApplicationError(message, field_errors={"card_checked": [message]})
    name, id_number = _clean_person(name, id_number)
    verification = _bind(
        user=User.objects.select_for_update().get(pk=user.pk),
        name=name,
        id_number=id_number,
        fields={
            "level": IdentityLevel.COUNTER,
            "provider_label": _("政务服务中心窗口"),
            "officer": actor,
            "note": (note or "").strip()[:200],
            "verified_at": timezone.now(),
        },
    )
    audit_append(
        actor=actor,
        action="identity.counter_verify",
        obj=verification,
        changes={"user": user.pk, "id_number": verification.masked_id_number},
    )
    return verification
