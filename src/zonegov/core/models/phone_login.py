"""One-time SMS codes for citizens' login with a mobile number (手机验证码登录).

Only a keyed hash of the code is stored (HMAC-SHA256 under a pepper derived from
``SECRET_KEY`` and a per-code salt, ``core.identity.phone``): a six-digit code has a
million values, so a plain hash in a leaked backup would be reversed at once. A code
lives five minutes, allows five wrong tries and logs in once.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PhoneLoginCode(models.Model):
    phone = models.CharField(_("手机号"), max_length=11, db_index=True)
    salt = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("发送时间"))
    expires_at = models.DateTimeField(_("失效时间"), db_index=True)
    attempts = models.PositiveSmallIntegerField(_("错误次数"), default=0)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    # A newer code for the same number replaces this one (only the latest code works).
    superseded = models.BooleanField(default=False)
    # What the code is for: "login" (手机验证码登录), "reset" (忘记密码), "register"
    # (申请人注册) or "sign" (re-authentication before signing). A code works only for
    # its purpose.
    purpose = models.CharField(_("用途"), max_length=10, default="login")

    class Meta:
        verbose_name = _("短信登录验证码")
        verbose_name_plural = _("短信登录验证码")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["phone", "created_at"], name="core_phonecode_phone_idx")]

    def __str__(self) -> str:
        return f"{self.phone[:3]}****{self.phone[-4:]} {self.created_at:%Y-%m-%d %H:%M}"
