"""Signed checkpoints of the audit chain, exported outside the database.

The HMAC key keeps someone who can only write the database from recomputing a chain;
checkpoints catch the rest. ``audit_checkpoint`` (run from cron, docs/deployment.md)
appends an ``audit.checkpoint`` record, then signs "the chain has ``count`` records and
ends at record ``head_record_id`` with HMAC ``head_hash``" with the platform's signing
key (core.pki, the key that seals certificates) and keeps three copies:

- a row of ``AuditCheckpoint`` in the database;
- a JSON line appended to ``<ZONEGOV_AUDIT_CHECKPOINT_DIR>/checkpoints.jsonl``;
- an outbox message (topic ``audit.checkpoint``, destination ``audit_archive``) for an
  external archive; without a configured archive URL it waits, as other webhooks do.

Because each checkpoint's head is the keyed record it has just written, the first
checkpoint also seals the records written before the chain was keyed. ``audit_verify``
checks every checkpoint of the database and of the file (or a copy fetched back from the
archive) against the chain: a truncated chain, a chain rewritten by someone holding the
HMAC key, or a chain passed off as entirely unkeyed disagrees with a checkpoint the
database cannot change - deleting or rewriting database checkpoints is caught by the
file copy.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from zonegov.core import pki
from zonegov.core.models import AuditCheckpoint, AuditRecord
from zonegov.core.services.audit import audit_append
from zonegov.core.services.outbox import canonical_json, outbox_enqueue

if TYPE_CHECKING:
    from zonegov.core.services.audit import ChainVerification

CHECKPOINT_FILE_NAME = "checkpoints.jsonl"
OUTBOX_TOPIC = "audit.checkpoint"
#: The ``ZONEGOV_WEBHOOKS`` destination of the external archive.
OUTBOX_DESTINATION = "audit_archive"
FORMAT_VERSION = 1


@dataclass
class ExportedCheckpoint:
    """One line of the exported file."""

    line: int
    id: int | None
    head_record_id: int | None
    data: dict[str, Any] = field(default_factory=dict)


def checkpoint_file_path() -> Path:
    return Path(settings.ZONEGOV_AUDIT_CHECKPOINT_DIR) / CHECKPOINT_FILE_NAME


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def signed_payload(
    *, head_record_id: int, head_hash: str, count: int, created_at: str, signer_fingerprint: str
) -> bytes:
    """The exact bytes a checkpoint's signature covers."""
    return canonical_json(
        {
            "type": "zonegov.audit.checkpoint",
            "v": FORMAT_VERSION,
            "head_record_id": head_record_id,
            "head_hash": head_hash,
            "count": count,
            "created_at": created_at,
            "signer_fingerprint": signer_fingerprint,
        }
    )


def checkpoint_dict(checkpoint: AuditCheckpoint) -> dict[str, Any]:
    """The exported form (file line, outbox payload) of a checkpoint."""
    return {
        "id": checkpoint.pk,
        "v": FORMAT_VERSION,
        "head_record_id": checkpoint.head_record_id,
        "head_hash": checkpoint.head_hash,
        "count": checkpoint.count,
        "created_at": _iso(checkpoint.created_at),
        "signer_fingerprint": checkpoint.signer_fingerprint,
        "signer_cert": checkpoint.signer_cert,
        "signature": checkpoint.signature,
    }


@transaction.atomic
def _create_checkpoint(actor: Any | None) -> AuditCheckpoint:
    record = audit_append(
        actor=actor,
        action="audit.checkpoint",
        object_type="core.auditcheckpoint",
        object_repr="审计检查点",
    )
    # The head stays locked by audit_append until commit: no record can join the chain
    # between the count and the signature.
    count = AuditRecord.objects.count()
    created_at = timezone.now()
    fingerprint = pki.signer_fingerprint()
    signed = pki.sign_detached(
        signed_payload(
            head_record_id=record.pk,
            head_hash=record.hash,
            count=count,
            created_at=_iso(created_at),
            signer_fingerprint=fingerprint,
        )
    )
    checkpoint = AuditCheckpoint.objects.create(
        head_record_id=record.pk,
        head_hash=record.hash,
        count=count,
        created_at=created_at,
        signer_fingerprint=signed.fingerprint,
        signer_cert=signed.signer_cert_pem,
        signature=base64.b64encode(signed.signature).decode("ascii"),
    )
    outbox_enqueue(
        topic=OUTBOX_TOPIC, payload=checkpoint_dict(checkpoint), destination=OUTBOX_DESTINATION
    )
    return checkpoint


def export_checkpoints(path: Path | None = None) -> int:
    """Append to the exported file every database checkpoint it does not hold yet (so a
    failed write is made good by the next run); returns how many lines were written."""
    path = path or checkpoint_file_path()
    present, _problem = read_checkpoint_file(path)
    ids = {c.id for c in present}
    missing = [c for c in AuditCheckpoint.objects.order_by("id") if c.pk not in ids]
    if not missing:
        return 0
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
    lines = "".join(
        json.dumps(checkpoint_dict(c), ensure_ascii=False, sort_keys=True) + "\n" for c in missing
    )
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, lines.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return len(missing)


