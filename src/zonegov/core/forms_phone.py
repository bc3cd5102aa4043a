from django import forms
from django.utils.translation import gettext_lazy as _

from zonegov.core.forms import BootstrapMixin
from zonegov.core.identity.phone import CODE_LENGTH, PhoneLoginError, normalise_phone


class PhoneForm(BootstrapMixin, forms.Form):
    phone = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "13800138000"}
        ),
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)

    def clean_phone(self) -> str:
        try:
            return normalise_phone(self.cleaned_data["phone"])
        except PhoneLoginError as exc:
            raise forms.ValidationError(exc.message) from None


class CodeForm(BootstrapMixin, forms.Form):
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=CODE_LENGTH,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"\d*"}
        ),
    )
