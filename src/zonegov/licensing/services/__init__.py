"""Every write of the licensing app: one function per business action, keyword arguments,
one transaction, permission checked, audited (DESIGN.md "services"). One module per
concern:

- ``applications`` — the applicant: draft, shots, submit (即申即审), resubmit, withdraw;
- ``ticks`` — saving the ticks (what was refused comes back in a ``TickUpdate``);
- ``application_form`` — the generated 申请书 and the applicant's signature;
- ``verification`` — 电子证照自动核验 and whether a login may carry an instant approval;
- ``decisions`` — the officer: 受理, 补正, 准予/不予许可, extension;
- ``inspection`` — remote checks, on-site visits, end of inspection;
- ``instruments`` — the case's formal documents (受理通知书, 补正告知书, 不予许可决定书,
  现场核查记录), issued inside the steps' transactions;
- ``certificates`` — the certificate face, issue/cancel, the paper-copy queue;
- ``announcements`` — 公示 rows and the message to supervision;
- ``lifecycle`` — the 延续 window, 吊销, expiry, renewal reminders.

Rules: 《食品经营许可和备案管理办法》(市场监管总局令第78号) and the Henan "三小" rules as
configured in ``kinds.py``; time limits in working days (``core.workdays``). Callers keep
using ``from zonegov.licensing import services; services.application_submit(...)``: the
public names are re-exported here. Reads the pages share with the services (the capture
guide, what is still missing, the renewal window, how a licence is described) live in
``licensing.selectors`` and are re-exported for the callers that used them from here.
"""

from zonegov.licensing.selectors import (
    EDITABLE_STATES,
    GuideRow,
    capture_guide,
    licence_item_names,
    licence_subject_name,
    missing_ticks,
    renewal_window,
    working_days_before_expiry,
)
from zonegov.licensing.services._common import (
    LICENCE_FACTS,
    inspection_unit,
    licensing_unit,
    refuse_unless_valid,
)
from zonegov.licensing.services.announcements import EVENTS, notice_publish
from zonegov.licensing.services.application_form import application_sign
from zonegov.licensing.services.applications import (
    application_resubmit,
    application_start,
    application_submit,
    application_withdraw,
    capture_upload,
)
from zonegov.licensing.services.certificates import (
    DELIVERY_CLOSED_STATES,
    certificate_fields,
    certificate_layout,
    paper_copy_sent,
    paper_delivery_choose,
    print_job_done,
)
from zonegov.licensing.services.decisions import (
    application_accept,
    application_approve,
    application_extend,
    application_reject,
    application_request_correction,
)
from zonegov.licensing.services.inspection import (
    inspection_finish,
    onsite_visit_order,
    onsite_visit_record,
    site_check_record,
)
from zonegov.licensing.services.instruments import (
    LICENSING_INSTRUMENTS,
    acceptance_notice_issue,
    correction_notice_issue,
    onsite_record_issue,
    refusal_decision_issue,
)
from zonegov.licensing.services.lifecycle import (
    CLOSING_REMINDER_WORKDAYS,
    DECISION_NUMBER_MAX,
    REVOKE_REASON_MAX,
    ReminderReport,
    check_renewal_window,
    licence_revoke,
    licences_expire,
    may_revoke,
    renewal_reminder_due,
    renewal_reminders_send,
)
from zonegov.licensing.services.ticks import (
    TEXT_FIELDS,
    TICK_FIELDS,
    TickUpdate,
    application_save_ticks,
    application_update,
)
from zonegov.licensing.services.verification import application_verify, instant_identity

__all__ = [
    "CLOSING_REMINDER_WORKDAYS",
    "DECISION_NUMBER_MAX",
    "DELIVERY_CLOSED_STATES",
    "EDITABLE_STATES",
    "EVENTS",
    "LICENCE_FACTS",
    "LICENSING_INSTRUMENTS",
    "REVOKE_REASON_MAX",
    "TEXT_FIELDS",
    "TICK_FIELDS",
    "GuideRow",
    "ReminderReport",
    "TickUpdate",
    "acceptance_notice_issue",
    "application_accept",
    "application_approve",
    "application_extend",
    "application_reject",
    "application_request_correction",
    "application_resubmit",
    "application_save_ticks",
    "application_sign",
    "application_start",
    "application_submit",
    "application_update",
    "application_verify",
    "application_withdraw",
    "capture_guide",
    "capture_upload",
    "certificate_fields",
    "certificate_layout",
    "check_renewal_window",
    "correction_notice_issue",
    "inspection_finish",
    "inspection_unit",
    "instant_identity",
    "licence_item_names",
    "licence_revoke",
    "licence_subject_name",
    "licences_expire",
    "licensing_unit",
    "may_revoke",
    "missing_ticks",
    "notice_publish",
    "onsite_record_issue",
    "onsite_visit_order",
    "onsite_visit_record",
    "paper_copy_sent",
    "paper_delivery_choose",
    "print_job_done",
    "refusal_decision_issue",
    "refuse_unless_valid",
    "renewal_reminder_due",
    "renewal_reminders_send",
    "renewal_window",
    "site_check_record",
    "working_days_before_expiry",
]
