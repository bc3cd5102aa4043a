"""``manage.py seed_licensing``: licensing demo data (idempotent; run after seed_demo)."""

from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from zonegov.core.demo import refuse_in_production
from zonegov.licensing.demo import seed_licensing


class Command(BaseCommand):
    help = (
        "Load licensing demo data: applications in every state, 38 e-approved operators "
        "(backdated from April), licences in the renewal window, one expired, one revoked."
    )

    def handle(self, *args, **options):
        refuse_in_production("seed_licensing")
        call_command("ensure_pki", stdout=StringIO())  # certificates need the signing key
        s = seed_licensing()
        self.stdout.write(
            self.style.SUCCESS(
                f"许可演示数据就绪：{s.operators} 家经营者全程电子化审批发证，"
                f"演示申请人有 {s.applications} 件申请；{s.in_window} 张证照在延续申请期内"
                f"（本次发出 {s.reminders} 条延续提醒），"
                f"{s.expired} 张已过期，{s.revoked} 张已吊销。"
                f"证书目录：{settings.MEDIA_ROOT}"
            )
        )
