from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from zonegov.core.models import Unit, User
from zonegov.core.models.org import UnitKind
from zonegov.core.roles import role_choices
from zonegov.core.validation import validate_no_control_characters


def refuse_control_characters(form: forms.BaseForm) -> None:
    """Every text field of ``form`` refuses control characters (``core.validation``:
    no database, feed or spreadsheet can carry them); Django itself refuses only NUL."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and not any(
            v is validate_no_control_characters for v in field.validators
        ):
            field.validators.append(validate_no_control_characters)


class BootstrapMixin:
    """The platform's form base: Bootstrap's classes on every widget so templates stay
    plain, and text fields that refuse control characters."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                css = ""
            elif isinstance(widget, forms.RadioSelect):
                css = "form-check-input"  # each radio, never the text-box style
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            if css:
                widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()

    def full_clean(self):
        # Here rather than in __init__: forms add fields of their own after it.
        refuse_control_characters(self)
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"


class LoginForm(BootstrapMixin, AuthenticationForm):
    username = forms.CharField(label=_("用户名或手机号"), max_length=150)

    error_messages = {
        "invalid_login": _("用户名/手机号或密码不正确（注意区分大小写）。连续失败5次将锁定账号。"),
        "inactive": _("该账号已停用，请联系管理员。"),
    }

    def clean(self):
        # Applicants log in with their mobile number, which is also their username.
        username = (self.cleaned_data.get("username") or "").strip()
        self.cleaned_data["username"] = username
        return super().clean()


class RegisterForm(BootstrapMixin, forms.Form):
    """申请人注册 on one page: the mobile, a "获取验证码" button (a submit named ``send``
    that keeps what was typed), the SMS code and the rest (core.views.auth.register)."""

    mobile = forms.CharField(
        label=_("手机号"),
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        help_text=_("先点“获取验证码”，验证码将发送到上面的手机号，5 分钟内有效。"),
        error_messages={"required": _("请输入短信验证码（先点“获取验证码”）。")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"\d*"}
        ),
    )
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    password = forms.CharField(
        label=_("密码"),
        widget=forms.PasswordInput(render_value=True),
        help_text=_("至少 8 个字符，不能全是数字，不能与手机号、姓名相似。"),
    )
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput(render_value=True))
    privacy_consent = forms.BooleanField(
        label=_("我已阅读并同意《个人信息保护政策》"),
        error_messages={"required": _("请阅读并同意《个人信息保护政策》后再注册。")},
    )

    def clean(self):
        """Every problem at once: the service's checks of what was typed (mobile, ID
        number, name, password rules) and a password mismatch side by side."""
        from zonegov.core.services.users import registration_errors

        data = super().clean()
        password, password2 = data.get("password"), data.get("password2")
        errors, _cleaned = registration_errors(
            mobile=data.get("mobile", ""),
            full_name=data.get("full_name", ""),
            id_number=data.get("id_number", ""),
            password=data.get("password", ""),
        )
        for field, messages in errors.items():
            if field in self.fields and field not in self.errors:
                for message in messages:
                    self.add_error(field, message)
        if password and password != password2 and "password2" not in self.errors:
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


TREE_INDENT = "\u3000"  # an ideographic space per level of the organisation tree


class UnitForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=100)
    code = forms.CharField(label=_("编码"), max_length=40)
    kind = forms.ChoiceField(label=_("类型"), choices=UnitKind.choices)
    parent = forms.ModelChoiceField(
        label=_("上级单位"), queryset=Unit.objects.none(), required=False
    )
    sort_order = forms.IntegerField(label=_("排序"), initial=0, required=False)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, units=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        from zonegov.core.selectors.org import tree_order

        queryset = units if units is not None else Unit.objects.none()
        parent = self.fields["parent"]
        parent.queryset = queryset
        # The picker shows the tree: each unit indented by its depth, with its kind.
        ordered = tree_order(list(queryset))
        top = min((u.depth for u in ordered), default=0)
        parent.choices = [("", "---------")] + [
            (u.pk, f"{TREE_INDENT * (u.depth - top)}{u.name}（{u.get_kind_display()}）")
            for u in ordered
        ]
        if editing:
            self.fields["code"].disabled = True
            self.fields["kind"].disabled = True


class StaffUserForm(BootstrapMixin, forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    mobile = forms.CharField(label=_("手机号"), max_length=11, required=False)
    title = forms.CharField(label=_("职务"), max_length=50, required=False)
    unit = forms.ModelChoiceField(label=_("所属单位"), queryset=Unit.objects.none())
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=role_choices, widget=forms.CheckboxSelectMultiple
    )
    is_active = forms.BooleanField(label=_("在岗"), required=False, initial=True)

    def __init__(self, *args, units=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        if editing:
            self.fields["username"].disabled = True
            self.fields["mobile"].disabled = True


class AssignmentForm(BootstrapMixin, forms.Form):
    title = forms.CharField(label=_("事项名称"), max_length=200)
    description = forms.CharField(label=_("具体要求"), widget=forms.Textarea(attrs={"rows": 4}))
    unit = forms.ModelChoiceField(label=_("承办单位"), queryset=Unit.objects.none())
    assignee = forms.ModelChoiceField(
        label=_("承办人（可选）"), queryset=User.objects.none(), required=False
    )
    time_limit = forms.IntegerField(
        label=_("办理时限（工作日）"), min_value=1, max_value=250, initial=5
    )

    def __init__(self, *args, units=None, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["assignee"].queryset = users if users is not None else User.objects.none()


class TransitionForm(forms.Form):
    action = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("意见/说明"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        refuse_control_characters(self)


def apply_field_errors(form: forms.Form, field_errors: dict[str, list[str]]) -> None:
    """Show a service's field errors on the form, keeping everything the user typed."""
    for field, messages in field_errors.items():
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class ZonePasswordChangeForm(BootstrapMixin, PasswordChangeForm):
    pass


class ApiTokenForm(BootstrapMixin, forms.Form):
    name = forms.CharField(label=_("用途"), max_length=100, strip=False)
