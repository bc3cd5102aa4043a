"""Readable 审计日志 (issue 12 defect 13): a label for each audit action code and a
change summary a person can read instead of the stored JSON.

Each app registers the labels of the actions it records, in its own ``audit_labels``
module (discovered like ``kpis.py``)::

    from zonegov.core.audit_labels import register_action_labels, register_change_labels

    register_action_labels({"licensing.licence.revoke": "吊销许可证"})
    register_change_labels({"reason": "理由"})

An action nobody registered is still labelled when it is a workflow transition
(``<CASE_TYPE>.<transition>``: the case model's name and the transition's label) and
otherwise shown as its code. A change key nobody registered takes the verbose name of
the object's model field of that name, else the key itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_ACTION_LABELS: dict[str, Any] = {}
_CHANGE_LABELS: dict[str, Any] = {}
_discovered = False
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")

# Steps every workflow case type records besides its transitions (core.services.workflow).
_WORKFLOW_STEPS = {
    "open": gettext_lazy("立案"),
    "transfer": gettext_lazy("转办"),
    "extend": gettext_lazy("延长办理期限"),
}


def register_action_labels(labels: dict[str, Any]) -> None:
    """Labels (lazy translations welcome) for audit action codes."""
    _ACTION_LABELS.update(labels)


def register_change_labels(labels: dict[str, Any]) -> None:
    """Labels for keys of the ``changes`` an app records."""
    _CHANGE_LABELS.update(labels)


def _discover() -> None:
    global _discovered
    if not _discovered:
        _discovered = True
        autodiscover_modules("audit_labels")


def _workflow_label(code: str) -> str | None:
    from zonegov.core.models import WorkflowCase

    case_type, _dot, step = code.rpartition(".")
    if not case_type:
        return None
    for model in apps.get_models():
        if not (issubclass(model, WorkflowCase) and model.CASE_TYPE == case_type):
            continue
        name = str(model._meta.verbose_name)
        if step in _WORKFLOW_STEPS:
            return f"{name}·{_WORKFLOW_STEPS[step]}"
        try:
            transitions = model._meta.get_field("state").get_all_transitions(model)
        except Exception:  # not an FSM state field
            return None
        for transition in transitions:
            if transition.name == step and transition.custom.get("label"):
                return f"{name}·{transition.custom['label']}"
        return None
    return None


def action_label(code: str) -> str:
    """The label of an audit action code, or the code itself."""
    _discover()
    if code in _ACTION_LABELS:
        return str(_ACTION_LABELS[code])
    return _workflow_label(code) or code


def action_choices() -> list[tuple[str, str]]:
    """Every registered action code with its label, by label (for the filter)."""
    _discover()
    return sorted(((c, str(label)) for c, label in _ACTION_LABELS.items()), key=lambda p: p[1])


def _model_field(object_type: str, key: str) -> Any:
    if not object_type:
        return None
    try:
        return apps.get_model(object_type)._meta.get_field(key)
    except Exception:  # no such model or field
        return None


def _key_label(key: str, object_type: str) -> str:
    if key in _CHANGE_LABELS:
        return str(_CHANGE_LABELS[key])
    field = _model_field(object_type, key)
    return str(field.verbose_name) if field is not None else key


def _value_text(value: Any, object_type: str, key: str) -> str:
    """A stored value; a code of a field with choices (a state, a kind) as its label."""
    field = _model_field(object_type, key)
    choices = dict(getattr(field, "flatchoices", None) or []) if field is not None else {}
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    return format_value(value)


def format_value(value: Any) -> str:
    """One stored value as text: 是/否, lists joined with 、, empty as —."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(format_value(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        moment = parse_datetime(value)
        if moment is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%Y-%m-%d %H:%M")
    return str(value)


@dataclass(frozen=True)
class ChangeLine:
    label: str
    before: str | None  # None: not a before/after pair
    after: str

    @property
    def is_change(self) -> bool:
        return self.before is not None


