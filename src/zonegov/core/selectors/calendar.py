"""Whether the working-day calendar of the current and the next year is confirmed.

The ``holidays`` package projects a year it has no State Council notice for with the
fixed-date holidays only, without the 调休 make-up working days, so deadlines counted in
working days would come out wrong there. The notice for year Y+1 usually comes out in
November of year Y (UNCONFIRMED: observed practice, not a rule), so from 1 November
admins are asked to confirm Y+1; a year that has begun unconfirmed is asked for too.
"""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core import workdays
from zonegov.core.models import CalendarOverride, CalendarYear
from zonegov.core.roles import ORG_ADMIN

#: From this month on, next year's calendar needs an admin's confirmation.
NOTICE_MONTH = 11


def may_confirm_calendar(user) -> bool:
    """Org admins (and the Django admin's superusers) look after the calendar."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(user.is_superuser) or user.has_role(ORG_ADMIN)


@dataclass(frozen=True)
class CalendarWarning:
    year: int
    started: bool
    holidays: list[date]
    makeup_days: tuple[date, ...]
    overrides: list[CalendarOverride]

    @property
    def message(self) -> str:
        def days(values) -> str:
            return "、".join(d.isoformat() for d in values)

        parts = [
            _("%(year)d 年的节假日安排尚未确认，按工作日计算的期限可能算错。") % {"year": self.year}
        ]
        if self.started:
            parts.append(_("该年度已经开始。"))
        parts.append(
            _("系统目前把以下日期作为法定节假日：%(days)s。") % {"days": days(self.holidays)}
        )
        if self.makeup_days:
            parts.append(
                _("节假日数据包中的调休上班日：%(days)s，请核对。")
                % {"days": days(self.makeup_days)}
            )
        else:
            parts.append(_("节假日数据包没有该年的调休上班日，只是按固定日期推算。"))
        if self.overrides:
            parts.append(
                _("已录入的调整：%(days)s。")
                % {
                    "days": "、".join(
                        f"{o.date.isoformat()}（{_('上班') if o.is_working_day else _('放假')}）"
                        for o in self.overrides
                    )
                }
            )
        parts.append(
            _(
                "请对照国务院办公厅关于 %(year)d 年部分节假日安排的通知，在“节假日调整”中"
                "把每个调休上班日（周末上班）录入为工作日、更正与通知不符的放假日期，"
                "然后在“年度节假日确认”中确认 %(year)d 年。"
            )
            % {"year": self.year}
        )
        return "".join(parts)


def unconfirmed_years(today: date | None = None) -> list[int]:
    """The current year, and from 1 November the next one, unless confirmed."""
    today = today or timezone.localdate()
    years = [today.year]
    if today.month >= NOTICE_MONTH:
        years.append(today.year + 1)
    confirmed = set(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    return [y for y in years if y not in confirmed]


def pending_calendar_warnings(today: date | None = None) -> list[CalendarWarning]:
    """What to tell whoever keeps the calendar (used as is by the Django admin pages)."""
    today = today or timezone.localdate()
    warnings = []
    for year in unconfirmed_years(today):
        warnings.append(
            CalendarWarning(
                year=year,
                started=year <= today.year,
                holidays=workdays.package_holidays(year),
                makeup_days=workdays.package_makeup_days(year),
                overrides=list(CalendarOverride.objects.filter(date__year=year)),
            )
        )
    return warnings


def calendar_warnings(user, today: date | None = None) -> list[CalendarWarning]:
    """The warnings ``user`` should see: none unless they look after the calendar."""
    if not may_confirm_calendar(user):
        return []
    return pending_calendar_warnings(today)
