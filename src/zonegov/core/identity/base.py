"""The identity-provider interface and the registry of configured providers.

``ZONEGOV_IDENTITY_PROVIDERS`` maps a short name (it appears in URLs and records) to a
provider: either a dotted class path or a dict ``{"class": path, **options}``; the
options are passed to the class. Providers are looked up at call time, so tests and
deployments change them in settings.
"""

from __future__ import annotations

import abc
import hmac
import secrets
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _


class ProviderError(Exception):
    """The provider refused, failed or answered something unusable; ``message`` says
    why in words for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ActorRole:
    """What the person is for the enterprise, as the 电子营业执照 system states it."""

    LEGAL_REPRESENTATIVE = "legal_representative"  # 法定代表人（负责人）, the licence holder
    AGENT = "agent"  # 办事人 with 全业务授权 or 精准授权 (matters and a validity period)
    CHOICES = (
        (LEGAL_REPRESENTATIVE, "法定代表人（负责人）"),
        (AGENT, "被授权代理人（办事人）"),
    )


#: An agent's authorisation that covers every matter (全业务授权).
ALL_MATTERS = "*"

#: Matters (办理事项) an agent can be authorised for, registered by the modules that
#: decide them ({code: label}); the demo provider offers them, records show the label.
MATTERS: dict[str, Any] = {}


def register_matter(code: str, label: Any) -> None:
    MATTERS[code] = label


@dataclass(frozen=True)
class EnterpriseRole:
    """The enterprise the person acts for in this login, from the provider."""

    uscc: str
    name: str
    role: str  # ActorRole.*
    legal_rep_name: str = ""
    legal_rep_id_number: str = ""
    matters: tuple[str, ...] = ()  # matters an agent is authorised for (ALL_MATTERS = all)
    authorised_until: datetime | None = None

    def covers(self, matter: str, now: datetime) -> bool:
        """May this person act for the enterprise in ``matter`` at ``now``?"""
        if self.role == ActorRole.LEGAL_REPRESENTATIVE:
            return True
        if self.role != ActorRole.AGENT:
            return False
        if self.authorised_until is not None and self.authorised_until <= now:
            return False
        return ALL_MATTERS in self.matters or matter in self.matters


@dataclass(frozen=True)
class VerifiedIdentity:
    """What a trusted provider says about the person who just authenticated there.

    Everything here comes from the provider's server-side answer, never from a form.
    ``assurance`` is the provider's own level value (kept raw: the levels of the
    provinces differ, research/identity.md §1.3)."""

    provider: str
    subject: str
    name: str
    id_number: str
    assurance: str
    verified_at: datetime
    enterprise: EnterpriseRole | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class IdentityProvider(abc.ABC):
    """A trusted party that verifies who a person is.

    ``start`` returns the URL the browser goes to (with a ``state`` kept in the session);
    the provider sends the browser back to ``/identity/<name>/callback/``, where
    ``complete`` checks the state and exchanges the code or ticket server-to-server.
    Both raise :class:`ProviderError` with a message for the user."""

    #: The name shown to users, e.g. 河南政务服务网统一身份认证.
    label: str = ""
    #: A demo provider is refused in production settings.
    demo: bool = False

    def __init__(self, name: str, **options: Any) -> None:
        self.name = name
        self.options = options
        self.label = options.get("label") or self.label or name

    def refuse_in_production(self) -> None:
        if self.demo and getattr(settings, "PRODUCTION", False):
            raise ProviderError(_("演示身份认证不能在生产环境使用，请配置真实的统一身份认证平台。"))

    @abc.abstractmethod
    def start(self, request: Any, *, callback_url: str) -> str:
        """The provider's login URL for this browser."""

    @abc.abstractmethod
    def complete(self, request: Any, *, callback_url: str) -> VerifiedIdentity:
        """Exchange what the provider sent back for the verified identity."""

    def accepts(self, assurance: str) -> bool:
        """Is ``assurance`` a real-name level this deployment accepts from the provider?
        Configured per provider (``accepted_levels``): e.g. Zhejiang 2 and 3, not 1."""
        return assurance in {str(v) for v in self.options.get("accepted_levels", ())}


STATE_SESSION_KEY = "zonegov.identity.state"


def new_state(request: Any, provider: IdentityProvider) -> str:
    """A one-time ``state`` for this browser and provider (kept in the session)."""
    state = secrets.token_urlsafe(24)
    request.session[STATE_SESSION_KEY] = {"provider": provider.name, "state": state}
    return state


def check_state(request: Any, provider: IdentityProvider) -> None:
    """Refuse a callback this browser did not start (CSRF on the login flow)."""
    kept = request.session.pop(STATE_SESSION_KEY, None) or {}
    sent = request.GET.get("state", "")
    if (
        not sent
        or kept.get("provider") != provider.name
        or not hmac.compare_digest(str(kept.get("state", "")), sent)
    ):
        raise ProviderError(_("身份认证请求已失效或不是从本页面发起的，请重新发起实名核验。"))


def _configured() -> dict[str, Any]:
    return dict(getattr(settings, "ZONEGOV_IDENTITY_PROVIDERS", {}) or {})


def provider_names() -> list[str]:
    return list(_configured())


def get_provider(name: str) -> IdentityProvider | None:
    """The configured provider called ``name``, or None."""
    entry = _configured().get(name)
    if entry is None:
        return None
    if isinstance(entry, str):
        entry = {"class": entry}
    options = {k: v for k, v in entry.items() if k != "class"}
    cls = import_string(entry["class"])
    return cls(name, **options)


def providers() -> list[IdentityProvider]:
    found = (get_provider(name) for name in provider_names())
    return [p for p in found if p is not None]
