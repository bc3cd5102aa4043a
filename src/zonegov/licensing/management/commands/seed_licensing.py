"""``manage.py seed_licensing``: licensing demo data (idempotent; run after seed_demo)."""

from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from zonegov.licensing.demo import seed_licensing


class Command(BaseCommand):
    help = "Load licensing demo data: applications in every state and 38 e-approved operators."

    def handle(self, *args, **options):
        call_command("ensure_pki", stdout=StringIO())  # certificates need the signing key
        operators, applications = seed_licensing()
        self.stdout.write(
            self.style.SUCCESS(
                f"许可演示数据就绪：{operators} 家经营者全程电子化审批发证，"
                f"演示申请人有 {applications} 件申请。证书目录：{settings.MEDIA_ROOT}"
            )
        )
