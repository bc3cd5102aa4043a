from django import forms
from django.utils.translation import gettext_lazy as _

from zonegov.core.ratings import rules


class RatingForm(forms.Form):
    level = forms.TypedChoiceField(
        label=_("满意度"),
        choices=rules.Level.choices,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("请选择满意度。"), "invalid_choice": _("请选择满意度。")},
    )
    comment = forms.CharField(
        label=_("文字评价（可选）"),
        required=False,
        max_length=rules.COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("整改说明"),
        max_length=rules.ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text=_("核实情况、整改措施，或对评价人的解释说明。评价人会收到这段答复。"),
        error_messages={"required": _("请填写整改说明。")},
    )


class CallbackForm(forms.Form):
    result = forms.ChoiceField(
        label=_("对整改结果是否满意"),
        choices=rules.CallbackResult.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("请选择是否满意。"), "invalid_choice": _("请选择是否满意。")},
    )
    note = forms.CharField(
        label=_("意见（可选）"),
        required=False,
        max_length=rules.ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )
