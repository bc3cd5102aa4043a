"""The audit chain: every write service appends one record; each record's hash covers the
previous record's hash, so editing or deleting any row breaks the chain at that row."""

import contextvars
import dataclasses
import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
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


def _locked_head() -> AuditHead:
    """The chain's head row, locked until the end of the transaction (created on first use)."""
    head = AuditHead.objects.select_for_update().filter(id=1).first()
    if head is None:
        AuditHead.objects.bulk_create([AuditHead(id=1)], ignore_conflicts=True)
        head = AuditHead.objects.select_for_update().get(id=1)
    return head


@dataclass
class _Batch:
    head: AuditHead | None = None
    records: list[AuditRecord] = dataclasses.field(default_factory=list)


_batch: contextvars.ContextVar[_Batch | None] = contextvars.ContextVar(
    "zonegov_audit_batch", default=None
)


def record_hash_of(record: AuditRecord) -> str:
    """The hash ``record`` must carry, given its ``prev_hash`` and contents."""
    return record_hash(
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


def _chain(head: AuditHead, records: list[AuditRecord]) -> None:
    """Give ``records`` (in order) their place in the chain after ``head``; move the head."""
    for record in records:
        record.prev_hash = head.last_hash
        record.hash = record_hash_of(record)
        head.last_hash = record.hash
        head.count += 1


@contextmanager
def audit_batch() -> Iterator[None]:
    """Write the audit records of one multi-step service together.

    Inside the block, :func:`audit_append` locks the chain's head at the first record (as
    it would without the batch, so rows are locked in the same order as elsewhere) and
    queues the records; when the block ends without an error they are chained in order,
    inserted with one INSERT and the head is moved with one UPDATE — three queries however
    many records, instead of three per record. On an error nothing is written (the
    caller's transaction rolls back). Use it only inside a transaction whose steps never
    swallow an error of an inner step (a record queued inside a rolled-back savepoint
    would still be written). Nested batches join the outer one."""
    if _batch.get() is not None:
        yield
        return
    batch = _Batch()
    token = _batch.set(batch)
    try:
        with transaction.atomic(savepoint=False):
            yield
            if batch.records:
                assert batch.head is not None
                _chain(batch.head, batch.records)
                AuditRecord.objects.bulk_create(batch.records)
                batch.head.save(update_fields=["last_hash", "count"])
    finally:
        _batch.reset(token)


# No savepoint: nothing here raises except the database itself, and a database error
# aborts the caller's transaction anyway (three queries, no SAVEPOINT/RELEASE pair).
@transaction.atomic(savepoint=False)
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
    the change it describes commit or roll back together. Inside :func:`audit_batch` the
    record is written (and gets its id and hashes) when the batch ends."""
    batch = _batch.get()
    head = _locked_head() if batch is None or batch.head is None else None
    if batch is not None and batch.head is None:
        batch.head = head
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:200]
    actor_id = getattr(actor, "pk", None)
    record = AuditRecord(
        at=timezone.now(),
        actor_id=actor_id,
        actor_name=getattr(actor, "display_name", "") if actor is not None else "系统",
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        changes=_json_safe(changes or {}),
        ip=current_ip.get(),
    )
    if batch is not None:
        batch.records.append(record)
        return record
    assert head is not None
    _chain(head, [record])
    record.save()
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
        expected = record_hash_of(record)
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
