"""Identity verifications of accounts: who verified which person, how and when.

An account without a current verification is self-registered: its name and ID number
are what the user typed and bind nothing. A verification is made by a configured
identity provider (统一身份认证, 电子营业执照) or at the counter by an officer who checked
the ID card in person (柜面核验). Each one is kept; the account's level is that of its
current one. A verified ID number is bound to at most one account at a time (database
constraint), whatever the users typed at registration.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zonegov.core.identity.base import ActorRole


class IdentityLevel(models.TextChoices):
    SELF_REGISTERED = "self_registered", _("自行注册（未实名核验）")
    PROVIDER = "provider", _("统一身份认证核验")
    COUNTER = "counter", _("柜面核验")


class IdentityVerification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity_verifications"
    )
    level = models.CharField(_("核验方式"), max_length=20, choices=IdentityLevel.choices)
    provider = models.CharField(_("认证平台"), max_length=40, blank=True)
    provider_label = models.CharField(_("认证平台名称"), max_length=100, blank=True)
    assurance = models.CharField(_("平台实名等级"), max_length=40, blank=True)
    subject = models.CharField(_("平台用户标识"), max_length=128, blank=True)
    name = models.CharField(_("核验姓名"), max_length=50)
    id_number = models.CharField(_("核验身份证号"), max_length=18)
    enterprise_uscc = models.CharField(_("企业统一社会信用代码"), max_length=18, blank=True)
    enterprise_name = models.CharField(_("企业名称"), max_length=200, blank=True)
    enterprise_role = models.CharField(
        _("企业身份"), max_length=30, choices=ActorRole.CHOICES, blank=True
    )
    enterprise_legal_rep = models.CharField(_("法定代表人"), max_length=50, blank=True)
    enterprise_matters = models.JSONField(_("授权事项"), default=list, blank=True)
    enterprise_authorised_until = models.DateTimeField(_("授权有效期至"), null=True, blank=True)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("核验人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    verified_at = models.DateTimeField(_("核验时间"))
    current = models.BooleanField(_("当前有效"), default=True)
    raw_sha256 = models.CharField(max_length=64, blank=True)  # of the provider's answer

    class Meta:
        verbose_name = _("实名核验记录")
        verbose_name_plural = _("实名核验记录")
        ordering = ["-verified_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(current=True), name="identity_one_current_per_user"
            ),
            models.UniqueConstraint(
                fields=["id_number"],
                condition=Q(current=True),
                name="identity_id_number_bound_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} · {self.get_level_display()}"

    @property
    def masked_id_number(self) -> str:
        from zonegov.core.identifiers import mask_id_number

        return mask_id_number(self.id_number)
