from django.core.management.base import BaseCommand, CommandError

from zonegov.core.services.audit import audit_verify


class Command(BaseCommand):
    help = "Check the whole audit hash chain and name the first broken record."

    def handle(self, *args, **options):
        result = audit_verify()
        if result.ok:
            self.stdout.write(self.style.SUCCESS(f"审计链完整：已校验 {result.checked} 条记录。"))
            return
        where = f"第 {result.first_broken_id} 号记录" if result.first_broken_id else "链尾"
        raise CommandError(
            f"审计链被破坏：{where}——{result.problem}（此前 {result.checked} 条完好）"
        )
