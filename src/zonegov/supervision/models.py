"""Supervision of licensed food operators: the one record that approval (审), routine
supervision (监) and sampling inspection (抽) share.

- ``SupervisedOperator``: the licensed operator as the licensing side announced it
  (outbox topics ``licence.*``), keyed by licence number.
- ``OperatorEvent``: each announcement (grant, change, renewal, replacement,
  cancellation, revocation, expiry) — the licensing part of the operator's one timeline.
- ``Inspection``: a routine inspection (日常监督检查) under《食品生产经营监督检查管理办法》
  （市场监管总局令第49号）, tracked as a workflow case until rectification is verified.
- ``Sampling``: a sampling inspection (抽检) under《食品安全抽样检验管理办法》
  （市场监管总局令第15号）; a failed item opens a ``FollowUp`` (核查处置) case.
- ``SupervisionPlan`` / ``PlanEntry``: the annual plan scheduling every operator by risk level.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from zonegov.core.models import WorkflowCase


class RiskLevel(models.TextChoices):
    A = "A", _("A级（风险低）")
    B = "B", _("B级（风险较低）")
    C = "C", _("C级（风险较高）")
    D = "D", _("D级（风险高）")


class OperatorStatus(models.TextChoices):
    ACTIVE = "active", _("在营")
    CANCELLED = "cancelled", _("已注销")
    REVOKED = "revoked", _("已吊销")
    EXPIRED = "expired", _("已过期")


class SupervisedOperator(models.Model):
    """A licensed operator under supervision, holding the latest licence facts."""

    licence_number = models.CharField(_("许可证编号"), max_length=40, unique=True)
    kind = models.CharField(_("许可类别"), max_length=50, blank=True)
    kind_name = models.CharField(_("许可类别"), max_length=50, blank=True)
    version = models.PositiveIntegerField(_("证书版本"), default=1)
    certificate_number = models.CharField(_("证书编号"), max_length=60, blank=True)
    application_reference = models.CharField(_("申请编号"), max_length=40, blank=True)
    holder_name = models.CharField(_("经营者名称"), max_length=200)
    holder_code = models.CharField(_("统一社会信用代码/身份证号"), max_length=40, blank=True)
    enterprise_uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    legal_representative = models.CharField(_("法定代表人（负责人）"), max_length=50, blank=True)
    premises_address = models.CharField(_("经营场所"), max_length=300, blank=True)
    main_business_type = models.CharField(_("主体业态"), max_length=100, blank=True)
    business_items = models.JSONField(_("经营项目"), default=list, blank=True)
    valid_from = models.DateField(_("有效期自"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    issuer_name = models.CharField(_("发证机关"), max_length=100, blank=True)
    unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("监管单位"),
        on_delete=models.PROTECT,
        related_name="supervised_operators",
    )
    risk_level = models.CharField(
        _("风险等级"), max_length=1, choices=RiskLevel.choices, default=RiskLevel.B
    )
    risk_level_graded = models.BooleanField(_("已评定风险等级"), default=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=OperatorStatus.choices, default=OperatorStatus.ACTIVE
    )
    licensed_at = models.DateTimeField(_("首次取证时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("注销时间"), null=True, blank=True)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("经营者账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("持证人在本平台的账号（来自许可消息），检查结果和整改通知发给它。"),
    )
    last_event_at = models.DateTimeField(_("最近许可变动"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("监管对象")
        verbose_name_plural = _("监管对象")
        ordering = ["-licensed_at", "-id"]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.holder_name}（{self.licence_number}）"

    def get_absolute_url(self) -> str:
        return reverse("supervision:operator_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == OperatorStatus.ACTIVE


class OperatorEvent(models.Model):
    """One licence announcement received from the licensing side."""

    operator = models.ForeignKey(
        SupervisedOperator, on_delete=models.CASCADE, related_name="events"
    )
    event = models.CharField(_("事件"), max_length=20)
    topic = models.CharField(_("消息主题"), max_length=80)
    version = models.PositiveIntegerField(_("证书版本"), default=1)
    certificate_number = models.CharField(_("证书编号"), max_length=60, blank=True)
    application_reference = models.CharField(_("申请编号"), max_length=40, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"))
    message_id = models.CharField(_("消息编号"), max_length=64, blank=True)
    payload = models.JSONField(_("消息内容"), default=dict)
    received_at = models.DateTimeField(auto_now_add=True)

    EVENT_LABELS = {
        "granted": _("准予许可（新办）"),
        "changed": _("许可变更"),
        "renewed": _("许可延续"),
        "replaced": _("补证"),
        "cancelled": _("许可注销"),
        "revoked": _("许可吊销"),
        "expired": _("许可有效期届满"),
    }

    class Meta:
        verbose_name = _("许可事件")
        verbose_name_plural = _("许可事件")
        ordering = ["occurred_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "event", "version"], name="uniq_operator_event_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.operator.licence_number} {self.event} v{self.version}"

    @property
    def label(self) -> str:
        return str(self.EVENT_LABELS.get(self.event, self.event))


def may_handle_case(case: WorkflowCase, user) -> bool:
    """Supervisors and inspectors of the case's unit (or above it) may act on it."""
    from zonegov.supervision.rules import may_act_in_unit

    return may_act_in_unit(user, case.unit)


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("待检查")
    IN_PROGRESS = "in_progress", _("检查中")
    RECORDED = "recorded", _("已记录结果")
    RECTIFYING = "rectifying", _("整改中")
    VERIFIED = "verified", _("整改已复查")
    CLOSED = "closed", _("已办结")


