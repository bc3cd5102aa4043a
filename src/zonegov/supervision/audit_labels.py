"""Labels of supervision's audit actions for the 审计日志 (core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from zonegov.core.audit_labels import register_action_labels

register_action_labels(
    {
        "supervision.operator.granted": _("监管对象：收到许可（准予）"),
        "supervision.operator.changed": _("监管对象：收到许可变更"),
        "supervision.operator.renewed": _("监管对象：收到许可延续"),
        "supervision.operator.replaced": _("监管对象：收到证书补发"),
        "supervision.operator.cancelled": _("监管对象：收到许可注销"),
        "supervision.operator.revoked": _("监管对象：收到许可吊销"),
        "supervision.operator.expired": _("监管对象：收到许可到期"),
        "supervision.operator.risk_level": _("调整风险等级"),
        "supervision.plan.generate": _("生成年度监督检查计划"),
        "supervision.sampling.record": _("登记抽检结果"),
    }
)
