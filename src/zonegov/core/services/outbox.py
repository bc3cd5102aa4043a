"""Transactional outbox with signed webhook delivery.

Why an outbox
    A business change (a licence granted, changed, cancelled) and the message announcing it
    must never disagree. ``outbox_enqueue`` writes the message in the *caller's* transaction,
    so the message exists if and only if the change committed. Delivery happens later, in
    ``outbox_drain``, run as a task of the task runner (``zonegov.core.tasks``): one is
    queued when a transaction that wrote messages commits, and the periodic job
    ``core.outbox`` sweeps every minute; ``manage.py outbox_drain`` runs one pass by hand.
    Several drains may run at once, on one machine or many.

Delivery guarantee: at-least-once + idempotency key = no duplicate effect
    A drain *claims* due messages in a short transaction (a lease: ``locked_until`` and a
    ``lease_token``; ``select_for_update(skip_locked=True)`` on PostgreSQL, the database
    write lock on SQLite), then sends **outside** any transaction (a slow receiver must not
    hold locks), then records the result (the "acknowledgement") in a second short
    transaction. If the process dies between send and acknowledgement, the message is still
    pending with a lease that expires; the next drain after expiry sends it again with the
    SAME ``id``. The receiver therefore may see a message more than once, and must apply it
    at most once, keyed on the ``Idempotency-Key`` header (equal to ``id`` in the body).
    That is the whole contract: we never lose a message, the receiver never doubles an
    effect.

    In-platform consumers (``register_consumer``) get the same guarantee without needing
    their own de-duplication: each application is recorded in ``OutboxConsumption`` (unique
    on consumer + message) in the same transaction as the consumer's own writes, so a re-run
    skips it. Only that record's unique violation means "already applied"; anything else a
    consumer raises, its own IntegrityError included, is a failed attempt
    (``_claim_consumption``). A consumer that calls an external system (an SMS gateway)
    should pass the message id on as that system's idempotency key.

Retries
    A failed attempt is logged (``OutboxDelivery``) and retried after
    30 s × 2^(attempts−1), capped at 6 hours, ±15 % jitter; after
    ``settings.ZONEGOV_OUTBOX_MAX_ATTEMPTS`` failed attempts the message is ``dead`` and
    staff may re-queue it (/outbox/). A destination with no URL configured is not an
    attempt: its messages stay pending with ``last_error`` saying so.

Signing (Stripe-style, lets receivers reject tampering and replays)
    body = canonical JSON (sorted keys, UTF-8, no spaces) of
    ``{"id", "topic", "created_at", "payload"}``;
    ``X-Zonegov-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``.
    Receivers check with ``verify_signature``. See docs/integration.md.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import random
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from pydantic import BaseModel

from zonegov.core import topics
from zonegov.core.access import require_staff
from zonegov.core.errors import ApplicationError
from zonegov.core.models import OutboxConsumption, OutboxDelivery, OutboxMessage, OutboxStatus
from zonegov.core.roles import LEADER, ORG_ADMIN
from zonegov.core.services.audit import audit_append

logger = logging.getLogger(__name__)

#: Destination name for messages that only in-platform consumers handle (no webhook).
LOCAL_DESTINATION = "platform"

BACKOFF_BASE_SECONDS = 30
BACKOFF_CAP_SECONDS = 6 * 60 * 60
BACKOFF_JITTER = 0.15
#: Recheck interval for messages whose destination is not usable yet (no URL configured).
UNCONFIGURED_RECHECK_SECONDS = 60
SIGNATURE_HEADER = "X-Zonegov-Signature"
MAX_ERROR_CHARS = 1000

Consumer = Callable[[OutboxMessage], None]
# topic -> {consumer name -> (callable, destination or None for every destination)}.
# Registration is configuration done at import time in every process (like URL patterns),
# not shared state, so it is safe across processes.
_CONSUMERS: dict[str, dict[str, tuple[Consumer, str | None]]] = {}
_discovered = False


# --------------------------------------------------------------------------- settings


def max_attempts() -> int:
    return max(1, int(getattr(settings, "ZONEGOV_OUTBOX_MAX_ATTEMPTS", 15)))


def lease_seconds() -> int:
    """How long a claim lasts. Renewed before each send, so it need only cover one send
    (the HTTP timeout) and its acknowledgement."""
    return max(10, int(getattr(settings, "ZONEGOV_OUTBOX_LEASE_SECONDS", 120)))


def http_timeout() -> float:
    return float(getattr(settings, "ZONEGOV_OUTBOX_HTTP_TIMEOUT", 10))


def webhook_config(destination: str) -> dict[str, str]:
    """``{"url": ..., "secret": ...}`` of a destination (empty strings when unset)."""
    conf = getattr(settings, "ZONEGOV_WEBHOOKS", {}).get(destination) or {}
    return {"url": str(conf.get("url") or ""), "secret": str(conf.get("secret") or "")}


_LOOPBACK_NAMES = {"localhost"}


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def webhook_url_problem(url: str) -> str:
    """Why ``url`` may not be used as a webhook, or "" when it may. HTTPS always; plain
    HTTP only to a loopback address outside production (development and tests)."""
    if not url:
        return _("未配置接收地址")
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return ""
    if (
        parts.scheme == "http"
        and parts.hostname
        and _is_loopback(parts.hostname)
        and not getattr(settings, "PRODUCTION", False)
    ):
        return ""
    return _("接收地址必须使用 HTTPS（开发环境可用 http://127.0.0.1）：%(url)s") % {"url": url}


# --------------------------------------------------------------------------- signing


def canonical_json(value: Any) -> bytes:
    """The exact bytes that are signed and sent: sorted keys, UTF-8, no spaces. Dates,
    decimals and UUIDs become strings (DjangoJSONEncoder); anything else is refused."""
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder
    ).encode("utf-8")


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The ``X-Zonegov-Signature`` header value for ``body``."""
    t = int(time.time()) if timestamp is None else int(timestamp)
    mac = hmac.new(secret.encode("utf-8"), f"{t}.".encode() + body, hashlib.sha256)
    return f"t={t},v1={mac.hexdigest()}"


