"""API clients: machines (an organisation's system, an app, a webhook receiver calling
back), not users. A zone-level org admin issues and revokes them; each holds scopes from
the registry (``core.api_scopes``) and one or more keys. Only a SHA-256 of a key is
stored: keys are 32 random bytes (``secrets.token_urlsafe``), so a fast hash is as safe
as a slow one and lets every request find its key by an indexed lookup."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    name = models.CharField(_("客户端名称"), max_length=100)
    organisation = models.CharField(_("所属机构"), max_length=100)
    contact = models.CharField(_("联系人及电话"), max_length=200, blank=True)
    # The zone unit that answers for this client (who asked for it, who talks to its
    # operator). The rule for an endpoint that returns unit-scoped records: limit the
    # client to this unit's subtree, a client without a unit to what is zone-wide
    # (docs/api.md). documents:status returns only public facts, the same for everyone.
    unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("对接单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="api_clients",
    )
    scopes = models.JSONField(_("授权范围"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("API 客户端")
        verbose_name_plural = _("API 客户端")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.organisation}）"

    def has_scope(self, code: str) -> bool:
        return isinstance(self.scopes, list) and code in self.scopes


class ApiClientKey(models.Model):
    """One key of a client. Rotation issues a new key beside the old one, which keeps
    working until it is revoked (or expires), so the client can switch without downtime."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="keys")
    prefix = models.CharField(_("密钥前缀"), max_length=16, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    last_used_ip = models.GenericIPAddressField(_("最近使用地址"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 客户端密钥")
        verbose_name_plural = _("API 客户端密钥")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.prefix}…"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()

    def is_active_at(self, moment) -> bool:
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > moment)

    def is_expired_at(self, moment) -> bool:
        return self.revoked_at is None and self.expires_at is not None and self.expires_at <= moment
