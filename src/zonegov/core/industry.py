"""GB/T 4754-2017 国民经济行业分类 (Industrial classification for national economic
activities): 20 sections (门类, A–T) and 97 divisions (大类, 01–97).

Only the two top levels are kept: they are what statistics and the registry group by.
The 2017 edition differs from GB/T 4754-2011 (96 divisions) by the new division
79 土地管理业, which shifts every later code by one: S 公共管理、社会保障和社会组织 is 91–96
and T 国际组织 is 97 (in the 2011 edition they were 90–95 and 96).

The table is loaded by migration ``core.0003_industry_codes``; correct it here and in a new
data migration if the standard is ever amended.
"""

import re
from collections.abc import Iterable
from typing import Any

# (section letter, section name, first division, last division)
SECTIONS: list[tuple[str, str, int, int]] = [
    ("A", "农、林、牧、渔业", 1, 5),
    ("B", "采矿业", 6, 12),
    ("C", "制造业", 13, 43),
    ("D", "电力、热力、燃气及水生产和供应业", 44, 46),
    ("E", "建筑业", 47, 50),
    ("F", "批发和零售业", 51, 52),
    ("G", "交通运输、仓储和邮政业", 53, 60),
    ("H", "住宿和餐饮业", 61, 62),
    ("I", "信息传输、软件和信息技术服务业", 63, 65),
    ("J", "金融业", 66, 69),
    ("K", "房地产业", 70, 70),
    ("L", "租赁和商务服务业", 71, 72),
    ("M", "科学研究和技术服务业", 73, 75),
    ("N", "水利、环境和公共设施管理业", 76, 79),
    ("O", "居民服务、修理和其他服务业", 80, 82),
    ("P", "教育", 83, 83),
    ("Q", "卫生和社会工作", 84, 85),
    ("R", "文化、体育和娱乐业", 86, 90),
    ("S", "公共管理、社会保障和社会组织", 91, 96),
    ("T", "国际组织", 97, 97),
]

DIVISIONS: dict[str, str] = {
    "01": "农业",
    "02": "林业",
    "03": "畜牧业",
    "04": "渔业",
    "05": "农、林、牧、渔专业及辅助性活动",
    "06": "煤炭开采和洗选业",
    "07": "石油和天然气开采业",
    "08": "黑色金属矿采选业",
    "09": "有色金属矿采选业",
    "10": "非金属矿采选业",
    "11": "开采专业及辅助性活动",
    "12": "其他采矿业",
    "13": "农副食品加工业",
    "14": "食品制造业",
    "15": "酒、饮料和精制茶制造业",
    "16": "烟草制品业",
    "17": "纺织业",
    "18": "纺织服装、服饰业",
    "19": "皮革、毛皮、羽毛及其制品和制鞋业",
    "20": "木材加工和木、竹、藤、棕、草制品业",
    "21": "家具制造业",
    "22": "造纸和纸制品业",
    "23": "印刷和记录媒介复制业",
    "24": "文教、工美、体育和娱乐用品制造业",
    "25": "石油、煤炭及其他燃料加工业",
    "26": "化学原料和化学制品制造业",
    "27": "医药制造业",
    "28": "化学纤维制造业",
    "29": "橡胶和塑料制品业",
    "30": "非金属矿物制品业",
    "31": "黑色金属冶炼和压延加工业",
    "32": "有色金属冶炼和压延加工业",
    "33": "金属制品业",
    "34": "通用设备制造业",
    "35": "专用设备制造业",
    "36": "汽车制造业",
    "37": "铁路、船舶、航空航天和其他运输设备制造业",
    "38": "电气机械和器材制造业",
    "39": "计算机、通信和其他电子设备制造业",
    "40": "仪器仪表制造业",
    "41": "其他制造业",
    "42": "废弃资源综合利用业",
    "43": "金属制品、机械和设备修理业",
    "44": "电力、热力生产和供应业",
    "45": "燃气生产和供应业",
    "46": "水的生产和供应业",
    "47": "房屋建筑业",
    "48": "土木工程建筑业",
    "49": "建筑安装业",
    "50": "建筑装饰、装修和其他建筑业",
    "51": "批发业",
    "52": "零售业",
    "53": "铁路运输业",
    "54": "道路运输业",
    "55": "水上运输业",
    "56": "航空运输业",
    "57": "管道运输业",
    "58": "多式联运和运输代理业",
    "59": "装卸搬运和仓储业",
    "60": "邮政业",
    "61": "住宿业",
    "62": "餐饮业",
    "63": "电信、广播电视和卫星传输服务",
    "64": "互联网和相关服务",
    "65": "软件和信息技术服务业",
    "66": "货币金融服务",
    "67": "资本市场服务",
    "68": "保险业",
    "69": "其他金融业",
    "70": "房地产业",
    "71": "租赁业",
    "72": "商务服务业",
    "73": "研究和试验发展",
    "74": "专业技术服务业",
    "75": "科技推广和应用服务业",
    "76": "水利管理业",
    "77": "生态保护和环境治理业",
    "78": "公共设施管理业",
    "79": "土地管理业",
    "80": "居民服务业",
    "81": "机动车、电子产品和日用产品修理业",
    "82": "其他服务业",
    "83": "教育",
    "84": "卫生",
    "85": "社会工作",
    "86": "新闻和出版业",
    "87": "广播、电视、电影和录音制作业",
    "88": "文化艺术业",
    "89": "体育",
    "90": "娱乐业",
    "91": "中国共产党机关",
    "92": "国家机构",
    "93": "人民政协、民主党派",
    "94": "社会保障",
    "95": "群众团体、社会团体和其他成员组织",
    "96": "基层群众自治组织及其他组织",
    "97": "国际组织",
}


def section_of(division: str) -> str:
    """The section letter of a two-digit division code ("38" → "C")."""
    number = int(division)
    for letter, _name, first, last in SECTIONS:
        if first <= number <= last:
            return letter
    raise KeyError(division)


def rows() -> Iterable[tuple[str, str, str, str | None]]:
    """(code, name, level, parent code): sections first, then divisions."""
    for letter, name, _first, _last in SECTIONS:
        yield letter, name, "section", None
    for code, name in DIVISIONS.items():
        yield code, name, "division", section_of(code)


def load_industry_codes(model: Any) -> int:
    """Insert or correct every row of the table; ``model`` is ``IndustryCode`` (or the
    historical model inside a migration). Returns the number of rows."""
    count = 0
    for code, name, level, parent in rows():
        model.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "parent_id": parent}
        )
        count += 1
    return count


_CODE_RE = re.compile(r"^\s*([A-Ta-t])?\s*(\d{1,2})?")


def parse_industry_code(text: str) -> str:
    """Read the code out of what people type into a spreadsheet: "38", "C38", "C 38",
    "38 电气机械和器材制造业", "C" or "c". Returns "" when no code can be read; whether
    the code exists is for the caller to check against the table."""
    text = (text or "").strip()
    match = _CODE_RE.match(text)
    if not match or not (match.group(1) or match.group(2)):
        return ""
    letter, digits = match.group(1), match.group(2)
    if digits:
        rest = text[match.end() :]
        if rest[:1].isdigit():  # "381" is a group (中类) code, not a division
            return ""
        code = digits.zfill(2)
        if letter and code in DIVISIONS and section_of(code) != letter.upper():
            return ""  # "A38": the letter contradicts the division; do not guess which
        return code
    # A bare letter only counts when nothing else follows it ("C", "C 制造业").
    rest = text[match.end() :].strip()
    if rest and rest[:1].isascii() and rest[:1].isalnum():
        return ""
    return letter.upper()
