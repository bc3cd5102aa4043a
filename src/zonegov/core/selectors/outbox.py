"""Reads of the outbox for the staff page and API."""

from django.db.models import Count, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from zonegov.core.models import OutboxDelivery, OutboxMessage, OutboxStatus

# Rules core.view_outbox / core.view_outbox_payload (core/rules.py).
OUTBOX_REFUSAL = _("外发消息仅供高新区一级的组织管理员和领导查看。")


def outbox_messages(*, status: str = "", topic: str = "") -> QuerySet[OutboxMessage]:
    """Messages newest first, with their delivery logs prefetched."""
    qs = OutboxMessage.objects.prefetch_related(
        Prefetch("deliveries", queryset=OutboxDelivery.objects.order_by("attempt", "id"))
    ).order_by("-created_at")
    if status in OutboxStatus.values:
        qs = qs.filter(status=status)
    if topic:
        qs = qs.filter(topic=topic)
    return qs


def outbox_counts() -> dict[str, int]:
    """Number of messages per status (every status present, zero if none)."""
    counts = dict.fromkeys(OutboxStatus.values, 0)
    rows = OutboxMessage.objects.order_by().values("status").annotate(n=Count("pk"))
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts
