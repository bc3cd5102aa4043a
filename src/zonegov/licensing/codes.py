"""Versioned code tables the applicant ticks instead of typing (以勾选代替填写).

Each table has a version; an application records the version it was ticked against, so a
later SAMR adjustment of the item list (research note §1.4: "SAMR may adjust the items")
adds a new version here without changing old applications.

Source: 《食品经营许可和备案管理办法》(市场监管总局令第78号, 2023) as summarised in
research/food_license.md §1.4. Everything marked ``confirmed=False`` there is [M] or [?]:
check it against the primary text and correct it HERE (the only place these lists live).
"""

from __future__ import annotations

from dataclasses import dataclass, field

CURRENT_VERSION = "2023"


@dataclass(frozen=True)
class Qualifier:
    code: str
    name: str


@dataclass(frozen=True)
class SubjectType:
    """主体业态. ``code`` is the digit used in JY/YB numbers."""

    code: str
    name: str
    qualifiers: tuple[str, ...] = ()
    confirmed: bool = False


@dataclass(frozen=True)
class Item:
    """经营项目 (or, for 小作坊, a product category)."""

    code: str
    name: str
    group: str
    qualifiers: tuple[str, ...] = ()
    confirmed: bool = False
    needs_qualifier: str = ""  # e.g. 半成品制售 only with the 中央厨房 qualifier


@dataclass(frozen=True)
class Choice:
    code: str
    name: str


@dataclass(frozen=True)
class PremisesFact:
    """A fact about the premises answered by a choice."""

    code: str
    label: str
    choices: tuple[Choice, ...]
    help: str = ""


@dataclass(frozen=True)
class CodeTable:
    version: str
    qualifiers: dict[str, Qualifier]
    subject_types: dict[str, dict[str, SubjectType]]  # table name -> code -> type
    items: dict[str, dict[str, Item]]  # table name -> code -> item
    groups: dict[str, str] = field(default_factory=dict)

    def qualifier_name(self, code: str) -> str:
        q = self.qualifiers.get(code)
        return q.name if q else code


def _index(rows):
    return {r.code: r for r in rows}


QUALIFIERS_2023 = _index(
    [
        Qualifier("wholesale", "批发"),
        Qualifier("online", "网络经营"),
        Qualifier("central_kitchen", "中央厨房"),
        Qualifier("group_delivery", "集体用餐配送"),
        Qualifier("vending", "自动设备"),
        Qualifier("school", "学校/托幼机构食堂"),
        Qualifier("cooked", "含散装熟食"),
        Qualifier("cold_pastry", "含冷加工糕点"),
        Qualifier("cold_meat", "含冷荤类"),
        Qualifier("chilled", "含冷藏冷冻食品"),
    ]
)

GROUPS = {
    "sales": "食品销售",
    "catering": "餐饮服务",
    "management": "食品经营管理",
    "special": "特殊食品销售",
    "prepack": "预包装食品销售（备案）",
    "workshop": "小作坊生产加工品种",
}

SUBJECT_TYPES_LICENCE = _index(
    [
        SubjectType("1", "食品销售经营者", ("wholesale", "online", "vending")),
        SubjectType(
            "2", "餐饮服务经营者", ("central_kitchen", "group_delivery", "online", "vending")
        ),
        SubjectType("3", "集中用餐单位食堂", ("school",), confirmed=True),
    ]
)
# YB numbers: 1 = 批发, 2 = 零售 (research note §1.3 [M]).
SUBJECT_TYPES_FILING = _index(
    [
        SubjectType("1", "预包装食品销售者（批发）", ("online",)),
        SubjectType("2", "预包装食品销售者（零售）", ("online", "vending")),
    ]
)
# Henan 三小: the regulation's wording is not confirmed (research note §2 [?]).
SUBJECT_TYPES_SMALL_SHOP = _index(
    [SubjectType("1", "食品销售小经营店"), SubjectType("2", "餐饮服务小经营店")]
)
SUBJECT_TYPES_WORKSHOP = _index([SubjectType("1", "食品小作坊")])
SUBJECT_TYPES_STALL = _index([SubjectType("1", "食品销售小摊点"), SubjectType("2", "餐饮小摊点")])

