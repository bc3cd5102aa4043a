from datetime import datetime

from ninja import Router, Schema

from zonegov.core.access import require_staff
from zonegov.core.api.base import ERRORS
from zonegov.core.roles import RoleCode
from zonegov.core.selectors.audit import audit_records
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
    summary="Audit log, newest first (org admin, leader; read-only)",
)
def list_audit(
    request, action: str = "", object_type: str = "", object_id: str = "", limit: int = 100
):
    require_staff(request.auth, RoleCode.ORG_ADMIN, RoleCode.LEADER)
    return list(
        audit_records(action=action, object_type=object_type, object_id=object_id)[
            : max(1, min(limit, 1000))
        ]
    )


@router.get(
    "/verify",
    response={200: VerifyOut, **ERRORS},
    summary="Check the whole HMAC chain and its signed checkpoints (database and exported file)",
)
def verify(request):
    require_staff(request.auth, RoleCode.ORG_ADMIN, RoleCode.LEADER)
    return audit_verify().as_dict()
