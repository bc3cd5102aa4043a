"""Writes of API clients: issue a client with its first key, issue another key (rotation),
revoke a key, revoke a client, and record a key's use.

Only zone-level org admins issue and revoke (rule ``core.manage_api_clients``): a client's
scopes reach across the whole zone, like the outbox it is the other half of. Every issue
and revocation is in the audit chain, with the key's prefix and never the key itself.
A key is shown once, as the return value of the service that made it.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core.access import require_staff
from zonegov.core.api_scopes import get_scope
from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.models import ApiClient, ApiClientKey, Unit
from zonegov.core.roles import ORG_ADMIN
from zonegov.core.services.audit import audit_append
from zonegov.core.validation import has_control_characters

KEY_PREFIX = "zgc_"  # user tokens start "zg_": a key is recognisable for what it is
SHOWN_PREFIX_CHARS = 12  # "zgc_" and 8 random characters, enough to tell keys apart
MAX_KEY_DAYS = 3 * 366  # an expiry further out than about three years is a typo
LAST_USE_EVERY = timedelta(seconds=60)  # record a key's use at most once a minute


def _refuse(field: str, message: str) -> ApplicationError:
    return ApplicationError(message, field_errors={field: [message]})


def check_may_manage_api_clients(actor: Any) -> None:
    require_staff(actor, ORG_ADMIN)
    if not actor.has_perm("core.manage_api_clients"):
        raise PermissionRefused(manage_refusal())


def manage_refusal() -> str:
    return _("API 客户端仅由高新区一级的组织管理员签发和管理。")


def _check_text(field: str, value: str, *, label: str, max_length: int, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise _refuse(field, _("请填写%(label)s。") % {"label": label})
    if len(value) > max_length:
        raise _refuse(
            field, _("%(label)s不能超过 %(n)d 个字符。") % {"label": label, "n": max_length}
        )
    if has_control_characters(value):
        raise _refuse(field, _("%(label)s含有不可见的控制字符，请删除后重试。") % {"label": label})
    return value


def _check_scopes(scopes: Any) -> list[str]:
    if not isinstance(scopes, list | tuple) or not scopes:
        raise _refuse("scopes", _("请至少选择一项授权范围。"))
    unknown = [str(s) for s in scopes if not isinstance(s, str) or get_scope(s) is None]
    if unknown:
        raise _refuse(
            "scopes",
            _("没有这样的授权范围：%(codes)s。请从列出的授权范围中选择。")
            % {"codes": "、".join(unknown[:5])},
        )
    return sorted(set(scopes))


def _check_expiry(expires_at: datetime | None) -> datetime | None:
    if expires_at is None:
        return None
    if timezone.is_naive(expires_at):  # "2027-01-01T00:00:00" from an API client: local time
        expires_at = timezone.make_aware(expires_at)
    now = timezone.now()
    if expires_at <= now:
        raise _refuse("expires_at", _("到期日期须晚于今天。"))
    if expires_at > now + timedelta(days=MAX_KEY_DAYS):
        raise _refuse("expires_at", _("到期日期不能晚于三年之后。"))
    return expires_at


def _new_key(
    *, client: ApiClient, actor: Any, expires_at: datetime | None
) -> tuple[ApiClientKey, str]:
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    record = ApiClientKey.objects.create(
        client=client,
        prefix=key[:SHOWN_PREFIX_CHARS],
        key_hash=ApiClientKey.hash_key(key),
        created_by=actor,
        expires_at=expires_at,
    )
    return record, key


@transaction.atomic
def api_client_issue(
    *,
    actor: Any,
    name: str,
    organisation: str,
    contact: str = "",
    unit: Unit | None = None,
    scopes: list[str],
    expires_at: datetime | None = None,
) -> tuple[ApiClient, ApiClientKey, str]:
    """Create a client with its first key. Returns the client, the key's record and the
    key itself — the only time anyone sees it."""
    check_may_manage_api_clients(actor)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    checks = {
        "name": lambda: _check_text(
            "name", name, label=_("客户端名称"), max_length=100, required=True
        ),
        "organisation": lambda: _check_text(
            "organisation", organisation, label=_("所属机构"), max_length=100, required=True
        ),
        "contact": lambda: _check_text(
            "contact", contact, label=_("联系人及电话"), max_length=200, required=False
        ),
        "scopes": lambda: _check_scopes(scopes),
        "expires_at": lambda: _check_expiry(expires_at),
    }
    for field, check in checks.items():
        try:
            values[field] = check()
        except ApplicationError as exc:
            for f, messages in exc.field_errors.items():
                errors.setdefault(f, []).extend(messages)
    if errors:
        raise ApplicationError(_("提交的数据有误。"), field_errors=errors)
    client = ApiClient.objects.create(
        name=values["name"],
        organisation=values["organisation"],
        contact=values["contact"],
        unit=unit,
        scopes=values["scopes"],
        created_by=actor,
    )
    record, key = _new_key(client=client, actor=actor, expires_at=values["expires_at"])
    audit_append(
        actor=actor,
        action="api_client.issue",
        obj=client,
        changes={
            "organisation": client.organisation,
            "unit": unit.name if unit else None,
            "scopes": client.scopes,
            "key_prefix": record.prefix,
            "expires_at": record.expires_at,
        },
    )
    return client, record, key


@transaction.atomic
def api_client_key_issue(
    *,
    actor: Any,
    client: ApiClient,
    expires_at: datetime | None = None,
    revoke_others: bool = False,
) -> tuple[ApiClientKey, str]:
    """Rotation: a new key for ``client``. Its other live keys keep working unless
    ``revoke_others`` (say, when a key leaked); otherwise revoke them once the client has
    switched (the list shows when each key was last used)."""
    check_may_manage_api_clients(actor)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is not None:
        raise ApplicationError(_("该客户端已吊销，不能再签发密钥。"))
    expires_at = _check_expiry(expires_at)
    now = timezone.now()
    revoked: list[str] = []
    if revoke_others:
        live = client.keys.filter(revoked_at__isnull=True)
        revoked = list(live.values_list("prefix", flat=True))
        live.update(revoked_at=now, revoked_by=actor)
    record, key = _new_key(client=client, actor=actor, expires_at=expires_at)
    audit_append(
        actor=actor,
        action="api_client.key_issue",
        obj=client,
        changes={
            "key_prefix": record.prefix,
            "expires_at": record.expires_at,
            "revoked_keys": revoked,
        },
    )
    return record, key


@transaction.atomic
def api_client_key_revoke(*, actor: Any, key: ApiClientKey) -> None:
    check_may_manage_api_clients(actor)
    key = ApiClientKey.objects.select_for_update().select_related("client").get(pk=key.pk)
    if key.revoked_at is not None:
        return
    key.revoked_at = timezone.now()
    key.revoked_by = actor
    key.save(update_fields=["revoked_at", "revoked_by"])
    audit_append(
        actor=actor,
        action="api_client.key_revoke",
        obj=key.client,
        changes={"key_prefix": key.prefix},
    )


@transaction.atomic
def api_client_revoke(*, actor: Any, client: ApiClient) -> None:
    """Revoke a client and every key it holds; its keys answer 401 from now on."""
    check_may_manage_api_clients(actor)
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is not None:
        return
    now = timezone.now()
    client.revoked_at = now
    client.revoked_by = actor
    client.save(update_fields=["revoked_at", "revoked_by"])
    live = client.keys.filter(revoked_at__isnull=True)
    prefixes = list(live.values_list("prefix", flat=True))
    live.update(revoked_at=now, revoked_by=actor)
    audit_append(
        actor=actor, action="api_client.revoke", obj=client, changes={"revoked_keys": prefixes}
    )


def api_client_key_touch(*, key: ApiClientKey, ip: str) -> bool:
    """Record that ``key`` was used, at most once a minute: a busy client must not turn
    every read into a write. One conditional UPDATE, so concurrent requests of the same
    minute write once between them. Not audited (it is not a change anyone made).
    Returns True when it wrote."""
    now = timezone.now()
    stale = now - LAST_USE_EVERY
    if key.last_used_at is not None and key.last_used_at > stale:
        return False
    written = (
        ApiClientKey.objects.filter(pk=key.pk)
        .filter(Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale))
        .update(last_used_at=now, last_used_ip=_ip_or_none(ip))
    )
    return bool(written)


def _ip_or_none(ip: str) -> str | None:
    import ipaddress

    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        return None


def api_client_rate_limit() -> int:
    """Requests per minute per client (all its keys together);
    ``settings.ZONEGOV_API_CLIENT_RATE_LIMIT``, 0 switches it off."""
    return int(getattr(settings, "ZONEGOV_API_CLIENT_RATE_LIMIT", 600) or 0)
