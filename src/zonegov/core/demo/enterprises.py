"""Demo market entities for the zone's parks and the food-licensing module.

All names, people, addresses and phone numbers are fictional. The credit codes are
generated (registering region 410400, 平顶山市) with a correct GB 32100 check character so
that they pass validation; they are not meant to match any real entity.
"""

from datetime import date
from typing import Any

from django.db import transaction
from stdnum.cn import uscc as stdnum_uscc

from zonegov.core.models import Enterprise, IndustryCode, Unit
from zonegov.core.models.enterprise import EnterpriseType
from zonegov.core.services.enterprises import enterprise_create

REGION = "410400"

# One enterprise a line: 属地|name|type|legal representative|address|industry (GB/T 4754
# division)|size|established|contact|phone. Types and sizes are the model's choice values.
PARK_ENTERPRISES = """
# 电气装备产业园区 — electrical equipment makers
电气装备产业园区|平顶山华辰电气设备有限公司|llc|高志远|平顶山市高新区电气装备产业园区纬一路6号|38|medium|2012-05-18|韩雪|13803751001
电气装备产业园区|河南昱能开关股份有限公司|joint_stock|马国栋|平顶山市高新区电气装备产业园区经三路18号|38|large|2006-09-01|潘丽君|13803751002
电气装备产业园区|平顶山恒拓高压电器有限公司|llc|陈立新|平顶山市高新区电气装备产业园区纬二路22号|38|medium|2014-03-27|杜鹏|13803751003
电气装备产业园区|平顶山瑞格绝缘材料有限公司|llc|周文斌|平顶山市高新区电气装备产业园区经五路9号|29|small|2016-11-08|彭珊|13803751004
电气装备产业园区|河南博源电力自动化有限公司|llc|杨振华|平顶山市高新区电气装备产业园区创业大厦A座5层|40|small|2018-06-12|邱晨|13803751005
电气装备产业园区|平顶山联盛精密铸件有限公司|llc|罗建军|平顶山市高新区电气装备产业园区纬三路3号|33|small|2015-04-20|孟凡|13803751006
电气装备产业园区|平顶山智联变压器检测技术有限公司|llc|袁晓东|平顶山市高新区电气装备产业园区科创中心2号楼|74|micro|2020-08-03|施雨|13803751007
电气装备产业园区|平顶山中科电缆附件有限公司|llc|侯永强|平顶山市高新区电气装备产业园区经二路15号|38|small|2019-01-15|卢婷|13803751008
# 临港物流产业园区 — logistics
临港物流产业园区|平顶山通衢多式联运有限公司|llc|郑海涛|平顶山市高新区临港物流产业园区港前路1号|58|medium|2017-07-06|秦月|13803752001
临港物流产业园区|河南鹰城冷链仓储有限公司|llc|冯家豪|平顶山市高新区临港物流产业园区仓储区6号库|59|small|2019-10-21|范琳|13803752002
临港物流产业园区|平顶山远驰道路运输有限公司|llc|吕成刚|平顶山市高新区临港物流产业园区物流大道88号|54|small|2013-12-02|魏娜|13803752003
临港物流产业园区|平顶山港泰装卸服务有限公司|llc|蒋卫东|平顶山市高新区临港物流产业园区码头作业区|59|micro|2021-03-30|沈佳|13803752004
临港物流产业园区|平顶山捷达供应链管理有限公司|llc|贾志刚|平顶山市高新区临港物流产业园区综合服务楼301室|72|small|2018-05-09|丁宁|13803752005
临港物流产业园区|平顶山安运危险品仓储有限公司|llc|曹建平|平顶山市高新区临港物流产业园区专用仓储区|59|small|2016-08-17|任静|13803752006
临港物流产业园区|平顶山快邦城市配送合伙企业（有限合伙）|partnership|许强|平顶山市高新区临港物流产业园区分拨中心|54|micro|2022-02-14|许强|13803752007
# 皇台产业园区 — new materials, graphite
皇台产业园区|平顶山碳源新材料股份有限公司|joint_stock|林国华|平顶山市高新区皇台产业园区新材料路10号|30|large|2010-04-26|钱蕾|13803753001
皇台产业园区|平顶山晶石特种石墨有限公司|llc|董明|平顶山市高新区皇台产业园区新材料路16号|30|medium|2015-09-09|严欢|13803753002
皇台产业园区|平顶山烯创石墨烯科技有限公司|llc|叶青松|平顶山市高新区皇台产业园区孵化园B栋|73|small|2020-12-01|宋佳怡|13803753003
皇台产业园区|河南宏碳负极材料有限公司|llc|程伟|平顶山市高新区皇台产业园区纬六路5号|39|medium|2018-03-19|黎明|13803753004
皇台产业园区|平顶山锐达耐火材料有限公司|llc|石国庆|平顶山市高新区皇台产业园区经七路2号|30|small|2011-06-28|尹红|13803753005
皇台产业园区|平顶山碳谷检测认证有限公司|llc|姜涛|平顶山市高新区皇台产业园区科技服务中心|74|micro|2021-09-13|汤敏|13803753006
皇台产业园区|平顶山新碳再生资源有限公司|llc|田野|平顶山市高新区皇台产业园区循环经济区|42|small|2017-11-23|易莉|13803753007
# 尼龙智造产业园区 — nylon materials
尼龙智造产业园区|平顶山锦纶新材料股份有限公司|joint_stock|刘振宇|平顶山市高新区尼龙智造产业园区尼龙大道1号|28|large|2008-10-10|常娟|13803754001
尼龙智造产业园区|平顶山聚酰胺工程塑料有限公司|llc|白建设|平顶山市高新区尼龙智造产业园区尼龙大道27号|29|medium|2014-07-04|万芳|13803754002
尼龙智造产业园区|平顶山恒纺帘子布有限公司|llc|邹长青|平顶山市高新区尼龙智造产业园区纬八路9号|17|medium|2012-02-22|段琳|13803754003
尼龙智造产业园区|平顶山尼科化工中间体有限公司|llc|薛宏伟|平顶山市高新区尼龙智造产业园区化工区3号|26|small|2016-05-31|雷雪|13803754004
尼龙智造产业园区|平顶山锦程纺织服饰有限公司|llc|龚志军|平顶山市高新区尼龙智造产业园区经九路12号|18|small|2019-04-08|毛颖|13803754005
尼龙智造产业园区|平顶山智塑3D打印科技有限公司|llc|贺一鸣|平顶山市高新区尼龙智造产业园区众创空间204|35|micro|2022-06-06|顾晴|13803754006
尼龙智造产业园区|平顶山锦纶新材料股份有限公司尼龙制品分公司|branch|郝建国|平顶山市高新区尼龙智造产业园区纬十路4号|29|small|2018-09-25|邵丹|13803754007
"""

