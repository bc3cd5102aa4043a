"""The audit key: rotated by key id, kept outside the database, generated once in
development, required in production; records written before keying stay verifiable."""
# ruff: noqa: F811  (fixtures imported from other test modules)

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.audit_fixtures import KEY, SECOND_KEY, audit_key, use_audit_keys  # noqa: F401
from tests.core.documents_fixtures import pki_dir  # noqa: F401
from zonegov.core.audit_keys import audit_keyring, key_id_of
from zonegov.core.models import AuditHead, AuditRecord
from zonegov.core.services.audit import GENESIS_HASH, audit_append, audit_verify, record_hash
from zonegov.core.services.audit_checkpoints import audit_checkpoint


def write(cast, n: int, action: str = "test.write") -> list[AuditRecord]:
    return [
        audit_append(actor=cast.admin, action=action, obj=cast.park, changes={"i": i})
        for i in range(n)
    ]


def test_records_under_two_key_ids_verify_after_a_rotation(cast, settings, audit_key):
    old = write(cast, 3)
    use_audit_keys(settings, SECOND_KEY, previous=[KEY])
    new = write(cast, 3)
    assert {r.key_id for r in old} == {key_id_of(KEY.encode())}
    assert {r.key_id for r in new} == {key_id_of(SECOND_KEY.encode())}
    result = audit_verify()
    assert result.ok, result
    assert sorted(result.key_ids) == sorted({old[0].key_id, new[0].key_id})


def test_a_retired_key_missing_from_the_keyring_names_its_first_record(cast, settings, audit_key):
    old = write(cast, 2)
    use_audit_keys(settings, SECOND_KEY)
    write(cast, 2)
    result = audit_verify()
    assert not result.ok
    assert result.first_broken_id == old[0].pk
    assert old[0].key_id in result.problem


def test_a_keyring_file_rotates_by_appending_a_line(cast, settings, tmp_path):
    keyring = tmp_path / "audit.key"
    keyring.write_text(f"# retired keys first\n{KEY}\n")
    use_audit_keys(settings, "")
    settings.ZONEGOV_AUDIT_KEY_FILE = str(keyring)
    old = write(cast, 2)
    keyring.write_text(f"# retired keys first\n{KEY}\n{SECOND_KEY}\n")
    os.utime(keyring, ns=(1, 2))  # a new mtime even on coarse file systems
    new = write(cast, 2)
    assert old[0].key_id != new[0].key_id == key_id_of(SECOND_KEY.encode())
    assert audit_verify().ok


def test_development_creates_a_private_key_file_once(cast, settings, tmp_path):
    path = tmp_path / "var" / "audit" / "audit.key"
    use_audit_keys(settings, "")
    settings.ZONEGOV_AUDIT_KEY_FILE = str(path)
    settings.ZONEGOV_AUDIT_KEY_AUTOCREATE = True
    first = write(cast, 1)[0]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    content = path.read_text()
    assert audit_keyring().current_id == first.key_id
    write(cast, 1)
    assert path.read_text() == content
    assert first.key_id not in content and audit_verify().ok


def test_a_too_short_key_is_refused_with_a_clear_message(cast, settings):
    from django.core.exceptions import ImproperlyConfigured
    from django.db import transaction

    use_audit_keys(settings, "short")
    with pytest.raises(ImproperlyConfigured, match="审计密钥太短"), transaction.atomic():
        write(cast, 1)
    assert not AuditRecord.objects.exists()


def test_production_settings_refuse_to_start_without_an_audit_key(tmp_path):
    src = Path(__file__).resolve().parents[2] / "src"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": str(src),
        "DJANGO_SETTINGS_MODULE": "zonegov.settings",
        "ZONEGOV_PRODUCTION": "1",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "zw.example.cn",
        "ZONEGOV_VAR_DIR": str(tmp_path),
    }
    code = "import django; django.setup(); print('started')"
    refused = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert refused.returncode != 0
    assert "ZONEGOV_AUDIT_KEY" in refused.stderr
    started = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "ZONEGOV_AUDIT_KEY": KEY},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.stdout.strip() == "started", started.stderr


def legacy_records(cast, n: int) -> list[AuditRecord]:
    """Records as the platform wrote them before the chain was keyed (plain SHA-256)."""
    from django.utils import timezone

    prev = GENESIS_HASH
    records = []
    for i in range(n):
        record = AuditRecord(
            at=timezone.now(),
            actor_id=cast.admin.pk,
            actor_name="管理员",
            action="legacy.write",
            object_type="core.unit",
            object_id=str(cast.park.pk),
            object_repr=str(cast.park),
            changes={"i": i},
            ip="",
            prev_hash=prev,
        )
        record.hash = prev = record_hash(
            prev_hash=prev,
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
        record.save()
        records.append(record)
    AuditHead.objects.update_or_create(id=1, defaults={"last_hash": prev, "count": n})
    return records


def test_records_written_before_keying_verify_by_the_old_rule_until_sealed(
    cast, audit_key, pki_dir
):
    legacy = legacy_records(cast, 3)
    write(cast, 2)
    result = audit_verify()
    assert result.ok, result
    assert result.legacy_until == legacy[-1].pk
    assert any("尚无检查点封存" in n for n in result.notes)
    audit_checkpoint()
    result = audit_verify()
    assert result.ok and result.legacy_until == legacy[-1].pk
    assert not any("尚无检查点封存" in n for n in result.notes)


def test_an_edited_record_written_before_keying_is_still_named(cast, audit_key):
    legacy = legacy_records(cast, 3)
    write(cast, 1)
    AuditRecord.objects.filter(pk=legacy[1].pk).update(changes={"i": "forged"})
    result = audit_verify()
    assert not result.ok and result.first_broken_id == legacy[1].pk