def verify_signature(
    secret: str,
    header: str,
    body: bytes,
    tolerance: int = 300,
    *,
    now: float | None = None,
) -> bool:
    """Receiver-side check: the header is well formed, one ``v1`` HMAC matches ``body``,
    and its timestamp is within ``tolerance`` seconds of now (replays are refused)."""
    if not secret or not header:
        return False
    timestamp: int | None = None
    candidates: list[str] = []
    for part in header.split(","):
        key, sep, value = part.strip().partition("=")
        if not sep:
            continue
        if key == "t":
            try:
                timestamp = int(value)
            except ValueError:
                return False
        elif key == "v1":
            candidates.append(value)
    if timestamp is None or not candidates:
        return False
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        return False
    if isinstance(body, str):
        body = body.encode("utf-8")
    expected = hmac.new(
        secret.encode("utf-8"), f"{timestamp}.".encode() + body, hashlib.sha256
    ).hexdigest()
    return any(hmac.compare_digest(expected, c) for c in candidates)


def message_body(message: OutboxMessage) -> bytes:
    """The webhook body of ``message`` — identical on every re-send."""
    return canonical_json(
        {
            "id": str(message.id),
            "topic": message.topic,
            "created_at": message.created_at.astimezone(UTC).isoformat(),
            "payload": message.payload,
        }
    )


# --------------------------------------------------------------------------- consumers


def register_consumer(
    topic: str, consumer: Consumer, *, name: str | None = None, destination: str | None = None
) -> str:
    """Have ``consumer(message)`` applied, once, to every message of ``topic`` during the
    drain — with ``destination``, only to the messages sent to that destination (the
    in-platform side of a subscriber: a topic fanned out to several destinations is then
    applied once, not once per copy). Call at import time of a module every process loads
    (an app's ``outbox_consumers.py`` is auto-discovered). Returns the consumer's name, the
    key of its once-only record; re-registering the same name replaces it."""
    key = name or f"{consumer.__module__}.{consumer.__qualname__}"
    _CONSUMERS.setdefault(topic, {})[key] = (consumer, destination)
    return key


def unregister_consumer(topic: str, name: str) -> None:
    _CONSUMERS.get(topic, {}).pop(name, None)


def consumers_for(topic: str, destination: str | None = None) -> dict[str, Consumer]:
    """The consumers of ``topic`` (of its messages sent to ``destination``, when given)."""
    return {
        key: consumer
        for key, (consumer, only) in _CONSUMERS.get(topic, {}).items()
        if destination is None or only is None or only == destination
    }


