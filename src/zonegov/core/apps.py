from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _create_cache_table(sender, using: str = "default", verbosity: int = 1, **kwargs) -> None:
    """`migrate` also creates the table of a database cache (production without Redis keeps
    the rate-limit counters there, settings.CACHES); nothing to do for other caches."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))
    from zonegov.core.cache import unlog_cache_tables

    unlog_cache_tables(using)


class CoreConfig(AppConfig):
    name = "zonegov.core"
    label = "core"
    verbose_name = _("平台基础")

    def ready(self) -> None:
        from zonegov.core import (  # noqa: F401  (nav, roles, topics, periodic jobs, login hooks)
            modules,
            planned_roles,
            signals,
            tasks,
            topics,
        )
        from zonegov.core.attachments_rules import register_attachment_owner
        from zonegov.core.identity import checks  # noqa: F401  (registers system checks)
        from zonegov.core.models import Assignment
        from zonegov.core.ratings import kpis as _ratings_kpis  # noqa: F401  (好差评 figures)
        from zonegov.core.ratings import registrations as _ratings_reg  # noqa: F401
        from zonegov.core.roles import sync_role_rows

        register_attachment_owner(Assignment, change_perm="core.change_assignment")
        post_migrate.connect(_create_cache_table, sender=self)
        # A Role row for every role the installed apps declare (core.roles).
        post_migrate.connect(sync_role_rows, sender=self, dispatch_uid="zonegov.core.roles")
