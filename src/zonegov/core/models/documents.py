import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _


class DocumentStatus(models.TextChoices):
    VALID = "valid", _("有效")
    CHANGED = "changed", _("已变更")
    REVOKED = "revoked", _("已吊销")
    CANCELLED = "cancelled", _("已注销")
    EXPIRED = "expired", _("已过期")


class IssuedDocument(models.Model):
    """A signed PDF the zone issued (certificate, notice); the file's hash is on record."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    number = models.CharField(_("文书编号"), max_length=64, unique=True)
    kind = models.CharField(_("文书类型"), max_length=50, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    holder_name = models.CharField(_("持有人"), max_length=200, blank=True)
    subject_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject_id = models.CharField(max_length=64, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    public_fields = models.JSONField(_("公开信息"), default=dict, blank=True)
    file = models.FileField(upload_to="documents/%Y/%m/", max_length=255)
    sha256 = models.CharField(max_length=64, unique=True)
    signer_fingerprint = models.CharField(_("签名证书指纹"), max_length=64)
    status = models.CharField(
        _("状态"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.VALID
    )
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_reason = models.CharField(_("状态说明"), max_length=200, blank=True)
    # Bumped by every status change (revoke, cancel, expire, replace): the QR code page's
    # kept answer (``stored_check``) is only reused for the version it was computed for.
    status_version = models.PositiveIntegerField(default=0, editable=False)
    # The last check of the archive file (services/documents/stored.py): its SHA-256, size
    # and modification time, the signature verdict, the trust settings and the day it was
    # made, and the status version it belongs to. Never shown as such; rebuilt when stale.
    stored_check = models.JSONField(null=True, blank=True, editable=False)
    issued_at = models.DateTimeField(_("签发时间"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    issuer_name = models.CharField(_("签发机关"), max_length=100)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )

    class Meta:
        verbose_name = _("签发文书")
        verbose_name_plural = _("签发文书")
        ordering = ["-issued_at"]
        # A number not found exactly is looked up ignoring letter case (QR page, API
        # clients' batches of 100): on PostgreSQL that is UPPER(number), which without
        # this index reads the whole table for every number nobody issued.
        indexes = [models.Index(Upper("number"), name="core_doc_number_upper")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
