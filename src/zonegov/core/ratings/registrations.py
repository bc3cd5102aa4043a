"""What 好差评 tells the rest of core at start-up: its menu entry and its audit labels."""

from django.utils.translation import gettext_lazy as _

from zonegov.core.audit_labels import register_action_labels, register_change_labels
from zonegov.core.modules import NavEntry, register

register(NavEntry("ratings", _("好差评"), "ratings:list", order=60))
register_action_labels({"rating.submit": _("提交好差评")})
register_change_labels({"level": _("满意度"), "case": _("办件编号"), "service": _("服务事项")})
