"""Staff page of the outbox: what was pushed where, each attempt, and re-queueing of
messages that were given up on. Zone-level org admins and leaders only."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonegov.core.access import require_perm, staff_required
from zonegov.core.errors import ApplicationError
from zonegov.core.models import OutboxMessage, OutboxStatus
from zonegov.core.roles import LEADER, ORG_ADMIN
from zonegov.core.selectors.outbox import OUTBOX_REFUSAL, outbox_counts, outbox_messages
from zonegov.core.services.outbox import outbox_retry

OUTBOX_ROLES = (ORG_ADMIN, LEADER)


@staff_required(*OUTBOX_ROLES)
def outbox_list(request: HttpRequest) -> HttpResponse:
    """Messages newest first with status, attempts, next attempt, last error and log."""
    require_perm(request.user, "core.view_outbox", OUTBOX_REFUSAL)
    status = request.GET.get("status", "")
    if status not in OutboxStatus.values:
        status = ""
    topic = request.GET.get("topic", "").strip()[:80]
    page = Paginator(outbox_messages(status=status, topic=topic), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "core/outbox/list.html",
        {
            "page": page,
            "status": status,
            "topic": topic,
            "statuses": OutboxStatus.choices,
            "counts": outbox_counts(),
        },
    )


@staff_required(*OUTBOX_ROLES)
@require_POST
def outbox_retry_view(request: HttpRequest, pk: str) -> HttpResponse:
    """Re-queue a dead message for immediate delivery."""
    require_perm(request.user, "core.view_outbox", OUTBOX_REFUSAL)
    message = get_object_or_404(OutboxMessage, pk=pk)
    try:
        outbox_retry(actor=request.user, message=message)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已重新排队，将在下次投递时发送。"))
    return redirect("outbox_list")


urlpatterns = [
    path("outbox/", outbox_list, name="outbox_list"),
    path("outbox/<uuid:pk>/retry/", outbox_retry_view, name="outbox_retry"),
]
