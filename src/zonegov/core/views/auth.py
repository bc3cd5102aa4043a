from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zonegov.core.errors import ApplicationError
from zonegov.core.forms import LoginForm, RegisterForm, ZonePasswordChangeForm, apply_field_errors
from zonegov.core.privacy import PRIVACY_VERSION
from zonegov.core.ratelimit import over_limit, too_many_response
from zonegov.core.services.users import applicant_register, password_change


class LoginView(auth_views.LoginView):
    """Public. Staff and applicants log in here (django-axes locks after 5 failures)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True


@require_http_methods(["GET", "POST"])
def register(request):
    """Public. Applicants self-register with mobile, name and 身份证号 (GB 11643 check).

    Rate-limited per client address (scope "register"). A new account and a number that
    already has one get the same answer — the login page with the same message — so the
    form does not tell whether a number is registered (the number's owner is notified)."""
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST" and (wait := over_limit(request, "register")):
        return too_many_response(request, wait)
    next_url = _safe_next(request)
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            applicant_register(
                mobile=form.cleaned_data["mobile"],
                full_name=form.cleaned_data["full_name"],
                id_number=form.cleaned_data["id_number"],
                password=form.cleaned_data["password"],
                privacy_consented=form.cleaned_data["privacy_consent"],
            )
        except ApplicationError as exc:
            apply_field_errors(form, exc.field_errors)
        else:
            messages.success(
                request,
                _(
                    "注册已受理。如该手机号此前没有账号，账号已开通，请用手机号和刚设置的密码登录；"
                    "如该手机号已有账号，我们已提醒号码的主人，请直接登录。"
                ),
            )
            login_url = reverse("login")
            if next_url:
                login_url += "?" + urlencode({"next": next_url})
            return redirect(login_url)
    return render(request, "registration/register.html", {"form": form, "next": next_url})


def _safe_next(request) -> str:
    """Where the visitor was going (a guide's 开始办理), if it is a page of this site."""
    candidate = (request.POST.get("next") or request.GET.get("next") or "")[:500]
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def change_password(request):
    """Any logged-in user changes their own password."""
    form = ZonePasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_change(user=request.user, new_password=form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("密码已修改，您的 API 令牌已全部吊销。"))
        return redirect("home")
    return render(request, "registration/password_change.html", {"form": form})


def privacy(request):
    """Public. The personal-information rules a registering person agrees to."""
    return render(request, "core/privacy.html", {"version": PRIVACY_VERSION})


urlpatterns = [
    path("privacy/", privacy, name="privacy"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/register/", register, name="register"),
    path("accounts/password/", change_password, name="password_change"),
]
