"""The rules of 政务服务"好差评" in one place (research: petitions-evaluation.md §2).

Sources: 国办发〔2019〕51号; GB/T 39046—2020 §6.6 Table 9 and A.8 (the record and the
satisfaction codes) [C]; the 差评 levels and the 好评 levels from local rules [S]. The
items marked [U] are not confirmed: correct them here (or in the setting named), nowhere
else.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    """The five levels (GB/T 39046—2020 A.8). Stored as 1..5, 5 being the best, so that
    "more is better" in every query; the codes of the standard and of provincial
    interfaces, which run in opposite directions, are in ``CODES``."""

    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASICALLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


@dataclass(frozen=True)
class LevelCodes:
    gb_code: int  # 满意度代码, GB/T 39046—2020 A.8: 1=非常满意 … 5=非常不满意 [C]
    provincial_code: int  # provincial 好差评 interfaces: 1=非常不满意 … 5=非常满意 [S]


#: The one table mapping our stored level to the codes other systems use. An adapter
#: reporting to a provincial system reads the code it needs from here, never computes it.
CODES: dict[int, LevelCodes] = {
    Level.VERY_SATISFIED: LevelCodes(gb_code=1, provincial_code=5),
    Level.SATISFIED: LevelCodes(gb_code=2, provincial_code=4),
    Level.BASICALLY_SATISFIED: LevelCodes(gb_code=3, provincial_code=3),
    Level.DISSATISFIED: LevelCodes(gb_code=4, provincial_code=2),
    Level.VERY_DISSATISFIED: LevelCodes(gb_code=5, provincial_code=1),
}

#: 差评 = 不满意 + 非常不满意 [S]: each opens a rectification case.
BAD_LEVELS = frozenset({Level.DISSATISFIED, Level.VERY_DISSATISFIED})
#: 好评 = 非常满意、满意、基本满意 (local rules count 基本满意 as 好评) [S]; 好评率 is
#: good ratings ÷ all ratings.
GOOD_LEVELS = frozenset({Level.VERY_SATISFIED, Level.SATISFIED, Level.BASICALLY_SATISFIED})


def is_bad(level: int) -> bool:
    return level in BAD_LEVELS


class Channel(models.TextChoices):
    """评价渠道 (GB/T 39046 Table 9). The ``pf`` codes 1 and 2 agree across provinces;
    the others differ, so only these two are offered online."""

    PC = "pc", _("PC端")
    MOBILE = "mobile", _("移动服务端")


PF_CODES = {Channel.PC: 1, Channel.MOBILE: 2}

#: 文字评价: the standard sets no length (..ul); we keep comments readable.
COMMENT_MAX_LENGTH = 500
#: 整改说明 and 回访 notes.
ANSWER_MAX_LENGTH = 2000

#: 评价时效: days after 办结 during which the person may rate. GB/T 39734-2020 has a
#: 评价时效规则 whose value we have not read [U]; 30 calendar days until confirmed.
DEFAULT_RATING_WINDOW_DAYS = 30


def rating_window_days() -> int:
    return int(getattr(settings, "ZONEGOV_RATING_WINDOW_DAYS", DEFAULT_RATING_WINDOW_DAYS))


#: The 差评 time limit (回访 and 整改) is the CaseType row ``rating_rectification``
#: (admin-editable): no national figure is confirmed [U]; the default of 15 calendar days
#: follows 浙江's 整改 and feedback within 15日 [S] (others: 5 to 15 working days).
RECTIFICATION_CASE_TYPE = "rating_rectification"
DEFAULT_RECTIFICATION_DAYS = 15


class CallbackResult(models.TextChoices):
    """回访: the rater's satisfaction with the rectification."""

    SATISFIED = "satisfied", _("满意")
    BASICALLY_SATISFIED = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")
