"""Forms that turn the applicant's ticks into service input. Nothing here is required at
the form level: a draft may be saved half-done; completeness is judged by the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zonegov.core.forms import BootstrapMixin, refuse_control_characters
from zonegov.licensing import codes
from zonegov.licensing.kinds import KIND_CHOICES, AppType, HolderKind
from zonegov.licensing.models import Application, CheckResult, LicenceStatus, PaperDelivery
from zonegov.licensing.selectors import LibraryFilters

TEXT = {
    "operator_name": _("经营者名称"),
    "holder_code": _("统一社会信用代码（身份证号码）"),
    "legal_rep": _("法定代表人（负责人）"),
    "address": _("住所"),
    "premises_address": _("经营场所"),
    "warehouse_address": _("场所外仓库地址"),
}


def style_widgets(form: forms.Form) -> None:
    """Bootstrap classes for the fields a form adds after ``BootstrapMixin.__init__`` (the
    mixin styles only the fields that exist then): text boxes ``form-control``, radios and
    check boxes ``form-check-input``, so nothing is left at the browser's narrow default
    and no choice is drawn as a text box."""
    for field in form.fields.values():
        widget = field.widget
        if "class" in widget.attrs:
            continue
        if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect)):
            css = "form-check-input"  # CheckboxSelectMultiple is a RadioSelect
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs["class"] = css


class StartForm(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("证照种类"), choices=KIND_CHOICES, widget=forms.RadioSelect)
    holder_kind = forms.ChoiceField(
        label=_("申请主体"),
        choices=HolderKind.choices,
        initial=HolderKind.ENTERPRISE,
        widget=forms.RadioSelect,
        required=False,
    )
    uscc = forms.CharField(
        label=_("统一社会信用代码（可选，填写后自动带出营业执照信息）"),
        max_length=30,
        required=False,
    )


class TicksForm(BootstrapMixin, forms.Form):
    """Built for one application: its kind's subject types, items and premises facts."""

    def __init__(self, *args: Any, application: Application, **kwargs: Any):
        self.application = application
        kind = application.permit_kind
        table = application.code_table
        super().__init__(*args, **kwargs)
        self.short = application.app_type in (AppType.CANCEL, AppType.REPLACE)
        if not self.short:
            if len(kind.holder_kinds) > 1:
                self.fields["holder_kind"] = forms.ChoiceField(
                    label=_("申请主体"),
                    choices=[(h, HolderKind(h).label) for h in kind.holder_kinds],
                    widget=forms.RadioSelect,
                    required=False,
                )
            for name, label in TEXT.items():
                self.fields[name] = forms.CharField(label=label, required=False, max_length=255)
            subject_types = table.subject_types[kind.subject_table]
            self.fields["subject_type"] = forms.ChoiceField(
                label=_("主体业态"),
                choices=[(s.code, s.name) for s in subject_types.values()],
                widget=forms.RadioSelect,
                required=False,
            )
            quals = sorted({q for s in subject_types.values() for q in s.qualifiers})
            if quals:
                self.fields["subject_qualifiers"] = forms.MultipleChoiceField(
                    label=_("主体业态备注（如有）"),
                    choices=[(q, table.qualifier_name(q)) for q in quals],
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                )
            items = table.items[kind.item_table]
            self.item_groups: list[tuple[str, list[str]]] = []
            for item in items.values():
                self.fields[f"item_{item.code}"] = forms.BooleanField(
                    label=item.name, required=False
                )
                if item.qualifiers:
                    self.fields[f"q_{item.code}"] = forms.MultipleChoiceField(
                        label=_("备注"),
                        choices=[(q, table.qualifier_name(q)) for q in item.qualifiers],
                        widget=forms.CheckboxSelectMultiple,
                        required=False,
                    )
            self.fact_names = []
            for fact in codes.PREMISES_FACTS:
                if fact.code not in kind.required_facts:
                    continue
                name = f"fact_{fact.code}"
                self.fact_names.append(name)
                self.fields[name] = forms.ChoiceField(
                    label=fact.label,
                    choices=[(c.code, c.name) for c in fact.choices],
                    widget=forms.RadioSelect,
                    required=False,
                    help_text=fact.help,
                )
            if application.app_type == AppType.RENEW:
                self.fields["conditions_unchanged"] = forms.BooleanField(
                    label=_("本人声明：经营条件未发生变化（可免现场核查）"), required=False
                )
        if application.app_type in (AppType.CANCEL, AppType.REPLACE, AppType.CHANGE):
            self.fields["reason"] = forms.CharField(
                label=_("申请事由"),
                required=False,
                max_length=300,
                help_text=_("如：遗失、损毁、停止经营、变更住所。"),
            )
        self.fields["declarations"] = forms.BooleanField(
            label=_("本人承诺所勾选、填写的信息真实有效，并对其真实性承担法律责任"),
            required=False,
        )
        style_widgets(self)
        if not self.is_bound:
            self.initial = self._initial()

    def _initial(self) -> dict[str, Any]:
        app = self.application
        initial: dict[str, Any] = {name: getattr(app, name) for name in TEXT}
        initial.update(
            holder_kind=app.holder_kind,
            subject_type=app.subject_type,
            subject_qualifiers=app.subject_qualifiers,
            conditions_unchanged=app.conditions_unchanged,
            reason=app.reason,
            declarations=app.declarations,
        )
        for entry in app.items:
            initial[f"item_{entry.get('code')}"] = True
            initial[f"q_{entry.get('code')}"] = entry.get("qualifiers", [])
        for code, value in app.premises.items():
            initial[f"fact_{code}"] = value
        return initial

    def item_rows(self) -> list[tuple[Any, Any]]:
        rows = []
        for name in self.fields:
            if name.startswith("item_"):
                q = f"q_{name[5:]}"
                rows.append((self[name], self[q] if q in self.fields else None))
        return rows

    def facts(self) -> list[Any]:
        return [self[n] for n in getattr(self, "fact_names", [])]

    def texts(self) -> list[Any]:
        return [self[n] for n in TEXT if n in self.fields]

    def to_data(self) -> dict[str, Any]:
        """The service's ``data`` from the cleaned form."""
        cd = self.cleaned_data
        data: dict[str, Any] = {"declarations": cd.get("declarations", False)}
        if "reason" in self.fields:
            data["reason"] = cd.get("reason", "")
        if self.short:
            return data
        for name in TEXT:
            if name in cd:  # a field the form refused (e.g. too long) keeps its stored value
                data[name] = cd[name]
        if cd.get("holder_kind"):
            data["holder_kind"] = cd["holder_kind"]
        data["subject_type"] = cd.get("subject_type", "")
        data["subject_qualifiers"] = cd.get("subject_qualifiers", [])
        data["items"] = [
            {"code": name[5:], "qualifiers": cd.get(f"q_{name[5:]}", [])}
            for name in self.fields
            if name.startswith("item_") and cd.get(name)
        ]
        data["premises"] = {n[5:]: cd[n] for n in getattr(self, "fact_names", []) if cd.get(n)}
        if "conditions_unchanged" in self.fields:
            data["conditions_unchanged"] = cd.get("conditions_unchanged", False)
        return data

    def apply_errors(self, errors: dict[str, list[str]]) -> None:
        for field, messages in errors.items():
            target = field if field in self.fields else None
            if field == "items":
                target = None
            if field == "premises":
                target = None
            for message in messages:
                self.add_error(target, message)