def _discover_consumers() -> None:
    """Import every app's ``outbox_consumers`` module, and core's own consumers."""
    global _discovered
    if _discovered:
        return
    import zonegov.core.services.notifications  # noqa: F401  (registers the "sms" consumer)

    autodiscover_modules("outbox_consumers")
    _discovered = True


# --------------------------------------------------------------------------- enqueue


def emit(topic: str, payload: Mapping[str, Any] | BaseModel) -> list[OutboxMessage]:
    """Announce ``payload`` on ``topic``: checked against the contract the topic's producer
    declared (core.topics), then one message per destination subscribed to the topic
    (``core.topics.destinations``: the consuming apps' defaults, or the setting
    ``ZONEGOV_OUTBOX_SUBSCRIPTIONS``). Call inside the transaction of the business change
    it announces. A topic nobody subscribes to writes nothing (logged)."""
    try:
        declared = topics.topic(topic)
    except LookupError as exc:
        raise ApplicationError(_("未声明的消息主题：%(topic)s") % {"topic": topic[:80]}) from exc
    try:
        data = declared.dump(payload)
    except topics.TopicContractError as exc:
        raise ApplicationError(
            _("消息内容不符合主题“%(topic)s”的约定：%(error)s")
            % {"topic": topic, "error": str(exc)[:500]}
        ) from exc
    targets = topics.destinations(topic)
    if not targets:
        logger.info("outbox topic %s: no destination subscribed, nothing written", topic)
    return [outbox_enqueue(topic=topic, payload=data, destination=d) for d in targets]


def outbox_enqueue(*, topic: str, payload: dict[str, Any], destination: str) -> OutboxMessage:
    """Add one message for ``destination`` to the outbox (producers of declared topics
    call :func:`emit`, which routes by subscription). Call inside the transaction of the
    business change it announces: if that transaction rolls back, so does the message."""
    if not topic or len(topic) > 80:
        raise ApplicationError(_("消息主题不能为空，且不超过 80 个字符。"))
    if not destination or len(destination) > 40:
        raise ApplicationError(_("消息目的地不能为空，且不超过 40 个字符。"))
    try:
        payload = json.loads(canonical_json(payload))
    except (TypeError, ValueError) as exc:
        raise ApplicationError(_("消息内容无法转换为 JSON：%(error)s") % {"error": exc}) from exc
    if not isinstance(payload, dict):
        raise ApplicationError(_("消息内容必须是 JSON 对象。"))
    if not connection.in_atomic_block:
        logger.warning("outbox_enqueue(%s) called outside a transaction", topic)
    return OutboxMessage.objects.create(topic=topic, payload=payload, destination=destination)


# --------------------------------------------------------------------------- drain


@dataclass
class DrainReport:
    """What one drain pass did (counts of messages)."""

    claimed: int = 0
    delivered: int = 0
    failed: int = 0
    dead: int = 0
    waiting: int = 0  # destination not configured / no consumer: left pending, no attempt
    skipped: int = 0  # lease lost to another worker before sending
    errors: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"claimed={self.claimed} delivered={self.delivered} failed={self.failed} "
            f"dead={self.dead} waiting={self.waiting} skipped={self.skipped}"
        )


@dataclass
class _Attempt:
    ok: bool
    http_status: int | None = None
    error: str = ""
    duration_ms: int = 0
    counts: bool = True  # False: not a real attempt (destination unusable)


def backoff_delay(attempts: int, *, rng: random.Random | None = None) -> timedelta:
    """Delay before the next try after ``attempts`` failed attempts (1, 2, ...)."""
    base = BACKOFF_BASE_SECONDS * (2 ** max(0, min(attempts - 1, 30)))
    jitter = 1 + (rng or random).uniform(-BACKOFF_JITTER, BACKOFF_JITTER)
    # Jitter after the cap, so messages that failed together do not retry together.
    return timedelta(seconds=min(BACKOFF_CAP_SECONDS, base) * jitter)