ITEMS_LICENCE = _index(
    [
        Item("bulk", "散装食品销售", "sales", ("cooked", "chilled")),
        Item("bulk_prepack", "散装食品和预包装食品销售", "sales", ("cooked", "chilled")),
        Item("health", "保健食品销售", "special"),
        Item("fsmp", "特殊医学用途配方食品销售", "special"),
        Item("infant_milk", "婴幼儿配方乳粉销售", "special"),
        Item("infant_other", "其他婴幼儿配方食品销售", "special"),
        Item("hot", "热食类食品制售", "catering", confirmed=True),
        Item("cold", "冷食类食品制售", "catering", ("cold_pastry", "cold_meat")),
        Item("raw", "生食类食品制售", "catering"),
        Item("semi", "半成品制售", "catering", needs_qualifier="central_kitchen"),
        Item("drinks", "自制饮品制售", "catering"),
        Item("chain_sales", "食品销售连锁管理", "management"),
        Item("chain_catering", "餐饮服务连锁管理", "management"),
        Item("catering_mgmt", "餐饮服务管理", "management"),
    ]
)
ITEMS_FILING = _index([Item("prepack", "预包装食品销售", "prepack", ("chilled",), confirmed=True)])
ITEMS_SMALL = _index(
    [
        Item("bulk", "散装食品销售", "sales", ("cooked",)),
        Item("bulk_prepack", "散装食品和预包装食品销售", "sales", ("cooked",)),
        Item("hot", "热食类食品制售", "catering"),
        Item("cold", "冷食类食品制售", "catering"),
        Item("drinks", "自制饮品制售", "catering"),
    ]
)
ITEMS_WORKSHOP = _index(
    [
        Item("grain", "粮食加工品（馒头、面条、粉条等）", "workshop"),
        Item("soy", "豆制品", "workshop"),
        Item("meat", "熟肉制品（卤肉等）", "workshop"),
        Item("pastry", "糕点", "workshop"),
        Item("oil", "食用植物油（小榨油）", "workshop"),
    ]
)

TABLES: dict[str, CodeTable] = {
    "2023": CodeTable(
        version="2023",
        qualifiers=QUALIFIERS_2023,
        subject_types={
            "licence": SUBJECT_TYPES_LICENCE,
            "filing": SUBJECT_TYPES_FILING,
            "small_shop": SUBJECT_TYPES_SMALL_SHOP,
            "workshop": SUBJECT_TYPES_WORKSHOP,
            "stall": SUBJECT_TYPES_STALL,
        },
        items={
            "licence": ITEMS_LICENCE,
            "filing": ITEMS_FILING,
            "small": ITEMS_SMALL,
            "workshop": ITEMS_WORKSHOP,
        },
        groups=GROUPS,
    ),
}

# The 2015 list, only to read legacy data (research note §1.4 [C], 2015 order 第十条).
LEGACY_2015_ITEMS = (
    "预包装食品销售（含冷藏冷冻食品）",
    "预包装食品销售（不含冷藏冷冻食品）",
    "散装食品销售",
    "特殊食品销售",
    "其他类食品销售",
    "热食类食品制售",
    "冷食类食品制售",
    "生食类食品制售",
    "糕点类食品制售",
    "自制饮品制售",
    "其他类食品制售",
)


def table(version: str | None = None) -> CodeTable:
    return TABLES[version or CURRENT_VERSION]


# --- premises facts (choices, not typing) ------------------------------------------------

YES_NO = (Choice("yes", "有"), Choice("no", "无"))

PREMISES_FACTS: tuple[PremisesFact, ...] = (
    PremisesFact(
        "area",
        "经营场所使用面积",
        (
            Choice("le30", "30平方米及以下"),
            Choice("le60", "30–60平方米"),
            Choice("le200", "60–200平方米"),
            Choice("gt200", "200平方米以上"),
        ),
        help="河南小经营店要求使用面积不超过60平方米。",
    ),
    PremisesFact("tenure", "场所性质", (Choice("own", "自有"), Choice("lease", "租赁"))),
    PremisesFact(
        "water", "生产经营用水", (Choice("public", "市政供水"), Choice("own_well", "自备水源"))
    ),
    PremisesFact("changing_room", "更衣场所", YES_NO),
    PremisesFact("pest_control", "防蝇、防鼠、防虫设施", YES_NO),
    PremisesFact("disinfection", "餐用具清洗消毒设施", (*YES_NO, Choice("na", "不涉及"))),
    PremisesFact("cold_storage", "冷藏冷冻设施", (*YES_NO, Choice("na", "不涉及"))),
    PremisesFact(
        "warehouse",
        "场所外仓库",
        (Choice("none", "无场所外仓库"), Choice("has", "有场所外仓库")),
        help="有场所外仓库的，请填写仓库地址（载于许可证副本）。",
    ),
)
PREMISES_INDEX = {f.code: f for f in PREMISES_FACTS}

# Facts whose answer "no" makes premises unfit for catering/workshops; the applicant may
# still submit (an inspector judges), but the page warns.
REQUIRED_FACILITIES = ("pest_control",)
