"""``manage.py licensing_daily``: the licensing module's daily job.

1. Licences whose last valid day (``valid_until``) has passed become 已过期, with their
   current certificate, and supervision is told (``licence.expired``, through the outbox;
   ``services.licences_expire``).
2. Holders are reminded when the 延续 window opens and when it is about to close
   (``services.renewal_reminders_send``).

Idempotent: safe to run many times a day (cron or a systemd timer, see docs/licensing.md).
``--date YYYY-MM-DD`` runs it as of another day (catching up, or checking what a day
would do).
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zonegov.licensing.services import licences_expire, renewal_reminders_send


class Command(BaseCommand):
    help = "Expire licences past their validity and send renewal reminders (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="run as of this day (YYYY-MM-DD); default today")

    def handle(self, *args, **options) -> None:
        today = timezone.localdate()
        if options.get("date"):
            try:
                today = date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, got {options['date']!r}") from exc
        expired = licences_expire(today=today)
        reminders = renewal_reminders_send(today=today)
        self.stdout.write(
            f"licensing_daily {today.isoformat()}: expired {len(expired)}, "
            f"renewal reminders sent: opening {len(reminders.opening)}, "
            f"closing {len(reminders.closing)}"
        )
        if options["verbosity"] >= 2:
            for lic in expired:
                self.stdout.write(f"  expired {lic.number} (valid until {lic.valid_until})")
            for number in reminders.opening:
                self.stdout.write(f"  opening reminder {number}")
            for number in reminders.closing:
                self.stdout.write(f"  closing reminder {number}")