class Outcome(models.TextChoices):
    COMPLIANT = "compliant", _("符合")
    BASICALLY = "basically", _("基本符合")
    NONCOMPLIANT = "noncompliant", _("不符合")


class Inspection(WorkflowCase):
    """日常监督检查 of one operator (总局令第49号): checklist, inspectors (≥2), photos,
    outcome and, when needed, a rectification deadline tracked until verified."""

    CASE_TYPE = "supervision_inspection"
    CLOSED_STATES = frozenset({InspectionState.VERIFIED, InspectionState.CLOSED})

    state = FSMField(
        _("状态"),
        max_length=30,
        choices=InspectionState.choices,
        default=InspectionState.PLANNED,
        protected=False,
    )
    operator = models.ForeignKey(
        SupervisedOperator,
        verbose_name=_("检查对象"),
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    planned_date = models.DateField(_("计划检查日期"))
    inspected_on = models.DateField(_("检查日期"), null=True, blank=True)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("执法人员"), blank=True, related_name="+"
    )
    outcome = models.CharField(_("检查结果"), max_length=20, choices=Outcome.choices, blank=True)
    rectification_deadline = models.DateField(_("整改期限"), null=True, blank=True)
    summary = models.TextField(_("检查情况"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("日常监督检查")
        verbose_name_plural = _("日常监督检查")
        ordering = ["-planned_date", "-id"]

    def __str__(self) -> str:
        return f"{self.operator.holder_name} 日常监督检查"

    def get_absolute_url(self) -> str:
        return reverse("supervision:inspection_detail", args=[self.pk])

    @transition(
        field=state,
        source=InspectionState.PLANNED,
        target=InspectionState.IN_PROGRESS,
        permission=may_handle_case,
        custom={"label": _("开始检查")},
    )
    def start(self) -> None:
        """The inspectors arrive on site."""

    @transition(
        field=state,
        source=InspectionState.IN_PROGRESS,
        target=InspectionState.RECORDED,
        permission=may_handle_case,
        custom={"label": _("记录检查结果"), "hidden": True},
    )
    def record(self) -> None:
        """Checklist results and the outcome are recorded (by ``inspection_record``)."""

    @transition(
        field=state,
        source=InspectionState.RECORDED,
        target=InspectionState.RECTIFYING,
        permission=may_handle_case,
        custom={"label": _("责令限期整改"), "hidden": True},
    )
    def order_rectification(self, due_at=None) -> None:
        """The rectification deadline becomes the case's due time."""
        if due_at is not None:
            self.due_at = due_at

    @transition(
        field=state,
        source=InspectionState.RECORDED,
        target=InspectionState.CLOSED,
        permission=may_handle_case,
        custom={"label": _("办结"), "hidden": True},
    )
    def close(self) -> None:
        """No rectification needed."""

    @transition(
        field=state,
        source=InspectionState.RECTIFYING,
        target=InspectionState.VERIFIED,
        permission=may_handle_case,
        custom={"label": _("复查通过"), "note_required": True},
    )
    def verify(self) -> None:
        """The inspectors check that the operator rectified (复查)."""


class ItemResult(models.TextChoices):
    COMPLIANT = "compliant", _("符合")
    NONCOMPLIANT = "noncompliant", _("不符合")
    NOT_APPLICABLE = "na", _("不适用")


class InspectionItem(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("序号"), max_length=10)
    text = models.CharField(_("检查内容"), max_length=300)
    result = models.CharField(_("结果"), max_length=20, choices=ItemResult.choices, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("检查项目")
        verbose_name_plural = _("检查项目")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "code"], name="uniq_inspection_item")
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"


class SampleResult(models.TextChoices):
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


class Sampling(models.Model):
    """抽检 of one sample at one operator (总局令第15号); items are the tests on it."""

    reference = models.CharField(_("编号"), max_length=40, unique=True)
    operator = models.ForeignKey(
        SupervisedOperator,
        verbose_name=_("被抽样单位"),
        on_delete=models.PROTECT,
        related_name="samplings",
    )
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    sample_name = models.CharField(_("样品名称"), max_length=100)
    batch_number = models.CharField(_("批号/生产日期"), max_length=60)
    sampled_on = models.DateField(_("抽样日期"))
    laboratory = models.CharField(_("检验机构"), max_length=100)
    report_number = models.CharField(_("检验报告编号"), max_length=60, blank=True)
    result = models.CharField(_("结论"), max_length=10, choices=SampleResult.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("抽检")
        verbose_name_plural = _("抽检")
        ordering = ["-sampled_on", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} {self.sample_name}"

    def get_absolute_url(self) -> str:
        return reverse("supervision:sampling_detail", args=[self.pk])

    @property
    def failed(self) -> bool:
        return self.result == SampleResult.FAIL

    @property
    def is_open(self) -> bool:
        """Files may be added (and removed by their uploader) until the 核查处置 of a
        failed sample is concluded: a handled case keeps the evidence it was handled on.
        A passed sample stays open, as its laboratory report may arrive after the result."""
        try:
            followup = self.followup
        except ObjectDoesNotExist:
            return True
        return followup.is_open


class SamplingItem(models.Model):
    sampling = models.ForeignKey(Sampling, on_delete=models.CASCADE, related_name="items")
    item_tested = models.CharField(_("检验项目"), max_length=100)
    standard = models.CharField(_("判定依据"), max_length=200, blank=True)
    measured = models.CharField(_("检验结果"), max_length=100, blank=True)
    result = models.CharField(_("单项结论"), max_length=10, choices=SampleResult.choices)

    class Meta:
        verbose_name = _("检验项目")
        verbose_name_plural = _("检验项目")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.item_tested


class FollowUpState(models.TextChoices):
    OPEN = "open", _("待核查")
    INVESTIGATING = "investigating", _("核查中")
    HANDLED = "handled", _("已处置")


class FollowUp(WorkflowCase):
    """核查处置 of a failed sampling (总局令第15号 ch. 6, 核查处置): opened automatically,
    with the time limit of its case type."""

    CASE_TYPE = "supervision_followup"
    CLOSED_STATES = frozenset({FollowUpState.HANDLED})

    state = FSMField(
        _("状态"),
        max_length=30,
        choices=FollowUpState.choices,
        default=FollowUpState.OPEN,
        protected=False,
    )
    operator = models.ForeignKey(
        SupervisedOperator, on_delete=models.PROTECT, related_name="followups"
    )
    sampling = models.OneToOneField(Sampling, on_delete=models.PROTECT, related_name="followup")
    reason = models.TextField(_("核查事由"))

    class Meta:
        verbose_name = _("核查处置")
        verbose_name_plural = _("核查处置")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return f"{self.operator.holder_name} 抽检不合格核查处置"

    def get_absolute_url(self) -> str:
        return reverse("supervision:followup_detail", args=[self.pk])

    @transition(
        field=state,
        source=FollowUpState.OPEN,
        target=FollowUpState.INVESTIGATING,
        permission=may_handle_case,
        custom={"label": _("开始核查")},
    )
    def investigate(self) -> None:
        """Inspectors start checking the operator (召回, 下架, 原因排查)."""

    @transition(
        field=state,
        source=FollowUpState.INVESTIGATING,
        target=FollowUpState.HANDLED,
        permission=may_handle_case,
        custom={"label": _("处置完毕"), "note_required": True},
    )
    def conclude(self) -> None:
        """What was done (控制措施, 立案查处) is written in the note."""


class SupervisionPlan(models.Model):
    """年度日常监督检查计划 of one supervising unit."""

    year = models.PositiveIntegerField(_("年度"))
    unit = models.ForeignKey("core.Unit", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("年度监督检查计划")
        verbose_name_plural = _("年度监督检查计划")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="uniq_supervision_plan")
        ]

    def __str__(self) -> str:
        return f"{self.year}年度 {self.unit.name} 监督检查计划"


class PlanEntry(models.Model):
    plan = models.ForeignKey(SupervisionPlan, on_delete=models.CASCADE, related_name="entries")
    operator = models.ForeignKey(
        SupervisedOperator, on_delete=models.CASCADE, related_name="plan_entries"
    )
    risk_level = models.CharField(_("风险等级"), max_length=1, choices=RiskLevel.choices)
    planned_count = models.PositiveSmallIntegerField(_("计划次数"))
    done_count = models.PositiveSmallIntegerField(_("已检查次数"), default=0)
    planned_dates = models.JSONField(_("计划检查日期"), default=list)
    next_due = models.DateField(_("下次应检日期"), null=True, blank=True)
    stopped = models.BooleanField(_("已停止（注销）"), default=False)

    class Meta:
        verbose_name = _("计划条目")
        verbose_name_plural = _("计划条目")
        ordering = ["next_due", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "operator"], name="uniq_plan_operator")
        ]

    def __str__(self) -> str:
        return f"{self.plan.year} {self.operator.holder_name}"

    def is_overdue(self, today: date) -> bool:
        return (
            not self.stopped
            and self.next_due is not None
            and self.next_due < today
            and self.done_count < self.planned_count
        )
