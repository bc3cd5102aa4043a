"""Issue 10.6: signed checkpoints of the audit chain's head, exported outside the database
(a file and the outbox for an external archive). audit_verify checks them all and names
the checkpoint that disagrees - also when an attacker rewrote the database's own copy."""
# ruff: noqa: F811  (fixtures imported from other test modules)

import base64
import json
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.core.audit_fixtures import (  # noqa: F401
    audit_key,
    raw_delete,
    recompute_from,
)
from tests.core.documents_fixtures import other_pki_dir, pki_dir  # noqa: F401
from zonegov.core import pki
from zonegov.core.models import AuditCheckpoint, AuditHead, AuditRecord, OutboxMessage
from zonegov.core.services.audit import audit_append, audit_verify
from zonegov.core.services.audit_checkpoints import audit_checkpoint, checkpoint_file_path
from zonegov.core.services.outbox import outbox_drain


@pytest.fixture
def sealed(cast, audit_key, pki_dir):
    """Five records, a checkpoint (which adds its own record), two more records."""
    for i in range(5):
        audit_append(actor=cast.admin, action="test.write", obj=cast.park, changes={"i": i})
    checkpoint, exported = audit_checkpoint()
    assert exported == 1
    for i in range(2):
        audit_append(actor=cast.admin, action="test.later", obj=cast.park, changes={"i": i})
    return checkpoint


def file_lines() -> list[dict]:
    return [json.loads(line) for line in checkpoint_file_path().read_text().splitlines()]


def test_it_signs_stores_exports_and_queues_a_checkpoint(sealed):
    head = AuditRecord.objects.get(pk=sealed.head_record_id)
    assert head.action == "audit.checkpoint"
    assert sealed.head_hash == head.hash
    assert sealed.count == 6
    assert sealed.signer_fingerprint == pki.signer_fingerprint()
    [line] = file_lines()
    assert line["id"] == sealed.pk
    assert line["head_hash"] == sealed.head_hash
    message = OutboxMessage.objects.get(topic="audit.checkpoint")
    assert message.destination == "audit_archive"
    assert message.payload == line
    result = audit_verify()
    assert result.ok, result
    assert (result.checkpoints_checked, result.file_checkpoints_checked) == (1, 1)


def test_without_an_archive_configured_the_message_waits(sealed):
    report = outbox_drain()
    assert report.waiting >= 1
    message = OutboxMessage.objects.get(topic="audit.checkpoint")
    assert message.status == "pending"
    assert "未配置接收地址" in message.last_error


def test_the_command_writes_one_more_line_each_run(cast, audit_key, pki_dir, capsys):
    audit_append(actor=cast.admin, action="test.write", obj=cast.park)
    call_command("audit_checkpoint")
    call_command("audit_checkpoint")
    assert "审计检查点" in capsys.readouterr().out
    assert [line["id"] for line in file_lines()] == list(
        AuditCheckpoint.objects.order_by("id").values_list("id", flat=True)
    )
    call_command("audit_verify")


def test_a_lost_export_line_is_written_by_the_next_run(sealed):
    checkpoint_file_path().unlink()
    second, exported = audit_checkpoint()
    assert exported == 2
    assert [line["id"] for line in file_lines()] == [sealed.pk, second.pk]


def test_an_attacker_who_truncates_the_chain_and_deletes_db_checkpoints_is_caught_by_the_file(
    sealed,
):
    """Deleting the newest records leaves a chain whose HMACs all hold; only a checkpoint
    outside the database still knows the records existed."""
    raw_delete(AuditRecord.objects.filter(pk__gte=sealed.head_record_id))
    new_last = AuditRecord.objects.order_by("-id").first()
    AuditHead.objects.filter(id=1).update(last_hash=new_last.hash, count=5)
    raw_delete(AuditCheckpoint.objects.all())
    result = audit_verify()
    assert result.first_broken_id is None and not result.problem
    assert not result.ok
    assert result.broken_checkpoint_id == sealed.pk
    assert "导出文件第 1 行" in result.checkpoint_problem
    assert f"第 {sealed.head_record_id} 号记录不存在" in result.checkpoint_problem


