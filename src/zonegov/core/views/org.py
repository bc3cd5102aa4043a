from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from zonegov.core.access import staff_required
from zonegov.core.errors import ApplicationError
from zonegov.core.forms import StaffUserForm, UnitForm, apply_field_errors
from zonegov.core.roles import LEADER, ORG_ADMIN
from zonegov.core.selectors.org import staff_in_scope, unit_forest_for, units_visible_to
from zonegov.core.services.org import unit_create, unit_update
from zonegov.core.services.users import staff_user_create, staff_user_update
from zonegov.core.validation import search_text

VIEWERS = (ORG_ADMIN, LEADER)


@staff_required(*VIEWERS)
def unit_list(request):
    """Org admins and leaders: the organisation tree within their scope, and its people."""
    query = search_text(request.GET.get("q"))
    return render(
        request,
        "core/org/units.html",
        {
            "forest": unit_forest_for(request.user),
            "people": staff_in_scope(request.user, query=query)[:200],
            "query": query,
            "can_manage": request.user.has_role(ORG_ADMIN),
        },
    )


@staff_required(ORG_ADMIN)
@require_http_methods(["GET", "POST"])
def unit_edit(request, pk: int | None = None):
    """Org admins: create a unit under one in their scope, or rename/move/deactivate it."""
    scope = units_visible_to(request.user)
    unit = get_object_or_404(scope, pk=pk) if pk else None
    initial = (
        {
            "name": unit.name,
            "code": unit.code,
            "kind": unit.kind,
            "parent": unit.parent_id,
            "sort_order": unit.sort_order,
            "is_active": unit.is_active,
        }
        if unit
        else {"parent": request.GET.get("parent")}
    )
    form = UnitForm(request.POST or None, initial=initial, units=scope, editing=bool(unit))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if unit:
                if unit.pk == request.user.unit_id and data["parent"] != unit.parent:
                    raise ApplicationError(_("不能移动您自己所在的单位。"))
                unit_update(
                    actor=request.user,
                    unit=unit,
                    name=data["name"],
                    parent=data["parent"],
                    sort_order=data["sort_order"] or 0,
                    is_active=data["is_active"],
                )
            else:
                if data["parent"] is None:
                    raise ApplicationError(
                        _("请选择上级单位。"), field_errors={"parent": [_("请选择上级单位。")]}
                    )
                unit = unit_create(
                    actor=request.user,
                    name=data["name"],
                    code=data["code"],
                    kind=data["kind"],
                    parent=data["parent"],
                    sort_order=data["sort_order"] or 0,
                )
        except ApplicationError as exc:
            apply_field_errors(form, exc.field_errors or {"__all__": [exc.message]})
        else:
            messages.success(request, _("已保存单位“%(name)s”。") % {"name": unit.name})
            return redirect("unit_list")
    return render(request, "core/org/unit_form.html", {"form": form, "unit": unit})


@staff_required(ORG_ADMIN)
@require_http_methods(["GET", "POST"])
def person_edit(request, pk: int | None = None):
    """Org admins: add a staff member to a unit in their scope, or change their unit/roles."""
    scope = units_visible_to(request.user)
    person = get_object_or_404(staff_in_scope(request.user), pk=pk) if pk else None
    initial = (
        {
            "username": person.username,
            "full_name": person.full_name,
            "mobile": person.mobile,
            "title": person.title,
            "unit": person.unit_id,
            "roles": sorted(person.role_codes()),
            "is_active": person.is_active,
        }
        if person
        else {"unit": request.GET.get("unit")}
    )
    form = StaffUserForm(request.POST or None, initial=initial, units=scope, editing=bool(person))
    new_password = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if person:
                staff_user_update(
                    actor=request.user,
                    user=person,
                    full_name=data["full_name"],
                    unit=data["unit"],
                    roles=data["roles"],
                    title=data["title"],
                    is_active=data["is_active"],
                )
            else:
                person, new_password = staff_user_create(
                    actor=request.user,
                    username=data["username"],
                    full_name=data["full_name"],
                    unit=data["unit"],
                    roles=data["roles"],
                    mobile=data["mobile"],
                    title=data["title"],
                )
        except ApplicationError as exc:
            apply_field_errors(form, exc.field_errors or {"__all__": [exc.message]})
        else:
            if new_password:
                messages.success(
                    request,
                    _("已创建账号 %(u)s，初始密码：%(p)s（请当面交给本人，首次登录后修改）。")
                    % {"u": person.username, "p": new_password},
                )
            else:
                messages.success(request, _("已保存。"))
            return redirect("unit_list")
    return render(request, "core/org/person_form.html", {"form": form, "person": person})


urlpatterns = [
    path("org/", unit_list, name="unit_list"),
    path("org/units/new/", unit_edit, name="unit_create"),
    path("org/units/<int:pk>/", unit_edit, name="unit_edit"),
    path("org/people/new/", person_edit, name="person_create"),
    path("org/people/<int:pk>/", person_edit, name="person_edit"),
]
