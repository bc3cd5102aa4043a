"""``manage.py licensing_daily``: run the licensing module's daily job now.

The job itself runs every day from the task runner (``licensing.daily`` in
zonegov.licensing.tasks, declared in the one job registry; see docs/licensing.md). This
command is the manual trigger, calling the same function: idempotent, safe to run any
number of times. ``--date YYYY-MM-DD`` runs it as of another day (catching up, or checking
what a day would do).
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from zonegov.licensing.tasks import licensing_daily


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
        report = licensing_daily(today=today)
        self.stdout.write(str(report))
        if options["verbosity"] >= 2:
            for lic in report.expired:
                self.stdout.write(f"  expired {lic.number} (valid until {lic.valid_until})")
            for number in report.opening:
                self.stdout.write(f"  opening reminder {number}")
            for number in report.closing:
                self.stdout.write(f"  closing reminder {number}")
