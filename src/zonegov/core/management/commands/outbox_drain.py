"""``manage.py outbox_drain``: deliver due outbox messages.

Production runs it either as a cron job every minute (one pass) or as a long-running
task runner under systemd (``--loop --interval 5``). Several runners may run at once, on
one machine or many: each claims messages under a lease, so no message is sent by two
runners at the same time, and a runner that dies mid-delivery only delays its messages
until the lease expires.
"""

import signal
import time

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

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
        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        interval = max(0.5, options["interval"])
        while not stopping:
            close_old_connections()
            report = self._pass(limit, options["verbosity"])
            if report.claimed < limit:  # caught up: wait; otherwise go on at once
                slept = 0.0
                while not stopping and slept < interval:
                    time.sleep(0.25)
                    slept += 0.25

    def _pass(self, limit: int, verbosity: int):
        report = outbox_drain(limit=limit)
        if verbosity >= 2 or (verbosity >= 1 and report.claimed):
            self.stdout.write(f"outbox: {report}")
        return report
