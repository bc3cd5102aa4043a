from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zonegov.core"
    label = "core"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from zonegov.core import modules, signals  # noqa: F401  (registers nav and login hooks)
        from zonegov.core.attachments_rules import register_attachment_owner
        from zonegov.core.identity import checks  # noqa: F401  (registers system checks)
        from zonegov.core.models import Assignment

        register_attachment_owner(Assignment, change_perm="core.change_assignment")
