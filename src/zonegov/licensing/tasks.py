"""The licensing module's periodic job, declared in the one job registry (core/tasks.py).

``licensing_daily`` (also ``manage.py licensing_daily``, the manual trigger):

1. licences whose last valid day (``valid_until``) has passed become 已过期, with their
   current certificate, and supervision is told (``licence.expired``, through the outbox;
   ``services.licences_expire``);
2. holders are reminded when the 延续 window opens and when it is about to close
   (``services.renewal_reminders_send``).

Idempotent, as every job must be (it may run twice: a retry, a worker lost mid-run): a
licence already expired, a reminder already sent, is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zonegov.core.tasks import periodic_job
from zonegov.licensing.models import Licence
from zonegov.licensing.services import licences_expire, renewal_reminders_send


@dataclass
class DailyReport:
    today: date
    expired: list[Licence]
    opening: list[str]  # licence numbers reminded that the renewal window opened
    closing: list[str]  # ... that it is about to close

    def __str__(self) -> str:
        return (
            f"licensing_daily {self.today.isoformat()}: expired {len(self.expired)}, "
            f"renewal reminders sent: opening {len(self.opening)}, "
            f"closing {len(self.closing)}"
        )


def licensing_daily(*, today: date | None = None) -> DailyReport:
    """Run the daily job as of ``today`` (default: today in Asia/Shanghai)."""
    today = today or timezone.localdate()
    expired = licences_expire(today=today)
    reminders = renewal_reminders_send(today=today)
    return DailyReport(
        today=today,
        expired=expired,
        opening=list(reminders.opening),
        closing=list(reminders.closing),
    )


def licensing_daily_job() -> str:
    return str(licensing_daily())


periodic_job(
    "licensing.daily",
    "zonegov.licensing.tasks.licensing_daily_job",
    cron="15 0 * * *",  # 00:15 Asia/Shanghai, after the day has turned
    description=_("每日：将超过有效期的许可证标为已过期并通知监管；发送延续申请提醒"),
    retries=3,
)
