"""Forms of the supervision pages. They only parse input; the rules are in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from zonegov.core.forms import BootstrapMixin
from zonegov.core.models import User
from zonegov.core.validation import validate_date_in_range
from zonegov.supervision.models import (
    InspectionItem,
    ItemResult,
    Outcome,
    RiskLevel,
    SampleResult,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InspectionCreateForm(BootstrapMixin, forms.Form):
    planned_date = forms.DateField(
        label=_("计划检查日期"), widget=DATE, validators=[validate_date_in_range]
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class InspectionRecordForm(BootstrapMixin, forms.Form):
    """The checklist: one result and note field per item, plus inspectors and outcome."""

    inspected_on = forms.DateField(
        label=_("检查日期"), widget=DATE, validators=[validate_date_in_range]
    )
    inspectors = forms.ModelMultipleChoiceField(
        label=_("执法人员（不少于2人）"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    outcome = forms.ChoiceField(
        label=_("检查结果"),
        choices=[("", "---------"), *Outcome.choices],
    )
    rectification_deadline = forms.DateField(
        label=_("整改期限"),
        required=False,
        widget=DATE,
        validators=[validate_date_in_range],
        help_text=_("结果为不符合时必填；基本符合需整改时填写。"),
    )
    summary = forms.CharField(
        label=_("检查情况"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, items: list[InspectionItem], inspectors: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["inspectors"].queryset = inspectors
        self.fields["inspectors"].label_from_instance = lambda u: u.display_name
        self.item_codes = [i.code for i in items]
        for item in items:
            self.fields[f"item_{item.code}"] = forms.ChoiceField(
                label=f"{item.code}. {item.text}",
                choices=ItemResult.choices,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                initial=item.result or None,
            )
            self.fields[f"note_{item.code}"] = forms.CharField(
                label=_("问题说明"), required=False, max_length=300, initial=item.note
            )
            self.fields[f"note_{item.code}"].widget.attrs["class"] = "form-control"
        # BootstrapMixin gave its classes before the item fields existed (its rule on
        # control characters applies when the form is cleaned, so to these fields too).

    def checklist(self) -> list[tuple[Any, Any]]:
        return [(self[f"item_{c}"], self[f"note_{c}"]) for c in self.item_codes]


class VerifyForm(BootstrapMixin, forms.Form):
    note = forms.CharField(label=_("复查情况"), widget=forms.Textarea(attrs={"rows": 2}))


class RiskLevelForm(BootstrapMixin, forms.Form):
    risk_level = forms.ChoiceField(label=_("风险等级"), choices=RiskLevel.choices)
    reason = forms.CharField(label=_("评定依据"), required=False, max_length=200)


SAMPLE_ROWS = 5


class SamplingForm(BootstrapMixin, forms.Form):
    sample_name = forms.CharField(label=_("样品名称"), max_length=100)
    batch_number = forms.CharField(label=_("批号/生产日期"), max_length=60)
    sampled_on = forms.DateField(
        label=_("抽样日期"), widget=DATE, validators=[validate_date_in_range]
    )
    laboratory = forms.CharField(label=_("检验机构"), max_length=100)
    report_number = forms.CharField(label=_("检验报告编号"), required=False, max_length=60)
    report_file = forms.FileField(label=_("检验报告（PDF或照片）"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.row_names = []
        for n in range(1, SAMPLE_ROWS + 1):
            names = (f"item{n}_name", f"item{n}_standard", f"item{n}_measured", f"item{n}_result")
            self.fields[names[0]] = forms.CharField(
                label=_("检验项目"), required=False, max_length=100
            )
            self.fields[names[1]] = forms.CharField(
                label=_("判定依据"), required=False, max_length=200
            )
            self.fields[names[2]] = forms.CharField(
                label=_("检验结果"), required=False, max_length=100
            )
            self.fields[names[3]] = forms.ChoiceField(
                label=_("单项结论"),
                required=False,
                choices=[("", "---"), *SampleResult.choices],
            )
            for name in names[:3]:
                self.fields[name].widget.attrs["class"] = "form-control"
            self.fields[names[3]].widget.attrs["class"] = "form-select"
            self.row_names.append(names)

    def rows(self) -> list[list[Any]]:
        return [[self[n] for n in names] for names in self.row_names]

    def main_fields(self) -> list[Any]:
        return [
            self[n]
            for n in (
                "sample_name",
                "batch_number",
                "sampled_on",
                "laboratory",
                "report_number",
                "report_file",
            )
        ]


class FollowUpForm(BootstrapMixin, forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("意见/说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class PlanGenerateForm(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    unit = forms.ModelChoiceField(label=_("监管单位"), queryset=None)

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
