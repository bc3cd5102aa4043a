"""The shared workflow: every case type is a ``WorkflowCase`` with a django-fsm state field.

``WorkItem`` is the cross-module index of all cases (one row per case, kept in step by
``core.workflow`` services), so "my open work, overdue first" is one query whatever the
module; ``TimelineEntry`` is the history of every transition.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition


class LimitUnit(models.TextChoices):
    """What a time limit is counted in (see ``core.workdays.deadline``)."""

    WORKING_DAYS = "working_days", _("工作日")
    CALENDAR_DAYS = "calendar_days", _("自然日")
    MONTHS = "months", _("月")


#: How an amount reads in a sentence: "5个工作日", "30天", "3个月".
UNIT_SUFFIX = {
    LimitUnit.WORKING_DAYS: _("个工作日"),
    LimitUnit.CALENDAR_DAYS: _("天"),
    LimitUnit.MONTHS: _("个月"),
}


def unit_suffix(unit: str) -> str:
    return str(UNIT_SUFFIX.get(unit, UNIT_SUFFIX[LimitUnit.WORKING_DAYS]))


class CaseType(models.Model):
    """Time limit of one kind of case. Editable in the admin because several statutory
    limits in our research are unconfirmed: correct them here, not in code."""

    code = models.CharField(_("代码"), max_length=50, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    time_limit = models.PositiveIntegerField(_("办理时限"))
    limit_unit = models.CharField(
        _("时限单位"), max_length=20, choices=LimitUnit.choices, default=LimitUnit.WORKING_DAYS
    )
    extension_limit = models.PositiveIntegerField(_("可延长时限"), default=0)
    extension_unit = models.CharField(
        _("延长时限单位"),
        max_length=20,
        choices=LimitUnit.choices,
        default=LimitUnit.WORKING_DAYS,
    )
    rolls_to_working_day = models.BooleanField(
        _("届满日遇节假日顺延"),
        default=False,
        help_text=_(
            "按自然日或月计算的期限，最后一日是法定节假日或休息日的，"
            "以其后的第一个工作日为期限届满日（依据规定勾选）"
        ),
    )
    legal_basis = models.CharField(_("依据"), max_length=200, blank=True)
    confirmed = models.BooleanField(
        _("时限已核实"), default=False, help_text=_("未核实的时限请对照原文后修改")
    )

    class Meta:
        verbose_name = _("事项时限")
        verbose_name_plural = _("事项时限")

    def __str__(self) -> str:
        return f"{self.name}（{self.time_limit}{unit_suffix(self.limit_unit)}）"

    @property
    def working_days(self) -> bool:
        """Legacy flag (before ``limit_unit``): the limit is counted in working days."""
        return self.limit_unit == LimitUnit.WORKING_DAYS

    @working_days.setter
    def working_days(self, value: bool) -> None:
        # Lets the early data migrations (core/licensing/supervision 0002), which the test
        # suite re-runs against the current models, keep writing ``working_days``.
        unit = LimitUnit.WORKING_DAYS if value else LimitUnit.CALENDAR_DAYS
        self.limit_unit = self.extension_unit = unit


class WorkflowCase(models.Model):
    """Abstract base of every case model. Subclasses set ``CASE_TYPE``, ``CLOSED_STATES``,
    a ``state = FSMField(...)`` and their transitions with
    ``django_fsm.transition(field=state, ...)``, each with ``permission`` and
    ``custom={"label": ..., "note_required": bool}``."""

    CASE_TYPE: str = ""
    CLOSED_STATES: frozenset[str] = frozenset()

    # Each subclass declares ``state = FSMField(...)`` with its own choices and default.
    # (Declaring it here would bind the transitions to the abstract field, and
    # django-fsm's per-class transition lists would come out empty.)
    reference = models.CharField(_("编号"), max_length=40, unique=True)
    unit = models.ForeignKey(
        "core.Unit", verbose_name=_("承办单位"), on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    due_at = models.DateTimeField(_("办理期限"), null=True, blank=True)
    # The rule the due time was computed with, copied from the case type when the clock
    # starts, so a later edit of the case type does not change what an old case meant.
    limit_unit = models.CharField(
        _("时限单位"), max_length=20, choices=LimitUnit.choices, blank=True
    )
    limit_rolls = models.BooleanField(_("届满日遇节假日顺延"), default=False)
    extended_days = models.PositiveIntegerField(_("已延长"), default=0)
    extension_unit = models.CharField(
        _("延长时限单位"), max_length=20, choices=LimitUnit.choices, blank=True
    )
    extension_reason = models.CharField(_("延长理由"), max_length=200, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.state not in self.CLOSED_STATES

    def case_title(self) -> str:
        return str(self)

    def case_applicant_id(self) -> int | None:
        """The applicant who may follow this case in the portal (None for internal cases)."""
        return None


class WorkItem(models.Model):
    case_type = models.ForeignKey(CaseType, on_delete=models.PROTECT, related_name="+")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    case = GenericForeignKey("content_type", "object_id")
    reference = models.CharField(_("编号"), max_length=40)
    title = models.CharField(_("事项"), max_length=200)
    state = models.CharField(_("状态"), max_length=30)
    state_label = models.CharField(_("状态"), max_length=50)
    is_open = models.BooleanField(default=True, db_index=True)
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="work_items")
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_work_items",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="own_work_items",
    )
    url = models.CharField(max_length=200)
    opened_at = models.DateTimeField(null=True)
    due_at = models.DateTimeField(null=True, db_index=True)
    closed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("待办事项")
        verbose_name_plural = _("待办事项")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="uniq_work_item")
        ]
        indexes = [models.Index(fields=["is_open", "due_at"])]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class TimelineEntry(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    case = GenericForeignKey("content_type", "object_id")
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(_("操作人"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=50)
    action_label = models.CharField(_("操作"), max_length=50)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    note = models.TextField(_("意见"), blank=True)
    attachments = models.ManyToManyField(
        "core.Attachment", verbose_name=_("附件"), blank=True, related_name="timeline_entries"
    )

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action_label}"


class AssignmentState(models.TextChoices):
    ASSIGNED = "assigned", _("待办理")
    IN_PROGRESS = "in_progress", _("办理中")
    SUBMITTED = "submitted", _("待验收")
    DONE = "done", _("已办结")


def _is_handler(case: "Assignment", user) -> bool:
    if case.assignee_id == user.pk:
        return True
    return bool(user.unit_id) and user.unit_id == case.unit_id


def _is_issuer(case: "Assignment", user) -> bool:
    return case.created_by_id == user.pk


class Assignment(WorkflowCase):
    """交办事项: a task a leader or department hands to a unit with a deadline (督办)."""

    CASE_TYPE = "assignment"
    CLOSED_STATES = frozenset({AssignmentState.DONE})

    state = FSMField(
        _("状态"),
        max_length=30,
        choices=AssignmentState.choices,
        default=AssignmentState.ASSIGNED,
        protected=False,
    )

    title = models.CharField(_("事项名称"), max_length=200)
    description = models.TextField(_("具体要求"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("交办人"),
        on_delete=models.PROTECT,
        related_name="issued_assignments",
    )
    enterprise = models.ForeignKey(
        "core.Enterprise",
        verbose_name=_("涉及市场主体"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )

    class Meta:
        verbose_name = _("交办事项")
        verbose_name_plural = _("交办事项")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assignment_detail", args=[self.pk])

    @transition(
        field=state,
        source=AssignmentState.ASSIGNED,
        target=AssignmentState.IN_PROGRESS,
        permission=_is_handler,
        custom={"label": _("签收")},
    )
    def accept(self) -> None:
        """The responsible unit signs for the task."""

    @transition(
        field=state,
        source=AssignmentState.IN_PROGRESS,
        target=AssignmentState.SUBMITTED,
        permission=_is_handler,
        custom={"label": _("报送办理结果"), "note_required": True},
    )
    def report(self) -> None:
        """The unit reports what it did."""

    @transition(
        field=state,
        source=AssignmentState.SUBMITTED,
        target=AssignmentState.DONE,
        permission=_is_issuer,
        custom={"label": _("验收办结"), "style": "success"},
    )
    def close(self) -> None:
        """The issuer accepts the result."""

    @transition(
        field=state,
        source=AssignmentState.SUBMITTED,
        target=AssignmentState.IN_PROGRESS,
        permission=_is_issuer,
        custom={"label": _("退回重办"), "note_required": True, "style": "outline-danger"},
    )
    def send_back(self) -> None:
        """The issuer is not satisfied and returns the task."""
