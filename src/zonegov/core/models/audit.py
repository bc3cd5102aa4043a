from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditRecord(models.Model):
    """One append-only entry of the audit chain; ``hash`` covers ``prev_hash``.

    ``hash`` is an HMAC-SHA256 under the key named by ``key_id`` (core.audit_keys);
    records written before the chain was keyed have an empty ``key_id`` and a plain
    SHA-256 (verified by the old rule, sealed by the first checkpoint)."""

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("操作人姓名"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    changes = models.JSONField(_("变更摘要"), default=dict, blank=True)
    ip = models.CharField(_("IP 地址"), max_length=45, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    key_id = models.CharField(_("密钥编号"), max_length=32, blank=True, default="")

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise PermissionError("审计记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录不能删除")


class AuditHead(models.Model):
    """Single row holding the newest hash; locking it serialises appends to the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.count} records, head {self.last_hash[:12]}"


class AuditCheckpoint(models.Model):
    """A signed statement "the chain had ``count`` records, the newest ``head_record_id``
    with HMAC ``head_hash``", signed with the platform's signing key (core.pki) and
    exported outside the database (a file and the outbox), so a rewritten chain — or a
    rewritten set of checkpoints — is caught by a copy the database cannot reach.

    ``head_record_id`` is a plain number, not a foreign key: a checkpoint must survive
    (and then expose) the deletion of the record it names."""

    head_record_id = models.BigIntegerField(_("链尾记录"), unique=True)
    head_hash = models.CharField(_("链尾 HMAC"), max_length=64)
    count = models.PositiveBigIntegerField(_("记录数"))
    created_at = models.DateTimeField(_("时间"))
    signer_fingerprint = models.CharField(_("签名证书指纹"), max_length=64)
    signer_cert = models.TextField(_("签名证书（PEM）"))
    signature = models.TextField(_("签名（Base64）"))

    class Meta:
        verbose_name = _("审计检查点")
        verbose_name_plural = _("审计检查点")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"#{self.pk} → {self.head_record_id} ({self.count})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("审计检查点只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计检查点不能删除")
