"""好差评 records: one ``ServiceRating`` per case and rater; a 差评 opens a
``RatingRectification`` case (the shared workflow: deadline from its CaseType, timeline,
我的工作)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from zonegov.core.models.workflow import WorkflowCase
from zonegov.core.ratings.rules import (
    RECTIFICATION_CASE_TYPE,
    CallbackResult,
    Channel,
    Level,
)
from zonegov.core.rules import unit_in_scope


class ServiceRating(models.Model):
    """One rating (GB/T 39046 Table 9: 办件编号, 评价渠道, 评价人, 评价时间, 满意度,
    文字评价). The level's codes are in ``rules.CODES``."""

    service = models.CharField(_("服务事项"), max_length=40)
    case_reference = models.CharField(_("办件编号"), max_length=50)
    case_title = models.CharField(_("办件"), max_length=200, blank=True)
    rater = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评价人"),
        on_delete=models.PROTECT,
        related_name="service_ratings",
    )
    unit = models.ForeignKey(
        "core.Unit", verbose_name=_("被评价单位"), on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("满意度"), choices=Level.choices)
    comment = models.TextField(_("文字评价"), blank=True)
    channel = models.CharField(_("评价渠道"), max_length=10, choices=Channel.choices)
    created_at = models.DateTimeField(_("评价时间"), default=timezone.now)

    class Meta:
        verbose_name = _("好差评")
        verbose_name_plural = _("好差评")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "case_reference", "rater"], name="uniq_rating_per_case"
            ),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="rating_level_1_5"
            ),
        ]
        indexes = [models.Index(fields=["created_at"], name="rating_created_idx")]

    def __str__(self) -> str:
        return f"{self.case_reference} {self.get_level_display()}"

    def get_absolute_url(self) -> str:
        return reverse("ratings:rate", args=[self.service, self.case_reference])

    @property
    def is_bad(self) -> bool:
        from zonegov.core.ratings.rules import is_bad

        return is_bad(self.level)


class RectificationState(models.TextChoices):
    OPEN = "open", _("待整改")
    ANSWERED = "answered", _("已答复待回访")
    CLOSED = "closed", _("已办结")


def is_unit_staff(case: RatingRectification, user: Any) -> bool:
    """Staff of the unit that handled the service, or of a unit above it (谁办理、谁负责)."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_staff_member
        and unit_in_scope(user, case.unit)
    )


def is_rater_or_unit_staff(case: RatingRectification, user: Any) -> bool:
    """回访: the rater answers on the rating page, or an officer records a phone callback."""
    return (user is not None and user.pk == case.rating.rater_id) or is_unit_staff(case, user)


class RatingRectification(WorkflowCase):
    """差评整改: the unit checks the 差评, rectifies or explains (整改说明), the rater is
    told and asked whether satisfied (回访)."""

    CASE_TYPE = RECTIFICATION_CASE_TYPE
    CLOSED_STATES = frozenset({RectificationState.CLOSED})

    state = FSMField(
        _("状态"),
        max_length=20,
        choices=RectificationState.choices,
        default=RectificationState.OPEN,
        protected=False,
    )
    rating = models.OneToOneField(
        ServiceRating,
        verbose_name=_("差评"),
        on_delete=models.PROTECT,
        related_name="rectification",
    )
    answer = models.TextField(_("整改说明"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    callback_result = models.CharField(
        _("回访结果"), max_length=20, choices=CallbackResult.choices, blank=True
    )
    callback_note = models.TextField(_("回访意见"), blank=True)
    callback_at = models.DateTimeField(_("回访时间"), null=True, blank=True)
    callback_by_rater = models.BooleanField(_("评价人本人回复"), default=False)

    class Meta:
        verbose_name = _("差评整改")
        verbose_name_plural = _("差评整改")
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.reference} {self.rating.case_reference}"

    def case_title(self) -> str:
        return f"差评整改：{self.rating.case_title or self.rating.case_reference}"

    def case_applicant_id(self) -> int | None:
        return self.rating.rater_id

    def get_absolute_url(self) -> str:
        return reverse("ratings:rectification", args=[self.pk])

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_at is None or self.due_at is None:
            return None
        return self.answered_at <= self.due_at

    @transition(
        field=state,
        source=RectificationState.OPEN,
        target=RectificationState.ANSWERED,
        permission=is_unit_staff,
        custom={"label": _("答复整改情况"), "note_required": True},
    )
    def give_answer(self) -> None:
        """The unit answers: what it checked, rectified or explains."""

    @transition(
        field=state,
        source=RectificationState.ANSWERED,
        target=RectificationState.CLOSED,
        permission=is_rater_or_unit_staff,
        custom={"label": _("回访")},
    )
    def record_callback(self) -> None:
        """The rater says whether satisfied with the rectification."""
