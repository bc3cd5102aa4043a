from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import OuterRef, Subquery
from django.template.defaultfilters import truncatechars
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy
from django_q.admin import ScheduleAdmin
from django_q.models import Schedule, Task

from zonegov.core import models
from zonegov.core.errors import ApplicationError
from zonegov.core.selectors.calendar import may_confirm_calendar, pending_calendar_warnings
from zonegov.core.services.calendar import (
    calendar_year_check,
    calendar_year_confirm,
    calendar_year_unconfirm,
)
from zonegov.core.tasks import RUNNER, periodic_job_named


@admin.register(models.User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "unit", "mobile", "is_active"]
    list_filter = ["roles", "is_active"]
    search_fields = ["username", "full_name", "mobile"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("zonegov", {"fields": ("full_name", "mobile", "unit", "roles", "title", "person")}),
        (
            gettext_lazy("账号安全与个人信息"),
            {"fields": ("must_change_password", "privacy_consented_at", "privacy_version")},
        ),
    )
    readonly_fields = ["privacy_consented_at", "privacy_version"]
    filter_horizontal = ["roles", "groups", "user_permissions"]

    def save_model(self, request, obj, form, change):
        # An account added here with a password the admin typed: the person sets their
        # own at the first login (core.middleware.PasswordChangeRequiredMiddleware).
        if not change:
            obj.must_change_password = True
        super().save_model(request, obj, form, change)


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


# --- Task runner (django-q2): the periodic jobs with their last run and result ------------


class PeriodicJobAdmin(ScheduleAdmin):
    """The library's schedule list, showing what a newcomer asks first: what each job does,
    whether it is on, when it last ran and how that went. (Failures, with tracebacks, are
    under 失败的任务; successes under 成功的任务.)"""

    list_display = (
        "job",
        "description",
        "plan",
        "state",
        "next_run",
        "last_run_at",
        "last_result",
    )
    list_display_links = ("job",)
    ordering = ("name",)

    @admin.display(description="任务", ordering="name")
    def job(self, obj):
        return obj.name or obj.func

    def get_queryset(self, request):
        stopped = Task.objects.filter(id=OuterRef("task")).values("stopped")
        return super().get_queryset(request).annotate(task_stopped=Subquery(stopped))

    @admin.display(description="说明")
    def description(self, obj):
        job = periodic_job_named(str(obj.name or "").split(" · ")[0])
        return job.description if job and obj.func == RUNNER else obj.func

    @admin.display(description="计划")
    def plan(self, obj):
        if obj.schedule_type == Schedule.CRON:
            return f"cron {obj.cron}"
        if obj.schedule_type == Schedule.MINUTES:
            return f"每 {obj.minutes} 分钟"
        return obj.get_schedule_type_display()

    @admin.display(description="状态")
    def state(self, obj):
        if obj.repeats == 0:
            return "已停用（代码中已不再声明）" if obj.func == RUNNER else "已停用"
        return "启用"

    @admin.display(description="上次运行", ordering="task_stopped")
    def last_run_at(self, obj):
        if obj.task_name is None:
            return "已派发，尚无结果（运行中或等待重试）" if obj.task else "尚未运行"
        view = "success" if obj.task_success else "failure"
        url = reverse(f"admin:django_q_{view}_change", args=(obj.task_id,))
        when = timezone.localtime(obj.task_stopped).strftime("%Y-%m-%d %H:%M:%S")
        return format_html('<a href="{}">{}</a>', url, when)

    @admin.display(description="结果")
    def last_result(self, obj):
        if obj.task_name is None:
            return "—"
        outcome = "成功" if obj.task_success else "失败"
        result = Task.objects.filter(id=obj.task_id).values_list("result", flat=True).first()
        lines = str(result or "").strip().splitlines()
        return f"{outcome}：{truncatechars(lines[0], 120)}" if lines else outcome


if admin.site.is_registered(Schedule):
    admin.site.unregister(Schedule)
admin.site.register(Schedule, PeriodicJobAdmin)
from zonegov.core.ratings import admin as _ratings_admin  # noqa: E402, F401
