"""The remedies an administrative decision must name (告知救济权利), kept in one place.

《行政许可法》第三十八条第二款: a refusal states its reasons and tells the applicant of the
right to administrative review (行政复议) or litigation (行政诉讼). The periods:

* 行政复议 — within 60 days of learning of the decision (《行政复议法》(2023年修订) 第二十条);
* 行政诉讼 — within 6 months of learning of it (《行政诉讼法》第四十六条).

UNCONFIRMED: the research notes (``research/food_license.md`` §1.6 [M]) confirm that the
rights must be stated but not the periods or the wording; the periods above are the
statutes' general rules as we know them, and the reviewing body and the court are left
unnamed unless a deployment configures them (``ZONEGOV_REVIEW_AUTHORITY``,
``ZONEGOV_LITIGATION_COURT``). Correct them here.
"""

from __future__ import annotations

from django.conf import settings

REVIEW_PERIOD = "六十日"  # 行政复议法第二十条 — UNCONFIRMED in the notes
REVIEW_LAW = "《中华人民共和国行政复议法》"
LITIGATION_PERIOD = "六个月"  # 行政诉讼法第四十六条 — UNCONFIRMED in the notes
LITIGATION_LAW = "《中华人民共和国行政诉讼法》"
CONFIRMED = False


def review_authority() -> str:
    return str(getattr(settings, "ZONEGOV_REVIEW_AUTHORITY", "") or "")


def litigation_court() -> str:
    return str(getattr(settings, "ZONEGOV_LITIGATION_COURT", "") or "")


def remedies_text(subject: str = "申请人") -> str:
    """The sentence printed on a refusal: review within 60 days or litigation within 6
    months, naming the reviewing body and the court when configured."""
    review_to = f"向{review_authority()}" if review_authority() else ""
    court = litigation_court() or "人民法院"
    return (
        f"{subject}如对本决定不服，可以自收到本决定书之日起{REVIEW_PERIOD}内依照"
        f"{REVIEW_LAW}的规定{review_to}申请行政复议，或者自收到本决定书之日起"
        f"{LITIGATION_PERIOD}内依照{LITIGATION_LAW}的规定向{court}提起行政诉讼。"
    )
