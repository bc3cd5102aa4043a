from django.contrib import admin

from zonegov.core.ratings.models import RatingRectification, ServiceRating


@admin.register(ServiceRating)
class ServiceRatingAdmin(admin.ModelAdmin):
    """Ratings are the raters' words: shown, never edited here."""

    list_display = ("created_at", "service", "case_reference", "unit", "level", "channel")
    list_filter = ("service", "level", "channel")
    search_fields = ("case_reference",)
    readonly_fields = [f.name for f in ServiceRating._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RatingRectification)
class RatingRectificationAdmin(admin.ModelAdmin):
    list_display = ("reference", "state", "unit", "due_at", "answered_at", "callback_result")
    list_filter = ("state", "callback_result")
    search_fields = ("reference", "rating__case_reference")
    readonly_fields = [f.name for f in RatingRectification._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
