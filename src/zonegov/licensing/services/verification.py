"""Automatic verification (电子证照自动核验) of the applicant's business licence and
identity, and whether this login's identity may carry an instant approval (即申即审)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core.models import Enterprise
from zonegov.core.services.identity import (
    LoginIdentity,
    account_level,
    enterprise_role,
    login_verification,
)
from zonegov.licensing import conf, elicence
from zonegov.licensing.kinds import HolderKind
from zonegov.licensing.models import Application


def application_verify(application: Application) -> list[elicence.Check]:
    """Check the applicant's business licence and identity through the configured
    provider; store the results (not saved here: callers save)."""
    provider = elicence.provider()
    checks: list[elicence.Check] = []
    applicant = application.applicant  # cached when the caller passed the acting user
    if application.holder_kind == HolderKind.ENTERPRISE:
        if application.holder_code:
            checks.append(
                provider.check_business_licence(
                    uscc=application.holder_code,
                    operator_name=application.operator_name,
                    legal_rep=application.legal_rep,
                )
            )
        # The person who applies (and signs) for an enterprise is its legal representative.
        checks.append(
            provider.check_identity(user=applicant, name=application.legal_rep, id_number="")
        )
    else:
        checks.append(
            provider.check_identity(
                user=applicant, name=application.operator_name, id_number=application.holder_code
            )
        )
    application.verification = [c.as_dict() for c in checks]
    application.verification_passed = bool(checks) and all(c.ok for c in checks)
    if application.holder_kind == HolderKind.ENTERPRISE and not application.holder_code:
        application.verification_passed = False
    application.verified_at = timezone.now()
    if application.holder_kind == HolderKind.ENTERPRISE and application.holder_code:
        found = next((c.data.get("id") for c in checks if c.code == "business_licence"), None)
        if found:
            application.enterprise_id = found
        else:
            application.enterprise = Enterprise.objects.filter(uscc=application.holder_code).first()
    if application.holder_kind == HolderKind.PERSON:
        application.person = getattr(applicant, "person", None)
    return checks


def instant_identity(
    *, actor: Any, application: Application, login: LoginIdentity | None
) -> tuple[dict[str, Any], str]:
    """May this applicant's identity carry an instant approval? Returns the identity basis
    (recorded on the application) and, when it may not, why (the application then goes
    to an officer's 受理).

    It may when this login was verified by an identity provider within the freshness
    window (a typed name or ID number never counts, nor does a password login), and the
    verified person is the operator: for a 个体 (person) the verified ID number is the
    operator's; for an enterprise the provider (电子营业执照) states this USCC with the
    person as its legal representative, or as an agent whose unexpired authorisation
    covers food-business licensing (``conf.identity_matter``)."""
    verification, why = login_verification(user=actor, login=login)
    if verification is None:
        return {"level": account_level(actor)}, _("%(why)s，转人工受理。") % {"why": why}
    basis: dict[str, Any] = {
        "level": verification.level,
        "provider": verification.provider,
        "provider_label": verification.provider_label,
        "assurance": verification.assurance,
        "verified_at": verification.verified_at.isoformat(),
        "verification": verification.pk,
        "id_number": verification.masked_id_number,
    }
    if application.holder_kind == HolderKind.PERSON:
        if (application.holder_code or "").strip().upper() != verification.id_number:
            return basis, _("经营者身份证号与您通过统一身份认证核验的身份证号不一致，转人工受理。")
        return basis, ""
    role = enterprise_role(verification)
    basis["enterprise"] = verification.enterprise_uscc
    basis["role"] = verification.enterprise_role
    if role is None or role.uscc != (application.holder_code or "").strip().upper():
        return basis, _(
            "您不是该企业的法定代表人或被授权代理人（以电子营业执照核验结果为准），"
            "请使用该企业的电子营业执照登录核验，本次申请转人工受理。"
        )
    if not role.covers(conf.identity_matter(), timezone.now()):
        return basis, _("您在电子营业执照中的授权不包含食品经营许可事项或已过期，转人工受理。")
    return basis, ""
