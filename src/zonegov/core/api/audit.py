from datetime import datetime

from ninja import Router, Schema

from zonegov.core.access import require_staff
from zonegov.core.api.base import ERRORS
from zonegov.core.roles import LEADER, ORG_ADMIN
from zonegov.core.selectors.audit import audit_records_for, audit_shows_addresses
from zonegov.core.services.audit import audit_verify


class AuditOut(Schema):
    id: int
    at: datetime
    actor_name: str
    action: str
    object_type: str
    object_id: str
    object_repr: str
    changes: dict
    ip: str
    hash: str


class VerifyOut(Schema):
    ok: bool
    checked: int
    first_broken_id: int | None
    problem: str
    legacy_until: int | None
    key_ids: list[str]
    checkpoints_checked: int
    file_checkpoints_checked: int
    broken_checkpoint_id: int | None
    checkpoint_problem: str
    notes: list[str]


router = Router(tags=["audit"])


@router.get(
    "",
    response={200: list[AuditOut], **ERRORS},
    summary="Audit log of my scope, newest first (org admin, leader; read-only; `ip` only "
    "for the zone level)",
)
def list_audit(
    request, action: str = "", object_type: str = "", object_id: str = "", limit: int = 100
):
    require_staff(request.auth, ORG_ADMIN, LEADER)
    records = list(
        audit_records_for(
            request.auth, action=action, object_type=object_type, object_id=object_id
        )[: max(1, min(limit, 1000))]
    )
    if not audit_shows_addresses(request.auth):
        for record in records:
            record.ip = ""  # not saved: audit records are append-only
    return records


@router.get(
    "/verify",
    response={200: VerifyOut, **ERRORS},
    summary="Check the whole HMAC chain and its signed checkpoints (database and exported file)",
)
def verify(request):
    require_staff(request.auth, ORG_ADMIN, LEADER)
    return audit_verify().as_dict()
