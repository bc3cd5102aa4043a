"""Pages of API clients for zone-level org admins: list, issue (the key is shown once),
detail with its keys, issue another key (rotation), revoke a key, revoke the client.

Revocations ask for confirmation on a page of their own (GET), then act on POST."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from zonegov.core.access import require_perm, staff_required
from zonegov.core.api_scopes import all_scopes
from zonegov.core.errors import ApplicationError
from zonegov.core.forms import apply_field_errors
from zonegov.core.forms_api_clients import ApiClientIssueForm, ApiClientKeyForm, expiry_moment
from zonegov.core.models import ApiClient
from zonegov.core.roles import ORG_ADMIN
from zonegov.core.selectors.api_clients import (
    access_api_client,
    access_api_client_key,
    api_clients,
    client_status,
    keys_of,
    scope_rows,
)
from zonegov.core.services.api_clients import (
    api_client_issue,
    api_client_key_issue,
    api_client_key_revoke,
    api_client_revoke,
    manage_refusal,
)


def _check(request: HttpRequest) -> None:
    require_perm(request.user, "core.manage_api_clients", manage_refusal())


def _key_once(request: HttpRequest, client: ApiClient, key_record, key: str) -> HttpResponse:
    response = render(
        request,
        "core/api_clients/key_once.html",
        {"client": client, "key_record": key_record, "key": key},
    )
    response["Cache-Control"] = "no-store"
    return response


@staff_required(ORG_ADMIN)
def client_list(request: HttpRequest) -> HttpResponse:
    _check(request)
    now = timezone.now()
    clients = list(api_clients().prefetch_related("keys")[:500])
    rows = [(c, client_status(c, now=now), scope_rows(c)) for c in clients]
    return render(request, "core/api_clients/list.html", {"rows": rows, "scopes": all_scopes()})


@staff_required(ORG_ADMIN)
@require_http_methods(["GET", "POST"])
@never_cache
def client_issue(request: HttpRequest) -> HttpResponse:
    _check(request)
    form = ApiClientIssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            client, record, key = api_client_issue(
                actor=request.user,
                name=data["name"],
                organisation=data["organisation"],
                contact=data["contact"],
                unit=data["unit"],
                scopes=list(data["scopes"]),
                expires_at=expiry_moment(data["expires_on"]),
            )
        except ApplicationError as exc:
            apply_field_errors(form, _form_errors(exc))
        else:
            return _key_once(request, client, record, key)
    return render(request, "core/api_clients/issue.html", {"form": form, "scopes": all_scopes()})


def _form_errors(exc: ApplicationError) -> dict[str, list[str]]:
    errors = dict(exc.field_errors or {"__all__": [exc.message]})
    if "expires_at" in errors:
        errors.setdefault("expires_on", []).extend(errors.pop("expires_at"))
    return errors


@staff_required(ORG_ADMIN)
def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    client = access_api_client(request.user, pk)
    now = timezone.now()
    keys = [(k, k.is_active_at(now), k.is_expired_at(now)) for k in keys_of(client)]
    return render(
        request,
        "core/api_clients/detail.html",
        {
            "client": client,
            "status": client_status(client, now=now),
            "scopes": scope_rows(client),
            "keys": keys,
            "form": ApiClientKeyForm(),
        },
    )


@staff_required(ORG_ADMIN)
@require_POST
@never_cache
def client_key_issue(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    client = access_api_client(request.user, pk)
    form = ApiClientKeyForm(request.POST)
    if form.is_valid():
        try:
            record, key = api_client_key_issue(
                actor=request.user,
                client=client,
                expires_at=expiry_moment(form.cleaned_data["expires_on"]),
                revoke_others=form.cleaned_data["revoke_others"],
            )
        except ApplicationError as exc:
            apply_field_errors(form, _form_errors(exc))
        else:
            return _key_once(request, client, record, key)
    now = timezone.now()
    keys = [(k, k.is_active_at(now), k.is_expired_at(now)) for k in keys_of(client)]
    return render(
        request,
        "core/api_clients/detail.html",
        {
            "client": client,
            "status": client_status(client, now=now),
            "scopes": scope_rows(client),
            "keys": keys,
            "form": form,
        },
        status=400,
    )


@staff_required(ORG_ADMIN)
@require_http_methods(["GET", "POST"])
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _check(request)
    client = access_api_client(request.user, pk)
    if request.method == "POST":
        api_client_revoke(actor=request.user, client=client)
        messages.success(request, _("已吊销客户端“%(name)s”及其全部密钥。") % {"name": client.name})
        return redirect("api_client_detail", pk=client.pk)
    return render(
        request,
        "core/api_clients/confirm_revoke.html",
        {"client": client, "key_record": None, "action": request.path},
    )


@staff_required(ORG_ADMIN)
@require_http_methods(["GET", "POST"])
def client_key_revoke(request: HttpRequest, pk: int, key_pk: int) -> HttpResponse:
    _check(request)
    client = access_api_client(request.user, pk)
    key = access_api_client_key(client, key_pk)
    if request.method == "POST":
        api_client_key_revoke(actor=request.user, key=key)
        messages.success(request, _("已吊销密钥 %(prefix)s…。") % {"prefix": key.prefix})
        return redirect("api_client_detail", pk=client.pk)
    return render(
        request,
        "core/api_clients/confirm_revoke.html",
        {"client": client, "key_record": key, "action": request.path},
    )


urlpatterns = [
    path("admin-tools/api-clients/", client_list, name="api_client_list"),
    path("admin-tools/api-clients/new/", client_issue, name="api_client_issue"),
    path("admin-tools/api-clients/<int:pk>/", client_detail, name="api_client_detail"),
    path("admin-tools/api-clients/<int:pk>/keys/", client_key_issue, name="api_client_key_issue"),
    path("admin-tools/api-clients/<int:pk>/revoke/", client_revoke, name="api_client_revoke"),
    path(
        "admin-tools/api-clients/<int:pk>/keys/<int:key_pk>/revoke/",
        client_key_revoke,
        name="api_client_key_revoke",
    ),
]
