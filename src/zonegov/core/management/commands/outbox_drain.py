"""``manage.py outbox_drain``: deliver due outbox messages now (one pass; for operators).

Delivery normally runs in the task runner (``manage.py qcluster``): a delivery task is
queued when a transaction that wrote messages commits, and the periodic job ``core.outbox``
sweeps every minute (zonegov.core.tasks). This command is the manual pass, safe beside
running workers: each pass claims its messages under a lease (core/services/outbox.py).
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zonegov.core.services.outbox import outbox_drain


class Command(BaseCommand):
    help = "Deliver due outbox messages once (signed webhooks, in-platform consumers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=100, help="messages per pass")
        parser.add_argument(
            "--loop", action="store_true", help="removed: the task runner (qcluster) delivers"
        )

    def handle(self, *args, **options) -> None:
        if options["loop"]:
            raise CommandError(
                "outbox_drain --loop 已停用：外发消息由后台任务运行器投递，请运行 "
                "`python manage.py qcluster`（docs/deployment.md“后台任务”）；"
                "不带 --loop 则立即投递一轮。"
            )
        report = outbox_drain(limit=max(1, options["limit"]))
        if options["verbosity"] >= 2 or (options["verbosity"] >= 1 and report.claimed):
            self.stdout.write(f"outbox: {report}")
