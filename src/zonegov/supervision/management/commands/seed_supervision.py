"""``manage.py seed_supervision``: supervision demo data (idempotent; run after
seed_licensing, as ``seed_demo`` does)."""

from django.core.management.base import BaseCommand

from zonegov.core.demo import refuse_in_production
from zonegov.supervision.demo import seed_supervision


class Command(BaseCommand):
    help = (
        "Load supervision demo data: licence messages delivered, risk grades, this year's "
        "plan, routine inspections, samplings and follow-ups (backdated over the year)."
    )

    def handle(self, *args, **options):
        refuse_in_production("seed_supervision")
        s = seed_supervision()
        self.stdout.write(
            self.style.SUCCESS(
                f"监管演示数据就绪：{s.operators} 家监管对象，年度计划 {s.plan_entries} 户"
                f"（{s.overdue} 户逾期未检），日常监督检查 {s.inspections} 户次，"
                f"抽检 {s.samplings} 批次，核查处置 {s.followups} 件。"
            )
        )
