from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "zonegov.supervision"
    label = "supervision"
    verbose_name = _("监管抽检")

    def ready(self) -> None:
        from zonegov.core.modules import NavEntry, register
        from zonegov.supervision.rules import SUPERVISION_ROLES

        register(
            NavEntry(
                "supervision",
                _("监管抽检"),
                "supervision:home",
                roles=SUPERVISION_ROLES,
                order=17,
            )
        )
