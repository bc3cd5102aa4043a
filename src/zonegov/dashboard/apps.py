from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _sees_any_section(user: Any) -> bool:
    from zonegov.core import kpis

    return bool(getattr(user, "is_authenticated", False)) and bool(kpis.sections_for(user))


class DashboardConfig(AppConfig):
    name = "zonegov.dashboard"
    label = "dashboard"
    verbose_name = _("统计分析")

    def ready(self) -> None:
        from zonegov.core.modules import NavEntry, register

        register(
            NavEntry(
                "dashboard", _("统计分析"), "dashboard:index", order=70, visible=_sees_any_section
            )
        )
