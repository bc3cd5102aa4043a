"""A licence's life after issue: the 延续 window check, revocation (吊销), expiry and the
renewal reminders (run daily: ``manage.py licensing_daily``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core import workdays
from zonegov.core.errors import ApplicationError, PermissionRefused
from zonegov.core.models import Notification
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.roles import LEADER
from zonegov.core.rules import unit_in_scope
from zonegov.core.services.audit import audit_append
from zonegov.core.services.documents import document_set_status
from zonegov.core.services.notifications import notify
from zonegov.core.validation import control_characters_message, has_control_characters
from zonegov.licensing import kinds
from zonegov.licensing.kinds import AppType
from zonegov.licensing.models import Application, AppState, Licence, LicenceStatus
from zonegov.licensing.roles import LICENSING_OFFICER
from zonegov.licensing.selectors import renewal_window, working_days_before_expiry
from zonegov.licensing.services._common import refuse_unless_valid
from zonegov.licensing.services.announcements import notice_publish, push_to_supervision


def check_renewal_window(licence: Licence, today: date | None = None) -> None:
    """Refuse a 延续 outside the window with a message saying when it is possible."""
    today = today or timezone.localdate()
    if licence.valid_until is None:
        raise ApplicationError(_("该证照没有有效期，无需延续。"))
    if licence.valid_until < today:
        raise ApplicationError(
            _("证照已于 %(date)s 过期，不能再延续，请重新申请新办。")
            % {"date": licence.valid_until.isoformat()},
            field_errors={"app_type": [_("已过期的证照不能延续。")]},
        )
    opens, closes = renewal_window(licence.valid_until)
    left = working_days_before_expiry(today, licence.valid_until)
    if today < opens:
        raise ApplicationError(
            _(
                "延续申请应在有效期届满前90至15个工作日之间提出。您的证照有效期至 %(until)s，"
                "还有 %(left)d 个工作日，请于 %(opens)s 至 %(closes)s 期间申请。"
            )
            % {
                "until": licence.valid_until.isoformat(),
                "left": left,
                "opens": opens.isoformat(),
                "closes": closes.isoformat(),
            },
            field_errors={"app_type": [_("尚未到延续申请期。")]},
        )
    if today > closes:
        raise ApplicationError(
            _(
                "延续申请应在有效期届满前90至15个工作日之间提出。您的证照有效期至 %(until)s，"
                "仅剩 %(left)d 个工作日，已过延续申请期（截至 %(closes)s）。"
                "有效期届满后应停止经营，并重新申请新办。"
            )
            % {
                "until": licence.valid_until.isoformat(),
                "left": left,
                "closes": closes.isoformat(),
            },
            field_errors={"app_type": [_("已过延续申请期。")]},
        )


REVOKE_REASON_MAX = 150


DECISION_NUMBER_MAX = 40


def may_revoke(actor: Any, licence: Licence) -> bool:
    """The same people who decide applications: licensing officers and leaders over the
    issuing unit."""
    if not getattr(actor, "is_authenticated", False) or not actor.is_staff_member:
        return False
    return actor.has_role(LICENSING_OFFICER, LEADER) and unit_in_scope(actor, licence.unit)


@transaction.atomic
def licence_revoke(*, actor: Any, licence: Licence, reason: str, decision_number: str) -> Licence:
    """吊销: revoking a licence is an administrative penalty (《行政处罚法》第九条;
    《食品安全法》第一百二十二条至第一百三十五条). It is recorded with the penalty
    decision's number (行政处罚决定书文号) and reason: the licence and its current
    certificate become 已吊销, the decision is announced (公示), supervision is told
    (``licence.revoked``) and the holder notified."""
    reason = (reason or "").strip()
    decision_number = (decision_number or "").strip()
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("请填写吊销理由。")]
    elif len(reason) > REVOKE_REASON_MAX:
        errors["reason"] = [_("吊销理由不能超过 %(n)d 个字。") % {"n": REVOKE_REASON_MAX}]
    elif has_control_characters(reason):
        errors["reason"] = [control_characters_message()]
    if not decision_number:
        errors["decision_number"] = [_("请填写行政处罚决定书文号。")]
    elif len(decision_number) > DECISION_NUMBER_MAX:
        errors["decision_number"] = [_("文号不能超过 %(n)d 个字。") % {"n": DECISION_NUMBER_MAX}]
    elif has_control_characters(decision_number):
        errors["decision_number"] = [control_characters_message()]
    if not may_revoke(actor, licence):
        raise PermissionRefused(_("只有发证单位的审批员或领导可以吊销证照。"))
    if errors:
        raise ApplicationError(
            _("吊销证照须写明理由和行政处罚决定书文号：")
            + "；".join(m for msgs in errors.values() for m in msgs),
            field_errors=errors,
        )
    lic = Licence.objects.select_for_update(of=("self",)).get(pk=licence.pk)
    refuse_unless_valid(lic, action=_("吊销"))
    note = _("吊销（%(number)s）：%(reason)s") % {"number": decision_number, "reason": reason}
    document = lic.current_document
    if document is not None and document.status in (DocumentStatus.VALID, DocumentStatus.EXPIRED):
        document_set_status(
            actor=actor, document=document, status=DocumentStatus.REVOKED, reason=note
        )
    lic.status = LicenceStatus.REVOKED
    lic.save(update_fields=["status"])
    audit_append(
        actor=actor,
        action="licensing.licence.revoke",
        obj=lic,
        changes={
            "status": {"before": LicenceStatus.VALID, "after": LicenceStatus.REVOKED},
            "decision_number": decision_number,
            "reason": reason,
            "certificate_number": document.number if document else "",
        },
    )
    notice_publish(lic, event="revoked", document=None, note=note)
    push_to_supervision(
        lic,
        event="revoked",
        document=document,
        reference="",
        extra={"decision_number": decision_number, "reason": reason},
    )
    notify(
        user=lic.owner,
        title=_("您的%(kind)s已被吊销") % {"kind": lic.permit_kind.name},
        body=_("证照编号 %(number)s，行政处罚决定书 %(decision)s：%(reason)s")
        % {"number": lic.number, "decision": decision_number, "reason": reason},
        url=lic.get_absolute_url(),
        dedupe_key=f"licensing.revoked:{lic.pk}",
    )
    licence.status = lic.status
    return lic


@transaction.atomic
def _expire_one(pk: int, today: date) -> Licence | None:
    lic = (
        Licence.objects.select_for_update(of=("self",))
        .select_related("current_document", "owner")
        .filter(pk=pk, status=LicenceStatus.VALID, valid_until__lt=today)
        .first()
    )
    if lic is None:  # another run (or a renewal) got there first
        return None
    assert lic.valid_until is not None
    until = lic.valid_until.isoformat()
    lic.status = LicenceStatus.EXPIRED
    lic.save(update_fields=["status"])
    document = lic.current_document
    if document is not None and document.status == DocumentStatus.VALID:
        document_set_status(
            actor=None,
            document=document,
            status=DocumentStatus.EXPIRED,
            reason=_("有效期至 %(date)s，已届满") % {"date": until},
        )
    audit_append(
        actor=None,
        action="licensing.licence.expire",
        obj=lic,
        changes={
            "status": {"before": LicenceStatus.VALID, "after": LicenceStatus.EXPIRED},
            "valid_until": until,
        },
    )
    # 审 → 监: supervision stops planning routine inspections of an operator whose licence
    # has run out (docs/supervision.md, licence.expired), in the same transaction.
    push_to_supervision(
        lic,
        event="expired",
        document=document,
        reference="",
        extra={"expired_on": (lic.valid_until + timedelta(days=1)).isoformat()},
    )
    if lic.owner.is_active:
        notify(
            user=lic.owner,
            title=_("您的%(kind)s已过期") % {"kind": lic.permit_kind.name},
            body=_(
                "证照编号 %(number)s 的有效期已于 %(date)s 届满，证照已失效。"
                "继续从事食品经营的，应重新申请新办。"
            )
            % {"number": lic.number, "date": until},
            url=lic.get_absolute_url(),
            dedupe_key=f"licensing.expired:{lic.pk}:{until}",
        )
    return lic


def licences_expire(*, today: date | None = None) -> list[Licence]:
    """Mark every valid licence whose last valid day (``valid_until``) is before ``today``
    as expired, with its current certificate (so the verification page says 已过期 from the
    day after ``valid_until``). Idempotent: a second run finds nothing to do. Expiry is not
    a decision, so nothing is added to the public announcement (公示); supervision is told
    (``licence.expired``, one message per licence) and the holder in the portal. One
    transaction per licence."""
    today = today or timezone.localdate()
    due = list(
        Licence.objects.filter(status=LicenceStatus.VALID, valid_until__lt=today)
        .order_by("valid_until", "pk")
        .values_list("pk", flat=True)
    )
    return [lic for pk in due if (lic := _expire_one(pk, today)) is not None]


#: Our rule (the regulation fixes only the window itself): the "window closing" reminder
#: goes out once the last CLOSING_REMINDER_WORKDAYS working days of the window have begun
#: (from the first of them; a job that missed that day sends it on its next run).
CLOSING_REMINDER_WORKDAYS = 5


@dataclass
class ReminderReport:
    opening: list[str]
    closing: list[str]


def renewal_reminder_due(
    licence: Licence, today: date, *, window: tuple[date, date] | None = None
) -> str:
    """Which reminder ``licence`` is due today: "opening" (the 延续 window is open),
    "closing" (in its last CLOSING_REMINDER_WORKDAYS working days) or "" (outside it)."""
    if licence.valid_until is None or not licence.permit_kind.supports(AppType.RENEW):
        return ""
    opens, closes = window or renewal_window(licence.valid_until)
    if not opens <= today <= closes:
        return ""
    if workdays.working_days_between(today, closes) < CLOSING_REMINDER_WORKDAYS:
        return "closing"
    return "opening"


def _remind(lic: Licence, which: str, window: tuple[date, date]) -> bool:
    """Send one reminder; False when it was already sent (the dedupe key holds)."""
    assert lic.valid_until is not None
    key = f"licensing.renewal.{which}:{lic.pk}:{lic.valid_until.isoformat()}"
    if Notification.objects.filter(recipient_id=lic.owner_id, dedupe_key=key).exists():
        return False
    opens, closes = window
    values = {
        "kind": lic.permit_kind.name,
        "number": lic.number,
        "until": lic.valid_until.isoformat(),
        "opens": opens.isoformat(),
        "closes": closes.isoformat(),
    }
    if which == "opening":
        title = _("证照延续申请期已开始")
        body = (
            _(
                "您的%(kind)s（%(number)s）有效期至 %(until)s。可于 %(opens)s 至 %(closes)s "
                "期间在网上申请延续，截止 %(closes)s。"
            )
            % values
        )
    else:
        title = _("证照延续申请期即将截止")
        body = (
            _(
                "您的%(kind)s（%(number)s）有效期至 %(until)s，延续申请将于 %(closes)s 截止。"
                "逾期未申请的，有效期届满后不能继续经营。"
            )
            % values
        )
    notify(user=lic.owner, title=title, body=body, url=lic.get_absolute_url(), dedupe_key=key)
    return True


def renewal_reminders_send(*, today: date | None = None) -> ReminderReport:
    """Remind holders of the 延续 window (《食品经营许可和备案管理办法》第二十三条: 90 to 15
    working days before expiry, ``kinds.RENEWAL_WINDOW``): once when it is open, once when
    it is about to close (CLOSING_REMINDER_WORKDAYS). Through ``notify`` (portal, and SMS
    where the deployment configures the channel); dedupe keys carry the licence and its
    expiry date, so re-runs never send twice and a renewed licence is reminded again for
    its next period. A run after missed days still sends what is due. No reminder once a
    renewal is under way (the opening one: any renewal application, drafts included; the
    closing one: a submitted renewal)."""
    today = today or timezone.localdate()
    far, _near = kinds.RENEWAL_WINDOW
    # 90 working days are at most ~140 calendar days (weekends, Spring Festival, National
    # Day); the exact window is computed per licence below.
    horizon = today + timedelta(days=far * 2 + 60)
    open_renewals = Application.objects.filter(
        app_type=AppType.RENEW, licence__isnull=False
    ).exclude(state__in=Application.CLOSED_STATES)
    drafting = set(open_renewals.values_list("licence_id", flat=True))
    submitted = set(
        open_renewals.exclude(state=AppState.DRAFT).values_list("licence_id", flat=True)
    )
    report = ReminderReport(opening=[], closing=[])
    candidates = (
        Licence.objects.filter(
            status=LicenceStatus.VALID,
            valid_until__gte=today,
            valid_until__lte=horizon,
            owner__is_active=True,
        )
        .select_related("owner")
        .order_by("valid_until", "pk")
    )
    windows: dict[date, tuple[date, date]] = {}  # many licences share an expiry date
    dues: dict[date, str] = {}
    for lic in candidates.iterator(chunk_size=500):
        assert lic.valid_until is not None
        if not lic.permit_kind.supports(AppType.RENEW) or lic.pk in submitted:
            continue
        if lic.valid_until not in windows:
            windows[lic.valid_until] = renewal_window(lic.valid_until)
            dues[lic.valid_until] = renewal_reminder_due(
                lic, today, window=windows[lic.valid_until]
            )
        which = dues[lic.valid_until]
        if not which or (which == "opening" and lic.pk in drafting):
            continue
        if _remind(lic, which, windows[lic.valid_until]):
            (report.opening if which == "opening" else report.closing).append(lic.number)
    return report
