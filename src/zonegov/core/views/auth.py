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
from zonegov.core.identity import phone as phone_codes
from zonegov.core.middleware import client_ip
from zonegov.core.privacy import PRIVACY_VERSION
from zonegov.core.ratelimit import over_limit, too_many_response
from zonegov.core.services.users import applicant_register, password_change


class LoginView(auth_views.LoginView):
    """Public. Staff and applicants log in here (django-axes locks after 5 failures)."""

    authentication_form = LoginForm
    redirect_authenticated_user = True


REGISTER_SESSION = "zonegov.register_code"


@require_http_methods(["GET", "POST"])
def register(request):
    """Public. Applicants self-register with mobile, an SMS code sent to it, name and
    身份证号 (GB 11643 check). One page, no script: "获取验证码" is a submit button
    (``send``) of the same form, so what was typed comes back with the code's notice.

    The code (``core.identity.phone``, purpose "register": hashed, five minutes, five
    tries, rate-limited) proves that the registering person holds the number, so nobody
    can squat someone else's number and be found by its owner's later SMS login. A number
    that already has an account is sent an SMS telling its owner so instead of a code:
    the page answers the same for every number. Final POSTs are rate-limited per client
    address (scope "register")."""
    if request.user.is_authenticated:
        return redirect("home")
    next_url = _safe_next(request)
    context: dict = {"next": next_url, "sms_available": phone_codes.phone_login_available()}
    if request.method == "POST" and request.POST.get("send") == "1":
        return _register_send_code(request, context)
    if request.method == "POST" and (wait := over_limit(request, "register")):
        return too_many_response(request, wait)
    form = RegisterForm(request.POST or None)
    pending = request.session.get(REGISTER_SESSION) or {}
    if request.method == "POST" and form.is_valid():
        try:
            applicant_register(
                mobile=form.cleaned_data["mobile"],
                full_name=form.cleaned_data["full_name"],
                id_number=form.cleaned_data["id_number"],
                password=form.cleaned_data["password"],
                privacy_consented=form.cleaned_data["privacy_consent"],
                sms_code=form.cleaned_data["code"],
                client_ip=client_ip(request),
            )
        except ApplicationError as exc:
            apply_field_errors(form, exc.field_errors or {"__all__": [exc.message]})
        else:
            request.session.pop(REGISTER_SESSION, None)
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
    if pending.get("phone") and pending.get("phone") == (form["mobile"].value() or ""):
        context["masked_phone"] = phone_codes.mask_phone(pending["phone"])
        context["demo_text"] = pending.get("demo_text", "")
    return render(request, "registration/register.html", {**context, "form": form})


def _register_send_code(request, context: dict):
    """ "获取验证码": send the code to the typed number and give the page back as typed
    (no other field is judged yet)."""
    typed = request.POST.copy()
    typed.pop("send", None)
    typed.pop("csrfmiddlewaretoken", None)
    form = RegisterForm(initial={k: typed.get(k) for k in typed})
    status, wait = 200, 0
    try:
        if not context["sms_available"]:
            raise phone_codes.PhoneLoginError(
                _("本平台尚未开通短信服务，暂不能在线注册，请到政务服务窗口办理。")
            )
        sent = phone_codes.request_code(
            phone=typed.get("mobile", ""),
            client_ip=client_ip(request),
            purpose=phone_codes.REGISTER,
        )
    except phone_codes.PhoneLoginError as exc:
        context["send_error"] = " ".join((exc.field_errors or {}).get("phone") or [exc.message])
        if isinstance(exc, phone_codes.TooManyRequests):
            status, wait = 429, exc.wait
    else:
        request.session[REGISTER_SESSION] = {"phone": sent.phone, "demo_text": sent.demo_text}
        form = RegisterForm(initial={**{k: typed.get(k) for k in typed}, "mobile": sent.phone})
        context["masked_phone"] = sent.masked_phone
        context["demo_text"] = sent.demo_text
    response = render(
        request, "registration/register.html", {**context, "form": form}, status=status
    )
    if status == 429:
        response["Retry-After"] = str(wait)
    return response


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
