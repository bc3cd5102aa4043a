"""Labels of licensing's audit actions for the 审计日志 (core.audit_labels)."""

from django.utils.translation import gettext_lazy as _

from zonegov.core.audit_labels import register_action_labels

register_action_labels(
    {
        "licensing.application.start": _("开始填写许可申请"),
        "licensing.application.update": _("保存许可申请"),
        "licensing.application.sign": _("签署申请书"),
        "licensing.application.discard": _("删除申请草稿"),
        "licensing.site_check": _("记录现场核查项"),
        "licensing.onsite.order": _("安排现场核查"),
        "licensing.onsite.record": _("记录现场核查结论"),
        "licensing.licence.issue": _("颁发许可证"),
        "licensing.licence.cancel": _("注销许可证"),
        "licensing.licence.revoke": _("吊销许可证"),
        "licensing.licence.expire": _("许可证到期"),
    }
)
