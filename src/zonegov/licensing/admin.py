from django.contrib import admin

from zonegov.licensing.models import (
    Application,
    Licence,
    LicenceVersion,
    OnsiteVisit,
    PrintJob,
    SiteCheckItem,
)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("reference", "kind", "app_type", "operator_name", "state", "due_at")
    list_filter = ("kind", "app_type", "state", "instant")
    search_fields = ("reference", "operator_name", "holder_code")
    readonly_fields = ("state", "verification", "form_sha256", "form_digest")


class VersionInline(admin.TabularInline):
    model = LicenceVersion
    extra = 0
    readonly_fields = ("version", "reason", "document", "identifier", "issued_at")
    exclude = ("metadata",)


@admin.register(Licence)
class LicenceAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "operator_name", "status", "valid_until", "version")
    list_filter = ("kind", "status")
    search_fields = ("number", "operator_name", "holder_code")
    inlines = [VersionInline]


admin.site.register(SiteCheckItem)
admin.site.register(OnsiteVisit)


@admin.register(PrintJob)
class PrintJobAdmin(admin.ModelAdmin):
    list_display = ("version", "status", "created_at", "printed_at")
    list_filter = ("status",)
