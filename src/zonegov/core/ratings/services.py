"""Every write of 好差评: rate a case, answer a 差评, record the 回访."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core.errors import ApplicationError
from zonegov.core.ratings import rules
from zonegov.core.ratings.models import RatingRectification, RectificationState, ServiceRating
from zonegov.core.ratings.registry import RatedCase, RatedService, get_rated_service
from zonegov.core.services.audit import audit_append
from zonegov.core.services.notifications import notify
from zonegov.core.services.numbering import number_format
from zonegov.core.services.workflow import case_open, case_transition
from zonegov.core.validation import control_characters_message, has_control_characters


def access_rated_case(
    *, user: Any, service_key: str, reference: str
) -> tuple[RatedService, RatedCase]:
    """The service and case a user may rate or follow: only the case's applicant; anyone
    else (or an unknown service or case) gets a 404, as for any record not theirs."""
    service = get_rated_service(service_key)
    if service is None or not getattr(user, "is_authenticated", False) or len(reference) > 50:
        raise Http404
    case = service.resolve(reference)
    if case is None or case.applicant_id is None or case.applicant_id != user.pk:
        raise Http404
    return service, case


def rating_refusal(case: RatedCase, now: Any = None) -> str:
    """Why the case cannot be rated now ("" when it can): not finished, or the 评价时效
    (``rules.rating_window_days``) has passed."""
    now = now or timezone.now()
    if case.completed_at is None:
        return _("办结后才能评价本次服务。")
    days = rules.rating_window_days()
    if now > case.completed_at + timedelta(days=days):
        return _("已超过评价期限（办结后%(n)d日内），不能再评价。") % {"n": days}
    return ""


def _clean_text(value: str, field: str, limit: int, label: str) -> str:
    text = (value or "").strip()
    if has_control_characters(text):
        raise ApplicationError(
            control_characters_message(), field_errors={field: [control_characters_message()]}
        )
    if len(text) > limit:
        message = _("%(label)s不能超过%(n)d个字（现有%(m)d个）。") % {
            "label": label,
            "n": limit,
            "m": len(text),
        }
        raise ApplicationError(message, field_errors={field: [message]})
    return text


@transaction.atomic
def rating_submit(
    *,
    actor: Any,
    service_key: str,
    reference: str,
    level: int,
    comment: str = "",
    channel: str = rules.Channel.PC,
) -> ServiceRating:
    """The applicant rates a finished case once (一事一评). A 差评 (``rules.BAD_LEVELS``)
    opens a rectification case for the case's unit with the CaseType's time limit."""
    service, case = access_rated_case(user=actor, service_key=service_key, reference=reference)
    refusal = rating_refusal(case)
    if refusal:
        raise ApplicationError(refusal)
    if level not in rules.Level.values:
        message = _("请选择满意度（非常满意、满意、基本满意、不满意、非常不满意之一）。")
        raise ApplicationError(message, field_errors={"level": [message]})
    if channel not in rules.Channel.values:
        raise ApplicationError(_("评价渠道无效。"), field_errors={"channel": [_("评价渠道无效。")]})
    comment = _clean_text(comment, "comment", rules.COMMENT_MAX_LENGTH, _("文字评价"))
    if ServiceRating.objects.filter(
        service=service.key, case_reference=case.reference, rater=actor
    ).exists():
        raise ApplicationError(_("您已评价过本次服务，每件事项只能评价一次。"))
    rating = ServiceRating(
        service=service.key,
        case_reference=case.reference,
        case_title=case.title[:200],
        rater=actor,
        unit=case.unit,
        level=level,
        comment=comment,
        channel=channel,
        created_at=timezone.now(),
    )
    rating.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError:  # a second submission racing the first
        raise ApplicationError(_("您已评价过本次服务，每件事项只能评价一次。")) from None
    audit_append(
        actor=actor,
        action="rating.submit",
        obj=rating,
        changes={"service": service.key, "case": case.reference, "level": level},
    )
    if rules.is_bad(level):
        rectification = RatingRectification(
            reference=number_format(prefix="CP"), rating=rating, unit=case.unit
        )
        case_open(
            case=rectification,
            actor=actor,
            note=_("%(level)s：%(comment)s")
            % {"level": rating.get_level_display(), "comment": comment or _("（未填写文字评价）")},
        )
    return rating


def _locked(rectification: RatingRectification) -> RatingRectification:
    return (
        RatingRectification.objects.select_for_update()
        .select_related("rating")
        .get(pk=rectification.pk)
    )


@transaction.atomic
def rectification_answer(
    *, actor: Any, rectification: RatingRectification, answer: str
) -> RatingRectification:
    """The unit answers a 差评 (整改说明: what was checked, rectified or explained); the
    rater is notified with the answer and asked whether satisfied."""
    answer = _clean_text(answer, "answer", rules.ANSWER_MAX_LENGTH, _("整改说明"))
    if not answer:
        message = _("请填写整改说明：核实情况、整改措施或解释说明。")
        raise ApplicationError(message, field_errors={"answer": [message]})
    case = case_transition(case=rectification, transition="give_answer", actor=actor, note=answer)
    case = _locked(case)
    case.answer = answer
    case.answered_at = timezone.now()
    case.answered_by = actor
    case.save(update_fields=["answer", "answered_at", "answered_by"])
    rating = case.rating
    notify(
        user=rating.rater,
        title=_("您的评价已有答复：%(ref)s") % {"ref": rating.case_reference},
        body=_("%(unit)s答复：%(answer)s 请告诉我们您是否满意。")
        % {"unit": case.unit.name, "answer": answer[:300]},
        url=rating.get_absolute_url(),
        dedupe_key=f"rating-answer:{case.pk}",
    )
    return case


@transaction.atomic
def rectification_callback(
    *, actor: Any, rectification: RatingRectification, result: str, note: str = ""
) -> RatingRectification:
    """回访: the rater (on the rating page) or an officer (by phone, recording what the
    rater said) records whether the rater is satisfied; the case is closed."""
    if result not in rules.CallbackResult.values:
        message = _("请选择对整改结果是否满意。")
        raise ApplicationError(message, field_errors={"result": [message]})
    note = _clean_text(note, "note", rules.ANSWER_MAX_LENGTH, _("回访意见"))
    by_rater = actor.pk == rectification.rating.rater_id
    if not by_rater and not note:
        message = _("请记录回访方式和评价人的意见（如：电话回访，评价人表示满意）。")
        raise ApplicationError(message, field_errors={"note": [message]})
    label = rules.CallbackResult(result).label
    text = f"{label}" + (f"：{note}" if note else "")
    case = case_transition(case=rectification, transition="record_callback", actor=actor, note=text)
    case = _locked(case)
    case.callback_result = result
    case.callback_note = note
    case.callback_at = timezone.now()
    case.callback_by_rater = by_rater
    case.save(
        update_fields=["callback_result", "callback_note", "callback_at", "callback_by_rater"]
    )
    return case


__all__ = [
    "RectificationState",
    "access_rated_case",
    "rating_refusal",
    "rating_submit",
    "rectification_answer",
    "rectification_callback",
]
