"""Stored files get a random name, their SHA-256 is recorded, and nothing is half-written."""
# ruff: noqa: F811  (pytest fixtures imported from test_attachment_samples)

import hashlib

import pytest

from tests.core.test_attachment_samples import PDF, PNG, case, media, upload  # noqa: F401
from zonegov.core.models import Attachment, AuditRecord
from zonegov.core.services import attachments as attachment_services
from zonegov.core.services.attachments import attachment_add


def test_the_stored_name_is_random_and_not_the_original(cast, case, media):
    first = attachment_add(
        actor=cast.officer, owner=case, uploaded_file=upload(PNG, "门头照片.png")
    )
    second = attachment_add(
        actor=cast.officer, owner=case, uploaded_file=upload(PNG, "门头照片.png")
    )
    assert first.original_name == second.original_name == "门头照片.png"
    for attachment in (first, second):
        assert "门头" not in attachment.file.name
        assert attachment.file.name.startswith("attachments/")
        assert attachment.file.name.endswith(".png")
        assert len(attachment.file.name.rsplit("/", 1)[-1]) == len("0" * 32 + ".png")
    assert first.file.name != second.file.name
    assert (media / first.file.name).read_bytes() == PNG


def test_it_records_the_sha256_size_and_uploader(cast, case, media):
    attachment = attachment_add(
        actor=cast.officer, owner=case, uploaded_file=upload(PDF, "整改报告.pdf"), label="整改报告"
    )
    attachment.refresh_from_db()
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert attachment.size == len(PDF)
    assert attachment.uploaded_by == cast.officer
    assert attachment.label == "整改报告"
    assert attachment.owner == case


def test_it_records_the_upload_in_the_audit_chain(cast, case, media):
    attachment = attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(PDF, "a.pdf"))
    record = AuditRecord.objects.get(action="attachment.add")
    assert record.object_id == str(attachment.pk)
    assert record.actor_id == cast.officer.pk
    assert record.changes["sha256"] == attachment.sha256
    assert record.changes["owner"] == f"core.assignment:{case.pk}"


def test_no_file_is_left_when_the_database_write_fails(cast, case, media, monkeypatch):
    def broken_audit(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(attachment_services, "audit_append", broken_audit)
    with pytest.raises(RuntimeError):
        attachment_add(actor=cast.officer, owner=case, uploaded_file=upload(PDF, "a.pdf"))
    assert not Attachment.objects.exists()
    stored = [p for p in media.rglob("*") if p.is_file()]
    assert stored == []
