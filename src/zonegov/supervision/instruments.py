"""The formal documents of a routine inspection (core ``instrument_issue``): a
监督检查结果告知书 when the result closes the case, a 责令整改通知书 when it orders
rectification. Issued by the inspecting unit inside ``inspection_record``'s transaction,
about the inspection: supervision staff in scope download it (and the operator's
account, when the licence names one)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from zonegov.core.legal_remedies import remedies_text
from zonegov.core.models import IssuedDocument
from zonegov.core.services.documents import (
    INSPECTION_RESULT,
    RECTIFICATION_NOTICE,
    in_official_language,
    instrument_issue,
)
from zonegov.supervision.models import Inspection

SUPERVISION_INSTRUMENTS = (INSPECTION_RESULT.code, RECTIFICATION_NOTICE.code)


def _day(value: date | None) -> str:
    if value is None:
        return ""
    return _("%(y)d年%(m)d月%(d)d日") % {"y": value.year, "m": value.month, "d": value.day}


@in_official_language
def inspection_instrument_issue(
    *, actor: Any, inspection: Inspection, problems: list[str]
) -> IssuedDocument:
    """The result notice, or the rectification order when a deadline was set."""
    operator = inspection.operator
    people = "、".join(u.display_name for u in inspection.inspectors.order_by("pk"))
    ordering = inspection.rectification_deadline is not None
    kind = RECTIFICATION_NOTICE if ordering else INSPECTION_RESULT
    paragraphs = [
        _(
            "本机关执法人员%(people)s于%(day)s依据《食品生产经营监督检查管理办法》对你（单位）"
            "进行了日常监督检查，检查结果为：%(outcome)s。"
        )
        % {
            "people": people,
            "day": _day(inspection.inspected_on),
            "outcome": inspection.get_outcome_display(),
        }
    ]
    if problems:
        paragraphs.append(_("检查发现以下问题："))
    closing: list[str] = []
    rights: list[str] = []
    if ordering:
        closing.append(
            _(
                "根据《中华人民共和国食品安全法》及《食品生产经营监督检查管理办法》的规定，责令你"
                "（单位）于%(d)s前改正上述问题，整改后本机关将进行复查；逾期不改正的，依法处理。"
            )
            % {"d": _day(inspection.rectification_deadline)}
        )
        rights.append(remedies_text(_("你（单位）")))
    elif inspection.summary:
        closing.append(_("检查情况：%(s)s") % {"s": inspection.summary})
    closing.append(_("如有疑问，请联系%(unit)s。") % {"unit": inspection.unit.name})
    facts: list[tuple[str, Any]] = [
        (_("检查编号"), inspection.reference),
        (_("经营者名称"), operator.holder_name),
        (_("许可证编号"), operator.licence_number),
        (_("经营场所"), operator.premises_address),
        (_("检查日期"), _day(inspection.inspected_on)),
        (_("执法人员"), people),
        (_("检查结果"), inspection.get_outcome_display()),
    ]
    if ordering:
        facts.append((_("整改期限"), _day(inspection.rectification_deadline)))
    return instrument_issue(
        actor=actor,
        kind=kind,
        subject=inspection,
        holder_name=operator.holder_name,
        addressee=f"{operator.holder_name}：",
        paragraphs=paragraphs,
        items=problems,
        closing=closing,
        facts=facts,
        rights=rights,
        signatories=[(_("执法人员"), people)],
        issuer_name=inspection.unit.name,
        seal_text=inspection.unit.name,
        public_fields=[
            (_("检查编号"), inspection.reference),
            (_("许可证编号"), operator.licence_number),
        ],
    )


def may_read_inspection_document(user: Any, inspection: Inspection) -> bool:
    """Supervision staff who may open the inspection, and the operator's own account."""
    if user.has_perm("supervision.view_inspection", inspection):
        return True
    account_id = inspection.operator.account_id
    return account_id is not None and account_id == getattr(user, "pk", None)
