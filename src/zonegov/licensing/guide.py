"""Licensing's public services and their 办事指南, registered in the core catalogue
(``core.services_catalogue``) and shown on the public home page and ``/guide/<key>/``.

Everything a guide says is built from licensing's own data, so it cannot drift from what
the application form asks: who may apply (``kinds.PermitKind.holder_kinds``), what is
ticked (``codes.py`` tables, the kind's ``required_facts``), the capture guide's shots
(``capture.GUIDES``), the statutory limits (``kinds.ACCEPTANCE_LIMIT``, the renewal window)
and the decision limit read from the ``CaseType`` row ``food_licence_decision`` (edited in
the admin's 事项时限, so the guide shows the configured working days).

The facts a guide states that come from no table are below, in ONE place. Those tagged
``UNCONFIRMED`` are [M]/[?] in research/food_license.md (or not in the notes at all) and
must be checked against the primary texts before production.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ObjectDoesNotExist

from zonegov.core.models import CaseType
from zonegov.core.models.workflow import unit_suffix
from zonegov.core.services_catalogue import (
    GuideSection,
    ServiceGuide,
    TimeLimit,
    register_public_service,
)
from zonegov.licensing import capture, codes, conf, kinds
from zonegov.licensing.kinds import AppType, HolderKind, PermitKind
from zonegov.licensing.models import CASE_TYPE_CODE

# --- the facts of the guides that no table holds -----------------------------------------

#: 收费标准. UNCONFIRMED [M]: 《行政许可法》第五十八条 — no fee for implementing a licence.
FEES = "不收费"
#: 办理方式 (the source page: zero-contact approval, research/source-page.md).
CHANNEL = "全程网上办理，零见面：申请、签名、拍摄上传、领取电子证照都在网上完成。"
#: 设定依据 of the national kinds. The 办法 is [C] (order 78, in force 2023-12-01); the two
#: laws' article numbers are UNCONFIRMED [M].
NATIONAL_BASIS = (
    "《中华人民共和国食品安全法》第三十五条",
    "《中华人民共和国行政许可法》",
    "《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号，2023年12月1日起施行）",
)
#: The Henan 三小 documents (research note §2: the 条例's text was not read, UNCONFIRMED).
HENAN_BASIS = ("《河南省食品小作坊、小经营店和小摊点管理条例》",)
HENAN_SHOP_BASIS = (*HENAN_BASIS, "《河南省食品小经营店登记管理办法（试行）》")
#: UNCONFIRMED [M]: an electronic certificate has the same legal effect as the paper one.
E_CERTIFICATE_EFFECT = "电子证照与纸质证书具有同等法律效力。"
#: 投诉渠道 besides the certificate's 投诉举报电话 (``conf.complaints_phone``, default
#: 12315). UNCONFIRMED: that the zone answers the national 12345 政务服务便民热线 for
#: licensing complaints (the notes name 12345 only as a grid-work source, casework.md).
HOTLINE = "12345 政务服务便民热线"
#: UNCONFIRMED [M]: 注销 within 20 working days after trading stops (research note §1.5).
CANCEL_LIMIT = 20

# --- building blocks ---------------------------------------------------------------------


def _decision_limits() -> tuple[TimeLimit, ...]:
    """受理 and 决定 limits; the decision limit from the CaseType row (admin-edited)."""
    acceptance = TimeLimit(
        "受理",
        kinds.ACCEPTANCE_LIMIT,
        note="材料齐全的予以受理；需要补正的，一次性告知全部需补正的内容。",
        headline=True,
    )
    try:
        case_type = CaseType.objects.get(code=CASE_TYPE_CODE)
    except ObjectDoesNotExist:  # not configured yet: the statutory default of kinds.py
        fallback = TimeLimit(
            "审批决定", kinds.DECISION_LIMIT, note="自受理之日起计算", headline=True
        )
        return (acceptance, fallback)
    note = "自受理之日起计算"
    if case_type.extension_limit:
        extension = f"{case_type.extension_limit} {unit_suffix(case_type.extension_unit)}"
        note += f"；情况复杂的，经负责人批准可延长 {extension}"
    if case_type.legal_basis:
        note += "。依据：" + case_type.legal_basis
    decision = TimeLimit(
        "审批决定",
        case_type.time_limit,
        unit_label=unit_suffix(case_type.limit_unit),
        note=note,
        headline=True,
    )
    return (acceptance, decision)


def _instant_possible(kind: PermitKind, app_type: str) -> bool:
    return kind.site_check.get(app_type, kinds.NEVER) is not kinds.ALWAYS


def _who_holds(kind: PermitKind) -> str:
    if HolderKind.PERSON in kind.holder_kinds:
        return "有营业执照的市场主体，或无营业执照的自然人均可申请。"
    return "申请人须持有营业执照（统一社会信用代码），以营业执照上的主体名义申请。"


def _materials(kind: PermitKind, app_type: str) -> tuple[str, ...]:
    lines = ["申请人账号：用手机号注册并实名（姓名、身份证号），或用手机验证码登录。"]
    if HolderKind.ENTERPRISE in kind.holder_kinds:
        how = "填写统一社会信用代码后" if app_type == AppType.NEW else ""
        line = f"营业执照：{how}在线自动核验，带出执照信息，无需上传。"
        if HolderKind.PERSON in kind.holder_kinds:
            line += "无营业执照的个人不需要。"
        lines.append(line)
    if app_type != AppType.NEW:
        lines.append(f"原{kind.name}：在“我的证照”中选择，内容自动带出，无需上传。")
    lines.append("申请书：系统按您勾选的内容自动生成，在线电子签名，无需打印。")
    if kind.site_check.get(app_type, kinds.NEVER) is not kinds.NEVER:
        lines.append(
            "经营场所照片和全景视频（需要核查时）：按页面上的拍摄指引用手机拍摄上传，"
            "核查人员远程审看，一般无需到现场。各业态需拍摄："
        )
        table = codes.table()
        for code, subject in table.subject_types[kind.subject_table].items():
            shots = capture.guide_for(kind.subject_table, code)
            lines.append(f"{subject.name}：" + "、".join(s.label for s in shots))
    else:
        lines.append("无需现场核查，无需上传场所照片。")
    if _instant_possible(kind, app_type):
        lines.append(
            "即申即审须在本次登录中通过统一身份认证或电子营业执照实名核验（“实名核验”页面）。"
        )
    return tuple(lines)


def _ticks(kind: PermitKind, app_type: str) -> tuple[GuideSection, ...]:
    table = codes.table()
    if app_type in (AppType.CANCEL, AppType.REPLACE):
        reason = "如：遗失、损毁。" if app_type == AppType.REPLACE else "如：停止经营。"
        return (GuideSection("申请事由", (reason,)), _declaration())
    sections = []
    subjects = table.subject_types[kind.subject_table]
    sections.append(
        GuideSection(
            "主体业态（选一项）",
            tuple(
                s.name
                + (
                    "（可加注：" + "、".join(table.qualifier_name(q) for q in s.qualifiers) + "）"
                    if s.qualifiers
                    else ""
                )
                for s in subjects.values()
            ),
        )
    )
    by_group: dict[str, list[str]] = {}
    for item in table.items[kind.item_table].values():
        label = item.name
        if item.qualifiers:
            label += "（" + "、".join(table.qualifier_name(q) for q in item.qualifiers) + "）"
        by_group.setdefault(table.groups.get(item.group, item.group), []).append(label)
    for group, labels in by_group.items():
        sections.append(GuideSection(f"经营项目 · {group}（可多选）", tuple(labels)))
    facts = [f for f in codes.PREMISES_FACTS if f.code in kind.required_facts]
    sections.append(
        GuideSection(
            "场所情况（逐项选择）",
            tuple(f"{f.label}：" + " / ".join(c.name for c in f.choices) for f in facts),
        )
    )
    typed = "经营者名称、法定代表人（负责人）、住所、经营场所等，有营业执照的自动带出"
    if app_type != AppType.NEW:
        typed = "自动从原证照带出，只改发生变化的内容"
    sections.append(GuideSection("需要填写的少量信息", (typed,)))
    if app_type == AppType.RENEW:
        sections.append(
            GuideSection("延续声明", ("经营条件未发生变化的，勾选声明即可免现场核查。",))
        )
    if app_type == AppType.CHANGE:
        sections.append(GuideSection("申请事由", ("如：变更经营场所、经营项目、住所。",)))
    sections.append(_declaration())
    return tuple(sections)


def _declaration() -> GuideSection:
    return GuideSection("承诺", ("承诺所勾选、填写的信息真实有效，并对其真实性承担法律责任。",))


def _time_limits(kind: PermitKind, app_type: str) -> tuple[TimeLimit, ...]:
    limits = list(_decision_limits())
    if _instant_possible(kind, app_type):
        limits.insert(
            0,
            TimeLimit(
                "即申即审",
                None,
                note=(
                    "电子证照核验和实名核验均通过的，提交即办结，证照当场注销。"
                    if app_type == AppType.CANCEL
                    else "无需核查、电子证照核验和实名核验均通过的，提交即审批，当场生成电子证照。"
                ),
            ),
        )
    if app_type == AppType.RENEW:
        early, late = kinds.RENEWAL_WINDOW
        limits.append(
            TimeLimit(
                "申请延续的时间",
                None,
                note=f"在有效期届满前 {early} 个工作日至 {late} 个工作日之间提出；"
                f"在届满前 {late} 个工作日内才申请的，有效期届满后须停止经营，直至准予延续。",
            )
        )
    if app_type == AppType.CHANGE:
        limits.append(
            TimeLimit(
                "申请变更的时间",
                kinds.CHANGE_REPORT_LIMIT,
                note="许可事项发生变化后，在此期限内申请变更。",
            )
        )
    if app_type == AppType.CANCEL:
        limits.append(
            TimeLimit(
                "申请注销的时间", CANCEL_LIMIT, note="停止经营等情形发生后，在此期限内申请注销。"
            )
        )
    return tuple(limits)


def _delivery(kind: PermitKind, app_type: str) -> tuple[str, ...]:
    if app_type == AppType.CANCEL:
        return (
            f"注销后，{kind.name}在“证照核验”页面显示为已注销，并在“许可公示”中公示。",
            "无需交回电子证照；纸质证书按审批部门的告知处理。",
        )
    return (
        f"电子证照：{kind.document_title}签发后立即可在“我的申请”和证照页面下载（PDF，"
        "带电子签章和二维码），任何人可在“证照核验”页面扫码或输入编号查验。" + E_CERTIFICATE_EFFECT,
        "纸质证书：由行政服务中心打印，可到行政服务中心窗口领取，或邮寄送达。",
        "办理结果在“许可公示”页面公示。",
    )


def _complaints() -> tuple[str, ...]:
    return (
        f"投诉举报电话：{conf.complaints_phone()}（与证照上载明的电话一致）。",
        f"{HOTLINE}。",
        "对不予许可决定不服的：" + kinds.REVIEW_NOTICE,
    )


def _steps(kind: PermitKind, app_type: str) -> tuple[str, ...]:
    start = "登录后进入“我的申请”，点“新办申请”，选择证照种类"
    if app_type != AppType.NEW:
        label = kind.app_type_label(app_type)
        start = f"登录后在“我的申请 → 我的证照”中打开要办理的证照，点“{label}”"
    steps = [
        start,
        "勾选申请内容并保存（不会丢失已填内容）",
        "生成申请书并电子签名",
    ]
    if kind.site_check.get(app_type, kinds.NEVER) is not kinds.NEVER:
        steps.append("需要核查的，按拍摄指引上传照片和视频")
    steps += ["提交申请，随时查看办理进度和剩余时限", f"准予后下载电子{kind.name}"]
    if app_type == AppType.CANCEL:
        steps[-1] = "审批通过后证照注销并公示"
    return tuple(steps)


_WHO: dict[tuple[str, str], tuple[str, ...]] = {
    ("licence", AppType.NEW): (
        "在本区从事食品销售、餐饮服务或食品经营管理的经营者，开业前申请。",
        "仅销售预包装食品的，办理“仅销售预包装食品备案”即可，无需许可。",
    ),
    ("licence", AppType.CHANGE): (
        "已取得食品经营许可证，经营场所、主体业态、经营项目等载明事项发生变化的经营者。",
    ),
    ("licence", AppType.RENEW): ("食品经营许可证有效期即将届满、需要继续经营的经营者。",),
    ("licence", AppType.REPLACE): ("食品经营许可证遗失或损毁的经营者。",),
    ("licence", AppType.CANCEL): ("终止食品经营，或许可依法被撤回、撤销、吊销的经营者。",),
    ("filing", AppType.NEW): (
        "仅销售预包装食品的经营者（批发或零售），办理备案，不需要许可。",
        "备案信息变化或停止经营的，在同一页面办理备案变更、备案注销。",
    ),
    ("small_shop", AppType.NEW): (
        "有固定经营场所、使用面积不超过60平方米、从事食品销售或餐饮服务的个体工商户。",
    ),
    ("small_workshop", AppType.NEW): ("从业人员少、生产加工规模小的食品小作坊。",),
    ("small_stall", AppType.NEW): ("无固定店面，在划定的区域和时段经营的食品摊贩。",),
}


def _start_note(kind: PermitKind, app_type: str) -> str:
    if app_type == AppType.NEW:
        return ""
    label = kind.app_type_label(app_type)
    return f"“开始办理”进入“我的申请”，在“我的证照”中选择要{label}的证照。"


def guide_builder(kind_code: str, app_type: str) -> Callable[[], ServiceGuide]:
    def build() -> ServiceGuide:
        kind = kinds.kind(kind_code)
        basis = NATIONAL_BASIS
        if kind_code == "small_shop":
            basis = HENAN_SHOP_BASIS
        elif kind_code.startswith("small_"):
            basis = HENAN_BASIS
        return ServiceGuide(
            who=(*_WHO.get((kind_code, app_type), ()), _who_holds(kind)),
            materials=_materials(kind, app_type),
            ticks=_ticks(kind, app_type),
            time_limits=_time_limits(kind, app_type),
            fees=FEES,
            legal_basis=basis,
            delivery=_delivery(kind, app_type),
            complaints=_complaints(),
            steps=_steps(kind, app_type),
            authority=conf.issuer_name(),
            channel=CHANNEL,
            start_note=_start_note(kind, app_type),
        )

    return build


# (key, kind, app type, title, summary, group, order)
SERVICES = (
    (
        "licensing.licence.new",
        "licence",
        AppType.NEW,
        "食品经营许可（新办）",
        "从事食品销售、餐饮服务前申请食品经营许可证。",
        "食品经营许可",
        10,
    ),
    (
        "licensing.licence.change",
        "licence",
        AppType.CHANGE,
        "食品经营许可变更",
        "经营场所、主体业态、经营项目等发生变化时申请变更。",
        "食品经营许可",
        11,
    ),
    (
        "licensing.licence.renew",
        "licence",
        AppType.RENEW,
        "食品经营许可延续",
        "许可证有效期届满前申请延续，经营条件未变化的免现场核查。",
        "食品经营许可",
        12,
    ),
    (
        "licensing.licence.replace",
        "licence",
        AppType.REPLACE,
        "食品经营许可补证",
        "许可证遗失、损毁的，申请补发。",
        "食品经营许可",
        13,
    ),
    (
        "licensing.licence.cancel",
        "licence",
        AppType.CANCEL,
        "食品经营许可注销",
        "停止经营等情形，申请注销许可证。",
        "食品经营许可",
        14,
    ),
    (
        "licensing.filing.new",
        "filing",
        AppType.NEW,
        "仅销售预包装食品备案",
        "只卖预包装食品的，备案即可，提交即发备案凭证。",
        "食品经营备案",
        20,
    ),
    (
        "licensing.small_shop.new",
        "small_shop",
        AppType.NEW,
        "食品小经营店登记",
        "60平方米以下的小食品店、小餐饮店登记。",
        "河南省食品“三小”登记备案",
        30,
    ),
    (
        "licensing.small_workshop.new",
        "small_workshop",
        AppType.NEW,
        "食品小作坊登记",
        "馒头、豆制品、卤肉等小作坊登记。",
        "河南省食品“三小”登记备案",
        31,
    ),
    (
        "licensing.small_stall.new",
        "small_stall",
        AppType.NEW,
        "食品小摊点备案",
        "流动摊点、早夜市摊点备案，个人也可办理。",
        "河南省食品“三小”登记备案",
        32,
    ),
)


def register() -> None:
    for key, kind_code, app_type, title, summary, group, order in SERVICES:
        new = app_type == AppType.NEW
        register_public_service(
            key,
            title=title,
            summary=summary,
            guide_builder=guide_builder(kind_code, app_type),
            start_url_name="licensing:application_new" if new else "licensing:my_applications",
            start_query=f"kind={kind_code}" if new else "",
            order=order,
            group=group,
        )


register()
