"""The capture guide: which site photos and video an applicant shoots, per business type,
each with an example of a good shot and what the inspector checks on it (审查要点).

Inspectors review these remotely instead of travelling (source page §1: "inspectors
review the video on a computer"). The checks paraphrase the 《食品经营许可审查通则》
points for premises and facilities; UNCONFIRMED against the 2023 通则's exact wording.
"""

from __future__ import annotations

from dataclasses import dataclass

from zonegov.core.models.attachments import AttachmentKind


@dataclass(frozen=True)
class Shot:
    code: str
    label: str
    example: str  # what a good shot shows
    check: str  # what the inspector verifies on it
    kind: str = AttachmentKind.PHOTO


STOREFRONT = Shot(
    "storefront",
    "门头及周边环境",
    "站在门外拍摄，招牌文字清晰可辨，能看到门牌号和周边25米内环境。",
    "招牌与申请名称一致；周边无污染源（旱厕、垃圾站等）。",
)
KITCHEN = Shot(
    "kitchen",
    "加工操作间",
    "从门口拍摄操作间全景：灶台、操作台、排烟罩都在画面中，地面墙面清晰。",
    "布局生进熟出；地面、墙裙易清洗；排烟设施完好；面积与经营规模相适应。",
)
CHANGING = Shot(
    "changing_room",
    "更衣室（更衣场所）",
    "拍摄更衣柜或更衣区域及洗手设施。",
    "设有独立更衣场所和洗手设施。",
)
STORAGE = Shot(
    "storage",
    "库房",
    "拍摄库房全景，能看到货架离地离墙存放。",
    "原料离地离墙存放；生熟分开；无有毒有害物品混放。",
)
PEST = Shot(
    "pest_control",
    "防蝇防鼠设施",
    "近距离拍摄门帘/纱窗、挡鼠板、灭蝇灯等设施。",
    "防蝇、防鼠、防虫设施齐全有效。",
)
DISINFECTION = Shot(
    "disinfection",
    "清洗消毒设施",
    "拍摄洗碗池、消毒柜和保洁柜。",
    "餐用具清洗、消毒、保洁设施齐全，标识清楚。",
)
COLD_ROOM = Shot(
    "cold_room",
    "专间（冷食/生食）",
    "拍摄专间入口的预进间、紫外线灯和空调。",
    "冷食、生食类应设专间，专间内有独立空调、紫外线消毒和专用冷藏设施。",
)
SALES_AREA = Shot(
    "sales_area",
    "经营区域",
    "拍摄货架、柜台全景。",
    "食品与非食品分区存放；散装食品有防尘设施并标明信息。",
)
COLD_CHAIN = Shot(
    "cold_chain",
    "冷藏冷冻设施",
    "拍摄冷藏柜、冷冻柜及温度显示。",
    "冷藏冷冻设施运行正常，温度显示清晰。",
)
SAMPLE = Shot(
    "sample_cabinet",
    "留样设施",
    "拍摄留样冰箱及留样记录。",
    "集中用餐单位食堂按规定设置专用留样冰箱。",
)
WORKSHOP = Shot(
    "workshop",
    "生产加工间",
    "拍摄加工设备和工艺流程布局。",
    "生产场所与生活区分开；设备布局合理，防止交叉污染。",
)
STALL = Shot(
    "stall",
    "摊点及售卖设施",
    "拍摄摊点全貌、售卖台和防尘罩。",
    "有防尘、防蝇设施；在划定区域和时段经营。",
)
VIDEO = Shot(
    "walkthrough",
    "全景视频（1–3分钟）",
    "从门口开始，按原料入口→库房→加工间→售卖/就餐区的顺序连续拍摄，边走边拍，不剪辑。",
    "实际布局与平面布局、照片一致；各功能区设施齐全。",
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

# Items that add a shot wherever they appear.
ITEM_SHOTS: dict[str, Shot] = {"cold": COLD_ROOM, "raw": COLD_ROOM}


def guide_for(subject_table: str, subject_code: str, items: list[str] | None = None) -> list[Shot]:
    shots = list(GUIDES.get((subject_table, subject_code), (STOREFRONT, VIDEO)))
    for item in items or []:
        extra = ITEM_SHOTS.get(item)
        if extra and extra not in shots:
            shots.insert(
                -1 if shots and shots[-1].kind == AttachmentKind.VIDEO else len(shots), extra
            )
    return shots


ALL_SHOTS = {
    s.code: s
    for s in (
        STOREFRONT, KITCHEN, CHANGING, STORAGE, PEST, DISINFECTION, COLD_ROOM, SALES_AREA,
        COLD_CHAIN, SAMPLE, WORKSHOP, STALL, VIDEO,
    )
}  # fmt: skip
