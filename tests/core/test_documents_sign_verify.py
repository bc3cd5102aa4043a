"""Signing (PAdES B-B), issuing, status changes and verification of documents."""

import hashlib
import os
import re
import stat
import subprocess
from datetime import date, timedelta
from io import BytesIO, StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.utils import timezone
from pyhanko.pdf_utils.generic import TextStringObject
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

from tests.core import documents_fixtures
from tests.core.documents_fixtures import (
    PDFSIG,
    issue,
    needs,
    point_settings_at,
    sample_layout,
    stored_bytes,
    tamper,
)
from zonegov.core import pki
from zonegov.core.errors import ApplicationError
from zonegov.core.models import AuditRecord, IssuedDocument
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.selectors.documents import document_public_info
from zonegov.core.services.audit import audit_verify
from zonegov.core.services.documents import (
    document_set_status,
    document_verify,
    render_pdf,
    sign_pdf,
)

pytestmark = pytest.mark.django_db

pki_dir = documents_fixtures.pki_dir
other_pki_dir = documents_fixtures.other_pki_dir


# --- the PKI -----------------------------------------------------------------------------------


def test_ensure_demo_pki_creates_the_files_once(tmp_path):
    directory = tmp_path / "pki"
    first = pki.ensure_demo_pki(directory, zone_name="测试区")
    assert first.created
    assert stat.S_IMODE(os.stat(first.signer_key).st_mode) == 0o600
    before = {p: p.read_bytes() for p in (first.ca_cert, first.signer_key, first.signer_cert)}
    again = pki.ensure_demo_pki(directory, zone_name="测试区")
    assert not again.created
    assert {p: p.read_bytes() for p in before} == before


def test_ensure_demo_pki_refuses_to_overwrite_a_partial_set(tmp_path):
    files = pki.ensure_demo_pki(tmp_path / "pki")
    files.signer_key.unlink()
    ca = files.ca_cert.read_bytes()
    with pytest.raises(ImproperlyConfigured, match=r"signer\.key\.pem"):
        pki.ensure_demo_pki(tmp_path / "pki")
    assert files.ca_cert.read_bytes() == ca


def test_the_demo_certificates_say_what_they_are(pki_dir):
    material = pki.signing_material()
    assert material.signer_name == "测试高新技术产业开发区 电子印章（演示）"
    assert pki.cert_common_name(material.trust_roots[0]) == "zonegov 演示根证书"
    usage = material.signer_cert.key_usage_value.native
    assert {"digital_signature", "non_repudiation"} <= set(usage)
    assert material.signer_cert.public_key.algorithm == "ec"
    assert material.signer_cert.public_key.curve[1] == "secp256r1"
    assert len(pki.signer_fingerprint()) == 64


def test_a_passphrase_protected_key_is_loaded(settings, tmp_path):
    directory = tmp_path / "pki"
    pki.ensure_demo_pki(directory, passphrase="geheim-口令")
    assert b"ENCRYPTED" in (directory / "signer.key.pem").read_bytes()
    point_settings_at(settings, directory)
    settings.ZONEGOV_SIGNING_KEY_PASSPHRASE = "geheim-口令"
    assert pki.signing_material().signer_name


def test_missing_key_files_are_reported_clearly(settings, tmp_path):
    point_settings_at(settings, tmp_path / "nowhere")
    with pytest.raises(ImproperlyConfigured, match="ensure_pki"):
        pki.signing_material()


def test_the_ensure_pki_command_creates_then_leaves_alone(settings, tmp_path):
    point_settings_at(settings, tmp_path / "cmd-pki")
    out = StringIO()
    call_command("ensure_pki", stdout=out)
    assert "已生成演示签名证书" in out.getvalue()
    out = StringIO()
    call_command("ensure_pki", stdout=out)
    assert "已存在" in out.getvalue()
    assert pki.signer_fingerprint() in out.getvalue()


