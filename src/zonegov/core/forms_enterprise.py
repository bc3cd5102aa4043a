"""Forms of the enterprise registry pages. They parse input only; the rules (USCC check
character, required fields, who may register where) live in services.enterprises."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zonegov.core.forms import BootstrapMixin
from zonegov.core.models import Enterprise, IndustryCode, Unit
from zonegov.core.models.enterprise import EnterpriseSize, EnterpriseType
from zonegov.core.selectors.enterprises import park_choices


def industry_choices(*, blank: str) -> list[tuple[Any, Any]]:
    """Divisions grouped under their sections (each section also selectable on its own,
    for enterprises only known by 门类)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    labels: dict[str, str] = {}
    for code in IndustryCode.objects.order_by("code"):
        if code.level == IndustryCode.Level.SECTION:
            labels[code.code] = f"{code.code} {code.name}"
            groups.setdefault(code.code, []).insert(
                0, (code.code, f"{code.code} {code.name}（{_('门类')}）")
            )
        else:
            groups.setdefault(code.parent_id or "", []).append((code.code, str(code)))
    choices: list[tuple[Any, Any]] = [("", blank)]
    choices += [(labels.get(section, section), items) for section, items in sorted(groups.items())]
    return choices


class EnterpriseForm(BootstrapMixin, forms.Form):
    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=40,
        help_text=_("18位，由数字和大写字母组成（不含 I、O、Z、S、V），见营业执照。"),
        error_messages={"required": _("请填写统一社会信用代码。")},
    )
    name = forms.CharField(
        label=_("名称"), max_length=200, error_messages={"required": _("请填写名称。")}
    )
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[("", _("— 请选择 —")), *EnterpriseType.choices],
        error_messages={"required": _("请选择类型。")},
    )
    legal_representative = forms.CharField(
        label=_("法定代表人/负责人"),
        max_length=50,
        error_messages={"required": _("请填写法定代表人/负责人。")},
    )
    registered_address = forms.CharField(
        label=_("住所"), max_length=255, error_messages={"required": _("请填写住所。")}
    )
    park = forms.ModelChoiceField(
        label=_("所属园区/属地"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("（无）"),
    )
    industry = forms.ChoiceField(label=_("行业（GB/T 4754-2017）"), required=False)
    size = forms.ChoiceField(
        label=_("规模"), choices=[("", _("（未填）")), *EnterpriseSize.choices], required=False
    )
    established_on = forms.DateField(
        label=_("成立日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("日期无法识别，请写成 2020-01-31 的格式。")},
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        help_text=_("手机号，或带区号的固定电话（如 0375-2345678）。"),
    )

    def __init__(self, *args: Any, parks: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = parks if parks is not None else park_choices()
        self.fields["industry"].choices = industry_choices(blank=_("（未填）"))

    @classmethod
    def initial_for(cls, enterprise: Enterprise) -> dict[str, Any]:
        return {
            "uscc": enterprise.uscc,
            "name": enterprise.name,
            "kind": enterprise.kind,
            "legal_representative": enterprise.legal_representative,
            "registered_address": enterprise.registered_address,
            "park": enterprise.park_id,
            "industry": enterprise.industry_id or "",
            "size": enterprise.size,
            "established_on": enterprise.established_on,
            "contact_name": enterprise.contact_name,
            "contact_phone": enterprise.contact_phone,
        }

    def clean_industry(self) -> IndustryCode | None:
        code = self.cleaned_data.get("industry") or ""
        return IndustryCode.objects.filter(code=code).first() if code else None

    def service_fields(self) -> dict[str, Any]:
        """cleaned_data as keyword arguments of enterprise_create / enterprise_update."""
        return {name: self.cleaned_data[name] for name in self.fields}


class EnterpriseSearchForm(BootstrapMixin, forms.Form):
    """The list page's filters (GET). Unknown values are simply ignored."""

    q = forms.CharField(label=_("名称或代码"), required=False, max_length=100)
    park = forms.ModelChoiceField(
        label=_("所属园区/属地"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("全部属地"),
    )
    industry = forms.ChoiceField(label=_("行业"), required=False)
    kind = forms.ChoiceField(
        label=_("类型"), choices=[("", _("全部类型")), *EnterpriseType.choices], required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["park"].queryset = park_choices()
        self.fields["industry"].choices = industry_choices(blank=_("全部行业"))
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            small = "form-select-sm" if "form-select" in css else "form-control-sm"
            field.widget.attrs["class"] = f"{css} {small}"
        self.fields["q"].widget.attrs["placeholder"] = _("名称或统一社会信用代码")

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for enterprise_search; invalid filters are dropped."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        park = data.get("park")
        return {
            "query": data.get("q", ""),
            "park_id": park.pk if park else None,
            "industry": data.get("industry") or None,
            "kind": data.get("kind") or None,
        }


class EnterpriseImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"),
        error_messages={
            "required": _("请选择要导入的 .xlsx 文件。"),
            "empty": _("上传的文件是空的，请选择要导入的 .xlsx 文件。"),
        },
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )
    strict = forms.BooleanField(
        label=_("严格模式：只要有一行出错，就整个文件都不导入"),
        required=False,
        help_text=_("不勾选时，无误的行会导入，出错的行列在下方，修改后可再次导入。"),
    )