def audit_checkpoint(*, actor: Any | None = None) -> tuple[AuditCheckpoint, int]:
    """Sign a checkpoint of the chain's head, store it, queue it for the external archive
    and append it to the exported file. Returns the checkpoint and the number of lines
    exported. ``ImproperlyConfigured`` when the signing key or the audit key is missing;
    ``OSError`` when the file cannot be written (the checkpoint is then already stored
    and queued; the next run writes the missing lines)."""
    checkpoint = _create_checkpoint(actor)
    return checkpoint, export_checkpoints()


# --------------------------------------------------------------------------- verification


def read_checkpoint_file(path: Path) -> tuple[list[ExportedCheckpoint], str]:
    """The checkpoints of an exported file and the first problem reading it ("" when
    none; a missing file is no problem here - the caller says whether one is expected)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return [], ""
    except (OSError, UnicodeDecodeError) as exc:
        return [], f"无法读取检查点导出文件 {path}：{exc}"
    found: list[ExportedCheckpoint] = []
    problem = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            if not isinstance(data, dict):
                raise ValueError(line)
            found.append(
                ExportedCheckpoint(
                    line=number,
                    id=int(data["id"]),
                    head_record_id=int(data["head_record_id"]),
                    data=data,
                )
            )
        except (ValueError, KeyError, TypeError):
            problem = problem or f"检查点导出文件第 {number} 行无法读取（文件被改动）"
    return found, problem


def _accepted_fingerprints() -> set[str]:
    try:
        return pki.accepted_fingerprints()
    except (ImproperlyConfigured, OSError, ValueError):
        previous = getattr(settings, "ZONEGOV_PREVIOUS_SIGNER_FINGERPRINTS", None) or []
        return {p.strip().lower().replace(":", "") for p in previous if p and p.strip()}


def checkpoint_problem(
    data: dict[str, Any], seen: dict[int, tuple[str, int]], accepted: set[str]
) -> str:
    """Why an exported checkpoint does not hold against the chain ("" when it does).
    ``seen`` maps record ids to their stored hash and position in the chain."""
    try:
        head_id = int(data["head_record_id"])
        head_hash = str(data["head_hash"])
        count = int(data["count"])
        payload = signed_payload(
            head_record_id=head_id,
            head_hash=head_hash,
            count=count,
            created_at=str(data["created_at"]),
            signer_fingerprint=str(data["signer_fingerprint"]),
        )
        signature = base64.b64decode(str(data["signature"]), validate=True)
        cert = str(data["signer_cert"])
    except (KeyError, ValueError, TypeError, binascii.Error):
        return "检查点内容不完整"
    fingerprint = pki.verify_detached(cert, payload, signature)
    if fingerprint is None:
        return "签名无效（检查点被篡改）"
    if fingerprint != str(data["signer_fingerprint"]) or fingerprint not in accepted:
        return "签名证书不是本平台的签名证书（检查点被伪造）"
    at = seen.get(head_id)
    if at is None:
        return f"所封存的第 {head_id} 号记录不存在（记录被删除）"
    if at[0] != head_hash:
        return f"第 {head_id} 号记录的 HMAC 与检查点不符（该记录或其前面的记录被改写）"
    if at[1] != count:
        return f"截至第 {head_id} 号记录应有 {count} 条记录，现有 {at[1]} 条（记录被删除或插入）"
    return ""


_COMPARED = ("head_record_id", "head_hash", "count", "created_at", "signature")


def check_checkpoints(
    result: ChainVerification,
    db_checkpoints: list[AuditCheckpoint],
    file_checkpoints: list[ExportedCheckpoint],
    file_problem: str,
    seen: dict[int, tuple[str, int]],
) -> None:
    """Fill ``result``'s checkpoint fields: the first checkpoint (database, then file)
    that disagrees with the chain or with its other copy."""
    accepted = _accepted_fingerprints() if (db_checkpoints or file_checkpoints) else set()

    def fail(checkpoint_id: int | None, message: str) -> None:
        if not result.checkpoint_problem:
            result.broken_checkpoint_id = checkpoint_id
            result.checkpoint_problem = message

    by_id = {c.pk: c for c in db_checkpoints}
    for checkpoint in db_checkpoints:
        result.checkpoints_checked += 1
        problem = checkpoint_problem(checkpoint_dict(checkpoint), seen, accepted)
        if problem:
            fail(checkpoint.pk, f"第 {checkpoint.pk} 号检查点：{problem}")
    if file_problem:
        fail(None, file_problem)
    for exported in file_checkpoints:
        result.file_checkpoints_checked += 1
        where = f"导出文件第 {exported.line} 行（第 {exported.id} 号检查点）"
        problem = checkpoint_problem(exported.data, seen, accepted)
        if problem:
            fail(exported.id, f"{where}：{problem}")
            continue
        stored = by_id.get(exported.id) if exported.id is not None else None
        if stored is None:
            fail(exported.id, f"{where}：数据库中没有这个检查点（检查点被删除）")
        elif any(checkpoint_dict(stored)[k] != exported.data.get(k) for k in _COMPARED):
            fail(exported.id, f"{where}：与数据库中的同号检查点不符（检查点被改写）")
    exported_ids = {c.id for c in file_checkpoints}
    unexported = [c.pk for c in db_checkpoints if c.pk not in exported_ids]
    if unexported and not file_checkpoints and not file_problem:
        result.notes.append(
            f"未找到检查点导出文件 {result.checkpoints_file}，只校验了数据库中的检查点。"
        )
    elif unexported:
        result.notes.append(
            f"{len(unexported)} 个检查点不在导出文件中（最早的是第 {unexported[0]} 号）。"
        )
