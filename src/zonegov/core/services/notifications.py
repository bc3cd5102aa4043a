"""Notifications: one call, ``notify``, and the channels that carry it.

Every notification is stored (that row *is* the in-portal message, shown at
/notifications/). ``settings.ZONEGOV_NOTIFICATION_CHANNELS`` lists the channel classes to
run on each new notification, by dotted path; the default is the portal alone::

    ZONEGOV_NOTIFICATION_CHANNELS = [
        "zonegov.core.services.notifications.PortalChannel",
        "zonegov.core.services.notifications.LogSmsChannel",   # or your gateway adapter
    ]

SMS adapter point: subclass ``SmsChannel`` and implement ``deliver_sms``. ``SmsChannel``
never calls the gateway from ``notify``: it adds an outbox message (topic ``"sms"``) in
the same transaction, and the outbox drain calls ``deliver_sms`` — with retries and
back-off, never lost if the gateway is down, applied once per message (pass
``idempotency_key`` on to the gateway if it supports one). An adapter that would rather
receive SMS as signed webhooks sets ``destination`` to a webhook name in
``ZONEGOV_WEBHOOKS`` instead.
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError, NotFound
from zonegov.core.models import Notification, OutboxMessage
from zonegov.core.services.outbox import LOCAL_DESTINATION, outbox_enqueue, register_consumer

logger = logging.getLogger(__name__)

DEFAULT_CHANNELS = ["zonegov.core.services.notifications.PortalChannel"]
SMS_TOPIC = "sms"
SMS_MAX_CHARS = 300


class Channel(Protocol):
    """A way of reaching the recipient. ``send`` runs inside ``notify``'s transaction and
    returns a short status for the notification's channel log ("ok", "queued …",
    "skipped: …"). It must not call slow external systems directly: use the outbox."""

    name: str

    def send(self, notification: Notification) -> str: ...


class PortalChannel:
    """The in-portal message: the stored notification itself."""

    name = "portal"
    writes = False  # nothing to roll back: no savepoint around it (core.notify)

    def send(self, notification: Notification) -> str:
        return "ok"


class SmsChannel(ABC):
    """Base class of SMS adapters (see the module docstring).

    Subclasses implement ``deliver_sms``; it is called by the outbox drain, outside any
    request, and raises on failure so the message is retried later."""

    name = "sms"
    #: Outbox destination: the platform itself (the drain calls ``deliver_sms``), or the
    #: name of a webhook in ``ZONEGOV_WEBHOOKS`` that accepts the "sms" topic.
    destination = LOCAL_DESTINATION

    def text(self, notification: Notification) -> str:
        text = notification.title
        if notification.body:
            text = f"{text}：{notification.body}"
        return text[:SMS_MAX_CHARS]

    def send(self, notification: Notification) -> str:
        mobile = getattr(notification.recipient, "mobile", "") or ""
        if not mobile:
            return "skipped: no mobile number"
        message = outbox_enqueue(
            topic=SMS_TOPIC,
            payload={
                "notification_id": notification.pk,
                "mobile": mobile,
                "text": self.text(notification),
                "channel": f"{type(self).__module__}.{type(self).__qualname__}",
            },
            destination=self.destination,
        )
        return f"queued {message.pk}"

    @abstractmethod
    def deliver_sms(self, *, mobile: str, text: str, idempotency_key: str) -> None:
        """Send ``text`` to ``mobile`` through the gateway; raise on failure (retried)."""


class LogSmsChannel(SmsChannel):
    """Writes each SMS to the log: for deployments before an SMS gateway contract."""

    def deliver_sms(self, *, mobile: str, text: str, idempotency_key: str) -> None:
        masked = f"{mobile[:3]}****{mobile[-4:]}" if len(mobile) >= 7 else "****"
        logger.warning("SMS (log only) to %s [%s]: %s", masked, idempotency_key, text)


def notification_channels() -> list[Any]:
    """Instances of the configured channels, in order."""
    paths = getattr(settings, "ZONEGOV_NOTIFICATION_CHANNELS", None) or DEFAULT_CHANNELS
    return [import_string(path)() for path in paths]


def _sms_consumer(message: OutboxMessage) -> None:
    """Outbox consumer of topic "sms": hand the text to the channel that queued it."""
    payload = message.payload
    try:
        channel_class = import_string(str(payload.get("channel", "")))
    except ImportError as exc:
        raise RuntimeError(f"unknown SMS channel {payload.get('channel')!r}") from exc
    if not (isinstance(channel_class, type) and issubclass(channel_class, SmsChannel)):
        raise RuntimeError(f"{payload.get('channel')!r} is not an SmsChannel")
    channel_class().deliver_sms(
        mobile=str(payload.get("mobile", "")),
        text=str(payload.get("text", "")),
        idempotency_key=str(message.pk),
    )


register_consumer(SMS_TOPIC, _sms_consumer, name="zonegov.core.sms")


def _check_url(url: str) -> str:
    url = (url or "").strip()
    if not url:
        return ""
    if len(url) > 500:
        raise ApplicationError(_("通知链接不能超过 500 个字符。"), field_errors={"url": []})
    if (url.startswith("/") and not url.startswith("//")) or url.startswith(
        ("https://", "http://")
    ):
        return url
    raise ApplicationError(
        _("通知链接必须是站内路径（以 / 开头）或 http(s) 地址。"),
        field_errors={"url": [_("请填写以 / 开头的站内路径。")]},
    )


@transaction.atomic
def notify(
    *,
    user: Any,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str | None = None,
) -> Notification:
    """Notify ``user``. With ``dedupe_key``, a second call with the same key for the same
    user returns the first notification and sends nothing again. Call inside the
    transaction of the change it reports, so both commit or neither does."""
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise ApplicationError(
            _("通知标题不能为空，且不超过 200 个字符。"), field_errors={"title": []}
        )
    if dedupe_key is not None and (not dedupe_key or len(dedupe_key) > 200):
        raise ApplicationError(_("去重键不能为空，且不超过 200 个字符。"))
    url = _check_url(url)
    if dedupe_key:
        existing = Notification.objects.filter(recipient=user, dedupe_key=dedupe_key).first()
        if existing is not None:
            return existing
    fields = {"recipient": user, "title": title, "body": body or "", "url": url}
    if not dedupe_key:
        notification = Notification.objects.create(**fields, dedupe_key=dedupe_key)
    else:
        try:
            with transaction.atomic():  # a savepoint only where a key can collide
                notification = Notification.objects.create(**fields, dedupe_key=dedupe_key)
        except IntegrityError:
            # A concurrent call with the same key won the race.
            return Notification.objects.get(recipient=user, dedupe_key=dedupe_key)
    log: dict[str, str] = {}
    for channel in notification_channels():
        name = getattr(channel, "name", type(channel).__name__)
        try:
            if getattr(channel, "writes", True):
                with transaction.atomic():  # a failing channel's writes are undone alone
                    log[name] = channel.send(notification)
            else:
                log[name] = channel.send(notification)
        except Exception as exc:
            logger.exception("notification channel %s failed", name)
            log[name] = f"error: {type(exc).__name__}: {exc}"[:300]
    notification.channels = log
    notification.save(update_fields=["channels"])
    return notification


# Marking one's own notification read is personal reading state, not a change to any
# record of the administration, so it is not written to the audit chain.


def notification_mark_read(*, user: Any, notification: Notification) -> Notification:
    """Mark ``notification`` read; only its recipient may (anyone else gets "not found")."""
    if notification.recipient_id != getattr(user, "pk", None):
        raise NotFound(_("未找到该通知。"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notification_mark_all_read(*, user: Any) -> int:
    """Mark all of ``user``'s unread notifications read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
