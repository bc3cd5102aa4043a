from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zonegov.core.access import check_perm, staff_required
from zonegov.core.errors import ApplicationError
from zonegov.core.forms import AssignmentForm, TransitionForm, apply_field_errors
from zonegov.core.models import Assignment, User
from zonegov.core.models.workflow import AssignmentState
from zonegov.core.roles import LEADER, ORG_ADMIN
from zonegov.core.selectors.assignments import assignments_for
from zonegov.core.selectors.org import units_visible_to
from zonegov.core.selectors.workflow import timeline_for
from zonegov.core.services.assignments import assignment_act, assignment_create
from zonegov.core.services.workflow import available_transitions
from zonegov.core.workdays import working_days_left, working_days_left_each


@staff_required()
def assignment_list(request):
    """Staff: assignments in their unit scope, issued by them or assigned to them."""
    state = request.GET.get("state", "")
    page = Paginator(assignments_for(request.user, state=state), 30).get_page(
        request.GET.get("page")
    )
    cases = list(page)
    lefts = working_days_left_each([a.due_at if a.is_open else None for a in cases], timezone.now())
    rows = [{"case": a, "days_left": left} for a, left in zip(cases, lefts, strict=True)]
    return render(
        request,
        "core/assignments/list.html",
        {
            "page": page,
            "rows": rows,
            "state": state,
            "states": AssignmentState.choices,
            "can_create": request.user.has_perm("core.add_assignment"),
        },
    )


@staff_required(LEADER, ORG_ADMIN)
@require_http_methods(["GET", "POST"])
def assignment_new(request):
    """Leaders and org admins: hand a task to a unit in their scope."""
    units = units_visible_to(request.user)
    users = User.objects.filter(unit__in=units, is_active=True)
    form = AssignmentForm(request.POST or None, units=units, users=users)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assignment = assignment_create(
                actor=request.user,
                title=data["title"],
                description=data["description"],
                unit=data["unit"],
                assignee=data["assignee"],
                time_limit=data["time_limit"],
            )
        except ApplicationError as exc:
            apply_field_errors(form, exc.field_errors or {"__all__": [exc.message]})
        else:
            messages.success(request, _("已交办：%(ref)s") % {"ref": assignment.reference})
            return redirect(assignment)
    return render(request, "core/assignments/form.html", {"form": form})


@staff_required()
def assignment_detail(request, pk: int):
    """Staff in scope: the assignment, its timeline and the actions the user may take."""
    assignment = get_object_or_404(Assignment.objects.select_related("unit", "created_by"), pk=pk)
    check_perm(request.user, "core.view_assignment", assignment)
    return render(
        request,
        "core/assignments/detail.html",
        {
            "case": assignment,
            "timeline": timeline_for(assignment),
            "actions": available_transitions(assignment, request.user),
            "days_left": working_days_left(assignment.due_at, timezone.now())
            if assignment.is_open
            else None,
            "form": TransitionForm(initial={"note": request.session.pop("pending_note", "")}),
        },
    )


def _step_label(assignment: Assignment, action: str) -> str:
    for transition in assignment._meta.get_field("state").get_all_transitions(Assignment):
        if transition.name == action:
            return str((transition.custom or {}).get("label", action))
    return action


@staff_required()
@require_POST
def assignment_transition(request, pk: int):
    assignment = get_object_or_404(Assignment, pk=pk)
    check_perm(request.user, "core.view_assignment", assignment)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            assignment_act(
                actor=request.user,
                assignment=assignment,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
                files=request.FILES.getlist("files"),
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            request.session["pending_note"] = form.cleaned_data["note"]
        else:
            assignment.refresh_from_db()
            messages.success(
                request,
                _("已%(step)s：%(ref)s，当前状态：%(state)s。")
                % {
                    "step": _step_label(assignment, form.cleaned_data["action"]),
                    "ref": assignment.reference,
                    "state": assignment.get_state_display(),
                },
            )
    return redirect(assignment)


urlpatterns = [
    path("assignments/", assignment_list, name="assignment_list"),
    path("assignments/new/", assignment_new, name="assignment_create"),
    path("assignments/<int:pk>/", assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/act/", assignment_transition, name="assignment_transition"),
]
