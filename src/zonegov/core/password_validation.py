"""Django's password validators with their messages in Simplified Chinese (issue 12
defect 11): Django's own zh_Hans catalogue lacks the plural forms of "This password is
too short…", so registration showed it in English. ``settings.AUTH_PASSWORD_VALIDATORS``
names these classes; the rules themselves are Django's."""

from __future__ import annotations

from django.contrib.auth import password_validation as django_validators
from django.utils.translation import gettext as _

DEFAULT_USER_ATTRIBUTES = ("username", "full_name", "mobile", "email", "first_name", "last_name")


class MinimumLengthValidator(django_validators.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return _("密码太短：至少需要 %(n)d 个字符。") % {"n": self.min_length}

    def get_help_text(self) -> str:
        return _("密码至少 %(n)d 个字符。") % {"n": self.min_length}


class UserAttributeSimilarityValidator(django_validators.UserAttributeSimilarityValidator):
    def __init__(self, user_attributes=DEFAULT_USER_ATTRIBUTES, max_similarity: float = 0.7):
        super().__init__(user_attributes=user_attributes, max_similarity=max_similarity)

    def get_error_message(self) -> str:
        return _("密码与您的%(verbose_name)s太相似，请换一个。")

    def get_help_text(self) -> str:
        return _("密码不能与您的用户名、姓名或手机号相似。")


class CommonPasswordValidator(django_validators.CommonPasswordValidator):
    def get_error_message(self) -> str:
        return _("这个密码太常见，容易被猜中，请换一个。")

    def get_help_text(self) -> str:
        return _("不能使用常见密码。")


class NumericPasswordValidator(django_validators.NumericPasswordValidator):
    def get_error_message(self) -> str:
        return _("密码不能全是数字，请加入字母或符号。")

    def get_help_text(self) -> str:
        return _("密码不能全是数字。")
