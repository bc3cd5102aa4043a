"""审 → 监 and 公示: the public announcement rows (PublicNotice) and the outbox message
that tells supervision of every licence change (docs/supervision.md, "Message
contract"). Both are written inside the caller's transaction."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from zonegov.core.disclosure import publish
from zonegov.core.models import IssuedDocument
from zonegov.licensing import conf
from zonegov.licensing.kinds import AppType, HolderKind
from zonegov.licensing.models import Application, Licence, PublicNotice
from zonegov.licensing.selectors import (
    licence_item_names,
    licence_subject_name,
    public_holder_code,
)

EVENTS = {
    AppType.NEW: "granted",
    AppType.CHANGE: "changed",
    AppType.RENEW: "renewed",
    AppType.REPLACE: "replaced",
    AppType.CANCEL: "cancelled",
}


def notice_publish(
    lic: Licence, *, event: str, document: IssuedDocument | None, note: str = ""
) -> PublicNotice:
    """Add the decision to the public announcement (公示), inside the caller's transaction.
    Personal ID numbers are masked as on the certificate (research note §1.7) by the core
    disclosure service, which writes every category's lines."""
    return publish(
        "permits",
        natural_person=lic.holder_kind == HolderKind.PERSON,
        licence=lic,
        event=event,
        kind=lic.kind,
        licence_number=lic.number,
        certificate_number=document.number if document else "",
        operator_name=lic.operator_name,
        holder_code=lic.holder_code,
        subject_type_name=licence_subject_name(lic),
        item_names="；".join(licence_item_names(lic)),
        premises_address=lic.premises_address,
        valid_from=lic.valid_from,
        valid_until=lic.valid_until,
        issuer_name=conf.issuer_name(),
        note=note[:300],
    )


def announce(lic: Licence, app: Application, document: IssuedDocument | None) -> None:
    """审 → 监 and 公示: tell the supervision department, in the same transaction, as the
    message contract in docs/supervision.md says (one outbox message per licence change),
    and add the decision to the public announcement."""
    event = EVENTS[AppType(app.app_type)]
    notice_publish(lic, event=event, document=document)
    push_to_supervision(lic, event=event, document=document, reference=app.reference)


def push_to_supervision(
    lic: Licence,
    *,
    event: str,
    document: IssuedDocument | None,
    reference: str,
    extra: dict[str, Any] | None = None,
) -> None:
    """One outbox message ``licence.<event>`` (docs/supervision.md, "Message contract")."""
    from zonegov.core.services.outbox import emit

    emit(
        topic=f"licence.{event}",
        payload={
            "event": event,
            "occurred_at": timezone.now().isoformat(),
            "licence_number": lic.number,
            "kind": lic.kind,
            "kind_name": lic.permit_kind.name,
            "version": lic.version,
            "certificate_number": document.number if document else "",
            "application_reference": reference,
            "holder_name": lic.operator_name,
            "holder_code": public_holder_code(lic),
            "enterprise_uscc": lic.holder_code
            if lic.holder_kind == HolderKind.ENTERPRISE
            else None,
            "legal_representative": lic.legal_rep,
            "premises_address": lic.premises_address,
            "main_business_type": licence_subject_name(lic),
            "business_items": licence_item_names(lic),
            "valid_from": lic.valid_from.isoformat(),
            "valid_until": lic.valid_until.isoformat() if lic.valid_until else None,
            "issuer_name": conf.issuer_name(),
            "supervision_unit_code": conf.inspection_unit_code(),
            "holder_account_id": lic.owner_id,
            **(extra or {}),
        },
    )
