"""Food-business licensing: applications (a workflow case), the licences they grant with
their versions and certificates, site-check records and the paper print queue.

Rules come from 《食品经营许可和备案管理办法》(市场监管总局令第78号) and the Henan
"三小" regulation; what each kind of permission decides is in ``kinds.py``.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from zonegov.core import workdays
from zonegov.core.disclosure.models import DisclosureRecord
from zonegov.core.models import CaseType, LimitUnit, WorkflowCase
from zonegov.core.roles import LEADER
from zonegov.core.rules import unit_in_scope
from zonegov.licensing import codes, kinds
from zonegov.licensing.kinds import AppType, HolderKind
from zonegov.licensing.roles import INSPECTOR, LICENSING_OFFICER

CASE_TYPE_CODE = "food_licence_decision"


class AppState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待受理")
    CORRECTION = "correction_requested", _("待补正")
    RESUBMITTED = "resubmitted", _("已补正待受理")
    ACCEPTED = "accepted", _("已受理")
    INSPECTING = "inspecting", _("核查中")
    REVIEWING = "reviewing", _("审查中")
    APPROVED = "approved", _("准予许可")
    ISSUED = "issued", _("已办结")
    REJECTED = "rejected", _("不予许可")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_FOR_ACCEPTANCE = [AppState.SUBMITTED, AppState.RESUBMITTED]
DECIDABLE = [
    AppState.SUBMITTED,
    AppState.RESUBMITTED,
    AppState.ACCEPTED,
    AppState.INSPECTING,
    AppState.REVIEWING,
]


# --- who may fire what (django-fsm ``permission=`` callables: (case, user)) ---------------


def is_system(case: Application, user: Any) -> bool:
    """Automatic steps (instant approval) run with no user."""
    return user is None


def is_applicant(case: Application, user: Any) -> bool:
    return user is not None and getattr(user, "pk", None) == case.applicant_id


def _staff_in(user: Any, unit: Any, *roles: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_staff_member:
        return False
    return user.has_role(*roles) and unit is not None and unit_in_scope(user, unit)


def is_acceptor(case: Application, user: Any) -> bool:
    """受理: licensing officers of the accepting unit (or above it)."""
    return _staff_in(user, case.unit, LICENSING_OFFICER)


def is_inspector(case: Application, user: Any) -> bool:
    """核查: inspectors of the inspection unit the case was sent to."""
    return _staff_in(user, case.inspection_unit, INSPECTOR) or _staff_in(user, case.unit, INSPECTOR)


def is_approver(case: Application, user: Any) -> bool:
    """审批: licensing officers and leaders over the accepting unit."""
    return _staff_in(user, case.unit, LICENSING_OFFICER, LEADER)


def is_acceptor_or_approver(case: Application, user: Any) -> bool:
    return is_acceptor(case, user) or is_approver(case, user)


def is_approver_or_system(case: Application, user: Any) -> bool:
    return user is None or is_approver(case, user)


def _decision_clock(case: Application) -> None:
    """Start the decision time limit (决定期限) from now: the CaseType row's limit, unit
    and roll rule (recorded on the application)."""
    from zonegov.core.services.workflow import case_start_clock

    case_type = CaseType.objects.get(code=case.CASE_TYPE)
    case_start_clock(case, case_type, start=timezone.now())


def _acceptance_clock(case: Application) -> None:
    """受理 time limit from now: ``kinds.ACCEPTANCE_LIMIT`` working days."""
    case.limit_unit = LimitUnit.WORKING_DAYS
    case.limit_rolls = False
    case.due_at = workdays.due_at(timezone.now(), kinds.ACCEPTANCE_LIMIT)


class PaperDelivery(models.TextChoices):
    COUNTER = "counter", _("窗口领取")
    POST = "post", _("邮寄")


class Application(WorkflowCase):
    """An application (新办/变更/延续/注销/补证) for one of the five permit kinds."""

    CASE_TYPE = CASE_TYPE_CODE
    CLOSED_STATES = frozenset({AppState.ISSUED, AppState.REJECTED, AppState.WITHDRAWN})

    state = FSMField(
        _("状态"), max_length=30, choices=AppState.choices, default=AppState.DRAFT, protected=False
    )
    kind = models.CharField(_("证照种类"), max_length=20, choices=kinds.KIND_CHOICES)
    app_type = models.CharField(_("申请类型"), max_length=10, choices=AppType.choices)
    codes_version = models.CharField(_("代码表版本"), max_length=10, default=codes.CURRENT_VERSION)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("申请人账号"),
        on_delete=models.PROTECT,
        related_name="licence_applications",
    )
    licence = models.ForeignKey(
        "licensing.Licence",
        verbose_name=_("原证照"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    holder_kind = models.CharField(
        _("申请主体"), max_length=12, choices=HolderKind.choices, default=HolderKind.ENTERPRISE
    )
    enterprise = models.ForeignKey(
        "core.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    operator_name = models.CharField(_("经营者名称"), max_length=200, blank=True)
    holder_code = models.CharField(_("统一社会信用代码（身份证号码）"), max_length=18, blank=True)
    legal_rep = models.CharField(_("法定代表人（负责人）"), max_length=50, blank=True)
    address = models.CharField(_("住所"), max_length=255, blank=True)
    premises_address = models.CharField(_("经营场所"), max_length=255, blank=True)
    warehouse_address = models.CharField(_("仓库地址"), max_length=255, blank=True)
    subject_type = models.CharField(_("主体业态"), max_length=4, blank=True)
    subject_qualifiers = models.JSONField(_("主体业态备注"), default=list, blank=True)
    items = models.JSONField(_("经营项目"), default=list, blank=True)  # [{code, qualifiers}]
    premises = models.JSONField(_("场所情况"), default=dict, blank=True)
    conditions_unchanged = models.BooleanField(_("声明经营条件未发生变化"), default=False)
    reason = models.CharField(_("申请事由"), max_length=300, blank=True)
    declarations = models.BooleanField(_("已阅读并同意承诺事项"), default=False)

    verification = models.JSONField(_("电子证照核验结果"), default=list, blank=True)
    verification_passed = models.BooleanField(_("自动核验通过"), default=False)
    verified_at = models.DateTimeField(null=True, blank=True)
    # Who the applicant was proven to be at submission (provider, level, verified_at,
    # enterprise role) and, when that kept the application from instant approval, why.
    identity_basis = models.JSONField(_("申请人身份核验依据"), default=dict, blank=True)

    form_file = models.FileField(_("申请书"), upload_to="licensing/forms/%Y/%m/", blank=True)
    form_sha256 = models.CharField(max_length=64, blank=True)
    form_digest = models.CharField(max_length=64, blank=True)  # of the ticks it was signed on
    form_signed_at = models.DateTimeField(null=True, blank=True)
    form_signer = models.CharField(_("签名人"), max_length=200, blank=True)

    needs_site_check = models.BooleanField(_("需要现场核查"), default=False)
    instant = models.BooleanField(_("即申即审"), default=False)
    inspection_unit = models.ForeignKey(
        "core.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    correction_notice = models.TextField(_("补正告知"), blank=True)
    correction_items = models.JSONField(_("需补正的材料"), default=list, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    # How the applicant receives the paper copy (chosen by the applicant; 窗口领取 unless
    # they ask for post).
    paper_delivery = models.CharField(
        _("纸质证书领取方式"), max_length=10, choices=PaperDelivery.choices, default="counter"
    )
    delivery_recipient = models.CharField(_("收件人"), max_length=50, blank=True)
    delivery_phone = models.CharField(_("收件人电话"), max_length=20, blank=True)
    delivery_address = models.CharField(_("邮寄地址"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("许可申请")
        verbose_name_plural = _("许可申请")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["applicant", "state"]), models.Index(fields=["state"])]

    def __str__(self) -> str:
        return f"{self.operator_name or self.reference} {self.service_name}"

    def get_absolute_url(self) -> str:
        return reverse("licensing:application_detail", args=[self.pk])

    def case_title(self) -> str:
        return f"{self.service_name}：{self.operator_name or '—'}"

    def case_applicant_id(self) -> int | None:
        return self.applicant_id

    # -- derived ---------------------------------------------------------------------

    @property
    def permit_kind(self) -> kinds.PermitKind:
        return kinds.kind(self.kind)

    @property
    def kind_label(self) -> str:
        return self.permit_kind.name

    @property
    def app_type_label(self) -> str:
        return self.permit_kind.app_type_label(self.app_type)

    @property
    def service_name(self) -> str:
        """The kind and the type in one name, a word they share said once:
        仅销售预包装食品备案 (not "…备案备案"), 仅销售预包装食品备案变更 (not
        "…备案备案变更"), 食品经营许可证新办."""
        kind, app_type = self.kind_label, self.app_type_label
        for overlap in range(min(len(kind), len(app_type)), 1, -1):
            if kind.endswith(app_type[:overlap]):
                return kind + app_type[overlap:]
        return kind + app_type

    @property
    def code_table(self) -> codes.CodeTable:
        return codes.table(self.codes_version)

    def subject_type_name(self) -> str:
        types = self.code_table.subject_types[self.permit_kind.subject_table]
        st = types.get(self.subject_type)
        if st is None:
            return ""
        quals = [self.code_table.qualifier_name(q) for q in self.subject_qualifiers]
        return st.name + (f"（{'、'.join(quals)}）" if quals else "")

    def item_names(self) -> list[str]:
        table = self.code_table.items[self.permit_kind.item_table]
        names = []
        for entry in self.items:
            item = table.get(entry.get("code"))
            if item is None:
                continue
            quals = [self.code_table.qualifier_name(q) for q in entry.get("qualifiers", [])]
            names.append(item.name + (f"（{'、'.join(quals)}）" if quals else ""))
        return names

    def ticks(self) -> dict[str, Any]:
        """Everything the applicant declared (what the 申请书 is generated from)."""
        return {
            "kind": self.kind,
            "app_type": self.app_type,
            "codes_version": self.codes_version,
            "licence": self.licence.number if self.licence_id else "",
            "holder_kind": self.holder_kind,
            "operator_name": self.operator_name,
            "holder_code": self.holder_code,
            "legal_rep": self.legal_rep,
            "address": self.address,
            "premises_address": self.premises_address,
            "warehouse_address": self.warehouse_address,
            "subject_type": self.subject_type,
            "subject_qualifiers": sorted(self.subject_qualifiers),
            "items": sorted(
                (
                    {"code": i.get("code"), "qualifiers": sorted(i.get("qualifiers", []))}
                    for i in self.items
                ),
                key=lambda i: i["code"] or "",
            ),
            "premises": dict(sorted(self.premises.items())),
            "conditions_unchanged": self.conditions_unchanged,
            "reason": self.reason,
            "declarations": self.declarations,
        }

    def ticks_digest(self) -> str:
        data = json.dumps(self.ticks(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(data.encode()).hexdigest()

    @property
    def form_is_current(self) -> bool:
        return bool(self.form_sha256) and self.form_digest == self.ticks_digest()

    def changed_matters(self) -> list[str]:
        """Which 许可事项 (经营场所, 主体业态, 经营项目) differ from the current licence."""
        if self.licence_id is None:
            return []
        lic = self.licence
        changed = []
        if self.premises_address.strip() != lic.premises_address.strip():
            changed.append("premises_address")
        if self.subject_type != lic.subject_type or sorted(self.subject_qualifiers) != sorted(
            lic.subject_qualifiers
        ):
            changed.append("subject_type")
        if _norm_items(self.items) != _norm_items(lic.items):
            changed.append("items")
        return changed

    # -- transitions (always fired through core.services.workflow.case_transition) -----

    @transition(
        field=state,
        source=AppState.DRAFT,
        target=AppState.SUBMITTED,
        permission=is_applicant,
        custom={"label": _("提交申请")},
    )
    def submit(self) -> None:
        self.submitted_at = timezone.now()

    @transition(
        field=state,
        source=[AppState.DRAFT, AppState.SUBMITTED],
        target=AppState.ISSUED,
        permission=is_system,
        custom={"label": _("即申即审：准予许可，电子证书已签发")},
    )
    def approve_instantly(self) -> None:
        """No site check needed and the e-licences verified: decided on submission (the
        certificate is issued in the same transaction just before this step). The
        applicant's submission is the case's opening entry (立案, by the applicant)."""
        self.submitted_at = self.submitted_at or timezone.now()
        self.decided_at = timezone.now()
        self.instant = True

    @transition(
        field=state,
        source=OPEN_FOR_ACCEPTANCE,
        target=AppState.ACCEPTED,
        permission=is_acceptor,
        custom={"label": _("受理")},
    )
    def accept(self) -> None:
        _decision_clock(self)

    @transition(
        field=state,
        source=[*OPEN_FOR_ACCEPTANCE, AppState.ACCEPTED, AppState.INSPECTING, AppState.REVIEWING],
        target=AppState.CORRECTION,
        permission=is_acceptor_or_approver,
        custom={"label": _("一次性告知补正"), "note_required": True},
    )
    def request_correction(self) -> None:
        # The time limit stops while the applicant corrects (行政许可法第三十二条).
        self.due_at = None

    @transition(
        field=state,
        source=AppState.CORRECTION,
        target=AppState.RESUBMITTED,
        permission=is_applicant,
        custom={"label": _("补正后重新提交")},
    )
    def resubmit(self) -> None:
        self.submitted_at = timezone.now()
        _acceptance_clock(self)

    @transition(
        field=state,
        source=AppState.ACCEPTED,
        target=AppState.INSPECTING,
        permission=is_acceptor,
        custom={"label": _("派发核查")},
    )
    def send_to_inspection(self) -> None:
        """Remote (video) or on-site verification by the inspection unit."""

    @transition(
        field=state,
        source=AppState.ACCEPTED,
        target=AppState.REVIEWING,
        permission=is_acceptor,
        custom={"label": _("转审查")},
    )
    def begin_review(self) -> None:
        """No site check needed: straight to the decision."""

    @transition(
        field=state,
        source=AppState.INSPECTING,
        target=AppState.REVIEWING,
        permission=is_inspector,
        custom={"label": _("核查完毕，提交审查")},
    )
    def finish_inspection(self) -> None:
        """The inspector has recorded each checklist item."""

    @transition(
        field=state,
        source=AppState.REVIEWING,
        target=AppState.APPROVED,
        permission=is_approver,
        custom={"label": _("准予许可")},
    )
    def approve(self) -> None:
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=AppState.APPROVED,
        target=AppState.ISSUED,
        permission=is_approver_or_system,
        custom={"label": _("制发电子证书")},
    )
    def issue(self) -> None:
        """The certificate exists (or, for 注销, the permit is cancelled)."""

    @transition(
        field=state,
        source=DECIDABLE,
        target=AppState.REJECTED,
        permission=is_approver,
        custom={"label": _("不予许可"), "note_required": True},
    )
    def reject(self) -> None:
        self.decided_at = timezone.now()

    @transition(
        field=state,
        source=[AppState.SUBMITTED, AppState.CORRECTION, AppState.RESUBMITTED],
        target=AppState.WITHDRAWN,
        permission=is_applicant,
        custom={"label": _("撤回申请")},
    )
    def withdraw(self) -> None:
        """The applicant withdraws before acceptance."""


def _norm_items(items: list[dict]) -> list[tuple[str, tuple[str, ...]]]:
    return sorted((i.get("code", ""), tuple(sorted(i.get("qualifiers", [])))) for i in items)


class LicenceStatus(models.TextChoices):
    VALID = "valid", _("有效")
    CANCELLED = "cancelled", _("已注销")
    REVOKED = "revoked", _("已吊销")
    EXPIRED = "expired", _("已过期")


class Licence(models.Model):
    """A granted permission (许可证 / 备案 / 登记证 / 备案卡). The number stays the same on
    变更 and 延续 (research note §1.2, 2015 rule [C], 2023 [M]); each re-issue is a new
    :class:`LicenceVersion` with its own signed certificate."""

    number = models.CharField(_("证照编号"), max_length=40, unique=True)
    kind = models.CharField(_("证照种类"), max_length=20, choices=kinds.KIND_CHOICES)
    status = models.CharField(
        _("状态"), max_length=10, choices=LicenceStatus.choices, default=LicenceStatus.VALID
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("持证人账号"),
        on_delete=models.PROTECT,
        related_name="licences",
    )
    holder_kind = models.CharField(max_length=12, choices=HolderKind.choices)
    enterprise = models.ForeignKey(
        "core.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "core.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "core.Unit", verbose_name=_("发证单位"), on_delete=models.PROTECT, related_name="+"
    )
    operator_name = models.CharField(_("经营者名称"), max_length=200)
    holder_code = models.CharField(_("统一社会信用代码（身份证号码）"), max_length=18)
    legal_rep = models.CharField(_("法定代表人（负责人）"), max_length=50, blank=True)
    address = models.CharField(_("住所"), max_length=255, blank=True)
    premises_address = models.CharField(_("经营场所"), max_length=255)
    warehouse_address = models.CharField(_("仓库地址"), max_length=255, blank=True)
    subject_type = models.CharField(_("主体业态"), max_length=4)
    subject_qualifiers = models.JSONField(default=list, blank=True)
    items = models.JSONField(_("经营项目"), default=list)
    premises = models.JSONField(default=dict, blank=True)
    codes_version = models.CharField(max_length=10, default=codes.CURRENT_VERSION)
    valid_from = models.DateField(_("有效期自"))
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    current_document = models.ForeignKey(
        "core.IssuedDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("食品经营证照")
        verbose_name_plural = _("食品经营证照")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.number} {self.operator_name}"

    def get_absolute_url(self) -> str:
        return reverse("licensing:licence_detail", args=[self.pk])

    @property
    def permit_kind(self) -> kinds.PermitKind:
        return kinds.kind(self.kind)

    @property
    def is_open(self) -> bool:
        return self.status == LicenceStatus.VALID


class LicenceVersion(models.Model):
    """One issue of a licence: the certificate, its GB/T 36904 identifier and its
    GB/T 36903 metadata."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("版本号"))
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("签发原因"), max_length=10, choices=AppType.choices)
    document = models.OneToOneField(
        "core.IssuedDocument", on_delete=models.PROTECT, related_name="licence_version"
    )
    identifier = models.CharField(_("电子证照标识"), max_length=120, unique=True)
    metadata = models.JSONField(_("电子证照元数据"), default=dict)
    issued_at = models.DateTimeField(_("签发时间"))

    class Meta:
        verbose_name = _("证照版本")
        verbose_name_plural = _("证照版本")
        ordering = ["licence", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "version"], name="uniq_licence_version")
        ]

    def __str__(self) -> str:
        return f"{self.licence.number} v{self.version:03d}"


