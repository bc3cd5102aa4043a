from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path

from zonegov.core.access import staff_required
from zonegov.core.audit_labels import action_choices, action_label, change_summary, changes_json
from zonegov.core.roles import LEADER, ORG_ADMIN
from zonegov.core.selectors.audit import audit_records_for, audit_shows_addresses
from zonegov.core.services.audit import audit_verify


@staff_required(ORG_ADMIN, LEADER)
def audit_list(request):
    """Org admins and leaders: read-only audit log of their scope (addresses for the zone
    level only) and a chain check. No edit, no delete."""
    action = request.GET.get("action", "").strip()
    records = audit_records_for(request.user, action=action)
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    verification = audit_verify() if request.GET.get("verify") else None
    rows = [
        {
            "record": r,
            "label": action_label(r.action),
            "summary": change_summary(r.changes, r.object_type),
            "raw": changes_json(r.changes) if r.changes else "",
        }
        for r in page
    ]
    return render(
        request,
        "core/audit/list.html",
        {
            "page": page,
            "rows": rows,
            "action_choices": action_choices(),
            "action": action,
            "verification": verification,
            "show_ip": audit_shows_addresses(request.user),
        },
    )


urlpatterns = [path("audit/", audit_list, name="audit_list")]
