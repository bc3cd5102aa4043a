"""Identity verification by a trusted party (统一身份认证, 电子营业执照).

An act with legal effect — an instant certificate, a signature on a citizen's behalf —
rests on an identity that a trusted party verified, never on what the user typed
(DESIGN.md "Standards"). The national and provincial 统一身份认证 platforms and the
电子营业执照 system federate through their own ticket or OAuth2-code exchanges, not a
common standard (research/identity.md §1.2), so the platform talks to them through one
interface:

- :mod:`.base` — :class:`IdentityProvider` (``start`` sends the browser to the provider,
  ``complete`` exchanges the returned code or ticket server-side) returning a
  :class:`VerifiedIdentity`; the registry of providers configured in
  ``ZONEGOV_IDENTITY_PROVIDERS``.
- :mod:`.oauth2` — a configurable OAuth2 authorization-code adapter (endpoints, client,
  field mapping and accepted levels all in settings).
- :mod:`.demo` — 模拟统一身份认证（演示）, a page in the platform where a developer picks
  the identity the provider would return; refused in production settings.
- :mod:`.elicence` — the e-licence check (电子证照核验: business licence by USCC, a
  person's real-name identity) behind ``ZONEGOV_ELICENCE_PROVIDER``; used by licensing
  and by any module that checks a complainant, reporter or petitioner.
- :mod:`.phone` — citizens' login with a mobile number and a one-time SMS code.

What a verification means for an account (levels, binding, fresh logins, 柜面核验) is in
``core.services.identity``; the records in ``core.models.identity``.
"""

from zonegov.core.identity.base import (
    EnterpriseRole,
    IdentityProvider,
    ProviderError,
    VerifiedIdentity,
    get_provider,
    provider_names,
)

__all__ = [
    "EnterpriseRole",
    "IdentityProvider",
    "ProviderError",
    "VerifiedIdentity",
    "get_provider",
    "provider_names",
]
