"""Writes to the working-day calendar: an admin confirms a year's holidays and 调休 days."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError
from zonegov.core.models import CalendarYear
from zonegov.core.selectors.calendar import may_confirm_calendar
from zonegov.core.services.audit import audit_append

FIRST_YEAR = 2000


def calendar_year_check(year: int) -> None:
    """A year can be confirmed once its notice can exist: up to next year."""
    latest = timezone.localdate().year + 1
    if not FIRST_YEAR <= year <= latest:
        raise ApplicationError(
            _("年度应在%(a)d到%(b)d之间。") % {"a": FIRST_YEAR, "b": latest},
            field_errors={"year": [_("年度超出范围。")]},
        )
    if CalendarYear.objects.filter(year=year).exists():
        raise ApplicationError(
            _("%(year)d 年的节假日安排已经确认过。") % {"year": year},
            field_errors={"year": [_("该年度已确认。")]},
        )


@transaction.atomic
def calendar_year_confirm(*, actor: Any, year: int, note: str = "") -> CalendarYear:
    """Record that ``actor`` checked ``year``'s holidays and 调休 working days against the
    State Council's notice (国务院办公厅关于部分节假日安排的通知) and entered any
    difference as ``CalendarOverride`` rows."""
    if not may_confirm_calendar(actor):
        raise PermissionDenied(_("只有组织管理员可以确认节假日安排。"))
    calendar_year_check(year)
    row = CalendarYear.objects.create(
        year=year,
        confirmed_by=actor,
        confirmed_by_name=getattr(actor, "display_name", "") or actor.get_username(),
        confirmed_at=timezone.now(),
        note=note.strip()[:200],
    )
    audit_append(
        actor=actor, action="calendar.confirm", obj=row, changes={"year": year, "note": row.note}
    )
    return row


@transaction.atomic
def calendar_year_unconfirm(*, actor: Any, year: int) -> None:
    """Withdraw a confirmation (e.g. the notice was amended): the warning comes back."""
    if not may_confirm_calendar(actor):
        raise PermissionDenied(_("只有组织管理员可以撤销节假日确认。"))
    row = CalendarYear.objects.select_for_update().filter(year=year).first()
    if row is None:
        return
    audit_append(actor=actor, action="calendar.unconfirm", obj=row, changes={"year": year})
    row.delete()
