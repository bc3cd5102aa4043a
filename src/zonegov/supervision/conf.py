"""Configuration of routine supervision (日常监督检查) and sampling (抽检).

Every figure here comes from our reading of the rules and is marked where unconfirmed;
change it here (one place), not in the services.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULT_SUPERVISION_UNIT_CODE = "scjg"


def supervision_unit_code() -> str:
    """Code of the unit (市场监督管理局高新区分局) that supervises newly licensed operators
    when a licence message does not name one."""
    return str(getattr(settings, "ZONEGOV_SUPERVISION_UNIT_CODE", DEFAULT_SUPERVISION_UNIT_CODE))


# Inspections per year by risk level, after 《食品生产经营风险分级管理办法（试行）》
# (食药监食监一〔2016〕115号) art. 27: A ≥1/yr, B 1–2/yr, C 2–3/yr, D 3–4/yr.
# UNCONFIRMED: the SAMR revision of the risk-grading rules may have changed these figures
# and a local bureau may set higher ones. The plan schedules ``max`` inspections a year.
RISK_FREQUENCY: dict[str, dict[str, int]] = {
    "A": {"min": 1, "max": 1},
    "B": {"min": 1, "max": 2},
    "C": {"min": 2, "max": 3},
    "D": {"min": 3, "max": 4},
}
RISK_FREQUENCY_CONFIRMED = False

#: Level given to a newly licensed operator until the bureau grades it (UNCONFIRMED: the
#: rules grade a new operator within a set time after licensing; until then we schedule
#: it as B, an ordinary level — our choice, to be confirmed with the bureau).
DEFAULT_RISK_LEVEL = "B"


def planned_inspections(risk_level: str) -> int:
    """How many routine inspections a year the plan schedules for ``risk_level``."""
    row = RISK_FREQUENCY.get(risk_level) or RISK_FREQUENCY[DEFAULT_RISK_LEVEL]
    return int(row["max"])


#: Minimum number of law-enforcement officers on an inspection: 《食品生产经营监督检查管理
#: 办法》（市场监管总局令第49号）requires at least two (执法人员不得少于2人).
MIN_INSPECTORS = 2

#: Longest rectification period the form accepts, in calendar days (UNCONFIRMED: the
#: 办法 leaves the period to the inspectors; 90 days is a local sanity bound).
MAX_RECTIFICATION_DAYS = 90

# Checklist of a routine inspection of a food business (after the 食品经营日常监督检查
# 要点表 attached to 总局令第49号 — UNCONFIRMED: abridged headings, not the full table).
CHECKLIST: list[tuple[str, str]] = [
    ("1", _("经营资质：许可证/登记证在有效期内并悬挂或公示，经营项目与许可一致")),
    ("2", _("经营条件：经营场所环境整洁，设施设备与许可条件一致")),
    ("3", _("从业人员：健康证明有效，上岗前经培训")),
    ("4", _("进货查验：查验供货者资质和产品合格证明，进货查验记录完整")),
    ("5", _("贮存：食品与非食品分开存放，温度符合要求，无过期变质食品")),
    ("6", _("加工制作：生熟分开，加工过程符合要求，食品添加剂使用规范")),
    ("7", _("餐用具清洗消毒：设施正常运转，消毒记录完整")),
    ("8", _("食品安全管理：管理制度、自查记录、食品安全管理人员配备")),
]
