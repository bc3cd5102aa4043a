"""``manage.py outbox_drain``: deliver due outbox messages.

Production runs it either as a cron job every minute (one pass) or as a long-running
task runner under systemd (``--loop --interval 5``). Several runners may run at once, on
one machine or many: each claims messages under a lease, so no message is sent by two
runners at the same time, and a runner that dies mid-delivery only delays its messages
until the lease expires. With ``--loop`` a failed pass (e.g. the database is restarting)
is logged and retried with back-off rather than ending the runner
(``zonegov.core.outbox_runner``); SIGTERM stops it within a quarter of a second of the
pass in progress finishing.
"""

import signal

from django.core.management.base import BaseCommand, CommandParser

from zonegov.core.outbox_runner import DrainLoop
from zonegov.core.services.outbox import outbox_drain


class Command(BaseCommand):
    help = "Deliver due outbox messages (signed webhooks, in-platform consumers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep draining until stopped")
        parser.add_argument(
            "--interval", type=float, default=5.0, help="seconds between passes with --loop"
        )
        parser.add_argument("--limit", type=int, default=100, help="messages per pass")

    def handle(self, *args, **options) -> None:
        limit = max(1, options["limit"])
        if not options["loop"]:
            self._pass(limit, options["verbosity"])
            return
        loop = DrainLoop(
            drain_pass=lambda: self._pass(limit, options["verbosity"]),
            limit=limit,
            interval=max(0.5, options["interval"]),
        )
        signal.signal(signal.SIGTERM, loop.stop)
        signal.signal(signal.SIGINT, loop.stop)
        loop.run()

    def _pass(self, limit: int, verbosity: int):
        report = outbox_drain(limit=limit)
        if verbosity >= 2 or (verbosity >= 1 and report.claimed):
            self.stdout.write(f"outbox: {report}")
        return report