def test_an_attacker_who_passes_the_whole_chain_off_as_unkeyed_is_caught_by_the_file(sealed):
    """Blank every key id and recompute the whole chain with the old unkeyed rule: with no
    keyed record left, only the exported checkpoint tells."""
    AuditRecord.objects.filter(action="test.write").update(changes={"i": "forged"})
    recompute_from(None, key_id="")
    raw_delete(AuditCheckpoint.objects.all())
    result = audit_verify()
    assert result.first_broken_id is None
    assert not result.ok
    assert result.broken_checkpoint_id == sealed.pk
    assert "HMAC 与检查点不符" in result.checkpoint_problem


def test_a_deleted_db_checkpoint_is_named(sealed):
    raw_delete(AuditCheckpoint.objects.all())
    result = audit_verify()
    assert not result.ok
    assert result.broken_checkpoint_id == sealed.pk
    assert "数据库中没有这个检查点" in result.checkpoint_problem


def test_a_tampered_checkpoint_signature_is_named(sealed):
    forged = base64.b64encode(b"\x30" + b"\x00" * 70).decode()
    AuditCheckpoint.objects.filter(pk=sealed.pk).update(signature=forged)
    result = audit_verify()
    assert not result.ok
    assert result.broken_checkpoint_id == sealed.pk
    assert result.checkpoint_problem.startswith(f"第 {sealed.pk} 号检查点：签名无效")


def test_a_checkpoint_moved_to_another_head_breaks_its_signature(sealed):
    """Someone who rewrote the chain cannot make a checkpoint agree with it."""
    other = AuditRecord.objects.order_by("-id").first()
    AuditCheckpoint.objects.filter(pk=sealed.pk).update(
        head_record_id=other.pk, head_hash=other.hash, count=8
    )
    with pytest.raises(CommandError, match=f"第 {sealed.pk} 号检查点：签名无效"):
        call_command("audit_verify")


def test_a_checkpoint_signed_with_someone_elses_key_is_refused(sealed, settings, other_pki_dir):
    from tests.core.documents_fixtures import point_settings_at

    own = settings.ZONEGOV_PKI_DIR
    point_settings_at(settings, other_pki_dir)
    forged, _ = audit_checkpoint()
    point_settings_at(settings, own)
    result = audit_verify()
    assert not result.ok
    assert result.broken_checkpoint_id == forged.pk
    assert "不是本平台的签名证书" in result.checkpoint_problem


def test_a_copy_from_the_archive_is_checked_with_checkpoints_file(sealed, tmp_path):
    archive = tmp_path / "archive.jsonl"
    shutil.copy(checkpoint_file_path(), archive)
    checkpoint_file_path().unlink()
    raw_delete(AuditRecord.objects.filter(pk__gte=sealed.head_record_id))
    last = AuditRecord.objects.order_by("-id").first()
    AuditHead.objects.filter(id=1).update(last_hash=last.hash)
    raw_delete(AuditCheckpoint.objects.all())
    call_command("audit_verify")  # nothing left to compare with: the chain looks fine
    with pytest.raises(CommandError, match="导出文件第 1 行"):
        call_command("audit_verify", checkpoints_file=str(archive))


def test_a_damaged_line_of_the_file_is_reported(sealed):
    with checkpoint_file_path().open("a") as f:
        f.write("{not json\n")
    result = audit_verify()
    assert not result.ok
    assert "第 2 行无法读取" in result.checkpoint_problem


def test_the_page_and_the_api_name_the_checkpoint(sealed, cast, login):
    AuditCheckpoint.objects.filter(pk=sealed.pk).update(signature="AAAA")
    client = login(cast.admin)
    page = client.get("/audit/?verify=1").content.decode()
    assert f"第 {sealed.pk} 号检查点" in page
    body = client.get("/api/audit/verify").json()
    assert body["ok"] is False
    assert body["broken_checkpoint_id"] == sealed.pk
    assert body["checkpoints_checked"] == 1
