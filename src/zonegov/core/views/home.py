from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path

from zonegov.core.selectors.calendar import calendar_warnings
from zonegov.core.selectors.workflow import with_days_left, work_items_for
from zonegov.core.views.front import service_list


def home(request):
    """``/``: a logged-out visitor sees the public service list (办事服务, with each
    service's 办事指南); a logged-in user sees 我的工作."""
    if not request.user.is_authenticated:
        return service_list(request)
    return my_work(request)


@login_required
def my_work(request):
    """Any logged-in user: their own open work, overdue first, with working days left;
    org admins also see whether the holiday calendar needs confirming."""
    items = work_items_for(request.user)
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    rows = with_days_left(list(page.object_list))
    rows.sort(key=lambda r: (not r.overdue, r.item.due_at is None, r.item.due_at))
    return render(
        request,
        "core/home.html",
        {
            "rows": rows,
            "page": page,
            "overdue": sum(1 for r in rows if r.overdue),
            "total": page.paginator.count,
            "calendar_warnings": calendar_warnings(request.user),
        },
    )


urlpatterns = [path("", home, name="home")]
