"""Pages of the supervision module (thin: parse, call one service or selector, render)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zonegov.core.access import staff_required
from zonegov.core.errors import ApplicationError
from zonegov.core.forms import apply_field_errors
from zonegov.core.models import Unit, User
from zonegov.core.selectors.documents import documents_about
from zonegov.core.selectors.workflow import timeline_for
from zonegov.core.services.workflow import available_transitions
from zonegov.core.validation import record_id, search_text
from zonegov.supervision import selectors, services
from zonegov.supervision.forms import (
    FollowUpForm,
    InspectionCreateForm,
    InspectionRecordForm,
    PlanGenerateForm,
    RiskLevelForm,
    SamplingForm,
    VerifyForm,
)
from zonegov.supervision.instruments import SUPERVISION_INSTRUMENTS
from zonegov.supervision.models import InspectionState, RiskLevel, SupervisionPlan
from zonegov.supervision.rules import (
    ACTING_ROLES,
    PLAN_ROLES,
    SUPERVISION_ROLES,
    may_act_in_unit,
)

staff = staff_required(*SUPERVISION_ROLES)


def _visible_actions(case: Any, user: Any) -> list[Any]:
    hidden = {t.name for t in case.get_all_state_transitions() if (t.custom or {}).get("hidden")}
    return [a for a in available_transitions(case, user) if a.name not in hidden]


def _inspectors_for(unit: Unit) -> Any:
    return (
        User.objects.filter(
            is_active=True, unit__path__startswith=unit.path, roles__code__in=ACTING_ROLES
        )
        .distinct()
        .order_by("pk")
    )


@staff
def home(request: HttpRequest) -> HttpResponse:
    """Inbox (newly licensed operators to bring into supervision), open work and the
    operator list with search."""
    user = request.user
    q = search_text(request.GET.get("q"))
    status = request.GET.get("status", "")
    risk = request.GET.get("risk", "")
    operators = Paginator(
        selectors.operators_for(user, q=q, status=status, risk_level=risk), 30
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "supervision/home.html",
        {
            "inbox": selectors.inbox_for(user)[:50],
            "open_inspections": selectors.inspections_for(user, open_only=True)[:50],
            "open_followups": selectors.followups_for(user, open_only=True)[:50],
            "page": operators,
            "q": q,
            "status": status,
            "risk": risk,
            "risk_levels": RiskLevel.choices,
        },
    )


@staff
def operator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The operator's one record: licence facts and the merged timeline."""
    operator = selectors.operator_get(request.user, pk)
    can_act = may_act_in_unit(request.user, operator.unit)
    return render(
        request,
        "supervision/operator_detail.html",
        {
            "operator": operator,
            "timeline": selectors.operator_timeline(request.user, operator),
            "can_act": can_act and operator.is_active,
            "risk_form": RiskLevelForm(initial={"risk_level": operator.risk_level}),
            "inspection_form": InspectionCreateForm(initial={"planned_date": timezone.localdate()}),
        },
    )


