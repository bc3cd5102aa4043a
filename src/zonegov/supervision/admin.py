"""Back-office views of supervision records. State changes go through the pages/API
(services), so states and licence facts are read-only here."""

from django.contrib import admin

from zonegov.supervision.models import (
    FollowUp,
    Inspection,
    InspectionItem,
    OperatorEvent,
    PlanEntry,
    Sampling,
    SamplingItem,
    SupervisedOperator,
    SupervisionPlan,
)


class EventInline(admin.TabularInline):
    model = OperatorEvent
    extra = 0
    can_delete = False
    readonly_fields = ("event", "version", "certificate_number", "occurred_at", "message_id")
    exclude = ("payload", "topic", "application_reference")


@admin.register(SupervisedOperator)
class SupervisedOperatorAdmin(admin.ModelAdmin):
    list_display = ("licence_number", "holder_name", "unit", "risk_level", "status")
    list_filter = ("status", "risk_level", "unit")
    search_fields = ("licence_number", "holder_name", "holder_code")
    readonly_fields = ("licence_number", "version", "status", "licensed_at", "cancelled_at")
    inlines = [EventInline]


class InspectionItemInline(admin.TabularInline):
    model = InspectionItem
    extra = 0
    readonly_fields = ("code", "text", "result", "note")


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ("reference", "operator", "state", "outcome", "planned_date", "due_at")
    list_filter = ("state", "outcome")
    search_fields = ("reference", "operator__holder_name")
    readonly_fields = ("state",)
    inlines = [InspectionItemInline]


class SamplingItemInline(admin.TabularInline):
    model = SamplingItem
    extra = 0


@admin.register(Sampling)
class SamplingAdmin(admin.ModelAdmin):
    list_display = ("reference", "operator", "sample_name", "sampled_on", "result")
    list_filter = ("result",)
    search_fields = ("reference", "sample_name", "operator__holder_name")
    inlines = [SamplingItemInline]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("reference", "operator", "state", "due_at")
    list_filter = ("state",)
    readonly_fields = ("state",)


class PlanEntryInline(admin.TabularInline):
    model = PlanEntry
    extra = 0


@admin.register(SupervisionPlan)
class SupervisionPlanAdmin(admin.ModelAdmin):
    list_display = ("year", "unit", "created_at")
    inlines = [PlanEntryInline]
