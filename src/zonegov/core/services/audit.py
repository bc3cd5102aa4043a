"""The audit chain: every write service appends one record; each record's hash covers the
previous record's hash, so editing or deleting any row breaks the chain at that row.

The hash is an HMAC-SHA256 under a secret held outside the database (core.audit_keys),
so someone who can write the database but not read the key cannot recompute a chain
that verifies after editing a record. Records written before the chain was keyed
(``key_id`` empty) keep their plain SHA-256 and are accepted only before the first keyed
record. Signed checkpoints of the chain's head, exported outside the database
(core.services.audit_checkpoints), catch what the key alone cannot: a rewrite by
someone holding the key, truncation of the newest records, or a chain passed off as
entirely unkeyed."""

import contextvars
import dataclasses
import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.utils import timezone

from zonegov.core.audit_keys import Keyring, audit_keyring
from zonegov.core.models import AuditCheckpoint, AuditHead, AuditRecord

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
    key: bytes | None = None,
    key_id: str = "",
) -> str:
    """HMAC-SHA256 under ``key`` of the record's contents and its key id; without a key,
    the plain SHA-256 of records written before the chain was keyed."""
    fields = [
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
    if key is None:
        return hashlib.sha256(_canonical(fields).encode()).hexdigest()
    return hmac.new(key, _canonical([key_id, *fields]).encode(), hashlib.sha256).hexdigest()


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


def record_hash_of(record: AuditRecord, key: bytes | None = None) -> str:
    """The hash ``record`` must carry, given its ``prev_hash`` and contents, under ``key``
    (None: the unkeyed rule of records written before keying)."""
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
        key=key,
        key_id=record.key_id,
    )


def _chain(head: AuditHead, records: list[AuditRecord]) -> None:
    """Give ``records`` (in order) their place in the chain after ``head``, keyed with the
    current audit key; move the head. No query: the keyring is cached per process."""
    keyring = audit_keyring()
    key = keyring.current_key
    for record in records:
        record.key_id = keyring.current_id
        record.prev_hash = head.last_hash
        record.hash = record_hash_of(record, key)
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
    """What :func:`audit_verify` found. ``ok`` only when the chain and every checkpoint
    (in the database and in the exported file) agree."""

    ok: bool
    checked: int
    first_broken_id: int | None = None
    problem: str = ""
    legacy_until: int | None = None  # records up to this id predate keying
    key_ids: list[str] = dataclasses.field(default_factory=list)
    checkpoints_checked: int = 0
    file_checkpoints_checked: int = 0
    checkpoints_file: str = ""
    broken_checkpoint_id: int | None = None
    checkpoint_problem: str = ""
    notes: list[str] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _record_problem(
    record: AuditRecord, prev: str, keyring: Keyring | None, keyed_seen: bool
) -> str:
    if record.prev_hash != prev:
        return "上一条记录的哈希不符（前面的记录被删除或修改）"
    if not record.key_id:
        if keyed_seen:
            return "已启用密钥后出现无密钥的记录（记录被改写）"
        if record_hash_of(record) != record.hash:
            return "记录内容与其哈希不符（记录被修改）"
        return ""
    key = keyring.key(record.key_id) if keyring is not None else None
    if key is None:
        return f"密钥环中没有编号为 {record.key_id} 的密钥（请配置该密钥后再校验）"
    if not hmac.compare_digest(record_hash_of(record, key), record.hash):
        return "记录内容与其 HMAC 不符（记录被修改或被无密钥者重算）"
    return ""


def audit_verify(*, checkpoints_file: str | Path | None = None) -> ChainVerification:
    """Walk the whole chain in order and name the first record that does not fit, then
    check every checkpoint — those in the database and those in the exported file
    (``checkpoints_file``, default the configured export) — and name the first that
    disagrees: a bad signature, a head record that is gone or carries another HMAC, or
    a different number of records up to it."""
    from zonegov.core.services import audit_checkpoints as cps

    result = ChainVerification(ok=False, checked=0)
    try:
        keyring: Keyring | None = audit_keyring()
    except ImproperlyConfigured as exc:
        keyring = None
        result.notes.append(str(exc))
    db_checkpoints = list(AuditCheckpoint.objects.order_by("id"))
    path = Path(checkpoints_file) if checkpoints_file else cps.checkpoint_file_path()
    result.checkpoints_file = str(path)
    file_checkpoints, file_problem = cps.read_checkpoint_file(path)
    wanted = {c.head_record_id for c in db_checkpoints}
    wanted |= {c.head_record_id for c in file_checkpoints if c.head_record_id is not None}

    # head id -> (its stored hash, its position in the chain)
    seen: dict[int, tuple[str, int]] = {}
    prev = GENESIS_HASH
    keyed_seen = False
    position = 0
    key_ids: set[str] = set()
    for record in AuditRecord.objects.order_by("id").iterator(chunk_size=2000):
        position += 1
        if result.first_broken_id is None:
            problem = _record_problem(record, prev, keyring, keyed_seen)
            if problem:
                result.first_broken_id = record.pk
                result.problem = problem
            else:
                result.checked += 1
        if record.key_id:
            keyed_seen = True
            key_ids.add(record.key_id)
        elif not keyed_seen:
            result.legacy_until = record.pk
        if record.pk in wanted:
            seen[record.pk] = (record.hash, position)
        prev = record.hash
    result.key_ids = sorted(key_ids)
    head = AuditHead.objects.filter(id=1).first()
    if result.first_broken_id is None and head is not None and head.last_hash != prev:
        result.problem = "链尾与记录不符（最后的记录被删除）"

    cps.check_checkpoints(result, db_checkpoints, file_checkpoints, file_problem, seen)
    if result.legacy_until is not None and not any(
        c.head_record_id >= result.legacy_until for c in db_checkpoints
    ):
        result.notes.append(
            f"第 {result.legacy_until} 号及以前的记录写于启用密钥之前，尚无检查点封存，"
            "请运行 audit_checkpoint。"
        )
    result.ok = not result.problem and not result.checkpoint_problem
    return result
