from django.db import models
from django.utils.translation import gettext_lazy as _


class IndustryCode(models.Model):
    """GB/T 4754-2017 国民经济行业分类: sections (门类, A–T) and divisions (大类, 01–97)."""

    class Level(models.TextChoices):
        SECTION = "section", _("门类")
        DIVISION = "division", _("大类")

    code = models.CharField(_("代码"), max_length=4, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        verbose_name = _("行业分类")
        verbose_name_plural = _("行业分类 (GB/T 4754-2017)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EnterpriseType(models.TextChoices):
    LLC = "llc", _("有限责任公司")
    JOINT_STOCK = "joint_stock", _("股份有限公司")
    SOLE_PROPRIETORSHIP = "sole", _("个人独资企业")
    PARTNERSHIP = "partnership", _("合伙企业")
    INDIVIDUAL_BUSINESS = "individual", _("个体工商户")
    COOPERATIVE = "cooperative", _("农民专业合作社")
    BRANCH = "branch", _("分公司")
    OTHER = "other", _("其他")


class EnterpriseSize(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class Enterprise(models.Model):
    """A market entity (市场主体) identified by its 统一社会信用代码 (GB 32100-2015)."""

    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    name = models.CharField(_("名称"), max_length=200, db_index=True)
    kind = models.CharField(_("类型"), max_length=20, choices=EnterpriseType.choices)
    legal_representative = models.CharField(_("法定代表人/负责人"), max_length=50)
    registered_address = models.CharField(_("住所"), max_length=255)
    park = models.ForeignKey(
        "core.Unit",
        verbose_name=_("所属园区/属地"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    industry = models.ForeignKey(
        IndustryCode,
        verbose_name=_("行业"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprises",
    )
    size = models.CharField(_("规模"), max_length=10, choices=EnterpriseSize.choices, blank=True)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("市场主体")
        verbose_name_plural = _("市场主体")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
