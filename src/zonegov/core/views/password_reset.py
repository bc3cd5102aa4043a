"""忘记密码: an applicant resets the password with a code sent by SMS through the channel
interface (``core.identity.phone``, purpose "reset": hashed, five minutes, five tries,
rate-limited, the same answer for every number). Staff accounts are never reset by SMS
(a SIM swap must not open an officer's workbench): their phone is told to ask an admin."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zonegov.core.forms import apply_field_errors
from zonegov.core.forms_phone import PhoneForm, ResetPasswordForm
from zonegov.core.identity import phone as phone_codes
from zonegov.core.middleware import client_ip
from zonegov.core.services.users import password_reset_by_sms

SESSION_KEY = "zonegov.password_reset"


@require_http_methods(["GET", "POST"])
def reset_start(request):
    """Public. Step 1: the mobile number; a code is sent if it may reset by SMS."""
    available = phone_codes.phone_login_available()
    form = PhoneForm(request.POST or None)
    status = 200
    if request.method == "POST" and available and form.is_valid():
        try:
            sent = phone_codes.request_code(
                phone=form.cleaned_data["phone"],
                client_ip=client_ip(request),
                purpose=phone_codes.RESET,
            )
        except phone_codes.PhoneLoginError as exc:
            apply_field_errors(form, exc.field_errors or {"__all__": [exc.message]})
            if isinstance(exc, phone_codes.TooManyRequests):
                status = 429
        else:
            request.session[SESSION_KEY] = {"phone": sent.phone, "demo_text": sent.demo_text}
            return redirect("password_reset_code")
    return render(
        request,
        "registration/password_reset_start.html",
        {"form": form, "available": available},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def reset_code(request):
    """Public. Step 2: the code and the new password; then the login page."""
    pending = request.session.get(SESSION_KEY) or {}
    if not pending.get("phone"):
        return redirect("password_reset")
    form = ResetPasswordForm(request.POST or None, phone=pending["phone"])
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = phone_codes.verify_reset_code(
                phone=pending["phone"],
                code=form.cleaned_data["code"],
                client_ip=client_ip(request),
                new_password=form.cleaned_data["new_password1"],
            )
        except phone_codes.PhoneLoginError as exc:
            apply_field_errors(form, exc.field_errors or {"__all__": [exc.message]})
            if isinstance(exc, phone_codes.TooManyRequests):
                status = 429
        else:
            password_reset_by_sms(user=user, new_password=form.cleaned_data["new_password1"])
            request.session.pop(SESSION_KEY, None)
            messages.success(request, _("密码已重置，请用手机号和新密码登录。"))
            return redirect("login")
    return render(
        request,
        "registration/password_reset_code.html",
        {
            "form": form,
            "masked_phone": phone_codes.mask_phone(pending["phone"]),
            "phone": pending["phone"],
            "demo_text": pending.get("demo_text", ""),
        },
        status=status,
    )


urlpatterns = [
    path("accounts/password/forgot/", reset_start, name="password_reset"),
    path("accounts/password/forgot/code/", reset_code, name="password_reset_code"),
]
