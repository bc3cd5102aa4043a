from django.db.models import QuerySet

from zonegov.core.models import AuditRecord


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


def history_of(obj) -> QuerySet[AuditRecord]:
    return audit_records(object_type=obj._meta.label_lower, object_id=str(obj.pk))
