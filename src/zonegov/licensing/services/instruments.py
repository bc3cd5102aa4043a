"""The formal documents of a licensing case (core ``instrument_issue``): 受理通知书 at 受理,
补正告知书 at 一次性告知补正, 不予许可决定书 at 不予许可, 现场核查记录 when an on-site visit is
recorded. Each is issued inside the step's transaction (a failure rolls the step back),
about the application, so the case page lists it and the applicant downloads it.

What each contains follows ``research/food_license.md`` §1.6: 受理 with the date and the
decision limit; 补正 with everything missing at once (行政许可法第三十二条) and when the
authority decides after the correction; 不予许可 with its reasons and the remedies
(行政许可法第三十八条, periods in ``core.legal_remedies`` — UNCONFIRMED there).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core.legal_remedies import remedies_text
from zonegov.core.models import IssuedDocument
from zonegov.core.models.workflow import unit_suffix
from zonegov.core.services.documents import (
    ACCEPTANCE_NOTICE,
    CORRECTION_NOTICE,
    ONSITE_RECORD,
    REFUSAL_DECISION,
    InstrumentKind,
    in_official_language,
    instrument_issue,
)
from zonegov.core.services.workflow import case_type_for
from zonegov.licensing import conf, kinds
from zonegov.licensing.models import Application, OnsiteVisit
from zonegov.licensing.selectors import LICENSING_INSTRUMENTS

assert set(LICENSING_INSTRUMENTS) == {
    ACCEPTANCE_NOTICE.code,
    CORRECTION_NOTICE.code,
    REFUSAL_DECISION.code,
    ONSITE_RECORD.code,
}


def _day(value: Any) -> str:
    if value is None:
        return ""
    day = timezone.localdate(value) if isinstance(value, datetime) else value
    return _("%(y)d年%(m)d月%(d)d日") % {"y": day.year, "m": day.month, "d": day.day}


def _matter(app: Application) -> str:
    return _("%(kind)s（%(type)s）") % {"kind": app.kind_label, "type": app.app_type_label}


def _addressee(app: Application) -> str:
    return f"{app.operator_name or app.applicant.display_name}："


def _opening(app: Application) -> str:
    return _("你（单位）于%(day)s提交的%(matter)s申请（申请编号：%(ref)s）") % {
        "day": _day(app.submitted_at or timezone.now()),
        "matter": _matter(app),
        "ref": app.reference,
    }


def _facts(app: Application, *more: tuple[str, Any]) -> list[tuple[str, Any]]:
    return [
        (_("申请编号"), app.reference),
        (_("申请事项"), _matter(app)),
        (_("经营者名称"), app.operator_name),
        (_("经营场所"), app.premises_address),
        *more,
    ]


def _issue(kind: InstrumentKind, *, actor: Any, app: Application, **kwargs: Any) -> IssuedDocument:
    return instrument_issue(
        actor=actor,
        kind=kind,
        subject=app,
        holder_name=app.operator_name,
        addressee=_addressee(app),
        issuer_name=conf.issuer_name(),
        seal_text=conf.seal_text(),
        public_fields=[(_("申请编号"), app.reference), (_("申请事项"), _matter(app))],
        **kwargs,
    )


@in_official_language
def acceptance_notice_issue(*, actor: Any, application: Application) -> IssuedDocument:
    """受理通知书: the day of acceptance and the day the decision is due (the decision
    limit of the case type, started by 受理)."""
    app = application
    case_type = case_type_for(app)
    limit = f"{case_type.time_limit}{unit_suffix(app.limit_unit or case_type.limit_unit)}"
    due = _day(app.due_at) if app.due_at else ""
    paragraphs = [
        _opening(app)
        + _(
            "，经审查，申请材料齐全、符合法定形式。根据《中华人民共和国行政许可法》"
            "第三十二条第一款第（五）项的规定，本机关决定予以受理。"
        ),
        _(
            "本机关将自受理之日起%(limit)s内（%(due)s前）作出行政许可决定；依法延长期限的，将另行告知。"
        )
        % {"limit": limit, "due": due},
    ]
    if app.needs_site_check:
        paragraphs.append(
            _("本申请需要核查经营场所，核查人员将通过平台与你联系，请保持联系方式畅通。")
        )
    paragraphs.append(_("你可以随时登录平台查看办理进度。"))
    return _issue(
        ACCEPTANCE_NOTICE,
        actor=actor,
        app=app,
        paragraphs=paragraphs,
        facts=_facts(
            app,
            (_("受理日期"), _day(timezone.now())),
            (_("承诺办结期限"), _("%(due)s前（%(limit)s）") % {"due": due, "limit": limit}),
        ),
    )


@in_official_language
def correction_notice_issue(
    *, actor: Any, application: Application, items: list[str], note: str
) -> IssuedDocument:
    """补正告知书: everything to correct, told once (一次性告知), and how the case goes on."""
    app = application
    note = (note or "").strip()
    listed = list(items) or ([note] if note else [])
    closing = []
    if items and note:
        closing.append(_("其他说明：%(note)s") % {"note": note})
    closing.append(
        _(
            "请按上述要求一次补正后，通过平台重新提交申请。补正期间不计入办理时限；本机关自收到"
            "全部补正材料之日起%(n)d个工作日内决定是否受理。"
        )
        % {"n": kinds.ACCEPTANCE_LIMIT}
    )
    return _issue(
        CORRECTION_NOTICE,
        actor=actor,
        app=app,
        paragraphs=[
            _opening(app)
            + _(
                "，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条"
                "第一款第（四）项的规定，现一次性告知你需要补正的全部内容如下："
            )
        ],
        items=listed,
        closing=closing,
        facts=_facts(
            app,
            (_("收到申请日期"), _day(app.submitted_at)),
            (_("告知日期"), _day(timezone.now())),
            (_("需补正事项"), _("共%(n)d项") % {"n": len(listed)}),
        ),
    )


@in_official_language
def refusal_decision_issue(*, actor: Any, application: Application, reason: str) -> IssuedDocument:
    """不予许可决定书: the reasons, the legal basis and the remedies with their periods."""
    app = application
    return _issue(
        REFUSAL_DECISION,
        actor=actor,
        app=app,
        paragraphs=[
            _opening(app) + _("，经审查，不符合法定条件、标准，理由如下："),
        ],
        items=[line.strip() for line in reason.splitlines() if line.strip()],
        closing=[_("根据《中华人民共和国行政许可法》第三十八条第二款的规定，本机关决定不予许可。")],
        facts=_facts(app, (_("决定日期"), _day(timezone.now()))),
        rights=[remedies_text(_("你（单位）"))],
    )


@in_official_language
def onsite_record_issue(*, actor: Any, visit: OnsiteVisit) -> IssuedDocument:
    """现场核查记录: who checked, when, why, what they found and the verdict."""
    app = visit.application
    people = "、".join(p.display_name for p in visit.inspectors.order_by("pk"))
    return _issue(
        ONSITE_RECORD,
        actor=actor,
        app=app,
        paragraphs=[
            _(
                "根据《食品经营许可和备案管理办法》的规定，核查人员于%(day)s对你（单位）的经营场所"
                "进行了现场核查，核查情况记录如下。"
            )
            % {"day": _day(visit.visited_on)}
        ],
        facts=_facts(
            app,
            (_("核查事由"), visit.reason),
            (_("核查日期"), _day(visit.visited_on)),
            (_("核查人员"), people),
            (_("核查结论"), visit.get_result_display()),
            (_("核查情况"), visit.note),
        ),
        signatories=[(_("核查人员"), people), (_("记录人"), actor.display_name)],
    )
