"""Demo data for the seed_demo command (fictional names, valid checksummed codes).

Demo data never reaches a production database: its accounts share one published password
(``seed_demo.DEMO_PASSWORD``) and its CA is self-made. Every demo command calls
:func:`refuse_in_production` first.
"""

from django.conf import settings
from django.core.management.base import CommandError


def refuse_in_production(command: str) -> None:
    """Raise ``CommandError`` when production settings (``ZONEGOV_PRODUCTION=1``) are on."""
    if getattr(settings, "PRODUCTION", False):
        raise CommandError(
            f"生产环境（ZONEGOV_PRODUCTION=1）拒绝运行 {command}：演示数据的账号共用公开的密码，"
            "不得进入正式数据库。请用 `manage.py createsuperuser` 创建第一个管理员，"
            "再在后台授予角色和单位（见 docs/deployment.md）。"
        )