class NoticeEvent(models.TextChoices):
    GRANTED = "granted", _("新办")
    CHANGED = "changed", _("变更")
    RENEWED = "renewed", _("延续")
    REPLACED = "replaced", _("补证")
    CANCELLED = "cancelled", _("注销")
    REVOKED = "revoked", _("吊销")


class PublicNotice(DisclosureRecord):
    """One line of the public announcement (公示) of licensing decisions — the 行政许可
    category of ``core.disclosure`` (registered in ``licensing/disclosure.py``): what
    happened to a licence and its public fields at that moment, personal ID numbers
    already masked (research note §1.7). Written in the same transaction as the decision;
    never edited.

    Its number, name, code and address columns keep the names they had before the core
    model existed (``licence_number``, ``operator_name``, ``holder_code``,
    ``premises_address``: a million rows, their PostgreSQL search indexes of migration
    0004 and the code writing them); the category maps them to the common roles.
    ``occurred_at`` and ``note`` come from ``DisclosureRecord``."""

    number = None
    subject_name = None
    subject_code = None
    address = None

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="notices")
    event = models.CharField(_("事项"), max_length=10, choices=NoticeEvent.choices)
    kind = models.CharField(_("证照种类"), max_length=20, choices=kinds.KIND_CHOICES)
    licence_number = models.CharField(_("证照编号"), max_length=40)
    certificate_number = models.CharField(_("证书编号"), max_length=64, blank=True)
    operator_name = models.CharField(_("经营者名称"), max_length=200)
    holder_code = models.CharField(_("统一社会信用代码（身份证号码）"), max_length=18)
    subject_type_name = models.CharField(_("主体业态"), max_length=200)
    item_names = models.TextField(_("经营项目"), blank=True)
    premises_address = models.CharField(_("经营场所"), max_length=255)
    valid_from = models.DateField(_("有效期自"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    issuer_name = models.CharField(_("发证机关"), max_length=100)

    class Meta:
        verbose_name = _("许可公示")
        verbose_name_plural = _("许可公示")
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["-occurred_at", "-id"], name="notice_recent"),
            models.Index(fields=["licence_number"], name="notice_number"),
            models.Index(fields=["event", "-occurred_at"], name="notice_event_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_event_display()} {self.licence_number} {self.operator_name}"


class CheckResult(models.TextChoices):
    PASS = "pass", _("符合")
    FAIL = "fail", _("不符合")


class SiteCheckItem(models.Model):
    """The inspector's verdict on one capture-guide item (remote verification)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="site_checks"
    )
    code = models.CharField(_("核查项目"), max_length=40)
    label = models.CharField(_("核查项目"), max_length=100)
    result = models.CharField(_("结论"), max_length=4, choices=CheckResult.choices)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    checked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("核查记录")
        verbose_name_plural = _("核查记录")
        constraints = [
            models.UniqueConstraint(fields=["application", "code"], name="uniq_site_check_item")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.get_result_display()}"


class OnsiteVisit(models.Model):
    """An on-site check ordered when remote review is not enough (at least two inspectors,
    research note §1.5 [M])."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="onsite_visits"
    )
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    ordered_at = models.DateTimeField()
    reason = models.CharField(_("现场核查原因"), max_length=300)
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("核查人员"), related_name="+", blank=True
    )
    visited_on = models.DateField(_("核查日期"), null=True, blank=True)
    result = models.CharField(_("结论"), max_length=4, choices=CheckResult.choices, blank=True)
    note = models.TextField(_("核查情况"), blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("现场核查")
        verbose_name_plural = _("现场核查")
        ordering = ["-ordered_at"]

    def __str__(self) -> str:
        return f"{self.application.reference} {self.ordered_at:%Y-%m-%d}"


class PrintJob(models.Model):
    """A paper copy to print (纸质证书同步发放)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待打印")
        PRINTED = "printed", _("已打印，待窗口领取")
        POSTED = "posted", _("已邮寄")

    version = models.ForeignKey(LicenceVersion, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(auto_now_add=True)
    printed_at = models.DateTimeField(null=True, blank=True)
    tracking_number = models.CharField(_("快递单号"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("纸质证书打印")
        verbose_name_plural = _("纸质证书打印")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return str(self.version)
