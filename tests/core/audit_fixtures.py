"""Fixtures of the audit-chain tests: a known audit key and a checkpoint folder under
tmp_path (never var/), and what an attacker with database access does."""

import pytest

from zonegov.core.models import AuditHead, AuditRecord
from zonegov.core.services.audit import GENESIS_HASH, record_hash

KEY = "k" * 40
SECOND_KEY = "s" * 40
OTHER_KEY = "o" * 40


def use_audit_keys(settings, current: str, previous: list[str] | None = None) -> None:
    settings.ZONEGOV_AUDIT_KEY = current
    settings.ZONEGOV_AUDIT_PREVIOUS_KEYS = previous or []
    settings.ZONEGOV_AUDIT_KEY_FILE = ""
    settings.ZONEGOV_AUDIT_KEY_AUTOCREATE = False


@pytest.fixture
def audit_key(settings, tmp_path):
    use_audit_keys(settings, KEY)
    settings.ZONEGOV_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return KEY


def _fields(record: AuditRecord, prev_hash: str) -> dict:
    return {
        "prev_hash": prev_hash,
        "at": record.at,
        "actor_id": record.actor_id,
        "actor_name": record.actor_name,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "object_repr": record.object_repr,
        "changes": record.changes,
        "ip": record.ip,
    }


def recompute_from(
    first: AuditRecord | None, *, key: bytes | None = None, key_id: str | None = None
) -> None:
    """Recompute every hash from ``first`` on (all records when None) as an attacker can:
    unkeyed, or with a key of their own, optionally relabelling the key id; then move
    the head so that each record again carries its predecessor's hash."""
    start = first.pk if first is not None else 0
    prev = AuditRecord.objects.filter(pk__lt=start).order_by("-id").first()
    prev_hash = prev.hash if prev else GENESIS_HASH
    for record in AuditRecord.objects.filter(pk__gte=start).order_by("id"):
        record_key_id = record.key_id if key_id is None else key_id
        if key is None:
            new_hash = record_hash(**_fields(record, prev_hash))
        else:
            new_hash = record_hash(**_fields(record, prev_hash), key=key, key_id=record_key_id)
        AuditRecord.objects.filter(pk=record.pk).update(
            prev_hash=prev_hash, hash=new_hash, key_id=record_key_id
        )
        prev_hash = new_hash
    AuditHead.objects.filter(id=1).update(last_hash=prev_hash)


def raw_delete(queryset) -> None:
    """Delete rows past the models' refusal, as SQL access allows."""
    queryset._raw_delete(queryset.db)
