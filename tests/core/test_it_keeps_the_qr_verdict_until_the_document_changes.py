"""The QR code page keeps the archive file's verdict on the document's row: a scan of an
unchanged document reads one row and re-checks nothing; a status change, a new day, new
trust settings or an archive file of another size or time make the next scan re-check
(services/documents/stored.py)."""

import os
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.core import documents_fixtures
from tests.core.documents_fixtures import issue, stored_bytes, tamper
from zonegov.core.models import IssuedDocument
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.services.documents import document_set_status, stored

pytestmark = pytest.mark.django_db

pki_dir = documents_fixtures.pki_dir


@pytest.fixture
def doc(pki_dir, cast):
    return issue(actor=cast.officer)


@pytest.fixture
def rechecks(monkeypatch):
    """How many times the archive file was read and verified from scratch."""
    calls = []
    real = stored.document_verify

    def counting(data):
        calls.append(len(data))
        return real(data)

    monkeypatch.setattr(stored, "document_verify", counting)
    return calls


def scan(client, doc) -> str:
    response = client.get(reverse("verify_document", args=[doc.number]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_second_scan_reuses_the_verdict_and_reads_one_row(
    client, doc, rechecks, django_assert_num_queries
):
    first = scan(client, doc)
    assert "真实有效" in first and len(rechecks) == 1
    with django_assert_num_queries(1):  # the document by its number; nothing else
        again = scan(client, doc)
    assert len(rechecks) == 1
    assert "真实有效" in again and "电子签名有效" in again
    assert "签名证书：" in again  # the signer's name comes back from the kept verdict


def test_a_revocation_shows_at_once_and_the_next_scan_rechecks(client, doc, cast, rechecks):
    scan(client, doc)
    document_set_status(
        actor=cast.officer, document=doc, status=DocumentStatus.REVOKED, reason="违法经营"
    )
    page = scan(client, doc)
    assert "已吊销" in page and "文件真实，但当前状态为“已吊销”" in page
    assert len(rechecks) == 2
    scan(client, doc)
    assert len(rechecks) == 2  # kept again, for the new status version


def test_every_status_change_bumps_the_version(doc, cast):
    assert doc.status_version == 0
    document_set_status(actor=cast.officer, document=doc, status="expired", reason="")
    doc.refresh_from_db()
    assert doc.status_version == 1 and doc.stored_check is None
    document_set_status(actor=cast.officer, document=doc, status="cancelled", reason="停业")
    doc.refresh_from_db()
    assert doc.status_version == 2


def test_an_expiry_shows_at_once(client, doc, cast, rechecks):
    scan(client, doc)
    document_set_status(actor=cast.officer, document=doc, status="expired", reason="")
    assert "已过期（有效期至 2031年3月4日）" in scan(client, doc)
    assert len(rechecks) == 2


def test_a_replacement_shows_at_once_with_the_new_number(client, doc, cast, rechecks):
    scan(client, doc)
    new = issue(actor=cast.officer, replaces=doc)
    page = scan(client, doc)
    assert "已变更" in page and new.number in page
    assert len(rechecks) == 2
    assert IssuedDocument.objects.get(pk=doc.pk).status_version == 1


def test_validity_running_out_shows_the_next_day_without_a_status_change(
    client, pki_dir, cast, rechecks
):
    today = timezone.localdate()
    short = issue(actor=cast.officer, valid_until=today)
    assert "真实有效" in scan(client, short)
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=True):
        page = scan(client, short)
    assert "已过期" in page
    assert len(rechecks) == 2  # a new day: the archive file is checked again


def test_an_archive_file_of_another_size_is_caught_on_the_next_scan(client, doc, rechecks):
    assert "真实有效" in scan(client, doc)
    with open(doc.file.path, "ab") as fh:
        fh.write(b"\n% appended\n")
    page = scan(client, doc)
    assert "不是真实有效的文件" in page and "存档文件与登记的哈希值不符" in page
    assert len(rechecks) == 2


def test_an_archive_file_rewritten_in_place_is_caught_on_the_next_scan(client, doc, rechecks):
    scan(client, doc)
    before = os.stat(doc.file.path)
    altered = tamper(stored_bytes(doc))
    with open(doc.file.path, "wb") as fh:
        fh.write(altered)
    os.utime(doc.file.path, ns=(before.st_atime_ns, before.st_mtime_ns + 1_000_000))
    assert "存档文件与登记的哈希值不符" in scan(client, doc)
    assert len(rechecks) == 2


def test_a_same_size_rewrite_with_a_forged_time_is_caught_the_next_day(client, doc, rechecks):
    """The documented limit: one stat per scan cannot see a rewrite that keeps size and
    modification time; the daily re-check (or the next status change) does."""
    scan(client, doc)
    before = os.stat(doc.file.path)
    altered = tamper(stored_bytes(doc))
    with open(doc.file.path, "r+b") as fh:
        fh.write(altered)
    os.utime(doc.file.path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert "真实有效" in scan(client, doc)
    assert len(rechecks) == 1
    with time_machine.travel(timezone.now() + timedelta(days=1), tick=True):
        page = scan(client, doc)
    assert "存档文件与登记的哈希值不符" in page
    assert len(rechecks) == 2


def test_a_missing_archive_file_is_reported_on_every_scan(client, doc, rechecks):
    scan(client, doc)
    os.remove(doc.file.path)
    for _ in range(2):
        page = scan(client, doc)
        assert "存档文件缺失" in page and "真实有效" not in page.replace("不是真实有效", "")
    assert IssuedDocument.objects.get(pk=doc.pk).stored_check is not None  # the old one
    assert len(rechecks) == 1  # nothing to verify without the file; nothing new kept


def test_new_trust_settings_make_the_next_scan_recheck(client, doc, rechecks, settings):
    scan(client, doc)
    settings.ZONEGOV_PREVIOUS_SIGNER_FINGERPRINTS = ["ab" * 32]
    assert "真实有效" in scan(client, doc)
    assert len(rechecks) == 2


def test_a_scan_in_another_language_rewords_the_verdict(client, doc, rechecks, settings):
    scan(client, doc)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = scan(client, doc)
    assert len(rechecks) == 2  # the kept reasons are worded in Chinese: checked again
    assert "真实有效" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "真实有效" in scan(client, doc)
    assert len(rechecks) == 3
