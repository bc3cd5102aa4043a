"""What the applicant is told at each step of a licensing case: one function per event,
building the title, the body (in Chinese, naming the case reference) and the link to the
case, and sending it through ``core.services.notifications.notify`` (portal inbox and,
where configured, the SMS channel).

Called by the licensing services inside the transaction of the step they report:
``notify`` stores the message and queues any SMS in the outbox in that same transaction,
so a step that rolls back tells nobody, and a committed step is never left untold.

整改 after a supervision inspection is told by supervision itself (``_tell_operator`` in
``supervision.services``, to the operator's account from the licence): not repeated here.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from zonegov.core import workdays
from zonegov.core.models import Notification
from zonegov.core.services.notifications import notify
from zonegov.licensing import kinds

if TYPE_CHECKING:
    from zonegov.licensing.models import Application, LicenceVersion, OnsiteVisit, PrintJob


def _case(app: Application) -> str:
    if app.service_name != app.kind_label + app.app_type_label:  # 备案 + 备案: said once
        service, ref = app.service_name, app.reference
        return _("%(service)s申请（申请编号 %(ref)s）") % {"service": service, "ref": ref}
    return _("%(kind)s%(type)s申请（申请编号 %(ref)s）") % {
        "kind": app.kind_label,
        "type": app.app_type_label,
        "ref": app.reference,
    }


def _send(app: Application, *, title: str, body: str, key: str | None = None) -> Notification:
    return notify(
        user=app.applicant, title=title, body=body, url=app.get_absolute_url(), dedupe_key=key
    )


def correction_deadline(today: date | None = None) -> date:
    """The date the applicant is asked to correct by (``kinds.CORRECTION_LIMIT``)."""
    return workdays.add_working_days(today or timezone.localdate(), kinds.CORRECTION_LIMIT)


def accepted(app: Application) -> Notification:
    """受理."""
    if app.needs_site_check:
        step = _("下一步由核查人员核查经营场所的照片和视频，必要时到现场核查。")
    else:
        step = _("下一步进入审查。")
    due = timezone.localtime(app.due_at).date().isoformat() if app.due_at else ""
    body = _("您的%(case)s已受理。%(step)s") % {"case": _case(app), "step": step}
    if due:
        body += _("法定办理时限至 %(due)s。") % {"due": due}
    return _send(app, title=_("申请已受理：%(ref)s") % {"ref": app.reference}, body=body)


def correction_requested(app: Application) -> Notification:
    """一次性告知补正: every missing item, numbered, and the date to correct by."""
    lines = [f"{n}. {item}" for n, item in enumerate(app.correction_items or [], 1)]
    body = _("您的%(case)s需要补正，请一次补齐以下全部材料或事项：") % {"case": _case(app)}
    body += "\n" + ("\n".join(lines) if lines else app.correction_notice)
    extra = app.correction_notice.split("\n")[len(lines) :] if lines else []
    if any(x.strip() for x in extra):
        body += "\n" + _("说明：%(note)s") % {"note": "\n".join(extra).strip()}
    body += "\n" + _(
        "请于 %(date)s 前在网上修改后重新签名提交；您原来填写的内容都已保留。"
        "补正期间不计入办理时限。"
    ) % {"date": correction_deadline().isoformat()}
    return _send(app, title=_("请补正申请材料：%(ref)s") % {"ref": app.reference}, body=body)


def onsite_ordered(app: Application, visit: OnsiteVisit) -> Notification:
    """现场核查 appointment."""
    people = "、".join(p.display_name for p in visit.inspectors.all())
    body = _(
        "您的%(case)s需要现场核查（%(reason)s）。核查人员%(people)s将与您联系约定时间，"
        "请保持电话畅通，核查时请法定代表人（负责人）或委托人在场。"
    ) % {"case": _case(app), "reason": visit.reason, "people": people}
    return _send(
        app,
        title=_("现场核查安排：%(ref)s") % {"ref": app.reference},
        body=body,
        key=f"licensing.onsite:{visit.pk}",
    )


def approved(app: Application, version: LicenceVersion | None) -> Notification:
    """准予 (with the certificate) — or the 注销 done."""
    if version is None:
        title = _("已准予注销：%(ref)s") % {"ref": app.reference}
        body = _("您的%(case)s已办结，证照已注销。") % {"case": _case(app)}
        return _send(app, title=title, body=body, key=f"licensing.decided:{app.pk}")
    if app.paper_delivery == "post":
        paper = _("纸质证书制作后将邮寄至：%(address)s。") % {"address": app.delivery_address}
    else:
        paper = _("纸质证书制作后将通知您到窗口领取（可在办件页面改为邮寄）。")
    body = _(
        "您的%(case)s已准予许可。%(title)s编号 %(number)s（第%(v)d版），"
        "电子证书可在办件页面下载，与纸质证书具有同等法律效力。%(paper)s"
    ) % {
        "case": _case(app),
        "title": app.permit_kind.document_title,
        "number": version.licence.number,
        "v": version.version,
        "paper": paper,
    }
    return _send(
        app,
        title=_("已准予许可：%(ref)s") % {"ref": app.reference},
        body=body,
        key=f"licensing.issued:{version.pk}",
    )


def rejected(app: Application, reason: str) -> Notification:
    """不予许可, with the reason and the right to review or sue."""
    body = _("您的%(case)s不予许可。理由：%(reason)s\n%(rights)s") % {
        "case": _case(app),
        "reason": reason,
        "rights": kinds.REVIEW_NOTICE,
    }
    return _send(
        app,
        title=_("不予许可决定：%(ref)s") % {"ref": app.reference},
        body=body,
        key=f"licensing.decided:{app.pk}",
    )


def paper_ready(app: Application, job: PrintJob) -> Notification:
    """The paper copy is printed and waits at the counter."""
    body = _(
        "您的%(case)s的纸质证书（编号 %(number)s）已制作完成，请携带身份证件到%(unit)s窗口领取。"
    ) % {"case": _case(app), "number": job.version.licence.number, "unit": app.unit.name}
    return _send(
        app,
        title=_("纸质证书可领取：%(ref)s") % {"ref": app.reference},
        body=body,
        key=f"licensing.paper:{job.pk}",
    )


def paper_posted(app: Application, job: PrintJob) -> Notification:
    """The paper copy is posted, with the tracking number."""
    body = _(
        "您的%(case)s的纸质证书（编号 %(number)s）已邮寄至 %(address)s（收件人 %(recipient)s），"
        "快递单号 %(tracking)s。"
    ) % {
        "case": _case(app),
        "number": job.version.licence.number,
        "address": app.delivery_address,
        "recipient": app.delivery_recipient,
        "tracking": job.tracking_number,
    }
    return _send(
        app,
        title=_("纸质证书已邮寄：%(ref)s") % {"ref": app.reference},
        body=body,
        key=f"licensing.paper:{job.pk}",
    )
