"""Pages: the applicant's portal (phone-friendly) and the officers' workbench. Thin: parse
input, call one service or selector, render. Others' records are 404s."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zonegov.core.access import staff_required
from zonegov.core.errors import ApplicationError
from zonegov.core.identity import phone as phone_codes
from zonegov.core.identity.reauth import reauthenticate, send_sign_code, sms_reauth_available
from zonegov.core.models import User
from zonegov.core.models.workflow import unit_suffix
from zonegov.core.roles import LEADER
from zonegov.core.services.identity import may_verify_at_counter, session_identity
from zonegov.core.services.workflow import case_type_for
from zonegov.core.validation import control_characters_message, has_control_characters, record_id
from zonegov.core.views.attachments import content_disposition
from zonegov.core.xlsx import xlsx_response
from zonegov.licensing import exports, kinds, selectors, services
from zonegov.licensing.api import certificate_response, form_response
from zonegov.licensing.forms import (
    DeliveryForm,
    LibraryForm,
    RevokeForm,
    SignForm,
    StartForm,
    TicksForm,
)
from zonegov.licensing.models import (
    AppState,
    LicenceStatus,
    OnsiteVisit,
    PrintJob,
    is_acceptor,
)
from zonegov.licensing.roles import INSPECTOR, LICENSING_OFFICER
from zonegov.licensing.rules import WORKBENCH_ROLES
from zonegov.licensing.selectors import LIBRARY_ROLES
from zonegov.licensing.signing import verify_form

# --- confirmation of irreversible acts --------------------------------------------------
# An irreversible act (受理, 准予许可, 不予许可, 吊销, 删除草稿, 撤回) posted without
# ``confirmed=1`` answers with a page naming the consequence; its button posts the same
# fields again with ``confirmed=1``. Plain forms: no script, nothing the CSP refuses.


def _confirmed(request: HttpRequest) -> bool:
    return request.POST.get("confirmed") == "1"


def _confirm_page(
    request: HttpRequest,
    *,
    title: str,
    consequence: str,
    button: str,
    back: str,
    details: list[tuple[str, str]] | None = None,
    danger: bool = True,
) -> HttpResponse:
    hidden = [
        (name, value)
        for name in request.POST
        if name not in ("csrfmiddlewaretoken", "confirmed")
        for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "licensing/confirm.html",
        {
            "title": title,
            "consequence": consequence,
            "button": button,
            "back": back,
            "details": details or [],
            "danger": danger,
            "hidden": hidden,
            "action": request.path,
        },
    )


# --- applicant ---------------------------------------------------------------------------


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    """The applicant's applications (every state, time left, corrections) and licences."""
    apps = list(selectors.applications_of_applicant(request.user)[:200])
    rows = [(r.application, r.days_left) for r in selectors.queue_rows(apps)]
    return render(
        request,
        "licensing/mine.html",
        {
            "rows": rows,
            "licences": selectors.licences_of(request.user),
            "kinds": kinds.KINDS.values(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest) -> HttpResponse:
    form = StartForm(request.POST or None, initial={"kind": request.GET.get("kind", "licence")})
    if request.method == "POST" and form.is_valid():
        try:
            app = services.application_start(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                holder_kind=form.cleaned_data.get("holder_kind") or "",
                uscc=form.cleaned_data.get("uscc", ""),
            )
        except ApplicationError as exc:
            for field, msgs in (exc.field_errors or {"__all__": [exc.message]}).items():
                for m in msgs:
                    form.add_error(field if field in form.fields else None, m)
        else:
            messages.success(request, _("已创建草稿，请勾选申请内容。"))
            return redirect(app)
    return render(request, "licensing/new.html", {"form": form})


@login_required
@require_POST
def licence_request(request: HttpRequest, pk: int, app_type: str) -> HttpResponse:
    """补证/变更/延续/注销 from the certificate's page."""
    licence = selectors.access_licence(request.user, pk)
    try:
        app = services.application_start(
            actor=request.user, kind=licence.kind, app_type=app_type, licence=licence
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(licence)
    messages.success(request, _("已创建%(type)s申请草稿。") % {"type": app.app_type_label})
    return redirect(app)


def _staff_context(request: HttpRequest, app: Any) -> dict[str, Any]:
    user = request.user
    actions = selectors.officer_actions(app, user)
    names = {a.name for a in actions}
    ctx: dict[str, Any] = {
        "actions": actions,
        "decision_actions": [a for a in actions if a.name in ("accept", "approve", "reject")],
        "can_act": bool(names & {"accept", "approve", "reject", "correction", "extend"}),
        "can_inspect": "inspect" in names,
        "can_correct": "correction" in names,
        "can_extend": "extend" in names,
        "visits": app.onsite_visits.prefetch_related("inspectors"),
    }
    if ctx["can_extend"]:
        case_type = case_type_for(app)
        ctx["extension_limit"] = case_type.extension_limit
        ctx["extension_suffix"] = unit_suffix(case_type.extension_unit)
    if ctx["can_inspect"]:
        unit = app.inspection_unit or app.unit
        ctx["inspectors"] = User.objects.filter(
            unit__path__startswith=unit.path, roles__code=INSPECTOR, is_active=True
        ).distinct()
    if app.form_sha256:
        try:
            with app.form_file.open("rb") as fh:
                ctx["form_check"] = verify_form(fh.read())
        except OSError:
            ctx["form_check"] = None
    return ctx


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.access_application(request.user, pk)
    is_owner = app.applicant_id == request.user.pk
    editable = is_owner and app.state in selectors.EDITABLE_STATES
    form = None
    if editable:
        pending = request.session.pop(f"licensing-ticks-{app.pk}", None)
        if pending is not None:
            form = TicksForm(MultiValueDict(pending["data"]), application=app)
            form.is_valid()
            form.apply_errors(pending["errors"])
        else:
            form = TicksForm(application=app)
    missing = selectors.missing_ticks(app) if editable else {}
    documents = selectors.application_documents(app)
    ctx = {
        "app": app,
        "is_owner": is_owner,
        "editable": editable,
        "form": form,
        "guide": selectors.capture_guide(app),
        "missing": missing,
        "missing_messages": [m for msgs in missing.values() for m in msgs],
        # Not ``missing.items`` in the template: without an "items" key that is dict.items().
        "missing_items": missing.get("items", []),
        "needs_site_check": app.permit_kind.needs_site_check(app),
        "days_left": selectors.days_left(app),
        "timeline": selectors.application_data(app, request.user, documents=documents)["timeline"],
        "results": [("pass", _("符合")), ("fail", _("不符合"))],
        # 受理通知书, 补正告知书, 不予许可决定书, 现场核查记录 (licensing.services.instruments)
        "documents": documents,
        "pending_note": request.session.pop("licensing-note", ""),
        "identity_gate": (
            services.instant_identity(
                actor=request.user, application=app, login=session_identity(request)
            )[1]
            if editable and app.state == AppState.DRAFT
            else ""
        ),
    }
    ctx["delivery_form"] = _delivery_form(request, app)
    # Paper copies exist only once the certificate is issued.
    ctx["paper_jobs"] = list(selectors.paper_copies(app)) if app.state == AppState.ISSUED else []
    if not is_owner:
        ctx.update(_staff_context(request, app))
    return render(request, "licensing/detail.html", ctx)


@login_required
@require_POST
def paper_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's choice of 窗口领取 or 邮寄 for the paper copy; errors come back on
    the case page with what was typed kept."""
    app = _owner_app(request, pk)
    form = DeliveryForm(request.POST)
    if form.is_valid():
        try:
            services.paper_delivery_choose(actor=request.user, application=app, **form.cleaned_data)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            request.session[f"licensing-delivery-{app.pk}"] = {
                "data": form.cleaned_data,
                "errors": exc.field_errors or {},
            }
        else:
            messages.success(request, _("已保存纸质证书领取方式。"))
    else:
        messages.error(request, _("邮寄信息不完整，请按提示修改。"))
        request.session[f"licensing-delivery-{app.pk}"] = {
            "data": {k: request.POST.get(k, "")[:300] for k in form.fields},
            "errors": {k: list(v) for k, v in form.errors.items()},
        }
    return redirect(app.get_absolute_url() + "#delivery")


def _delivery_form(request: HttpRequest, app: Any) -> DeliveryForm | None:
    """The delivery choice on the applicant's case page while it can still change."""
    if (
        app.applicant_id != request.user.pk
        or app.state in services.DELIVERY_CLOSED_STATES
        or app.app_type == "cancel"
        or (app.state == AppState.ISSUED and services.paper_copy_sent(app))
    ):
        return None
    pending = request.session.pop(f"licensing-delivery-{app.pk}", None)
    if pending is None:
        return DeliveryForm(
            initial={
                "delivery": app.paper_delivery,
                "recipient": app.delivery_recipient,
                "phone": app.delivery_phone,
                "address": app.delivery_address,
            }
        )
    form = DeliveryForm(pending["data"])
    form.is_valid()
    for field, msgs in pending["errors"].items():
        for m in msgs:
            if field in form.fields and m not in form.errors.get(field, []):
                form.add_error(field, m)
            elif field not in form.fields:
                form.add_error(None, m)
    return form


def _owner_app(request: HttpRequest, pk: int):
    app = selectors.access_application(request.user, pk)
    if app.applicant_id != request.user.pk:
        raise Http404
    return app


@login_required
@require_POST
def application_save(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the ticks; errors come back on the page with everything typed kept."""
    app = _owner_app(request, pk)
    form = TicksForm(request.POST, application=app)
    form.is_valid()
    errors: dict[str, list[str]] = {k: list(v) for k, v in form.errors.items()}
    try:
        result = services.application_save_ticks(
            actor=request.user, application=app, data=form.to_data()
        )
        app = result.application
        errors.update(result.errors)
    except ApplicationError as exc:
        errors.update(exc.field_errors or {"__all__": [exc.message]})
    if errors:
        request.session[f"licensing-ticks-{app.pk}"] = {
            "data": {
                k: request.POST.getlist(k) for k in request.POST if k != "csrfmiddlewaretoken"
            },
            "errors": errors,
        }
        messages.error(request, _("部分内容有误，请按提示修改；其余内容已保存。"))
    else:
        messages.success(request, _("已保存。"))
    if request.POST.get("then") == "sign" and not errors:
        missing = selectors.missing_ticks(app)
        if missing:
            messages.error(request, selectors.missing_message(missing))
            return redirect(app)
        return redirect("licensing:application_sign", pk=app.pk)
    return redirect(app)


def _run(
    request: HttpRequest, app: Any, fn, success: str, *, anchor: str = "", **kwargs: Any
) -> HttpResponse:
    """Run one service; back to the case page (at ``anchor``: where the user was)."""
    back = app.get_absolute_url() + (f"#{anchor}" if anchor else "")
    try:
        fn(actor=request.user, application=app, **kwargs)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        note = kwargs.get("note") or kwargs.get("reason") or ""
        if note:
            request.session["licensing-note"] = note
        return redirect(back)
    messages.success(request, success)
    return redirect(back)


SIGN_CODE_SESSION = "licensing-sign-code"


def _reauthenticated(request: HttpRequest, form: SignForm) -> bool:
    """Signing has legal effect: the applicant proves again that they are at the keyboard
    (``core.identity.reauth``: the password, or a fresh SMS code for purpose "sign"; the
    API's sign endpoint asks the same)."""
    user = request.user
    password = form.cleaned_data.get("password") or ""
    code = form.cleaned_data.get("code") or ""
    if (
        not password
        and code
        and (not user.mobile or request.session.get(SIGN_CODE_SESSION) != user.mobile)
    ):
        form.add_error("code", _("请先获取短信验证码。"))
        return False
    try:
        reauthenticate(request=request, user=user, password=password, code=code)
    except ApplicationError as exc:
        for field, errors in (exc.field_errors or {None: [exc.message]}).items():
            for message in errors:
                form.add_error(None if field == "__all__" else field, message)
        return False
    if code and not password:
        request.session.pop(SIGN_CODE_SESSION, None)
    return True


@login_required
@require_http_methods(["GET", "POST"])
def application_sign(request: HttpRequest, pk: int) -> HttpResponse:
    """The electronic signature of the 申请书: shows what is signed and asks for the
    password or an SMS code again before signing."""
    app = _owner_app(request, pk)
    if app.state not in selectors.EDITABLE_STATES:
        state = app.get_state_display()
        messages.error(request, _("申请当前为“%(state)s”，不能签名。") % {"state": state})
        return redirect(app)
    missing = selectors.missing_ticks(app)
    if missing:
        messages.error(request, selectors.missing_message(missing))
        return redirect(app)
    user = request.user
    sms = sms_reauth_available(user)
    form = SignForm(request.POST if request.method == "POST" else None)
    demo_text = ""
    status = 200
    if request.method == "POST" and request.POST.get("send") == "1" and sms:
        try:
            sent = send_sign_code(request=request, user=user)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            if isinstance(exc, phone_codes.TooManyRequests):
                status = 429
        else:
            request.session[SIGN_CODE_SESSION] = sent.phone
            demo_text = sent.demo_text
            messages.success(
                request,
                _("验证码已发送至 %(phone)s，5 分钟内有效。") % {"phone": sent.masked_phone},
            )
        form = SignForm()
    elif request.method == "POST" and form.is_valid() and _reauthenticated(request, form):
        return _run(request, app, services.application_sign, _("申请书已生成并完成电子签名。"))
    return render(
        request,
        "licensing/sign.html",
        {
            "app": app,
            "form": form,
            "password": user.has_usable_password(),
            "sms": sms,
            "masked_phone": phone_codes.mask_phone(user.mobile) if user.mobile else "",
            "code_sent": request.session.get(SIGN_CODE_SESSION) == user.mobile,
            "demo_text": demo_text,
        },
        status=status,
    )


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    app = _owner_app(request, pk)
    fn = (
        services.application_resubmit
        if app.state == AppState.CORRECTION
        else services.application_submit
    )
    extra = {} if fn is services.application_resubmit else {"identity": session_identity(request)}
    try:
        app = fn(actor=request.user, application=app, **extra)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(app)
    if app.state == AppState.ISSUED:
        messages.success(request, _("即申即审：已准予，电子证书已生成，可立即下载。"))
    elif app.identity_basis.get("refusal"):
        messages.warning(
            request,
            _("已提交：%(reason)s请留意办理进度。") % {"reason": app.identity_basis["refusal"]},
        )
    else:
        messages.success(request, _("已提交，请留意办理进度。"))
    return redirect(app)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    app = _owner_app(request, pk)
    was_draft = app.state == AppState.DRAFT
    if not _confirmed(request):
        if was_draft:
            return _confirm_page(
                request,
                title=_("确认删除草稿"),
                consequence=_(
                    "删除后，这份草稿勾选、填写的内容和已上传的照片、视频都不再保留，不能恢复。"
                ),
                button=_("确认删除草稿"),
                back=app.get_absolute_url(),
            )
        return _confirm_page(
            request,
            title=_("确认撤回申请"),
            consequence=_("撤回后，本次申请终止办理，不能恢复；如需办理，须重新提交申请。"),
            button=_("确认撤回申请"),
            back=app.get_absolute_url(),
        )
    try:
        services.application_withdraw(actor=request.user, application=app)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect(app)
    messages.success(request, _("草稿已删除。") if was_draft else _("申请已撤回。"))
    return redirect("licensing:my_applications")


@login_required
@require_POST
def capture_upload(request: HttpRequest, pk: int) -> HttpResponse:
    app = _owner_app(request, pk)
    code = request.POST.get("code", "")
    try:
        services.capture_upload(
            actor=request.user, application=app, code=code, uploaded_file=request.FILES.get("file")
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已上传。"))
    return redirect(app.get_absolute_url() + "#capture")


@login_required
def application_form(request: HttpRequest, pk: int) -> HttpResponse:
    app = selectors.access_application(request.user, pk)
    try:
        return form_response(app)
    except ApplicationError as exc:
        raise Http404 from exc


@login_required
def licence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The holder's licence (downloads, 变更/延续/补证/注销, the renewal banner) and, for
    officers, every version with its certificate's status and the identifier chain, and
    the 吊销 action for approvers."""
    licence = selectors.access_licence(request.user, pk)
    is_owner = licence.owner_id == request.user.pk
    kind = licence.permit_kind
    today = timezone.localdate()
    data = selectors.licence_data(licence, today=today)
    valid = data["status"] == LicenceStatus.VALID
    actions = []
    if is_owner and valid:
        for t in ("change", "renew", "replace", "cancel"):
            if kind.supports(t):
                actions.append((t, kind.app_type_label(t)))
    window = None
    if data["renewal_opens"]:
        window = (data["renewal_opens"], data["renewal_closes"])
    renewal_open = bool(is_owner and valid and window and window[0] <= today <= window[1])
    can_revoke = not is_owner and valid and services.may_revoke(request.user, licence)
    revoke_form = None
    if can_revoke:
        pending = request.session.pop(f"licensing-revoke-{licence.pk}", None)
        if pending is not None:
            revoke_form = RevokeForm(pending["data"])
            revoke_form.is_valid()
            for field, msgs in pending["errors"].items():
                for m in msgs:
                    revoke_form.add_error(field if field in revoke_form.fields else None, m)
        else:
            revoke_form = RevokeForm()
    return render(
        request,
        "licensing/licence.html",
        {
            "licence": licence,
            "data": data,
            "actions": actions,
            "window": window,
            "renewal_open": renewal_open,
            "is_owner": is_owner,
            "can_revoke": can_revoke,
            "revoke_form": revoke_form,
            "in_library": selectors.may_use_library(request.user),
        },
    )


@staff_required(LICENSING_OFFICER, LEADER)
@require_POST
def licence_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """吊销 (approvers of the issuing unit): reason and decision number required; on a
    refusal the page shows the message and keeps what was typed."""
    licence = selectors.access_licence(request.user, pk)
    if not services.may_revoke(request.user, licence):
        raise PermissionDenied(_("只有发证单位的审批员或领导可以吊销证照。"))
    data = {
        "reason": request.POST.get("reason", ""),
        "decision_number": request.POST.get("decision_number", ""),
    }
    if not _confirmed(request) and all(
        v.strip() and not has_control_characters(v) for v in data.values()
    ):  # what the service will refuse is explained at once, without a confirmation first
        return _confirm_page(
            request,
            title=_("确认吊销证照"),
            consequence=_(
                "吊销后，证照 %(number)s 立即失效，持证人不能再凭其经营；吊销决定在公示栏"
                "公示并推送监管部门。吊销不能撤销。"
            )
            % {"number": licence.number},
            button=_("确认吊销"),
            back=licence.get_absolute_url(),
            details=[
                (_("行政处罚决定书文号"), data["decision_number"]),
                (_("吊销理由"), data["reason"]),
            ],
        )
    try:
        services.licence_revoke(actor=request.user, licence=licence, **data)
    except ApplicationError as exc:
        messages.error(request, exc.message)
        request.session[f"licensing-revoke-{licence.pk}"] = {
            "data": data,
            "errors": exc.field_errors or {},
        }
        return redirect(licence)
    messages.success(request, _("证照已吊销，已公示并推送监管部门。"))
    return redirect(licence)


@login_required
def licence_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    licence = selectors.access_licence(request.user, pk)
    try:
        return certificate_response(licence)
    except ApplicationError as exc:
        raise Http404 from exc


# --- officers ------------------------------------------------------------------------------


@staff_required(*WORKBENCH_ROLES)
def workbench(request: HttpRequest) -> HttpResponse:
    """Queue per role (受理 / 核查 / 审批), sorted by statutory deadline, overdue first."""
    queues = selectors.queues_for(request.user)
    queue = request.GET.get("queue") or selectors.default_queue(request.user)
    if queue not in queues and queue != "print":
        queue = queues[0] if queues else "accept"
    rows = selectors.workbench_queue(request.user, queue) if queue != "print" else []
    labels = {
        "accept": _("待受理"),
        "inspect": _("待核查"),
        "approve": _("待审批"),
        "correction": _("待补正"),
        "done": _("已办结"),
    }
    return render(
        request,
        "licensing/workbench.html",
        {
            "queue": queue,
            "tabs": [(q, labels[q]) for q in queues],
            "counts": selectors.queue_counts(request.user),
            "rows": rows,
            "overdue": sum(1 for r in rows if r.overdue),
            "prints": selectors.print_queue(request.user) if queue == "print" else [],
            "print_count": selectors.print_queue(request.user).count(),
            "counter_verification": may_verify_at_counter(request.user),
        },
    )


def _officer_app(request: HttpRequest, pk: int):
    app = selectors.access_application(request.user, pk)
    if app.applicant_id == request.user.pk:
        raise Http404
    return app


def _officer_confirmation(
    request: HttpRequest, app: Any, action: str, note: str
) -> HttpResponse | None:
    """The confirmation page for 受理 / 准予许可 / 不予许可, or None when confirmed (or when
    the service will refuse anyway: 不予许可 without a reason is explained at once)."""
    if _confirmed(request) or action not in ("accept", "approve", "reject"):
        return None
    if action == "reject" and not note.strip():
        return None
    if has_control_characters(note):
        messages.error(request, control_characters_message())
        return redirect(app)
    subject = f"{app.reference} · {app.operator_name}"
    details = [(_("申请"), subject)]
    if action == "accept":
        return _confirm_page(
            request,
            title=_("确认受理"),
            consequence=_(
                "受理后，开始计算法定办理时限，申请人会看到“已受理”并收到签章的受理通知书；"
                "受理不能撤销。"
                "材料不齐全的，请改为一次性告知补正。"
            ),
            button=_("确认受理"),
            back=app.get_absolute_url(),
            details=details + ([(_("意见"), note)] if note.strip() else []),
            danger=False,
        )
    if action == "approve":
        return _confirm_page(
            request,
            title=_("确认准予许可"),
            consequence=_(
                "准予许可后，立即签发电子证书并编号，在公示栏公示、推送监管部门；"
                "此决定不能撤销，事后发现问题只能依法撤销或吊销证照。"
            ),
            button=_("确认准予许可"),
            back=app.get_absolute_url(),
            details=details + ([(_("意见"), note)] if note.strip() else []),
            danger=False,
        )
    return _confirm_page(
        request,
        title=_("确认不予许可"),
        consequence=_(
            "作出不予许可决定后，本申请即告办结，申请人会收到载明以下理由和救济途径的"
            "不予许可决定书（电子签章）；此决定不能撤销，申请人可依法申请行政复议或提起行政诉讼。"
        ),
        button=_("确认不予许可"),
        back=app.get_absolute_url(),
        details=[*details, (_("不予许可的理由"), note)],
    )


@staff_required(*WORKBENCH_ROLES)
@require_POST
def officer_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Run one officer action; an action the state machine does not offer this user now
    (a stale page, a hand-made POST) is refused with the reason, before any service."""
    app = _officer_app(request, pk)
    post = request.POST
    needed = selectors.officer_action_for(action)
    if needed not in selectors.OFFICER_ACTION_NAMES:
        raise Http404
    if needed not in {a.name for a in selectors.officer_actions(app, request.user)}:
        messages.error(
            request,
            _("申请当前为“%(state)s”，您不能办理“%(action)s”。")
            % {"state": app.get_state_display(), "action": selectors.OFFICER_ACTION_NAMES[needed]},
        )
        return redirect(app)
    note = post.get("note", "")
    confirm = _officer_confirmation(request, app, action, note)
    if confirm is not None:
        return confirm
    if action == "accept":
        return _run(request, app, services.application_accept, _("已受理。"), note=note)
    if action == "correction":
        items = [line for line in post.get("items", "").splitlines() if line.strip()]
        return _run(
            request,
            app,
            services.application_request_correction,
            _("已一次性告知补正。"),
            items=items,
            note=note,
        )
    if action == "approve":
        return _run(
            request, app, services.application_approve, _("已准予许可，电子证书已签发。"), note=note
        )
    if action == "reject":
        return _run(
            request, app, services.application_reject, _("已作出不予许可决定。"), reason=note
        )
    if action == "extend":
        try:
            days = int(post.get("days", "0"))
        except ValueError:
            days = 0
        return _run(
            request, app, services.application_extend, _("已延长办理时限。"), days=days, reason=note
        )
    if action == "check":
        code = post.get("code", "")
        return _run(
            request,
            app,
            services.site_check_record,
            _("已记录核查结论。"),
            anchor=f"shot-{code}" if code.isidentifier() else "capture",
            code=code,
            result=post.get("result", ""),
            note=note,
        )
    if action == "finish":
        return _run(
            request, app, services.inspection_finish, _("核查完毕，已提交审查。"), note=note
        )
    if action == "visit":
        people = list(
            User.objects.filter(
                pk__in=[i for p in post.getlist("inspectors") if (i := record_id(p))]
            )
        )
        return _run(
            request,
            app,
            services.onsite_visit_order,
            _("已安排现场核查。"),
            reason=note,
            inspectors=people,
        )
    if action == "visit_record":
        visit = OnsiteVisit.objects.filter(application=app, pk=post.get("visit") or 0).first()
        if visit is None:
            raise Http404
        try:
            visited_on = date.fromisoformat(post.get("visited_on", ""))
        except ValueError:
            messages.error(request, _("请填写正确的核查日期（年-月-日）。"))
            return redirect(app)
        try:
            services.onsite_visit_record(
                actor=request.user,
                visit=visit,
                visited_on=visited_on,
                result=post.get("result", ""),
                note=note,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已记录现场核查结果。"))
        return redirect(app.get_absolute_url() + f"#visit-{visit.pk}")
    raise Http404


@staff_required(*WORKBENCH_ROLES)
@require_GET
def print_job_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The certificate of a queued paper copy, opened in the browser to print (only what
    the print queue lists: the current version of a licence in force)."""
    job = selectors.print_queue(request.user).filter(pk=pk).first()
    if job is None or not (
        job.version.application and is_acceptor(job.version.application, request.user)
    ):
        raise Http404
    doc = job.version.document
    try:
        with doc.file.open("rb") as fh:
            response = HttpResponse(fh.read(), content_type="application/pdf")
    except OSError as exc:
        raise Http404 from exc
    response["Content-Disposition"] = content_disposition("inline", doc.number, ".pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required(*WORKBENCH_ROLES)
@require_POST
def print_done(request: HttpRequest, pk: int) -> HttpResponse:
    job = PrintJob.objects.filter(pk=pk).select_related("version__application").first()
    if job is None or not (
        job.version.application and is_acceptor(job.version.application, request.user)
    ):
        raise Http404  # another unit's copy: as if it did not exist
    try:
        job = services.print_job_done(
            actor=request.user,
            job=job,
            tracking_number=request.POST.get("tracking_number", "")[:100],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            (
                _("已寄出并通知申请人：%(number)s（第 %(v)d 版）")
                if job.status == PrintJob.Status.POSTED
                else _("已打印并通知申请人到窗口领取：%(number)s（第 %(v)d 版）")
            )
            % {"number": job.version.licence.number, "v": job.version.version},
        )
    return redirect(reverse("licensing:workbench") + "?queue=print")


# --- e-licence library (电子证照库) --------------------------------------------------------

PAGE_SIZE = 30


def _query_without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@staff_required(*LIBRARY_ROLES)
@require_GET
def library(request: HttpRequest) -> HttpResponse:
    """Every licence issued in the user's scope, searchable; ``?format=xlsx`` exports the
    current result."""
    form = LibraryForm(request.GET or None)
    today = timezone.localdate()
    results = selectors.library_search(request.user, form.filters(), today=today)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            exports.library_export_xlsx(results, today=today), f"电子证照库_{today:%Y%m%d}.xlsx"
        )
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "licensing/library.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.library_rows(page.object_list, today=today),
            "export_query": _query_without(request, "page", "format"),
        },
    )


@staff_required(*LIBRARY_ROLES)
@require_GET
def library_expiring(request: HttpRequest) -> HttpResponse:
    """Valid licences expiring in the next 12 months, by month, with their renewal state;
    ``?format=xlsx`` exports the list."""
    today = timezone.localdate()
    groups = selectors.expiring_by_month(request.user, today=today)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(exports.expiring_export_xlsx(groups), f"到期证照_{today:%Y%m%d}.xlsx")
    return render(
        request,
        "licensing/expiring.html",
        {"groups": groups, "total": sum(g.count for g in groups), "today": today},
    )


urlpatterns = [
    path("mine/", my_applications, name="my_applications"),
    path("apply/", application_new, name="application_new"),
    path("applications/<int:pk>/", application_detail, name="application_detail"),
    path("applications/<int:pk>/save/", application_save, name="application_save"),
    path("applications/<int:pk>/sign/", application_sign, name="application_sign"),
    path("applications/<int:pk>/submit/", application_submit, name="application_submit"),
    path("applications/<int:pk>/withdraw/", application_withdraw, name="application_withdraw"),
    path("applications/<int:pk>/capture/", capture_upload, name="capture_upload"),
    path("applications/<int:pk>/form.pdf", application_form, name="application_form"),
    path("applications/<int:pk>/act/<slug:action>/", officer_act, name="officer_act"),
    path("licences/<int:pk>/", licence_detail, name="licence_detail"),
    path("licences/<int:pk>/certificate/", licence_certificate, name="licence_certificate"),
    path("licences/<int:pk>/request/<slug:app_type>/", licence_request, name="licence_request"),
    path("licences/<int:pk>/revoke/", licence_revoke, name="licence_revoke"),
    path("library/", library, name="library"),
    path("library/expiring/", library_expiring, name="library_expiring"),
    path("workbench/", workbench, name="workbench"),
    path("print/<int:pk>/pdf", print_job_pdf, name="print_job_pdf"),
    path("print/<int:pk>/done/", print_done, name="print_done"),
    path("applications/<int:pk>/delivery/", paper_delivery, name="paper_delivery"),
]
