import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from zonegov.core.roles import STAFF_ROLES, role_choices


class Role(models.Model):
    code = models.CharField(_("代码"), max_length=40, primary_key=True, choices=role_choices)
    name = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("角色")
        verbose_name_plural = _("角色")

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A natural person known to the platform (applicant, worker, resident, contact)."""

    name = models.CharField(_("姓名"), max_length=50)
    # Not unique: each self-registered account has its own unverified Person with the ID
    # number it typed, so typing someone's number blocks nobody. A verified identity binds
    # an ID number uniquely (issue 10 item 1).
    id_number = models.CharField(_("身份证号"), max_length=18, null=True, blank=True, db_index=True)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("自然人")
        verbose_name_plural = _("自然人")

    def __str__(self) -> str:
        return self.name

    @property
    def masked_id_number(self) -> str:
        from zonegov.core.identifiers import mask_id_number

        return mask_id_number(self.id_number or "")


class User(AbstractUser):
    """Staff users belong to a unit and hold roles; applicants hold neither."""

    full_name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号"), max_length=11, unique=True, null=True, blank=True)
    unit = models.ForeignKey(
        "core.Unit",
        verbose_name=_("所属单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    roles = models.ManyToManyField(Role, verbose_name=_("角色"), blank=True)
    person = models.OneToOneField(
        Person,
        verbose_name=_("实名身份"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )
    title = models.CharField(_("职务"), max_length=50, blank=True)
    # 个人信息保护法 §14: when the person agreed to the rules at /privacy/ (registration).
    privacy_consented_at = models.DateTimeField(
        _("同意个人信息处理规则时间"), null=True, blank=True
    )
    privacy_version = models.CharField(_("所同意规则的版本"), max_length=20, blank=True)
    # Set on an account an admin created with a generated password: until the person sets
    # their own, every page leads to the password change page (core.middleware).
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=False)
    # When an SMS code last proved that the holder of ``mobile`` controls this account
    # (registration, SMS login, 忘记密码). Empty: the number was only typed (an account
    # created before registration checked it, or by staff) and SMS login does not open
    # the account (core.identity.phone, docs/security.md "Mobile numbers are proved").
    mobile_verified_at = models.DateTimeField(_("手机号验证时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    def role_codes(self) -> frozenset[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = (
                frozenset(self.roles.values_list("code", flat=True)) if self.pk else frozenset()
            )
            self._role_codes = cached
        return cached

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes() & set(codes))

    @property
    def is_staff_member(self) -> bool:
        """Works for the zone: belongs to a unit and holds at least one staff role."""
        return self.is_active and self.unit_id is not None and bool(self.role_codes() & STAFF_ROLES)

    @property
    def is_applicant(self) -> bool:
        return self.is_active and not self.is_staff_member


class ApiToken(models.Model):
    """Bearer token for API clients; only the SHA-256 of the secret is stored.

    Created only from a logged-in browser session (never with another token), valid until
    ``expires_at`` (``settings.ZONEGOV_API_TOKEN_DAYS`` after creation) unless revoked;
    every token of a user is revoked when the password changes or the account is disabled,
    and a disabled user's tokens fail anyway (``core.api.base``)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("用途"), max_length=100)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def is_active_at(self, moment) -> bool:
        return self.revoked_at is None and self.expires_at > moment
