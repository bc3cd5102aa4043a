"""The roles of food-safety supervision and sampling (监, 抽), declared in the core role
registry. Licensing declares the same two roles (the same people review licence
applications' site evidence and read the licence library); the registry checks that the
declarations agree."""

from django.utils.translation import gettext_lazy as _

from zonegov.core.roles import register_role

#: 监管/抽检员 of market supervision (市场监管分局): daily supervision and sampling of every
#: licensed operator of the zone.
SUPERVISOR = register_role(
    "supervisor", _("监管/抽检员"), zone_wide=True, order=40, declared_by="supervision"
)
#: 核查员: inspections and 核查处置 alongside the supervisors.
INSPECTOR = register_role(
    "inspector", _("核查员"), zone_wide=True, order=30, declared_by="supervision"
)
