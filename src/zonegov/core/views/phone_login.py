"""手机验证码登录: a citizen types a mobile number, gets a code by SMS, types it and is
logged in (``core.identity.phone``: the rules, limits and why staff are refused)."""

from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from zonegov.core.forms import apply_field_errors
from zonegov.core.forms_phone import CodeForm, PhoneForm
from zonegov.core.identity import phone as phone_login
from zonegov.core.middleware import client_ip

SESSION_KEY = "zonegov.phone_login"


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return ""


@require_http_methods(["GET", "POST"])
def phone_start(request):
    """Public. Step 1: the number; the same answer for every number (non-enumerating)."""
    if request.user.is_authenticated:
        return redirect("home")
    available = phone_login.phone_login_available()
    form = PhoneForm(request.POST or None, initial={"next": request.GET.get("next", "")})
    status, wait = 200, 0
    if request.method == "POST" and available and form.is_valid():
        try:
            sent = phone_login.request_code(
                phone=form.cleaned_data["phone"], client_ip=client_ip(request)
            )
        except phone_login.PhoneLoginError as exc:
            apply_field_errors(form, exc.field_errors or {"__all__": [exc.message]})
            if isinstance(exc, phone_login.TooManyRequests):
                status, wait = 429, exc.wait
        else:
            request.session[SESSION_KEY] = {
                "phone": sent.phone,
                "next": _safe_next(request, form.cleaned_data.get("next", "")),
                "demo_text": sent.demo_text,
            }
            return redirect("phone_login_code")
    response = render(
        request,
        "registration/phone_login.html",
        {"form": form, "available": available, "next": form["next"].value() or ""},
        status=status,
    )
    if status == 429:
        response["Retry-After"] = str(wait)
    return response


@require_http_methods(["GET", "POST"])
def phone_code(request):
    """Public. Step 2: the code from the SMS; logs in (opening a citizen account at the
    first login)."""
    if request.user.is_authenticated:
        return redirect("home")
    pending = request.session.get(SESSION_KEY) or {}
    if not pending.get("phone"):
        return redirect("phone_login")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = phone_login.verify_code(
                phone=pending["phone"], code=form.cleaned_data["code"], client_ip=client_ip(request)
            )
        except phone_login.PhoneLoginError as exc:
            apply_field_errors(form, exc.field_errors or {"__all__": [exc.message]})
            if isinstance(exc, phone_login.TooManyRequests):
                status = 429
        else:
            request.session.pop(SESSION_KEY, None)
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(_safe_next(request, pending.get("next", "")) or reverse("home"))
    return render(
        request,
        "registration/phone_code.html",
        {
            "form": form,
            "masked_phone": phone_login.mask_phone(pending["phone"]),
            "phone": pending["phone"],
            "next": pending.get("next", ""),
            "demo_text": pending.get("demo_text", ""),
        },
        status=status,
    )


urlpatterns = [
    path("accounts/phone/", phone_start, name="phone_login"),
    path("accounts/phone/code/", phone_code, name="phone_login_code"),
]
