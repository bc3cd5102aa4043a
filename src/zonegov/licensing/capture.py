"""The capture guide: which site photos and video an applicant shoots, per business type,
each with an example of a good shot and what the inspector checks on it (审查要点).

Inspectors review these remotely instead of travelling (source page §1: "inspectors
review the video on a computer"). The checks paraphrase the 《食品经营许可审查通则》
points for premises and facilities; UNCONFIRMED against the 2023 通则's exact wording.

The guides are evidence checklists of the core registry (``core.checklists``), one per
(subject table, subject code) under the key ``licensing.<table>.<code>``; this module
only defines licensing's items and which guide each business type gets.
"""

from __future__ import annotations

from zonegov.core.checklists import Checklist, Item, get_checklist, register_checklist
from zonegov.core.models.attachments import AttachmentKind


class Shot(Item):
    """A checklist item under the names licensing's pages and API use."""

    @property
    def code(self) -> str:
        return self.key

    @property
    def example(self) -> str:
        return self.hint


STOREFRONT = Shot(
    key="storefront",
    label="门头及周边环境",
    hint="站在门外拍摄，招牌文字清晰可辨，能看到门牌号和周边25米内环境。",
    check="招牌与申请名称一致；周边无污染源（旱厕、垃圾站等）。",
)
KITCHEN = Shot(
    key="kitchen",
    label="加工操作间",
    hint="从门口拍摄操作间全景：灶台、操作台、排烟罩都在画面中，地面墙面清晰。",
    check="布局生进熟出；地面、墙裙易清洗；排烟设施完好；面积与经营规模相适应。",
)
CHANGING = Shot(
    key="changing_room",
    label="更衣室（更衣场所）",
    hint="拍摄更衣柜或更衣区域及洗手设施。",
    check="设有独立更衣场所和洗手设施。",
)
STORAGE = Shot(
    key="storage",
    label="库房",
    hint="拍摄库房全景，能看到货架离地离墙存放。",
    check="原料离地离墙存放；生熟分开；无有毒有害物品混放。",
)
PEST = Shot(
    key="pest_control",
    label="防蝇防鼠设施",
    hint="近距离拍摄门帘/纱窗、挡鼠板、灭蝇灯等设施。",
    check="防蝇、防鼠、防虫设施齐全有效。",
)
DISINFECTION = Shot(
    key="disinfection",
    label="清洗消毒设施",
    hint="拍摄洗碗池、消毒柜和保洁柜。",
    check="餐用具清洗、消毒、保洁设施齐全，标识清楚。",
)
COLD_ROOM = Shot(
    key="cold_room",
    label="专间（冷食/生食）",
    hint="拍摄专间入口的预进间、紫外线灯和空调。",
    check="冷食、生食类应设专间，专间内有独立空调、紫外线消毒和专用冷藏设施。",
)
SALES_AREA = Shot(
    key="sales_area",
    label="经营区域",
    hint="拍摄货架、柜台全景。",
    check="食品与非食品分区存放；散装食品有防尘设施并标明信息。",
)
COLD_CHAIN = Shot(
    key="cold_chain",
    label="冷藏冷冻设施",
    hint="拍摄冷藏柜、冷冻柜及温度显示。",
    check="冷藏冷冻设施运行正常，温度显示清晰。",
)
SAMPLE = Shot(
    key="sample_cabinet",
    label="留样设施",
    hint="拍摄留样冰箱及留样记录。",
    check="集中用餐单位食堂按规定设置专用留样冰箱。",
)
WORKSHOP = Shot(
    key="workshop",
    label="生产加工间",
    hint="拍摄加工设备和工艺流程布局。",
    check="生产场所与生活区分开；设备布局合理，防止交叉污染。",
)
STALL = Shot(
    key="stall",
    label="摊点及售卖设施",
    hint="拍摄摊点全貌、售卖台和防尘罩。",
    check="有防尘、防蝇设施；在划定区域和时段经营。",
)
VIDEO = Shot(
    key="walkthrough",
    label="全景视频（1–3分钟）",
    hint="从门口开始，按原料入口→库房→加工间→售卖/就餐区的顺序连续拍摄，边走边拍，不剪辑。",
    check="实际布局与平面布局、照片一致；各功能区设施齐全。",
    kind=AttachmentKind.VIDEO,
)

GUIDES: dict[tuple[str, str], tuple[Shot, ...]] = {
    # (subject table, subject code)
    ("licence", "1"): (STOREFRONT, SALES_AREA, STORAGE, COLD_CHAIN, PEST, VIDEO),
    ("licence", "2"): (STOREFRONT, KITCHEN, CHANGING, STORAGE, PEST, DISINFECTION, VIDEO),
    ("licence", "3"): (KITCHEN, CHANGING, STORAGE, PEST, DISINFECTION, SAMPLE, VIDEO),
    ("small_shop", "1"): (STOREFRONT, SALES_AREA, STORAGE, PEST, VIDEO),
    ("small_shop", "2"): (STOREFRONT, KITCHEN, STORAGE, PEST, DISINFECTION, VIDEO),
    ("workshop", "1"): (STOREFRONT, WORKSHOP, STORAGE, CHANGING, PEST, VIDEO),
    ("stall", "1"): (STALL,),
    ("stall", "2"): (STALL,),
    ("filing", "1"): (STOREFRONT,),
    ("filing", "2"): (STOREFRONT,),
}
#: The guide of a business type not listed above.
DEFAULT_GUIDE: tuple[Shot, ...] = (STOREFRONT, VIDEO)

# Items that add a shot wherever they appear.
ITEM_SHOTS: dict[str, Shot] = {"cold": COLD_ROOM, "raw": COLD_ROOM}


def checklist_key(subject_table: str, subject_code: str) -> str:
    return f"licensing.{subject_table}.{subject_code}"


DEFAULT_CHECKLIST = register_checklist(
    Checklist("licensing.default", "食品经营现场拍摄指引", DEFAULT_GUIDE)
)
for (_table, _code), _shots in GUIDES.items():
    register_checklist(Checklist(checklist_key(_table, _code), "食品经营现场拍摄指引", _shots))


def checklist_for(
    subject_table: str, subject_code: str, items: list[str] | None = None
) -> Checklist:
    """The registered checklist of this business type, with the shots its business items
    add (e.g. 冷食类 adds the 专间)."""
    base = get_checklist(checklist_key(subject_table, subject_code)) or DEFAULT_CHECKLIST
    extra = [ITEM_SHOTS[i] for i in items or [] if i in ITEM_SHOTS]
    return base.with_items(*extra)


def guide_for(subject_table: str, subject_code: str, items: list[str] | None = None) -> list[Shot]:
    return list(checklist_for(subject_table, subject_code, items).items)


ALL_SHOTS = {
    s.code: s
    for s in (
        STOREFRONT, KITCHEN, CHANGING, STORAGE, PEST, DISINFECTION, COLD_ROOM, SALES_AREA,
        COLD_CHAIN, SAMPLE, WORKSHOP, STALL, VIDEO,
    )
}  # fmt: skip
