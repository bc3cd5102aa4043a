"""Role codes. Every staff page and API endpoint names the roles that may use it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RoleCode(models.TextChoices):
    ORG_ADMIN = "org_admin", _("组织管理员")
    LICENSING_OFFICER = "licensing_officer", _("审批员")
    INSPECTOR = "inspector", _("核查员")
    SUPERVISOR = "supervisor", _("监管/抽检员")
    PARK_OFFICER = "park_officer", _("园区专员")
    WAGE_OFFICER = "wage_officer", _("欠薪专班")
    GRID_WORKER = "grid_worker", _("网格员")
    INVESTMENT_OFFICER = "investment_officer", _("招商专员")
    LEADER = "leader", _("领导")


STAFF_ROLES = frozenset(RoleCode.values)

# Who may create and edit entries of the enterprise registry (市场主体库).
REGISTRY_EDITOR_ROLES = frozenset(
    {RoleCode.ORG_ADMIN, RoleCode.PARK_OFFICER, RoleCode.LICENSING_OFFICER}
)

# Roles whose holders act for the whole zone, whatever park or street a record belongs to:
# the service centre (行政服务中心) approves and edits the registry for every park, market
# supervision (市场监管分局) inspects and samples every licensed operator. Only a zone-level
# org admin grants or revokes them (core.services.users), and they count zone-wide only
# where they are held in a zone-level unit (core.rules.role_scope_path). Every other role
# covers its holder's unit and the units below it. Table: docs/usage.md "角色与授权".
ZONE_WIDE_ROLES = frozenset({RoleCode.LICENSING_OFFICER, RoleCode.INSPECTOR, RoleCode.SUPERVISOR})
