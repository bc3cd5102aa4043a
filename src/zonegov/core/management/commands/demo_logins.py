from django.core.management.base import BaseCommand

from zonegov.core.demo import refuse_in_production
from zonegov.core.management.commands.seed_demo import APPLICANT, DEMO_PASSWORD, STAFF
from zonegov.core.roles import role_label


class Command(BaseCommand):
    help = "Print the platform address and one demo login per role."

    def add_arguments(self, parser):
        parser.add_argument("--port", default="8000")

    def handle(self, *args, port, **options):
        refuse_in_production("demo_logins")
        out = self.stdout
        out.write("")
        out.write(self.style.SUCCESS(f"zonegov 已启动：http://127.0.0.1:{port}/"))
        out.write(
            f"后台管理：http://127.0.0.1:{port}/admin/   API 文档：http://127.0.0.1:{port}/api/docs"
        )
        out.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, full_name, _unit, roles, title in STAFF:
            names = "、".join(role_label(r) for r in roles)
            out.write(f"  {username:<12} {full_name}（{title}，{names}）")
        out.write(f"  {APPLICANT['mobile']:<12} {APPLICANT['name']}（申请人，用手机号登录）")
        out.write("")