def test_the_ensure_pki_command_does_not_touch_real_keys(settings, tmp_path, other_pki_dir):
    settings.ZONEGOV_PKI_DIR = tmp_path / "demo-pki"
    settings.ZONEGOV_SIGNING_KEY = str(other_pki_dir / "signer.key.pem")
    settings.ZONEGOV_SIGNING_CERT = str(other_pki_dir / "signer.cert.pem")
    settings.ZONEGOV_SIGNING_CHAIN = str(other_pki_dir / "ca.cert.pem")
    out = StringIO()
    call_command("ensure_pki", stdout=out)
    assert "已配置正式签名证书" in out.getvalue()
    assert not (tmp_path / "demo-pki").exists()


# --- signing -----------------------------------------------------------------------------------


def test_a_signed_pdf_is_valid_for_poppler_too(pki_dir, tmp_path):
    needs(PDFSIG)
    signed = sign_pdf(render_pdf(sample_layout()), reason="测试", location="平顶山")
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    out = subprocess.run([PDFSIG, str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out
    assert "ETSI.CAdES.detached" in out
    assert "Signature Field Name: Signature1" in out
    assert "SHA-256" in out
    assert "Total document signed" in out
    assert "测试高新技术产业开发区 电子印章（演示）" in out
    # Our demo CA is not in poppler's NSS database: trust is not asserted here.


def test_poppler_sees_a_tampered_file_as_invalid(pki_dir, tmp_path):
    needs(PDFSIG)
    signed = sign_pdf(render_pdf(sample_layout()), reason="测试", location="平顶山")
    path = tmp_path / "tampered.pdf"
    path.write_bytes(tamper(signed))
    out = subprocess.run([PDFSIG, str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid" not in out


def test_signing_reuses_the_measured_container_size(pki_dir):
    pdf = render_pdf(sample_layout())
    first = sign_pdf(pdf, reason="一", location="甲")
    second = sign_pdf(pdf, reason="二", location="乙")

    def gap(data):
        m = re.search(rb"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)", data)
        return int(m[2]) - int(m[1])

    assert gap(first) == gap(second)


# --- issuing -----------------------------------------------------------------------------------


def test_issuing_numbers_signs_stores_and_audits(pki_dir, cast):
    doc = issue(actor=cast.officer)
    year = timezone.localdate().year
    assert re.fullmatch(rf"ZG-{year}-\d{{6}}", doc.number)
    assert doc.status == DocumentStatus.VALID
    assert doc.issuer_name == "测试高新技术产业开发区管理委员会"
    assert doc.signer_fingerprint == pki.signer_fingerprint()
    data = stored_bytes(doc)
    assert data.startswith(b"%PDF-")
    assert str(pki_dir.parent / "media") in doc.file.path
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    record = AuditRecord.objects.get(action="document.issue", object_id=str(doc.pk))
    assert record.actor_id == cast.officer.pk
    assert record.changes["sha256"] == doc.sha256
    assert audit_verify().ok


def test_the_verify_url_is_printed_in_the_pdf(pki_dir, cast, monkeypatch):
    from zonegov.core.services.documents import layout

    seen = []
    real_make = layout.segno.make
    monkeypatch.setattr(layout.segno, "make", lambda c, **kw: seen.append(c) or real_make(c, **kw))
    doc = issue(actor=cast.officer)
    assert seen == [f"https://zwfw.example.cn/verify/{doc.number}/"]


def test_a_layout_builder_gets_the_number_and_url(pki_dir, cast):
    calls = []

    def build(number, url):
        calls.append((number, url))
        return sample_layout(title="测试证明")

    doc = issue(actor=cast.officer, layout=None, layout_builder=build, number="CS-0001")
    assert calls == [("CS-0001", "https://zwfw.example.cn/verify/CS-0001/")]
    assert doc.number == "CS-0001"


def test_a_used_number_is_refused(pki_dir, cast):
    issue(actor=cast.officer, number="CS-0002")
    with pytest.raises(ApplicationError, match="已被使用"):
        issue(actor=cast.officer, number="CS-0002")


@pytest.mark.parametrize("number", ["a/b", "证书1", "-x", "x" * 65, "a b"])
def test_numbers_that_do_not_fit_in_a_url_are_refused(pki_dir, cast, number):
    with pytest.raises(ApplicationError, match="文书编号只能"):
        issue(actor=cast.officer, number=number)
    assert not IssuedDocument.objects.exists()


def test_a_subject_is_linked(pki_dir, cast):
    doc = issue(actor=cast.officer, subject=cast.dept)
    doc.refresh_from_db()
    assert doc.subject == cast.dept


def test_replacing_marks_the_old_document_changed(pki_dir, cast):
    old = issue(actor=cast.officer)
    new = issue(actor=cast.officer, replaces=old)
    old.refresh_from_db()
    assert old.status == DocumentStatus.CHANGED
    assert new.number in old.status_reason
    assert old.status_changed_at is not None
    info = document_public_info(old)
    assert info.replaced_by_number == new.number
    assert AuditRecord.objects.filter(action="document.status", object_id=str(old.pk)).exists()


def test_a_revoked_document_cannot_be_replaced(pki_dir, cast):
    old = issue(actor=cast.officer)
    document_set_status(
        actor=cast.officer, document=old, status=DocumentStatus.REVOKED, reason="违法经营"
    )
    with pytest.raises(ApplicationError, match="已吊销"):
        issue(actor=cast.officer, replaces=old)


# --- status ------------------------------------------------------------------------------------


def test_revoking_records_reason_date_and_audit(pki_dir, cast):
    doc = issue(actor=cast.officer)
    document_set_status(
        actor=cast.officer, document=doc, status=DocumentStatus.REVOKED, reason="违法经营"
    )
    doc.refresh_from_db()
    assert doc.status == DocumentStatus.REVOKED
    assert doc.status_reason == "违法经营"
    assert doc.status_changed_at is not None
    record = AuditRecord.objects.get(action="document.status", object_id=str(doc.pk))
    assert record.changes["status"] == {"before": "valid", "after": "revoked"}


@pytest.mark.parametrize(
    ("first", "then"),
    [
        (DocumentStatus.REVOKED, DocumentStatus.VALID),
        (DocumentStatus.CANCELLED, DocumentStatus.VALID),
        (DocumentStatus.REVOKED, DocumentStatus.CANCELLED),
        (DocumentStatus.EXPIRED, DocumentStatus.VALID),
    ],
)
def test_invalid_transitions_are_refused(pki_dir, cast, first, then):
    doc = issue(actor=cast.officer)
    document_set_status(actor=cast.officer, document=doc, status=first, reason="原因")
    with pytest.raises(ApplicationError, match="不能改为"):
        document_set_status(actor=cast.officer, document=doc, status=then, reason="原因")
    doc.refresh_from_db()
    assert doc.status == first


def test_changed_can_only_be_reached_by_replacing(pki_dir, cast):
    doc = issue(actor=cast.officer)
    with pytest.raises(ApplicationError):
        document_set_status(
            actor=cast.officer, document=doc, status=DocumentStatus.CHANGED, reason="x"
        )


def test_revoking_needs_a_reason(pki_dir, cast):
    doc = issue(actor=cast.officer)
    with pytest.raises(ApplicationError) as exc:
        document_set_status(
            actor=cast.officer, document=doc, status=DocumentStatus.REVOKED, reason="  "
        )
    assert "reason" in exc.value.field_errors


def test_setting_the_same_status_is_refused(pki_dir, cast):
    doc = issue(actor=cast.officer)
    with pytest.raises(ApplicationError, match="已是"):
        document_set_status(actor=cast.officer, document=doc, status="valid", reason="")


def test_an_unknown_status_is_refused(pki_dir, cast):
    doc = issue(actor=cast.officer)
    with pytest.raises(ApplicationError, match="未知"):
        document_set_status(actor=cast.officer, document=doc, status="lost", reason="")


# --- verification ------------------------------------------------------------------------------


def test_a_genuine_file_is_genuine(pki_dir, cast):
    doc = issue(actor=cast.officer)
    result = document_verify(stored_bytes(doc))
    assert result.genuine
    assert result.signature_valid and result.signed_by_us and result.on_record
    assert result.covers_whole_file
    assert result.document == doc
    assert result.status == DocumentStatus.VALID
    assert result.valid_now
    assert result.reasons == []
    assert result.verdict == "真实有效"
    assert result.signer_name == "测试高新技术产业开发区 电子印章（演示）"


def test_one_changed_byte_inside_the_signed_range_is_detected(pki_dir, cast):
    doc = issue(actor=cast.officer)
    result = document_verify(tamper(stored_bytes(doc)))
    assert not result.genuine
    assert not result.signature_valid
    assert not result.on_record
    assert "文件已被改动：签名覆盖的内容与签名不符" in result.reasons
    assert result.verdict == "不是真实有效的文件"


def test_a_changed_byte_in_the_page_content_is_detected(pki_dir, cast):
    data = bytearray(stored_bytes(issue(actor=cast.officer)))
    at = data.index(b"stream") + 20  # inside the first (compressed) stream
    data[at] ^= 0x01
    result = document_verify(bytes(data))
    assert not result.genuine and result.reasons


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.999])
def test_a_truncated_file_is_not_genuine(pki_dir, cast, keep):
    data = stored_bytes(issue(actor=cast.officer))
    result = document_verify(data[: int(len(data) * keep)])
    assert not result.genuine
    assert result.reasons


@pytest.mark.parametrize(
    "garbage",
    [
        b"",
        os.urandom(5000),
        b"%PDF-1.7\n" + os.urandom(5000),
        "不是PDF文件".encode(),
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    ],
    ids=["empty", "random", "pdf-header-then-random", "text", "minimal-broken-pdf"],
)
def test_garbage_never_raises(pki_dir, garbage):
    result = document_verify(garbage)
    assert not result.genuine
    assert result.reasons
    assert result.document is None


def test_not_a_pdf_says_so(pki_dir):
    assert document_verify(b"hello").reasons == ["文件不是有效的 PDF"]


def test_an_unsigned_pdf_has_no_signature(pki_dir):
    result = document_verify(render_pdf(sample_layout()))
    assert not result.genuine
    assert result.reasons == ["文件中没有电子签名"]


def test_a_pdf_signed_by_another_key_is_not_ours(pki_dir, other_pki_dir, settings):
    pdf = render_pdf(sample_layout())
    point_settings_at(settings, other_pki_dir)
    foreign = sign_pdf(pdf, reason="伪造", location="别处")
    point_settings_at(settings, pki_dir)
    result = document_verify(foreign)
    assert not result.genuine
    assert not result.signed_by_us
    assert not result.signature_valid  # does not chain to our CA
    assert "不是本平台签发的文件：签名证书不是我们的" in result.reasons
    assert result.signer_name == "别处的发证机关 电子印章（演示）"


def test_a_file_signed_by_us_but_never_issued_is_not_on_record(pki_dir):
    signed = sign_pdf(render_pdf(sample_layout()), reason="测试", location="平顶山")
    result = document_verify(signed)
    assert result.signature_valid and result.signed_by_us
    assert not result.on_record and not result.genuine
    assert result.reasons == ["签名有效，但本平台没有签发过这个文件"]


def test_bytes_appended_after_signing_make_it_not_genuine(pki_dir, cast):
    data = stored_bytes(issue(actor=cast.officer))
    writer = IncrementalPdfFileWriter(BytesIO(data))
    writer.root["/Lang"] = TextStringObject("zh-CN")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    result = document_verify(out.getvalue())
    assert not result.genuine
    assert not result.covers_whole_file
    assert any("签名没有覆盖整个文件" in r for r in result.reasons)


def test_trailing_junk_after_signing_makes_it_not_genuine(pki_dir, cast):
    data = stored_bytes(issue(actor=cast.officer))
    result = document_verify(data + b"\n% appended\n")
    assert not result.genuine


def test_a_revoked_document_is_genuine_but_revoked(pki_dir, cast):
    doc = issue(actor=cast.officer)
    document_set_status(
        actor=cast.officer, document=doc, status=DocumentStatus.REVOKED, reason="违法经营"
    )
    result = document_verify(stored_bytes(doc))
    assert result.genuine
    assert not result.valid_now
    assert result.status == DocumentStatus.REVOKED
    assert result.status_label == "已吊销"
    assert result.status_since == timezone.localdate()
    assert "已吊销" in result.verdict


def test_an_expired_document_shows_expired(pki_dir, cast):
    doc = issue(actor=cast.officer)
    document_set_status(actor=cast.officer, document=doc, status="expired", reason="到期")
    result = document_verify(stored_bytes(doc))
    assert result.genuine and result.status == DocumentStatus.EXPIRED
    assert result.status_since == date(2031, 3, 4)  # its valid_until


def test_a_document_past_its_validity_counts_as_expired(pki_dir, cast):
    yesterday = timezone.localdate() - timedelta(days=1)
    doc = issue(actor=cast.officer, valid_until=yesterday)
    result = document_verify(stored_bytes(doc))
    assert result.genuine
    assert result.status == DocumentStatus.EXPIRED
    assert result.status_since == yesterday
    assert IssuedDocument.objects.get(pk=doc.pk).status == DocumentStatus.VALID


def test_documents_signed_before_a_key_rotation_still_verify(pki_dir, cast, settings, tmp_path):
    doc = issue(actor=cast.officer)
    old_fingerprint = pki.signer_fingerprint()
    old_ca = (pki_dir / "ca.cert.pem").read_bytes()
    new_dir = tmp_path / "new-pki"
    pki.ensure_demo_pki(new_dir)
    point_settings_at(settings, new_dir)
    assert not document_verify(stored_bytes(doc)).genuine
    # trust the old CA too (chain file) and accept the old signer certificate
    bundle = tmp_path / "chain.pem"
    bundle.write_bytes((new_dir / "ca.cert.pem").read_bytes() + old_ca)
    settings.ZONEGOV_SIGNING_CHAIN = str(bundle)
    settings.ZONEGOV_PREVIOUS_SIGNER_FINGERPRINTS = [old_fingerprint.upper()]
    assert document_verify(stored_bytes(doc)).genuine


def test_random_damage_is_never_genuine_and_never_raises(pki_dir, cast):
    import random

    data = stored_bytes(issue(actor=cast.officer))
    rnd = random.Random(20260305)
    for i in range(80):
        damaged = bytearray(data)
        where = rnd.randrange(len(damaged))
        if i % 3 == 0:
            damaged[where] = (damaged[where] + rnd.randrange(1, 256)) % 256
        elif i % 3 == 1:
            del damaged[where : where + rnd.randint(1, 400)]
        else:
            damaged[where:where] = os.urandom(rnd.randint(1, 40))
        result = document_verify(bytes(damaged))
        assert not result.genuine, i
        assert result.reasons, i


def test_a_big_tail_after_the_end_of_file_is_refused_quickly(pki_dir, cast):
    import time

    data = stored_bytes(issue(actor=cast.officer))
    start = time.perf_counter()
    result = document_verify(data + b"\n%" + b"B" * 5_000_000 + b"\n")
    assert time.perf_counter() - start < 1.0
    assert not result.genuine
    assert "文件不完整，或末尾被追加了内容" in result.reasons[0]
