"""``manage.py check``: the demo identity provider is an error in production settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=False)
def demo_provider_refused_in_production(app_configs: Any = None, **kwargs: Any) -> list:
    from zonegov.core.identity.base import get_provider, provider_names

    if not getattr(settings, "PRODUCTION", False):
        return []
    errors = []
    for name in provider_names():
        try:
            provider = get_provider(name)
        except ImportError as exc:
            errors.append(
                checks.Error(
                    f"ZONEGOV_IDENTITY_PROVIDERS[{name!r}] cannot be imported: {exc}",
                    id="zonegov.E102",
                )
            )
            continue
        if provider is not None and provider.demo:
            errors.append(
                checks.Error(
                    f"The demo identity provider {name!r} is configured in production.",
                    hint="Remove it from ZONEGOV_IDENTITY_PROVIDERS; configure the provincial "
                    "统一身份认证 platform instead (docs/deployment.md).",
                    id="zonegov.E101",
                )
            )
    return errors


@checks.register(checks.Tags.security, deploy=False)
def demo_sms_refused_in_production(app_configs: Any = None, **kwargs: Any) -> list:
    from zonegov.core.identity.phone import demo_channel_configured

    if not getattr(settings, "PRODUCTION", False) or not demo_channel_configured():
        return []
    return [
        checks.Error(
            "The demo SMS channel (login codes shown on the page) is configured in production.",
            hint="Set ZONEGOV_LOGIN_SMS_CHANNEL to your SMS gateway adapter (an SmsChannel "
            "subclass, docs/integration.md).",
            id="zonegov.E103",
        )
    ]
