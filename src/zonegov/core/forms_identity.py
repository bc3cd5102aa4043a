from django import forms
from django.utils.translation import gettext_lazy as _

from zonegov.core.forms import BootstrapMixin
from zonegov.core.identity.base import ALL_MATTERS, MATTERS, ActorRole


class DemoIdentityForm(BootstrapMixin, forms.Form):
    """The identity the demo provider will return (development only)."""

    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    uscc = forms.CharField(
        label=_("代表企业办理（统一社会信用代码，可不填）"),
        max_length=18,
        required=False,
        help_text=_("模拟电子营业执照：企业须在市场主体库中。个人办理请留空。"),
    )
    role = forms.ChoiceField(
        label=_("在企业中的身份"),
        choices=ActorRole.CHOICES,
        initial=ActorRole.LEGAL_REPRESENTATIVE,
        widget=forms.RadioSelect,
    )
    matters = forms.MultipleChoiceField(
        label=_("被授权办理的事项（仅代理人）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    authorised_until = forms.DateField(
        label=_("授权有效期至（仅代理人，可不填）"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["matters"].choices = [
            *((code, label) for code, label in MATTERS.items()),
            (ALL_MATTERS, _("全部事项（全业务授权）")),
        ]


class CounterVerifyForm(BootstrapMixin, forms.Form):
    mobile = forms.CharField(label=_("申请人账号（手机号）"), max_length=11)
    name = forms.CharField(label=_("身份证上的姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    card_checked = forms.BooleanField(label=_("已核对居民身份证原件，人证一致"), required=False)
    note = forms.CharField(label=_("说明（可不填）"), max_length=200, required=False)
