"""The outbox topics licensing produces (审 → 监), declared with their contract in the core
topic registry (docs/supervision.md, "Message contract"). One message per licence
change, written in the transaction of the change by ``core.services.outbox.emit``, which
checks the payload against these models; consumers (the supervision module, external
receivers) read it through the same contract, found by the topic's name.

Times and dates are ISO 8601 strings on the wire (``occurred_at`` with its offset)."""

from datetime import date, datetime

from pydantic import BaseModel

from zonegov.core.topics import register_topic


class LicenceEvent(BaseModel):
    """A licence granted, changed, renewed, replaced or cancelled (and the base of the
    revoked and expired messages)."""

    event: str  # granted, changed, renewed, replaced, cancelled, revoked, expired
    occurred_at: datetime
    licence_number: str
    version: int
    kind: str = ""
    kind_name: str = ""
    certificate_number: str = ""  # "" when no certificate was issued (注销)
    application_reference: str = ""  # "" for revocation and expiry (no application)
    holder_name: str = ""
    holder_code: str = ""  # USCC, or the masked ID number of a natural person
    enterprise_uscc: str | None = None
    legal_representative: str = ""
    premises_address: str = ""
    main_business_type: str = ""
    business_items: list[str] = []
    valid_from: date | None = None
    valid_until: date | None = None
    issuer_name: str = ""
    supervision_unit_code: str = ""  # the supervising Unit's code ("" = the configured one)
    # The holder's account on this platform (the licence's owner), so a consumer inside
    # the platform can tell the operator of an inspection's result; None when unknown.
    holder_account_id: int | None = None


class LicenceRevoked(LicenceEvent):
    """吊销, an administrative penalty."""

    decision_number: str = ""  # 行政处罚决定书文号
    reason: str = ""


class LicenceExpired(LicenceEvent):
    """有效期届满, written by the daily job."""

    expired_on: date | None = None  # the first day the licence is no longer valid


CONTRACTS: dict[str, type[LicenceEvent]] = {
    "licence.granted": LicenceEvent,
    "licence.changed": LicenceEvent,
    "licence.renewed": LicenceEvent,
    "licence.replaced": LicenceEvent,
    "licence.cancelled": LicenceEvent,
    "licence.revoked": LicenceRevoked,
    "licence.expired": LicenceExpired,
}

for _name, _contract in CONTRACTS.items():
    register_topic(
        _name,
        _contract,
        description=f"许可证{_name.split('.', 1)[1]}（食品经营许可）",
        declared_by="licensing",
    )
