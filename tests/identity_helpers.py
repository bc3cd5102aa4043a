"""Verified identities for tests: what the demo identity provider (模拟统一身份认证) would
return for a person, bound to the account, and the ``LoginIdentity`` a browser session
holds after it (pass it to ``application_submit(identity=...)``)."""

from __future__ import annotations

from typing import Any

from zonegov.core.identity.base import ActorRole, get_provider
from zonegov.core.identity.demo import demo_identity
from zonegov.core.services.identity import LoginIdentity, identity_bind


def verified_login(
    user: Any,
    *,
    enterprise: Any | None = None,
    role: str = ActorRole.LEGAL_REPRESENTATIVE,
    matters: tuple[str, ...] = (),
    authorised_until: Any = None,
    name: str | None = None,
    id_number: str | None = None,
) -> LoginIdentity:
    """``user`` verified by the demo provider as the person of their account (or ``name``
    / ``id_number``), acting for ``enterprise`` in ``role`` when given."""
    provider = get_provider("demo")
    assert provider is not None, "the test settings configure the demo provider"
    identity = demo_identity(
        provider=provider.name,
        name=name if name is not None else user.person.name,
        id_number=id_number if id_number is not None else user.person.id_number,
        enterprise=enterprise,
        role=role,
        matters=matters,
        authorised_until=authorised_until,
    )
    verification = identity_bind(user=user, identity=identity, provider=provider)
    return LoginIdentity(verification.pk, verification.verified_at)


def session_login(client: Any, login: LoginIdentity) -> None:
    """Put ``login`` into the test client's session, as the provider callback does."""
    from zonegov.core.services.identity import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = {
        "verification": login.verification_id,
        "at": login.verified_at.isoformat(),
    }
    session.save()


def submit_verified(actor: Any, application: Any) -> Any:
    """Submit ``application`` from a session whose login the demo provider just verified:
    as the operator (个体) or as the legal representative of the enterprise it names."""
    from zonegov.core.models import Enterprise
    from zonegov.licensing import services
    from zonegov.licensing.kinds import HolderKind

    enterprise = None
    if application.holder_kind == HolderKind.ENTERPRISE:
        enterprise = Enterprise.objects.filter(uscc=application.holder_code).first()
    login = verified_login(actor, enterprise=enterprise)
    return services.application_submit(actor=actor, application=application, identity=login)