@staff_required(*ACTING_ROLES)
@require_POST
def operator_risk(request: HttpRequest, pk: int) -> HttpResponse:
    operator = selectors.operator_get(request.user, pk)
    form = RiskLevelForm(request.POST)
    if form.is_valid():
        try:
            services.operator_set_risk_level(
                actor=request.user,
                operator=operator,
                risk_level=form.cleaned_data["risk_level"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("风险等级已更新。"))
    else:
        messages.error(request, _("请选择有效的风险等级。"))
    return redirect(operator)


@staff_required(*ACTING_ROLES)
@require_http_methods(["GET", "POST"])
def inspection_new(request: HttpRequest, pk: int) -> HttpResponse:
    operator = selectors.operator_get(request.user, pk)
    form = InspectionCreateForm(
        request.POST or None, initial={"planned_date": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(
                actor=request.user,
                operator=operator,
                planned_date=form.cleaned_data["planned_date"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            apply_field_errors(form, exc.field_errors or {"__all__": [exc.message]})
        else:
            messages.success(request, _("已安排检查：%(r)s") % {"r": inspection.reference})
            return redirect("supervision:inspection_record", inspection.pk)
    return render(request, "supervision/inspection_new.html", {"operator": operator, "form": form})


@staff
def inspection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(request.user, pk)
    can_act = may_act_in_unit(request.user, inspection.unit)
    return render(
        request,
        "supervision/inspection_detail.html",
        {
            "case": inspection,
            "items": inspection.items.all(),
            "inspectors": inspection.inspectors.all(),
            "timeline": timeline_for(inspection),
            # 监督检查结果告知书 / 责令整改通知书 (supervision.instruments)
            "documents": documents_about(inspection, kinds=SUPERVISION_INSTRUMENTS),
            "can_record": can_act
            and inspection.state in (InspectionState.PLANNED, InspectionState.IN_PROGRESS),
            "can_verify": can_act and inspection.state == InspectionState.RECTIFYING,
            "verify_form": VerifyForm(initial={"note": request.session.pop("pending_note", "")}),
        },
    )


@staff_required(*ACTING_ROLES)
@require_http_methods(["GET", "POST"])
def inspection_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The checklist form; on a refusal everything typed stays."""
    inspection = selectors.inspection_get(request.user, pk)
    if not may_act_in_unit(request.user, inspection.unit):
        raise Http404
    if inspection.state not in (InspectionState.PLANNED, InspectionState.IN_PROGRESS):
        messages.info(request, _("该检查已记录结果。"))
        return redirect(inspection)
    items = list(inspection.items.all())
    form = InspectionRecordForm(
        request.POST or None,
        items=items,
        inspectors=_inspectors_for(inspection.unit),
        initial={
            "inspected_on": timezone.localdate(),
            "inspectors": [u.pk for u in inspection.inspectors.all()] or [request.user.pk],
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.inspection_record(
                actor=request.user,
                inspection=inspection,
                inspectors=list(data["inspectors"]),
                items=[
                    services.ItemInput(
                        code=c, result=data[f"item_{c}"], note=data[f"note_{c}"] or ""
                    )
                    for c in form.item_codes
                ],
                outcome=data["outcome"],
                inspected_on=data["inspected_on"],
                rectification_deadline=data["rectification_deadline"],
                summary=data["summary"],
                photos=request.FILES.getlist("photos"),
            )
        except ApplicationError as exc:
            apply_field_errors(form, exc.field_errors or {"__all__": [exc.message]})
            if not form.non_field_errors():
                form.add_error(None, exc.message)
        else:
            messages.success(request, _("检查结果已记录。"))
            return redirect(inspection)
    return render(request, "supervision/inspection_record.html", {"case": inspection, "form": form})


@staff_required(*ACTING_ROLES)
@require_POST
def inspection_verify(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = selectors.inspection_get(request.user, pk)
    form = VerifyForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
        return redirect(inspection)
    try:
        services.inspection_verify(
            actor=request.user,
            inspection=inspection,
            note=form.cleaned_data["note"],
            photos=request.FILES.getlist("photos"),
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        request.session["pending_note"] = form.cleaned_data["note"]
    else:
        messages.success(request, _("整改已复查，检查办结。"))
    return redirect(inspection)


def _refused(request: HttpRequest, form: Any) -> None:
    """A one-field action form was refused: say why, and keep the note for the page."""
    problems = "；".join(str(e) for errors in form.errors.values() for e in errors)
    messages.error(request, problems)
    request.session["pending_note"] = request.POST.get("note", "")


@staff_required(*ACTING_ROLES)
@require_http_methods(["GET", "POST"])
def sampling_new(request: HttpRequest, pk: int) -> HttpResponse:
    operator = selectors.operator_get(request.user, pk)
    if not may_act_in_unit(request.user, operator.unit):
        raise Http404
    form = SamplingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            sampling = services.sampling_record(
                actor=request.user,
                operator=operator,
                sample_name=data["sample_name"],
                batch_number=data["batch_number"],
                sampled_on=data["sampled_on"],
                laboratory=data["laboratory"],
                report_number=data["report_number"],
                report_file=data["report_file"],
                items=[
                    services.SampleItemInput(
                        item_tested=data[n[0]],
                        standard=data[n[1]],
                        measured=data[n[2]],
                        result=data[n[3]],
                    )
                    for n in form.row_names
                ],
            )
        except ApplicationError as exc:
            apply_field_errors(form, exc.field_errors or {"__all__": [exc.message]})
            if not form.non_field_errors():
                form.add_error(None, exc.message)
        else:
            if sampling.failed:
                messages.warning(request, _("抽检不合格，已自动立案核查处置。"))
            else:
                messages.success(request, _("抽检结果已记录。"))
            return redirect(sampling)
    return render(request, "supervision/sampling_new.html", {"operator": operator, "form": form})


@staff
def sampling_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sampling = selectors.sampling_get(request.user, pk)
    return render(
        request,
        "supervision/sampling_detail.html",
        {
            "sampling": sampling,
            "items": sampling.items.all(),
            "followup": getattr(sampling, "followup", None),
        },
    )


@staff
def followup_detail(request: HttpRequest, pk: int) -> HttpResponse:
    followup = selectors.followup_get(request.user, pk)
    return render(
        request,
        "supervision/followup_detail.html",
        {
            "case": followup,
            "timeline": timeline_for(followup),
            "actions": _visible_actions(followup, request.user),
            "form": FollowUpForm(initial={"note": request.session.pop("pending_note", "")}),
        },
    )


@staff_required(*ACTING_ROLES)
@require_POST
def followup_act(request: HttpRequest, pk: int) -> HttpResponse:
    followup = selectors.followup_get(request.user, pk)
    form = FollowUpForm(request.POST)
    if not form.is_valid():
        _refused(request, form)
    else:
        try:
            services.followup_act(
                actor=request.user,
                followup=followup,
                action=form.cleaned_data["action"],
                note=form.cleaned_data["note"],
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            request.session["pending_note"] = form.cleaned_data["note"]
        else:
            messages.success(request, _("已办理。"))
    return redirect(followup)


def _plan_units(user: Any) -> Any:
    return Unit.objects.filter(
        Q(pk=user.unit_id) | Q(pk__in=selectors.supervision_units_for(user))
    ).order_by("path")


@staff
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest) -> HttpResponse:
    """Annual plan: generate (supervisors, leaders) and see who is overdue."""
    user = request.user
    units = _plan_units(user)
    year_now = timezone.localdate().year
    can_generate = user.has_role(*PLAN_ROLES)
    form = PlanGenerateForm(
        request.POST or None,
        units=units,
        initial={"year": year_now, "unit": units.first()},
    )
    if request.method == "POST":
        if not can_generate:
            raise Http404
        if form.is_valid():
            try:
                generated = services.plan_generate(
                    actor=user, unit=form.cleaned_data["unit"], year=form.cleaned_data["year"]
                )
            except ApplicationError as exc:
                apply_field_errors(form, exc.field_errors or {"__all__": [exc.message]})
            else:
                messages.success(request, _("已生成 %(p)s。") % {"p": str(generated)})
                return redirect(f"{request.path}?plan={generated.pk}")
    plans = list(selectors.plans_for(user))
    chosen: SupervisionPlan | None = None
    wanted = request.GET.get("plan", "")
    if wanted:
        wanted_id = record_id(wanted)
        chosen = next((p for p in plans if p.pk == wanted_id), None)
        if chosen is None:
            raise Http404
    elif plans:
        chosen = plans[0]
    overdue_only = request.GET.get("overdue") == "1"
    rows = selectors.plan_rows(user, chosen, overdue_only=overdue_only) if chosen else []
    return render(
        request,
        "supervision/plan.html",
        {
            "form": form,
            "can_generate": can_generate,
            "plans": plans,
            "plan": chosen,
            "rows": rows,
            "overdue_count": sum(1 for r in rows if r.overdue),
            "overdue_only": overdue_only,
            "today": timezone.localdate(),
        },
    )
