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


class ResetPasswordForm(BootstrapMixin, forms.Form):
    """忘记密码 step 2: the SMS code and the new password twice. The password rules and a
    mismatch are reported together."""

    code = CodeForm.base_fields["code"]
    new_password1 = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("至少 8 个字符，不能全是数字，不能与手机号、姓名相似。"),
    )
    new_password2 = forms.CharField(
        label=_("确认新密码"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, phone: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.phone = phone

    def clean(self):
        from django.contrib.auth import password_validation

        from zonegov.core.models import User

        data = super().clean()
        password, password2 = data.get("new_password1"), data.get("new_password2")
        if password:
            # Only what the visitor typed: the account's own name, user name or e-mail
            # are checked after the code proved the phone (``verify_reset_code``), or
            # this page would answer "too similar to your e-mail" to anyone guessing.
            candidate = User(username=self.phone, mobile=self.phone)
            try:
                password_validation.validate_password(password, candidate)
            except forms.ValidationError as exc:
                for message in exc.messages:
                    self.add_error("new_password1", message)
            if password != password2:
                self.add_error("new_password2", _("两次输入的密码不一致。"))
        return data
