"""The audit chain: every write service appends one record; each record's hash covers the
previous record's hash, so editing or deleting any row breaks the chain at that row."""

import contextvars
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from zonegov.core.models import AuditHead, AuditRecord

GENESIS_HASH = "0" * 64

# Set per request by core.middleware so services need not pass the IP around.
current_ip: contextvars.ContextVar[str] = contextvars.ContextVar("zonegov_current_ip", default="")


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def record_hash(
    *,
    prev_hash: str,
    at: datetime,
    actor_id: int | None,
    actor_name: str,
    action: str,
    object_type: str,
    object_id: str,
    object_repr: str,
    changes: dict,
    ip: str,
) -> str:
    payload = _canonical(
        [
            prev_hash,
            at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            actor_id,
            actor_name,
            action,
            object_type,
            object_id,
            object_repr,
            changes,
            ip,
        ]
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def _json_safe(value: Any) -> Any:
    return json.loads(_canonical(value))


@transaction.atomic
def audit_append(
    *,
    actor: Any | None,
    action: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditRecord:
    """Append one record. Called inside the write service's transaction so the record and
    the change it describes commit or roll back together."""
    AuditHead.objects.bulk_create([AuditHead(id=1)], ignore_conflicts=True)
    head = AuditHead.objects.select_for_update().get(id=1)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    actor_id = getattr(actor, "pk", None)
    actor_name = getattr(actor, "display_name", "") if actor is not None else "系统"
    at = timezone.now()
    changes = _json_safe(changes or {})
    ip = current_ip.get()
    digest = record_hash(
        prev_hash=head.last_hash,
        at=at,
        actor_id=actor_id,
        actor_name=actor_name,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        changes=changes,
        ip=ip,
    )
    record = AuditRecord.objects.create(
        at=at,
        actor_id=actor_id,
        actor_name=actor_name,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        changes=changes,
        ip=ip,
        prev_hash=head.last_hash,
        hash=digest,
    )
    head.last_hash = digest
    head.count += 1
    head.save(update_fields=["last_hash", "count"])
    return record


def model_snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Plain values of a model's concrete fields, for before/after summaries."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password"}:
            continue
        data[field.name] = field.value_from_object(obj)
    return _json_safe(data)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    keys = sorted(set(before) | set(after))
    return {
        k: {"before": before.get(k), "after": after.get(k)}
        for k in keys
        if before.get(k) != after.get(k)
    }


@dataclass
class ChainVerification:
    ok: bool
    checked: int
    first_broken_id: int | None = None
    problem: str = ""


def audit_verify() -> ChainVerification:
    """Walk the whole chain in order and name the first record that does not fit."""
    prev = GENESIS_HASH
    checked = 0
    for record in AuditRecord.objects.order_by("id").iterator(chunk_size=2000):
        if record.prev_hash != prev:
            return ChainVerification(
                False, checked, record.pk, "上一条记录的哈希不符（前面的记录被删除或修改）"
            )
        expected = record_hash(
            prev_hash=record.prev_hash,
            at=record.at,
            actor_id=record.actor_id,
            actor_name=record.actor_name,
            action=record.action,
            object_type=record.object_type,
            object_id=record.object_id,
            object_repr=record.object_repr,
            changes=record.changes,
            ip=record.ip,
        )
        if expected != record.hash:
            return ChainVerification(
                False, checked, record.pk, "记录内容与其哈希不符（记录被修改）"
            )
        prev = record.hash
        checked += 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and head.last_hash != prev:
        return ChainVerification(False, checked, None, "链尾与记录不符（最后的记录被删除）")
    return ChainVerification(True, checked)
