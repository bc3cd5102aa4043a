"""Pages of the enterprise registry (市场主体库).

Who may use what: any staff member searches, reads and exports; registry editors
(org admin, park officer, licensing officer) register, edit and import — an editor below
zone level only for enterprises of their own park (rule ``core.change_enterprise``).
"""

from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zonegov.core.access import check_perm, staff_required
from zonegov.core.errors import ApplicationError
from zonegov.core.forms import apply_field_errors
from zonegov.core.forms_enterprise import (
    EnterpriseForm,
    EnterpriseImportForm,
    EnterpriseSearchForm,
)
from zonegov.core.models import Enterprise, Unit
from zonegov.core.roles import REGISTRY_EDITOR_ROLES
from zonegov.core.selectors.enterprises import (
    SHEET_COLUMNS,
    enterprise_export_xlsx,
    enterprise_get_for,
    enterprise_history,
    enterprise_search,
    enterprise_template_xlsx,
    park_choices,
)
from zonegov.core.services.enterprises import (
    MAX_IMPORT_ROWS,
    enterprise_create,
    enterprise_import_xlsx,
    enterprise_update,
)
from zonegov.core.xlsx import xlsx_response

PAGE_SIZE = 30


def _parks_for(user: Any) -> Any:
    """The 属地 the user may put an enterprise in (an editor below zone level: their own)."""
    allowed = [
        unit.pk
        for unit in park_choices()
        if user.has_perm("core.change_enterprise", Enterprise(park=unit))
    ]
    return Unit.objects.filter(pk__in=allowed).order_by("path")


@staff_required()
@require_GET
def enterprise_list(request):
    """Staff: search the registry by name or code, 属地, industry and type."""
    form = EnterpriseSearchForm(request.GET or None)
    results = enterprise_search(user=request.user, **form.filters())
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/enterprises/list.html",
        {
            "form": form,
            "page": page,
            "export_query": query.urlencode(),
            "can_add": request.user.has_perm("core.add_enterprise"),
        },
    )


@staff_required()
@require_GET
def enterprise_export(request):
    """Staff: the current search as an .xlsx file that can be edited and imported again."""
    form = EnterpriseSearchForm(request.GET or None)
    content = enterprise_export_xlsx(enterprise_search(user=request.user, **form.filters()))
    return xlsx_response(content, f"市场主体_{timezone.localdate():%Y%m%d}.xlsx")


@staff_required()
@require_GET
def enterprise_detail(request, pk: int):
    """Staff: one enterprise and its edit history (who changed what, from what to what)."""
    enterprise = enterprise_get_for(request.user, pk)
    return render(
        request,
        "core/enterprises/detail.html",
        {
            "enterprise": enterprise,
            "history": enterprise_history(enterprise),
            "can_edit": request.user.has_perm("core.change_enterprise", enterprise),
        },
    )


def _registry_editors(view):
    """``staff_required`` over the roles declared ``registry_editor``, read at each request
    (the apps that declare them may load after this module)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return staff_required(*REGISTRY_EDITOR_ROLES)(view)(request, *args, **kwargs)

    return wrapped


@_registry_editors
@require_http_methods(["GET", "POST"])
def enterprise_new(request):
    """Registry editors: register a market entity."""
    data = request.POST if request.method == "POST" else None
    form = EnterpriseForm(data, parks=_parks_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = enterprise_create(actor=request.user, **form.service_fields())
        except ApplicationError as exc:
            apply_field_errors(form, exc.field_errors or {"__all__": [exc.message]})
        else:
            messages.success(request, _("已登记“%(name)s”。") % {"name": enterprise.name})
            return redirect("enterprise_detail", pk=enterprise.pk)
    return render(request, "core/enterprises/form.html", {"form": form, "enterprise": None})


@staff_required()
@require_http_methods(["GET", "POST"])
def enterprise_edit(request, pk: int):
    """Registry editors in scope: correct or complete an enterprise's record."""
    enterprise = enterprise_get_for(request.user, pk)
    check_perm(request.user, "core.change_enterprise", enterprise, hide=False)
    form = EnterpriseForm(
        request.POST if request.method == "POST" else None,
        initial=EnterpriseForm.initial_for(enterprise),
        parks=_parks_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            enterprise = enterprise_update(
                actor=request.user, enterprise=enterprise, **form.service_fields()
            )
        except ApplicationError as exc:
            apply_field_errors(form, exc.field_errors or {"__all__": [exc.message]})
        else:
            messages.success(request, _("已保存“%(name)s”。") % {"name": enterprise.name})
            return redirect("enterprise_detail", pk=enterprise.pk)
    return render(request, "core/enterprises/form.html", {"form": form, "enterprise": enterprise})


@_registry_editors
@require_http_methods(["GET", "POST"])
def enterprise_import(request):
    """Registry editors: import an .xlsx sheet; every problem is listed by row and column."""
    form = (
        EnterpriseImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else EnterpriseImportForm()
    )
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = enterprise_import_xlsx(
                actor=request.user,
                file=form.cleaned_data["file"],
                strict=form.cleaned_data["strict"],
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
    return render(
        request,
        "core/enterprises/import.html",
        {
            "form": form,
            "report": report,
            "required_headers": [c.header for c in SHEET_COLUMNS if c.required],
            "max_rows": MAX_IMPORT_ROWS,
        },
    )


@_registry_editors
@require_GET
def enterprise_import_template(request):
    """The empty import template (same columns as the export)."""
    return xlsx_response(enterprise_template_xlsx(), "市场主体导入模板.xlsx")


urlpatterns = [
    path("enterprises/", enterprise_list, name="enterprise_list"),
    path("enterprises/export.xlsx", enterprise_export, name="enterprise_export"),
    path("enterprises/new/", enterprise_new, name="enterprise_create"),
    path("enterprises/import/", enterprise_import, name="enterprise_import"),
    path(
        "enterprises/import/template.xlsx",
        enterprise_import_template,
        name="enterprise_import_template",
    ),
    path("enterprises/<int:pk>/", enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", enterprise_edit, name="enterprise_edit"),
]
