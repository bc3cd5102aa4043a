"""Pages of 好差评: the rater's page of a case (/ratings/<service>/<reference>/), the
officers' list (/ratings/) and a rectification case (/ratings/rectifications/<pk>/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zonegov.core.access import staff_required
from zonegov.core.errors import ApplicationError
from zonegov.core.forms import apply_field_errors
from zonegov.core.ratings import rules, selectors, services
from zonegov.core.ratings.forms import AnswerForm, CallbackForm, RatingForm
from zonegov.core.ratings.models import RectificationState
from zonegov.core.ratings.registry import rated_services, service_label
from zonegov.core.selectors.workflow import available_actions, timeline_for

ACTIONS = {"answer": ["give_answer"], "callback": ["record_callback"]}


def channel_of(request: HttpRequest) -> str:
    """评价渠道 from the browser: phones and tablets announce themselves as "Mobi"."""
    agent = request.headers.get("User-Agent", "")
    return rules.Channel.MOBILE if "Mobi" in agent else rules.Channel.PC


@login_required
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, service: str, reference: str) -> HttpResponse:
    """The applicant's page for one finished case: rate it once; then see the rating, the
    unit's answer to a 差评 and say whether satisfied."""
    rated, case = services.access_rated_case(
        user=request.user, service_key=service, reference=reference
    )
    rating = selectors.rating_of(request.user, rated.key, case.reference)
    form = RatingForm(request.POST or None) if rating is None else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.rating_submit(
                actor=request.user,
                service_key=rated.key,
                reference=case.reference,
                level=form.cleaned_data["level"],
                comment=form.cleaned_data["comment"],
                channel=channel_of(request),
            )
        except ApplicationError as exc:
            apply_field_errors(form, exc.field_errors or {"__all__": [exc.message]})
        else:
            messages.success(request, _("感谢您的评价。"))
            return redirect("ratings:rate", rated.key, case.reference)
    rectification = selectors.rectification_of(rating) if rating else None
    can_callback = bool(rectification and rectification.state == RectificationState.ANSWERED)
    return render(
        request,
        "core/ratings/rate.html",
        {
            "service": rated,
            "case": case,
            "rating": rating,
            "form": form,
            "refusal": services.rating_refusal(case) if rating is None else "",
            "rectification": rectification,
            "callback_form": CallbackForm() if can_callback else None,
            "window_days": rules.rating_window_days(),
        },
    )


@staff_required()
def rating_list(request: HttpRequest) -> HttpResponse:
    """Staff: ratings of cases their unit (or a unit below) handled, 差评 flagged with
    their rectification's state."""
    service = request.GET.get("service", "")[:40]
    bad_only = request.GET.get("bad") == "1"
    state = request.GET.get("state", "")
    if state not in RectificationState.values:
        state = ""
    qs = selectors.ratings_for(request.user, service=service, bad_only=bad_only, state=state)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "core/ratings/list.html",
        {
            "page": page,
            "service": service,
            "bad_only": bad_only,
            "state": state,
            "states": RectificationState.choices,
            "services": [(s.key, str(s.label)) for s in rated_services()],
            "open_count": selectors.rectifications_for(request.user, open_only=True).count(),
            "label_of": service_label,
        },
    )


@login_required
def rectification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.access_rectification(request.user, pk)
    if case.rating.rater_id == request.user.pk and not request.user.is_staff_member:
        return redirect(case.rating)
    actions = {a.name: a for a in available_actions(case, request.user, ACTIONS)}
    return render(
        request,
        "core/ratings/rectification.html",
        {
            "case": case,
            "rating": case.rating,
            "service_label": service_label(case.rating.service),
            "timeline": timeline_for(case),
            "answer_form": AnswerForm() if "answer" in actions else None,
            "callback_form": CallbackForm() if "callback" in actions else None,
        },
    )


@login_required
@require_POST
def rectification_answer(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.access_rectification(request.user, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(case)
    try:
        services.rectification_answer(
            actor=request.user, rectification=case, answer=form.cleaned_data["answer"]
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已答复，评价人已收到通知。"))
    return redirect(case)


@login_required
@require_POST
def rectification_callback(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.access_rectification(request.user, pk)
    back = case.rating if case.rating.rater_id == request.user.pk else case
    form = CallbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect(back)
    try:
        services.rectification_callback(
            actor=request.user,
            rectification=case,
            result=form.cleaned_data["result"],
            note=form.cleaned_data["note"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("回访结果已记录。"))
    return redirect(back)
