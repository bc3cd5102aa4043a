from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarOverride(models.Model):
    """An admin-entered day that overrides the `holidays` package's China calendar.

    The State Council announces each year's holidays and 调休 make-up days late in the
    previous year; until the package catches up, officials enter them here.
    """

    date = models.DateField(_("日期"), primary_key=True)
    is_working_day = models.BooleanField(_("是否工作日"))
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'工作日' if self.is_working_day else '休息日'}"


class CalendarYear(models.Model):
    """An admin's confirmation that a year's calendar is complete: its holidays and 调休
    make-up working days are what the State Council's notice says (from the ``holidays``
    package or entered as ``CalendarOverride`` rows). Until a year is confirmed, admins
    are warned (``core.selectors.calendar.calendar_warnings``)."""

    year = models.PositiveIntegerField(_("年度"), primary_key=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_by_name = models.CharField(_("确认人姓名"), max_length=150, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"))
    note = models.CharField(
        _("说明"), max_length=200, blank=True, help_text=_("例如：国办发明电〔2026〕×号")
    )

    class Meta:
        verbose_name = _("年度节假日确认")
        verbose_name_plural = _("年度节假日确认")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year} 年节假日安排已确认"
