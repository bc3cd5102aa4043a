"""Roles of modules the platform will have but does not have yet (DESIGN.md: wages, grid,
investment). They are declared here, in one clearly named place, so that the Role rows
that exist, the demo cast and the grant form keep them until their module is built; each
moves to ``<app>/roles.py`` of its module then (same code, so grants already made stay).
Core code uses none of them."""

from django.utils.translation import gettext_lazy as _

from zonegov.core.roles import register_role

#: 欠薪专班 (wages/): wage-arrears cases.
WAGE_OFFICER = register_role("wage_officer", _("欠薪专班"), order=60, declared_by="planned")
#: 网格员 (grid/): patrols, resident requests, the daily report.
GRID_WORKER = register_role("grid_worker", _("网格员"), order=70, declared_by="planned")
#: 招商专员 (investment/): leads, projects, vacant buildings.
INVESTMENT_OFFICER = register_role(
    "investment_officer", _("招商专员"), order=80, declared_by="planned"
)
