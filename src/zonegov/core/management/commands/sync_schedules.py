"""``manage.py sync_schedules``: make the task runner's schedules match the periodic jobs
declared in code (zonegov.core.tasks). Idempotent; ``migrate`` also runs it."""

from django.core.management.base import BaseCommand

from zonegov.core.tasks import periodic_jobs, schedules_sync


class Command(BaseCommand):
    help = "Create/update the periodic job schedules from the code's declarations."

    def handle(self, *args, **options) -> None:
        report = schedules_sync()
        self.stdout.write(f"定时任务：{report}")
        if options["verbosity"] >= 2:
            for job in periodic_jobs():
                self.stdout.write(f"  {job.name:<24} {job.schedule_text:<18} {job.description}")
            for name in report.disabled:
                self.stdout.write(f"  {name:<24} 已停用（代码中已不再声明）")
