"""The roles of food-business licensing (审批), declared in the core role registry."""

from django.utils.translation import gettext_lazy as _

from zonegov.core.roles import register_role

#: 审批员 of the service centre (行政服务中心): accepts, approves and issues for the whole
#: zone, edits the enterprise registry, verifies applicants' identities at the counter.
LICENSING_OFFICER = register_role(
    "licensing_officer",
    _("审批员"),
    zone_wide=True,
    registry_editor=True,
    counter=True,
    order=20,
    declared_by="licensing",
)
#: 核查员 of market supervision (市场监管分局): reviews site photos and videos, checks on
#: site. Supervision declares the same role (its inspectors inspect licensed operators).
INSPECTOR = register_role(
    "inspector", _("核查员"), zone_wide=True, order=30, declared_by="licensing"
)
#: 监管/抽检员: reads the licence library (电子证照库) of the operators it supervises.
#: Declared by supervision too.
SUPERVISOR = register_role(
    "supervisor", _("监管/抽检员"), zone_wide=True, order=40, declared_by="licensing"
)
