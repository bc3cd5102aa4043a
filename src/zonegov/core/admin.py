from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from zonegov.core import models
from zonegov.core.errors import ApplicationError
from zonegov.core.selectors.calendar import may_confirm_calendar, pending_calendar_warnings
from zonegov.core.services.calendar import (
    calendar_year_check,
    calendar_year_confirm,
    calendar_year_unconfirm,
)


@admin.register(models.User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "unit", "mobile", "is_active"]
    list_filter = ["roles", "is_active"]
    search_fields = ["username", "full_name", "mobile"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("zonegov", {"fields": ("full_name", "mobile", "unit", "roles", "title", "person")}),
    )
    filter_horizontal = ["roles", "groups", "user_permissions"]


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    readonly_fields = ["path", "depth"]

    def has_add_permission(self, request):
        # Units need their tree path maintained: use the 组织机构 page (core.services.org).
        return False


@admin.register(models.CaseType)
class CaseTypeAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name",
        "time_limit",
        "limit_unit",
        "extension_limit",
        "extension_unit",
        "rolls_to_working_day",
        "confirmed",
    ]


class CalendarWarningsMixin:
    """Shows the unconfirmed-calendar warnings on the changelist."""

    def changelist_view(self, request, extra_context=None):
        for warning in pending_calendar_warnings():
            messages.warning(request, warning.message)
        return super().changelist_view(request, extra_context)


@admin.register(models.CalendarOverride)
class CalendarOverrideAdmin(CalendarWarningsMixin, admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]
    date_hierarchy = "date"


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = models.CalendarYear
        fields = ["year", "note"]

    def clean_year(self):
        year = self.cleaned_data["year"]
        try:
            calendar_year_check(year)
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from exc
        return year


@admin.register(models.CalendarYear)
class CalendarYearAdmin(CalendarWarningsMixin, admin.ModelAdmin):
    """Adding a row = confirming the year; who and when are recorded (and audited)."""

    form = CalendarYearForm
    list_display = ["year", "confirmed_by_name", "confirmed_at", "note"]

    def has_add_permission(self, request):
        return may_confirm_calendar(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return may_confirm_calendar(request.user) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        row = calendar_year_confirm(actor=request.user, year=obj.year, note=obj.note)
        obj.confirmed_by, obj.confirmed_by_name = row.confirmed_by, row.confirmed_by_name
        obj.confirmed_at = row.confirmed_at
        obj._state.adding = False

    def delete_model(self, request, obj):
        calendar_year_unconfirm(actor=request.user, year=obj.year)

    def delete_queryset(self, request, queryset):
        for year in list(queryset.values_list("year", flat=True)):
            calendar_year_unconfirm(actor=request.user, year=year)


@admin.register(models.IndustryCode)
class IndustryCodeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    search_fields = ["code", "name"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.AuditRecord)
class AuditRecordAdmin(ReadOnlyAdmin):
    """Audit records can be read, never added, changed or deleted here."""

    list_display = ["id", "at", "actor_name", "action", "object_repr", "ip"]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor_name", "object_id"]


@admin.register(models.IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "title", "holder_name", "status", "issued_at"]
    search_fields = ["number", "holder_name"]


@admin.register(models.Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "kind", "size", "uploaded_at"]


@admin.register(models.WorkItem)
class WorkItemAdmin(ReadOnlyAdmin):
    list_display = ["reference", "title", "state_label", "unit", "due_at", "is_open"]


@admin.register(models.Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
