"""Forms of the API client pages (issue a client, issue another key)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zonegov.core.api_scopes import all_scopes
from zonegov.core.forms import BootstrapMixin
from zonegov.core.models import Unit
from zonegov.core.services.api_clients import MAX_KEY_DAYS


def expiry_moment(day: date | None) -> datetime | None:
    """A key "valid until <day>" works through that whole day, Shanghai time."""
    if day is None:
        return None
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


class ExpiryMixin:
    def clean_expires_on(self) -> date | None:
        day = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError(_("到期日期须晚于今天。"))
        if day > today + timedelta(days=MAX_KEY_DAYS):
            raise forms.ValidationError(_("到期日期不能晚于三年之后。"))
        return day


def _expires_on_field() -> forms.DateField:
    return forms.DateField(
        label=_("密钥到期日期（可选）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("密钥可用至该日24时；留空则长期有效，直至吊销。"),
    )


class ApiClientIssueForm(ExpiryMixin, BootstrapMixin, forms.Form):
    name = forms.CharField(
        label=_("客户端名称"),
        max_length=100,
        help_text=_("例如：某外卖平台商户资质核验、市场监管分局监管系统回调。"),
    )
    organisation = forms.CharField(label=_("所属机构"), max_length=100)
    contact = forms.CharField(
        label=_("联系人及电话"),
        max_length=200,
        required=False,
        help_text=_("对方负责接入的人员，密钥泄露或需轮换时联系。"),
    )
    unit = forms.ModelChoiceField(
        label=_("对接单位（可选）"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("负责与该客户端对接的高新区单位。"),
    )
    scopes = forms.MultipleChoiceField(
        label=_("授权范围"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一项授权范围。")},
    )
    expires_on = _expires_on_field()

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = (
            units if units is not None else Unit.objects.filter(is_active=True)
        )
        self.fields["scopes"].choices = [(s.code, f"{s.label}（{s.code}）") for s in all_scopes()]


class ApiClientKeyForm(ExpiryMixin, BootstrapMixin, forms.Form):
    expires_on = _expires_on_field()
    revoke_others = forms.BooleanField(
        label=_("同时吊销该客户端现有的全部密钥（密钥泄露时选择）"), required=False
    )
