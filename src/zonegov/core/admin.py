from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from zonegov.core import models


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
    list_display = ["code", "name", "time_limit", "working_days", "extension_limit", "confirmed"]


@admin.register(models.CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "note"]


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
