"""Any logged-in user: their own API tokens — create (the secret is shown once), list with
created/expires/last used, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zonegov.core.errors import ApplicationError
from zonegov.core.forms import ApiTokenForm, apply_field_errors
from zonegov.core.selectors.tokens import tokens_of
from zonegov.core.services.users import api_token_create, api_token_days, api_token_revoke


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_key = api_token_create(user=request.user, name=form.cleaned_data["name"])
        except ApplicationError as exc:
            apply_field_errors(form, exc.field_errors or {"__all__": [exc.message]})
        else:
            form = ApiTokenForm()
    now = timezone.now()
    tokens = [(t, t.is_active_at(now)) for t in tokens_of(request.user)[:200]]
    return render(
        request,
        "core/tokens/list.html",
        {"form": form, "new_key": new_key, "tokens": tokens, "days": api_token_days()},
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(tokens_of(request.user), pk=pk)
    api_token_revoke(user=request.user, token=token)
    messages.success(request, _("已吊销令牌“%(name)s”。") % {"name": token.name})
    return redirect("token_list")


urlpatterns = [
    path("accounts/tokens/", token_list, name="token_list"),
    path("accounts/tokens/<int:pk>/revoke/", token_revoke, name="token_revoke"),
]