def _claim(limit: int, now: datetime) -> tuple[uuid.UUID, list[OutboxMessage]]:
    token = uuid.uuid4()
    with transaction.atomic():
        due = (
            OutboxMessage.objects.filter(status=OutboxStatus.PENDING, available_at__lte=now)
            .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
            .order_by("available_at", "created_at")
        )
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[: max(1, limit)])
        if ids:
            OutboxMessage.objects.filter(pk__in=ids).update(
                locked_until=now + timedelta(seconds=lease_seconds()), lease_token=token
            )
    messages = list(
        OutboxMessage.objects.filter(pk__in=ids, lease_token=token).order_by(
            "available_at", "created_at"
        )
    )
    return token, messages


def _renew_lease(message: OutboxMessage, token: uuid.UUID, now: datetime) -> bool:
    """Extend our claim just before sending; False if another worker took the message."""
    return bool(
        OutboxMessage.objects.filter(
            pk=message.pk,
            status=OutboxStatus.PENDING,
            lease_token=token,
            locked_until__gt=now,
        ).update(locked_until=now + timedelta(seconds=lease_seconds()))
    )


def _claim_consumption(name: str, message: OutboxMessage) -> bool:
    """Write the once-only record of ``name`` applying ``message``, inside the caller's
    transaction; False when it exists (applied by an earlier or a concurrent drain).

    Only the record's own unique violation means "already applied": the insert runs in a
    savepoint of its own, and an IntegrityError is taken as such only when the record is
    there on a second look (a concurrent drain's insert, now committed). Any other error,
    and every error the consumer raises afterwards, is a failed attempt."""
    consumed = OutboxConsumption.objects.filter(consumer=name, message=message)
    if consumed.exists():
        return False
    try:
        with transaction.atomic():
            OutboxConsumption.objects.create(consumer=name, message=message)
    except IntegrityError:
        if consumed.exists():
            return False
        raise
    return True


def _apply_consumers(message: OutboxMessage) -> _Attempt:
    """Apply each consumer in a transaction with its once-only record. A consumer that
    raises (its own IntegrityError included) rolls back its writes and fails the attempt,
    which is logged and retried like a failed webhook."""
    started = time.monotonic()
    for name, consumer in consumers_for(message.topic, message.destination).items():
        try:
            with transaction.atomic():
                if not _claim_consumption(name, message):
                    continue  # already applied by an earlier drain
                consumer(message)
        except Exception as exc:
            logger.exception("outbox consumer %s failed on %s", name, message.pk)
            return _Attempt(
                ok=False,
                error=f"{name}: {type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS],
                duration_ms=int((time.monotonic() - started) * 1000),
            )
    return _Attempt(ok=True, duration_ms=int((time.monotonic() - started) * 1000))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is a failed delivery, not a silent switch to GET without the body."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    host = urlsplit(url).hostname or ""
    handlers: list[Any] = [_NoRedirect()]
    if _is_loopback(host):
        handlers.append(urllib.request.ProxyHandler({}))
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    with opener.open(request, timeout=http_timeout()) as response:
        return response.status, response.read(2000).decode("utf-8", "replace")


