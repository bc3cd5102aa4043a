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
