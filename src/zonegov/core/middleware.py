import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from zonegov.core.services.audit import current_ip


def client_ip(request) -> str:
    """The client's address for the audit chain and the public rate limits. Behind a
    reverse proxy listed in ``ZONEGOV_TRUSTED_PROXIES`` it is the right-most address of
    ``X-Forwarded-For`` that is not one of those proxies (what the proxy itself saw);
    otherwise the connection's address, so a client cannot forge it."""
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = set(getattr(settings, "ZONEGOV_TRUSTED_PROXIES", ()))
    if remote not in trusted:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for hop in reversed([h for h in hops if h]):
        if hop not in trusted:
            return hop[:45]
    return remote


class StaffSessionTimeoutMiddleware:
    """Logs staff out after STAFF_SESSION_IDLE_MINUTES without a request, and records the
    client IP for the audit chain."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated and user.is_staff_member:
                now = int(time.time())
                last = request.session.get("last_seen")
                idle = settings.STAFF_SESSION_IDLE_MINUTES * 60
                if last is not None and now - last > idle:
                    logout(request)
                    messages.info(
                        request, _("您已长时间未操作，为安全起见已自动退出，请重新登录。")
                    )
                    if request.path.startswith("/api/"):
                        return self.get_response(request)
                    return redirect(f"{reverse('login')}?next={request.path}")
                request.session["last_seen"] = now
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class ChineseByDefaultMiddleware:
    """The platform speaks Simplified Chinese unless the user picks another language with
    the switch (the language cookie): a browser's Accept-Language is not followed, so an
    officer's English-language browser still gets the Chinese interface."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class PasswordChangeRequiredMiddleware:
    """An account an admin created with a generated password (``User.
    must_change_password``) reaches only the password change page, logout, the language
    switch and static files until the person has set their own password."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not self._allowed(request.path)
        ):
            if request.path.startswith("/api/"):
                from django.http import JsonResponse

                return JsonResponse(
                    {"detail": _("请先登录网页修改初始密码。"), "code": "password_change_required"},
                    status=403,
                )
            messages.info(request, _("为了账号安全，请先把管理员给您的初始密码改成您自己的密码。"))
            return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _allowed(path: str) -> bool:
        allowed = (
            reverse("password_change"),
            reverse("logout"),
            reverse("privacy"),
            reverse("set_language"),
        )
        static = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
        return path in allowed or path.startswith(static)
