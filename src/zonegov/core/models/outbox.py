"""Transactional outbox: messages written in the same transaction as the business change
they announce, delivered later by ``outbox_drain`` (see ``zonegov.core.services.outbox``)."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("待投递")
    DELIVERED = "delivered", _("已投递")
    DEAD = "dead", _("已放弃")


class OutboxMessage(models.Model):
    """One message to deliver. ``id`` is the idempotency key the receiver de-duplicates on:
    every (re-)send of this message carries the same key."""

    id = models.UUIDField(_("幂等键"), primary_key=True, default=uuid.uuid4, editable=False)
    topic = models.CharField(_("主题"), max_length=80, db_index=True)
    payload = models.JSONField(_("内容"), default=dict)
    destination = models.CharField(_("目的地"), max_length=40, default="supervision")
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now, db_index=True)
    available_at = models.DateTimeField(_("下次尝试"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    status = models.CharField(
        _("状态"), max_length=16, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    delivered_at = models.DateTimeField(_("投递时间"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    # Lease: a drain worker owns the message until ``locked_until``; ``lease_token``
    # names the claim so a worker whose lease expired cannot overwrite a newer claim.
    locked_until = models.DateTimeField(_("租约到期"), null=True, blank=True)
    lease_token = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("外发消息")
        verbose_name_plural = _("外发消息")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "available_at"], name="core_outbox_due_idx")]

    def __str__(self) -> str:
        return f"{self.topic} → {self.destination} ({self.id})"


class OutboxDelivery(models.Model):
    """The delivery log: one row per attempt, successful or not."""

    message = models.ForeignKey(
        OutboxMessage,
        verbose_name=_("消息"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    attempt = models.PositiveIntegerField(_("第几次"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    http_status = models.PositiveSmallIntegerField(_("HTTP 状态"), null=True, blank=True)
    ok = models.BooleanField(_("成功"), default=False)
    error = models.TextField(_("错误"), blank=True)
    duration_ms = models.PositiveIntegerField(_("耗时（毫秒）"), default=0)

    class Meta:
        verbose_name = _("投递记录")
        verbose_name_plural = _("投递记录")
        ordering = ["message", "attempt", "id"]

    def __str__(self) -> str:
        return f"{self.message_id} #{self.attempt} {self.http_status or self.error[:40]}"


class OutboxConsumption(models.Model):
    """Marks that an in-platform consumer applied a message; the unique constraint makes a
    second application impossible even when two drains race."""

    consumer = models.CharField(_("消费者"), max_length=200)
    message = models.ForeignKey(
        OutboxMessage, on_delete=models.CASCADE, related_name="consumptions"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("平台内消费记录")
        verbose_name_plural = _("平台内消费记录")
        constraints = [
            models.UniqueConstraint(
                fields=["consumer", "message"], name="core_outbox_consumed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.consumer} ← {self.message_id}"
