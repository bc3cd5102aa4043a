import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    PDF = "pdf", _("PDF 文件")
    VIDEO = "video", _("视频")


def attachment_upload_to(instance: "Attachment", filename: str) -> str:
    # Random stored name; the user's file name is kept only in ``original_name``.
    return f"attachments/{instance.uploaded_at:%Y/%m}/{uuid.uuid4().hex}{instance.extension}"


class Attachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    owner_id = models.CharField(max_length=64)
    owner = GenericForeignKey("owner_type", "owner_id")
    kind = models.CharField(_("类型"), max_length=10, choices=AttachmentKind.choices)
    label = models.CharField(_("说明"), max_length=100, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255)
    file = models.FileField(upload_to=attachment_upload_to, max_length=255)
    extension = models.CharField(max_length=10)
    mime_type = models.CharField(_("内容类型"), max_length=50)
    size = models.PositiveBigIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["uploaded_at"]
        indexes = [models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self) -> str:
        return self.original_name
