"""Automatic verification of a citizen's or enterprise's existing e-licences (电子证照核验).

A core service: licensing checks an applicant's business licence and identity with it,
and any module that acts on a person's word (a wage complainant, a grid reporter, a
petitioner) checks the person against their account's real-name identity the same way.
What is verified needs no upload; what fails says why.

The platform asks an :class:`ElicenceProvider`: the built-in :class:`RegistryProvider`
reads the zone's own enterprise registry (``core.Enterprise``) and the identity of the
account (``core.Person``: typed at registration, replaced by the verified one when an
identity provider or the counter verifies the account).

These checks say whether what was typed agrees with the registry and the account; they do
not prove who the person is. Acts with legal effect also need this login's verification
by an identity provider (:mod:`zonegov.core.identity.base`).

Adapter point for the provincial e-licence platform (河南省电子证照共享平台, GB/T 36906
共享服务接口): write a class with the same two methods that calls the platform's
``证照查验`` service (business licence by USCC, 身份证 by name + number) and set
``ZONEGOV_ELICENCE_PROVIDER = "yourpackage.module.ProvincialProvider"``. The provider
must not raise on a negative answer: return ``Check(ok=False, reason=...)``; network
failures should return ``ok=False`` with a reason such as "省电子证照平台暂时无法访问",
which sends the case to a person instead of an automatic decision.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from zonegov.core.models import Enterprise, Person

#: The provider used when ``ZONEGOV_ELICENCE_PROVIDER`` is not set.
DEFAULT_PROVIDER = "zonegov.core.identity.elicence.RegistryProvider"


@dataclass
class Check:
    """One verified e-licence: which, from where, passed or why not, what it says."""

    code: str  # "business_licence" | "identity"
    label: str
    ok: bool
    source: str
    reason: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ElicenceProvider(Protocol):
    name: str

    def check_business_licence(self, *, uscc: str, operator_name: str, legal_rep: str) -> Check:
        """Is there a business licence with this USCC, name and legal representative?"""
        ...

    def check_identity(self, *, user: Any, name: str, id_number: str) -> Check:
        """Is ``user``'s verified identity this name and ID number?"""
        ...


class RegistryProvider:
    """Reads the zone's enterprise registry and the real-name identities of accounts."""

    name = "高新区市场主体库"

    def check_business_licence(self, *, uscc: str, operator_name: str, legal_rep: str) -> Check:
        label = _("营业执照")
        enterprise = Enterprise.objects.filter(uscc=(uscc or "").strip().upper()).first()
        if enterprise is None:
            return Check(
                "business_licence",
                label,
                False,
                self.name,
                _(
                    "市场主体库中没有统一社会信用代码为 %(uscc)s 的营业执照，"
                    "请核对代码或上传营业执照。"
                )
                % {"uscc": uscc},
            )
        problems = []
        if operator_name and enterprise.name != operator_name.strip():
            problems.append(
                _("名称与营业执照不一致（执照上为“%(name)s”）") % {"name": enterprise.name}
            )
        if legal_rep and enterprise.legal_representative != legal_rep.strip():
            problems.append(
                _("法定代表人（负责人）与营业执照不一致（执照上为“%(name)s”）")
                % {"name": enterprise.legal_representative}
            )
        data = {
            "id": enterprise.pk,
            "uscc": enterprise.uscc,
            "name": enterprise.name,
            "legal_representative": enterprise.legal_representative,
            "address": enterprise.registered_address,
            "kind": enterprise.kind,
        }
        if problems:
            return Check("business_licence", label, False, self.name, "；".join(problems), data)
        return Check("business_licence", label, True, self.name, "", data)

    def check_identity(self, *, user: Any, name: str, id_number: str) -> Check:
        label = _("身份证")
        person: Person | None = getattr(user, "person", None)
        if person is None or not person.id_number:
            return Check(
                "identity",
                label,
                False,
                self.name,
                _("您的账号尚未实名认证，请先完成实名认证（注册时填写身份证号）。"),
            )
        if id_number and person.id_number != id_number.strip().upper():
            return Check(
                "identity",
                label,
                False,
                self.name,
                _("身份证号与您实名认证的身份不一致：只能为本人申请或由法定代表人本人申请。"),
            )
        if name and person.name != name.strip():
            return Check(
                "identity",
                label,
                False,
                self.name,
                _("姓名与您实名认证的姓名“%(name)s”不一致。") % {"name": person.name},
            )
        return Check(
            "identity",
            label,
            True,
            self.name,
            "",
            {"name": person.name, "id_number": person.masked_id_number},
        )


@lru_cache(maxsize=4)
def _provider_class(path: str) -> type:
    return import_string(path)


def provider_path() -> str:
    """The configured provider's dotted path (``ZONEGOV_ELICENCE_PROVIDER``, read at call
    time; the licensing module documented the same name, which keeps working)."""
    return getattr(settings, "ZONEGOV_ELICENCE_PROVIDER", None) or DEFAULT_PROVIDER


def provider() -> ElicenceProvider:
    """An instance of the configured e-licence provider."""
    return _provider_class(provider_path())()


def check_person(*, user: Any, name: str = "", id_number: str = "") -> Check:
    """Does ``user``'s real-name identity match the ``name`` and ``id_number`` given (by
    a complainant, reporter or petitioner)? Blank values are not compared."""
    return provider().check_identity(user=user, name=name, id_number=id_number)


def check_enterprise(*, uscc: str, name: str = "", legal_rep: str = "") -> Check:
    """Is there a business licence with this USCC (and name, legal representative)?"""
    return provider().check_business_licence(uscc=uscc, operator_name=name, legal_rep=legal_rep)