def _send_webhook(message: OutboxMessage) -> _Attempt:
    conf = webhook_config(message.destination)
    problem = webhook_url_problem(conf["url"])
    if problem:
        return _Attempt(ok=False, error=problem, counts=False)
    if not conf["secret"]:
        return _Attempt(ok=False, error=_("未配置签名密钥"), counts=False)
    body = message_body(message)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "zonegov-outbox/1",
        SIGNATURE_HEADER: sign(conf["secret"], body),
        "X-Zonegov-Topic": message.topic,
        "X-Zonegov-Attempt": str(message.attempts + 1),
        "Idempotency-Key": str(message.id),
    }
    started = time.monotonic()
    try:
        status, text = _post(conf["url"], body, headers)
    except urllib.error.HTTPError as exc:
        detail = exc.read(500).decode("utf-8", "replace") if exc.fp else ""
        return _Attempt(
            ok=False,
            http_status=exc.code,
            error=f"HTTP {exc.code}: {detail}".strip()[:MAX_ERROR_CHARS],
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    except (OSError, ValueError) as exc:  # URLError, timeouts, refused connections
        reason = getattr(exc, "reason", exc)
        return _Attempt(
            ok=False,
            error=f"{type(exc).__name__}: {reason}"[:MAX_ERROR_CHARS],
            duration_ms=int((time.monotonic() - started) * 1000),
        )
    elapsed = int((time.monotonic() - started) * 1000)
    if 200 <= status < 300:
        return _Attempt(ok=True, http_status=status, duration_ms=elapsed)
    return _Attempt(
        ok=False,
        http_status=status,
        error=f"HTTP {status}: {text}".strip()[:MAX_ERROR_CHARS],
        duration_ms=elapsed,
    )


def _deliver(message: OutboxMessage) -> _Attempt:
    """Apply in-platform consumers, then (unless local-only) send the webhook."""
    has_consumers = bool(consumers_for(message.topic, message.destination))
    if has_consumers:
        result = _apply_consumers(message)
        if not result.ok:
            return result
    if message.destination == LOCAL_DESTINATION:
        if not has_consumers:
            return _Attempt(
                ok=False,
                error=_("平台内没有处理主题“%(topic)s”的消费者") % {"topic": message.topic},
                counts=False,
            )
        return result
    return _send_webhook(message)


def _record_result(
    message: OutboxMessage, token: uuid.UUID, result: _Attempt, now: datetime
) -> str:
    """The acknowledgement: log the attempt and move the message on. Returns the outcome
    ("delivered", "failed", "dead", "waiting")."""
    lease_free = {"locked_until": None, "lease_token": None}
    with transaction.atomic():
        if not result.counts:
            OutboxMessage.objects.filter(pk=message.pk, lease_token=token).update(
                last_error=result.error,
                available_at=now + timedelta(seconds=UNCONFIGURED_RECHECK_SECONDS),
                **lease_free,
            )
            return "waiting"
        attempt = message.attempts + 1
        OutboxDelivery.objects.create(
            message=message,
            attempt=attempt,
            at=now,
            http_status=result.http_status,
            ok=result.ok,
            error=result.error,
            duration_ms=result.duration_ms,
        )
        if result.ok:
            # Delivered is the truth even if our lease expired meanwhile.
            OutboxMessage.objects.filter(pk=message.pk, status=OutboxStatus.PENDING).update(
                status=OutboxStatus.DELIVERED,
                delivered_at=now,
                attempts=attempt,
                last_error="",
                **lease_free,
            )
            return "delivered"
        if attempt >= max_attempts():
            changes: dict[str, Any] = {"status": OutboxStatus.DEAD}
            outcome = "dead"
        else:
            changes = {"available_at": now + backoff_delay(attempt)}
            outcome = "failed"
        OutboxMessage.objects.filter(pk=message.pk, lease_token=token).update(
            attempts=attempt, last_error=result.error, **changes, **lease_free
        )
        return outcome


def outbox_drain(*, limit: int = 100, now: datetime | None = None) -> DrainReport:
    """One pass: claim up to ``limit`` due messages, deliver each, record each result.
    ``now`` (tests) replaces the clock for due times, leases and back-off."""
    _discover_consumers()
    report = DrainReport()
    token, messages = _claim(limit, now or timezone.now())
    report.claimed = len(messages)
    for message in messages:
        if not _renew_lease(message, token, now or timezone.now()):
            report.skipped += 1
            continue
        result = _deliver(message)
        outcome = _record_result(message, token, result, now or timezone.now())
        setattr(report, outcome, getattr(report, outcome) + 1)
        if not result.ok:
            report.errors.append(f"{message.pk}: {result.error}")
    return report


# --------------------------------------------------------------------------- staff actions


@transaction.atomic
def outbox_retry(*, actor: Any, message: OutboxMessage) -> OutboxMessage:
    """Re-queue a dead message for immediate delivery with a fresh attempt budget."""
    require_staff(actor, ORG_ADMIN, LEADER)
    if not actor.has_perm("core.view_outbox"):  # zone level only (core/rules.py)
        raise PermissionDenied(_("外发消息仅供高新区一级的组织管理员和领导查看。"))
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if message.status != OutboxStatus.DEAD:
        raise ApplicationError(_("只有已放弃的消息可以重新投递。"))
    before = message.attempts
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.available_at = timezone.now()
    message.locked_until = None
    message.lease_token = None
    message.save(
        update_fields=["status", "attempts", "available_at", "locked_until", "lease_token"]
    )
    audit_append(
        actor=actor,
        action="outbox.retry",
        obj=message,
        changes={"status": ["dead", "pending"], "attempts_before": before},
    )
    return message
