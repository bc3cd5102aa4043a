"""Identity verification pages: the account's level, the round trip to a provider, the
demo provider's page (development only) and 柜面核验 for licensing officers."""

from datetime import datetime, time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zonegov.core.errors import ApplicationError
from zonegov.core.forms import apply_field_errors
from zonegov.core.forms_identity import CounterVerifyForm, DemoIdentityForm
from zonegov.core.identity.base import STATE_SESSION_KEY, ActorRole, ProviderError, get_provider
from zonegov.core.identity.base import providers as configured_providers
from zonegov.core.identity.demo import DemoProvider, demo_identity
from zonegov.core.models import Enterprise, User
from zonegov.core.services.identity import (
    current_identity,
    identity_bind,
    identity_counter_verify,
    login_verification,
    may_verify_at_counter,
    remember_in_session,
    session_identity,
)

NEXT_SESSION_KEY = "zonegov.identity.next"


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


def _callback_url(request, name: str) -> str:
    return request.build_absolute_uri(reverse("identity_callback", args=[name]))


@login_required
def identity_home(request):
    """Any logged-in user: how the account's identity is verified, and the providers."""
    fresh, reason = login_verification(user=request.user, login=session_identity(request))
    return render(
        request,
        "core/identity/home.html",
        {
            "current": current_identity(request.user),
            "fresh": fresh,
            "fresh_reason": reason,
            "providers": [
                p for p in configured_providers() if not (p.demo and settings.PRODUCTION)
            ],
            "next": _safe_next(request, request.GET.get("next", "")),
        },
    )


@login_required
@require_POST
def identity_start(request, name: str):
    provider = get_provider(name)
    if provider is None:
        raise Http404
    request.session[NEXT_SESSION_KEY] = _safe_next(request, request.POST.get("next", ""))
    try:
        url = provider.start(request, callback_url=_callback_url(request, name))
    except ProviderError as exc:
        messages.error(request, exc.message)
        return redirect("identity_home")
    return redirect(url)


@login_required
def identity_callback(request, name: str):
    """The provider sends the browser back here; the code is exchanged server-side."""
    provider = get_provider(name)
    if provider is None:
        raise Http404
    try:
        identity = provider.complete(request, callback_url=_callback_url(request, name))
        verification = identity_bind(user=request.user, identity=identity, provider=provider)
    except (ProviderError, ApplicationError) as exc:
        messages.error(request, exc.message)
        return redirect("identity_home")
    remember_in_session(request, verification)
    messages.success(
        request,
        _("已通过%(provider)s实名核验：%(name)s（%(id)s）。")
        % {
            "provider": provider.label,
            "name": verification.name,
            "id": verification.masked_id_number,
        },
    )
    return redirect(request.session.pop(NEXT_SESSION_KEY, "") or "identity_home")


@login_required
@require_http_methods(["GET", "POST"])
def identity_demo(request):
    """模拟统一身份认证（演示）: development only (404 in production settings)."""
    if settings.PRODUCTION:
        raise Http404
    state = request.session.get(STATE_SESSION_KEY) or {}
    provider = get_provider(state.get("provider", ""))
    if not isinstance(provider, DemoProvider) or state.get("state") != request.GET.get("state"):
        messages.error(request, _("请从“实名核验”页面发起演示身份认证。"))
        return redirect("identity_home")
    person = request.user.person
    mine = (
        Enterprise.objects.filter(legal_representative=person.name).order_by("pk").first()
        if person
        else None
    )
    form = DemoIdentityForm(
        request.POST or None,
        initial={
            "name": person.name if person else request.user.full_name,
            "id_number": (person.id_number or "") if person else "",
            "uscc": mine.uscc if mine else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        enterprise = None
        if data["uscc"]:
            enterprise = Enterprise.objects.filter(uscc=data["uscc"].strip().upper()).first()
            if enterprise is None:
                form.add_error("uscc", _("市场主体库中没有该统一社会信用代码的企业。"))
            elif (
                data["role"] == ActorRole.LEGAL_REPRESENTATIVE
                and enterprise.legal_representative != data["name"].strip()
            ):
                form.add_error(
                    "role",
                    _("该企业的法定代表人是“%(name)s”，不是您选择的身份。")
                    % {"name": enterprise.legal_representative},
                )
        if not form.errors:
            until = data.get("authorised_until")
            identity = demo_identity(
                provider=provider.name,
                name=data["name"],
                id_number=data["id_number"].strip().upper(),
                enterprise=enterprise,
                role=data["role"],
                matters=tuple(data.get("matters") or ()),
                authorised_until=(
                    timezone.make_aware(datetime.combine(until, time.max)) if until else None
                ),
            )
            code = provider.issue_code(request, identity)
            callback = request.session.get("zonegov.identity.demo_callback") or reverse(
                "identity_callback", args=[provider.name]
            )
            return redirect(callback + "?" + urlencode({"code": code, "state": state["state"]}))
    return render(request, "core/identity/demo.html", {"form": form, "provider": provider})


@login_required
@require_http_methods(["GET", "POST"])
def identity_counter(request):
    """Licensing officers: 柜面核验 of an applicant who shows the ID card in person."""
    if not may_verify_at_counter(request.user):
        raise PermissionDenied(_("只有审批员可以办理柜面核验。"))
    form = CounterVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user = User.objects.filter(username=data["mobile"].strip()).first()
        if user is None:
            form.add_error("mobile", _("没有使用该手机号注册的申请人账号。"))
        else:
            try:
                verification = identity_counter_verify(
                    actor=request.user,
                    user=user,
                    name=data["name"],
                    id_number=data["id_number"],
                    card_checked=data["card_checked"],
                    note=data["note"],
                )
            except ApplicationError as exc:
                if exc.field_errors:
                    apply_field_errors(form, exc.field_errors)
                else:
                    form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    _("已完成柜面核验：%(name)s（%(id)s）。")
                    % {"name": verification.name, "id": verification.masked_id_number},
                )
                return redirect("identity_counter")
    return render(request, "core/identity/counter.html", {"form": form})


urlpatterns = [
    path("identity/", identity_home, name="identity_home"),
    path("identity/demo/", identity_demo, name="identity_demo"),
    path("identity/counter/", identity_counter, name="identity_counter"),
    path("identity/<slug:name>/start/", identity_start, name="identity_start"),
    path("identity/<slug:name>/callback/", identity_callback, name="identity_callback"),
]