class SiteCheckForm(forms.Form):
    code = forms.CharField(max_length=40)
    result = forms.ChoiceField(choices=CheckResult.choices)
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        refuse_control_characters(self)


class LibraryForm(BootstrapMixin, forms.Form):
    """Filters of the e-licence library (GET). A value that cannot be used (a malformed
    date) is shown with its message and left out of the search; the rest still apply."""

    number = forms.CharField(label=_("证照/证书编号"), required=False, max_length=64)
    holder = forms.CharField(label=_("持证主体名称"), required=False, max_length=200)
    holder_code = forms.CharField(
        label=_("统一社会信用代码/身份证号"), required=False, max_length=18
    )
    address = forms.CharField(label=_("地址（经营场所或住所）"), required=False, max_length=255)
    item = forms.CharField(label=_("经营项目"), required=False, max_length=50)
    park = forms.ModelChoiceField(
        label=_("所属园区"), queryset=None, required=False, empty_label=_("全部园区")
    )
    status = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部状态")), *LicenceStatus.choices]
    )
    kind = forms.ChoiceField(
        label=_("证照种类"), required=False, choices=[("", _("全部种类")), *KIND_CHOICES]
    )
    expiry_from = forms.DateField(
        label=_("有效期至（起）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("日期无法识别，请写成 2026-01-31 的格式。")},
    )
    expiry_to = forms.DateField(
        label=_("有效期至（止）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("日期无法识别，请写成 2026-01-31 的格式。")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from zonegov.core.selectors.enterprises import park_choices

        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = park_choices()
        for f in self.fields.values():
            css = f.widget.attrs.get("class", "")
            small = "form-select-sm" if "form-select" in css else "form-control-sm"
            f.widget.attrs["class"] = f"{css} {small}"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("expiry_from"), data.get("expiry_to")
        if start and end and start > end:
            self.add_error("expiry_to", _("截止日期不能早于起始日期。"))
        return data

    def filters(self) -> LibraryFilters:
        if not self.is_bound:
            return LibraryFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        park = data.get("park")
        return LibraryFilters(
            number=data.get("number", ""),
            holder=data.get("holder", ""),
            holder_code=data.get("holder_code", ""),
            address=data.get("address", ""),
            item=data.get("item", ""),
            park_id=park.pk if park else None,
            status=data.get("status", ""),
            kind=data.get("kind", ""),
            expiry_from=data.get("expiry_from"),
            expiry_to=data.get("expiry_to") if "expiry_to" not in self.errors else None,
        )


class RevokeForm(BootstrapMixin, forms.Form):
    decision_number = forms.CharField(
        label=_("行政处罚决定书文号"),
        max_length=80,
        required=False,
        help_text=_("例如：平高市监罚〔2026〕12号"),
    )
    reason = forms.CharField(
        label=_("吊销理由"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SignForm(BootstrapMixin, forms.Form):
    """Re-authentication before the electronic signature: the password or an SMS code
    (which one is checked by the view; neither required here, so a half-filled form comes
    back with one clear message)."""

    password = forms.CharField(
        label=_("登录密码"),
        required=False,
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("短信验证码"),
        required=False,
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"\d*"}
        ),
    )


class DeliveryForm(BootstrapMixin, forms.Form):
    """The applicant's choice for the paper copy. Lengths here; whether 邮寄 has every
    detail (and a real phone number) is judged by ``paper_delivery_choose``."""

    delivery = forms.ChoiceField(
        label=_("纸质证书领取方式"),
        choices=PaperDelivery.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("请选择领取方式。"), "invalid_choice": _("请选择领取方式。")},
    )
    recipient = forms.CharField(label=_("收件人"), max_length=50, required=False)
    phone = forms.CharField(
        label=_("收件人电话"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    address = forms.CharField(
        label=_("邮寄地址"),
        max_length=200,
        required=False,
        help_text=_("省、市、区（县）、街道和门牌号"),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