def change_summary(changes: Any, object_type: str = "") -> list[ChangeLine]:
    """The recorded ``changes`` as lines: ``label: before → after`` for a diff entry,
    ``label: value`` otherwise."""
    if not changes:
        return []
    _discover()
    if not isinstance(changes, dict):
        return [ChangeLine(_("内容"), None, format_value(changes))]
    lines = []
    for key, value in changes.items():
        label = _key_label(str(key), object_type)
        if isinstance(value, dict) and set(value) == {"before", "after"}:
            before = _value_text(value["before"], object_type, str(key))
            after = _value_text(value["after"], object_type, str(key))
            lines.append(ChangeLine(label, before, after))
        else:
            lines.append(ChangeLine(label, None, _value_text(value, object_type, str(key))))
    return lines


def changes_json(changes: Any) -> str:
    """The stored data itself, pretty-printed (one click away on the page)."""
    return json.dumps(changes, ensure_ascii=False, indent=2, sort_keys=True, default=str)


# --- core's own actions -------------------------------------------------------------------

register_action_labels(
    {
        "auth.login": gettext_lazy("登录"),
        "auth.logout": gettext_lazy("退出登录"),
        "user.register": gettext_lazy("申请人注册"),
        "user.register_attempt": gettext_lazy("用已注册手机号尝试注册"),
        "user.create": gettext_lazy("新建人员"),
        "user.update": gettext_lazy("修改人员信息"),
        "user.roles_change": gettext_lazy("变更角色"),
        "user.password_change": gettext_lazy("修改密码"),
        "user.password_reset": gettext_lazy("短信验证码重置密码"),
        "user.privacy_consent": gettext_lazy("同意个人信息处理规则"),
        "unit.create": gettext_lazy("新建单位"),
        "unit.update": gettext_lazy("修改单位"),
        "api_token.create": gettext_lazy("创建 API 令牌"),
        "api_token.revoke": gettext_lazy("吊销 API 令牌"),
        "api_token.revoke_all": gettext_lazy("吊销全部 API 令牌"),
        "api_client.issue": gettext_lazy("登记接口客户端"),
        "api_client.revoke": gettext_lazy("停用接口客户端"),
        "api_client.key_issue": gettext_lazy("签发接口密钥"),
        "api_client.key_revoke": gettext_lazy("吊销接口密钥"),
        "attachment.add": gettext_lazy("上传附件"),
        "attachment.remove": gettext_lazy("删除附件"),
        "audit.checkpoint": gettext_lazy("审计检查点"),
        "calendar.confirm": gettext_lazy("确认节假日安排"),
        "calendar.unconfirm": gettext_lazy("撤销节假日确认"),
        "document.issue": gettext_lazy("签发文书"),
        "document.status": gettext_lazy("变更文书状态"),
        "enterprise.create": gettext_lazy("新建企业"),
        "enterprise.update": gettext_lazy("修改企业信息"),
        "enterprise.import": gettext_lazy("导入企业"),
        "identity.verify": gettext_lazy("实名核验"),
        "identity.counter_verify": gettext_lazy("柜面实名核验"),
        "identity.claim_released": gettext_lazy("释放身份绑定"),
        "outbox.retry": gettext_lazy("重新投递消息"),
    }
)

register_change_labels(
    {
        "state": gettext_lazy("状态"),
        "note": gettext_lazy("意见/说明"),
        "attachments": gettext_lazy("附件"),
        "granted": gettext_lazy("授予角色"),
        "revoked": gettext_lazy("撤销角色"),
        "roles": gettext_lazy("角色"),
        "unit": gettext_lazy("单位"),
        "moved_from": gettext_lazy("原单位"),
        "mobile": gettext_lazy("手机号"),
        "via": gettext_lazy("方式"),
        "reason": gettext_lazy("原因"),
        "count": gettext_lazy("数量"),
        "version": gettext_lazy("版本"),
        "status": gettext_lazy("状态"),
        "message_id": gettext_lazy("消息编号"),
        "expires_at": gettext_lazy("到期时间"),
    }
)