# Food businesses for the licensing module: restaurants, canteens, shops, small makers.
# Several are 个体工商户 (individual), whose codes start with 92.
FOOD_BUSINESSES = """
皇台街道|高阳社区张记烩面馆|individual|张红梅|平顶山市高新区皇台街道高阳社区建设路东段12号|62|micro|2019-03-05|张红梅|13903751101
皇台街道|高新区老李家胡辣汤店|individual|李保国|平顶山市高新区皇台街道高阳社区农贸市场东门|62|micro|2020-05-20|李保国|13903751102
皇台街道|高新区王嫂家常菜馆|individual|王秀兰|平顶山市高新区皇台街道新华路88号|62|micro|2021-08-08|王秀兰|13903751103
皇台街道|高新区鲜果日记水果店|individual|赵欣|平顶山市高新区皇台街道高阳社区商业街5号|52|micro|2022-04-01|赵欣|13903751104
皇台街道|高新区刘记卤味熟食店|individual|刘建华|平顶山市高新区皇台街道高阳社区菜市场内12号摊位|52|micro|2018-11-11|刘建华|13903751105
遵化店镇|遵化店镇周家饺子馆|individual|周玉兰|平顶山市高新区遵化店镇戴庄村集贸街3号|62|micro|2017-06-16|周玉兰|13903751106
遵化店镇|遵化店镇乡味便民超市|individual|孙长海|平顶山市高新区遵化店镇张楼村村委会对面|52|micro|2016-01-09|孙长海|13903751107
皇台街道|平顶山味之源餐饮管理有限公司|llc|吴志强|平顶山市高新区皇台街道新城区商务楼1层|62|small|2018-07-12|何丽|13903751108
电气装备产业园区|平顶山园区职工食堂管理有限公司|llc|郭建设|平顶山市高新区电气装备产业园区服务中心1层|62|small|2019-09-02|宋晓燕|13903751109
皇台街道|平顶山鹰城烘焙食品有限公司|llc|黄晓明|平顶山市高新区皇台街道工业路16号|14|small|2015-10-18|朱婷|13903751110
临港物流产业园区|平顶山优鲜食品供应链有限公司|llc|胡海波|平顶山市高新区临港物流产业园区冷链中心2号库|51|small|2020-11-27|林娜|13903751111
皇台街道|高新区甜蜜时光奶茶店|individual|陈思雨|平顶山市高新区皇台街道学院路21号|62|micro|2023-02-18|陈思雨|13903751112
"""


def _parse(table: str) -> list[list[str]]:
    return [
        line.split("|")
        for line in table.strip().splitlines()
        if line.strip() and not line.startswith("#")
    ]


def demo_uscc(index: int, *, kind: str) -> str:
    """A deterministic, valid code: 9 (市场监管) + 1 企业 / 2 个体工商户, region, a
    made-up organisation code, and the GB 32100 check character."""
    entity = "2" if kind == EnterpriseType.INDIVIDUAL_BUSINESS else "1"
    body = f"9{entity}{REGION}MA4{'GX' if entity == '1' else 'GT'}{index:04d}"
    return body + stdnum_uscc.calc_check_digit(body)


def demo_rows() -> list[dict[str, Any]]:
    rows = []
    lines = _parse(PARK_ENTERPRISES) + _parse(FOOD_BUSINESSES)
    for index, item in enumerate(lines, start=1):
        park, name, kind, legal, address, industry, size, established, contact, phone = item
        rows.append(
            {
                "park": park,
                "uscc": demo_uscc(index, kind=kind),
                "name": name,
                "kind": kind,
                "legal_representative": legal,
                "registered_address": address,
                "industry": industry,
                "size": size,
                "established_on": date.fromisoformat(established),
                "contact_name": contact,
                "contact_phone": phone,
            }
        )
    return rows


@transaction.atomic
def seed_enterprises(*, parks: dict[str, Unit], actor: Any) -> int:
    """Register the demo enterprises that are not there yet (looked up by USCC) through
    the registry service, so each is audited. ``parks`` maps a park (or street/town) name
    to its unit; an enterprise whose park is missing from it gets no 属地. Returns how
    many demo enterprises exist afterwards."""
    industries = IndustryCode.objects.in_bulk()
    existing = set(
        Enterprise.objects.filter(uscc__in=[r["uscc"] for r in demo_rows()]).values_list(
            "uscc", flat=True
        )
    )
    count = 0
    for row in demo_rows():
        count += 1
        if row["uscc"] in existing:
            continue
        enterprise_create(
            actor=actor,
            **{
                **row,
                "park": parks.get(row["park"]),
                "industry": industries.get(row["industry"]),
            },
        )
    return count
