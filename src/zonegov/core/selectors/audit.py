from typing import Any

from django.db.models import QuerySet

from zonegov.core.models import AuditRecord
from zonegov.core.rules import at_zone_top


def audit_records(
    *, action: str = "", object_type: str = "", object_id: str = ""
) -> QuerySet[AuditRecord]:
    qs = AuditRecord.objects.all()
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    return qs.order_by("-id")


def audit_records_for(
    user: Any, *, action: str = "", object_type: str = "", object_id: str = ""
) -> QuerySet[AuditRecord]:
    """The audit log a reader may see: everything for the zone level, else the records of
    actors who belong to the reader's unit or a unit below it (records of the system, of
    applicants and of other units' staff are the zone level's)."""
    qs = audit_records(action=action, object_type=object_type, object_id=object_id)
    if at_zone_top(user):
        return qs
    if not (getattr(user, "is_authenticated", False) and user.is_staff_member):
        return qs.none()
    return qs.filter(actor__unit__path__startswith=user.unit.path)


def audit_shows_addresses(user: Any) -> bool:
    """Client IP addresses in the log are personal data: zone-level readers only."""
    return at_zone_top(user)


def history_of(obj) -> QuerySet[AuditRecord]:
    return audit_records(object_type=obj._meta.label_lower, object_id=str(obj.pk))
