"""模拟统一身份认证（演示）: a stand-in for the provincial platform in development.

``start`` sends the browser to a page of this platform (``/identity/demo/``) where the
developer picks the identity the provider would return — a natural person, optionally
acting for an enterprise of the registry as its legal representative or as an agent
authorised for some matters (as 电子营业执照 would say). It returns to the callback with
a one-time code kept in the session, and ``complete`` exchanges it, like a real provider.

**Refused in production settings** (``PRODUCTION = True``): ``start`` and ``complete``
raise, the page answers 404, and ``manage.py check`` reports the error ``zonegov.E101``
when it is configured. Anyone can be anyone here: it exists so ``make run`` can show
instant approval.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core.identity.base import (
    ActorRole,
    EnterpriseRole,
    IdentityProvider,
    ProviderError,
    VerifiedIdentity,
    check_state,
    new_state,
)

CODES_SESSION_KEY = "zonegov.identity.demo"
#: The assurance level the demo provider states (accepted by default).
DEMO_LEVEL = "demo-real-name"


class DemoProvider(IdentityProvider):
    label = "模拟统一身份认证（演示）"
    demo = True

    def __init__(self, name: str, **options: Any) -> None:
        options.setdefault("accepted_levels", [DEMO_LEVEL])
        super().__init__(name, **options)

    def start(self, request: Any, *, callback_url: str) -> str:
        self.refuse_in_production()
        state = new_state(request, self)
        request.session["zonegov.identity.demo_callback"] = callback_url
        return reverse("identity_demo") + "?" + urlencode({"state": state})

    def issue_code(self, request: Any, identity: VerifiedIdentity) -> str:
        """What the demo page does on 确认: keep the chosen identity under a one-time code."""
        self.refuse_in_production()
        code = secrets.token_urlsafe(16)
        codes = request.session.get(CODES_SESSION_KEY) or {}
        codes[code] = _serialise(identity)
        request.session[CODES_SESSION_KEY] = codes
        return code

    def complete(self, request: Any, *, callback_url: str) -> VerifiedIdentity:
        self.refuse_in_production()
        check_state(request, self)
        codes = request.session.get(CODES_SESSION_KEY) or {}
        data = codes.pop(request.GET.get("code", ""), None)
        request.session[CODES_SESSION_KEY] = codes
        if data is None:
            raise ProviderError(_("身份认证凭据无效或已使用，请重新发起实名核验。"))
        return _deserialise(data, self.name)


def demo_identity(
    *,
    provider: str,
    name: str,
    id_number: str,
    enterprise: Any | None = None,
    role: str = ActorRole.LEGAL_REPRESENTATIVE,
    matters: tuple[str, ...] = (),
    authorised_until: Any = None,
) -> VerifiedIdentity:
    """The identity the demo provider returns for a person (and ``enterprise``, a
    ``core.Enterprise``, with the person's ``role`` in it)."""
    ent = None
    if enterprise is not None:
        ent = EnterpriseRole(
            uscc=enterprise.uscc,
            name=enterprise.name,
            role=role,
            legal_rep_name=enterprise.legal_representative,
            matters=tuple(matters) if role == ActorRole.AGENT else (),
            authorised_until=authorised_until if role == ActorRole.AGENT else None,
        )
    return VerifiedIdentity(
        provider=provider,
        subject=f"demo:{id_number}",
        name=name,
        id_number=id_number,
        assurance=DEMO_LEVEL,
        verified_at=timezone.now(),
        enterprise=ent,
        raw={"demo": True},
    )


def _serialise(identity: VerifiedIdentity) -> dict[str, Any]:
    data = identity.as_dict()
    data["verified_at"] = identity.verified_at.isoformat()
    if identity.enterprise and identity.enterprise.authorised_until:
        data["enterprise"]["authorised_until"] = identity.enterprise.authorised_until.isoformat()
    return data


def _deserialise(data: dict[str, Any], provider: str) -> VerifiedIdentity:
    from django.utils.dateparse import parse_datetime

    ent = dict(data.get("enterprise") or {})
    enterprise = None
    if ent:
        until = ent.get("authorised_until")
        ent["authorised_until"] = parse_datetime(until) if until else None
        ent["matters"] = tuple(ent.get("matters") or ())
        enterprise = EnterpriseRole(**ent)
    return VerifiedIdentity(
        provider=provider,
        subject=data["subject"],
        name=data["name"],
        id_number=data["id_number"],
        assurance=data["assurance"],
        # The demo "provider" authenticated the person when the code is exchanged.
        verified_at=timezone.now(),
        enterprise=enterprise,
        raw=data.get("raw") or {},
    )


def demo_provider() -> DemoProvider | None:
    """The configured demo provider (None when none is, as in production)."""
    from zonegov.core.identity.base import providers

    return next((p for p in providers() if isinstance(p, DemoProvider)), None)


def demo_login(
    user: Any,
    *,
    enterprise: Any | None = None,
    role: str = ActorRole.LEGAL_REPRESENTATIVE,
    matters: tuple[str, ...] = (),
) -> Any:
    """Verify ``user`` as the person of their account through the demo provider, as the
    demo page would (for seed data): returns the ``LoginIdentity`` a session would hold.
    Raises :class:`ProviderError` when no demo provider is configured."""
    from zonegov.core.services.identity import LoginIdentity, identity_bind

    provider = demo_provider()
    if provider is None:
        raise ProviderError(_("没有配置演示身份认证（生产环境不可用）。"))
    person = user.person
    identity = demo_identity(
        provider=provider.name,
        name=person.name,
        id_number=person.id_number,
        enterprise=enterprise,
        role=role,
        matters=matters,
    )
    verification = identity_bind(user=user, identity=identity, provider=provider)
    return LoginIdentity(verification.pk, verification.verified_at)
