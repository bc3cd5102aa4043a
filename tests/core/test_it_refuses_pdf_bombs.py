"""A small PDF that would make the reader inflate, allocate or recurse without end gets a
clear "cannot be checked" answer from the public verifier (API and upload page) instead
of stalling a worker: the raw bytes are measured before parsing, and the parse runs in a
child process that is killed at the time budget.

The issue asks for the answer "within a second"; the house rule forbids timing
assertions, so each test asserts which bound stopped the file: a pre-check limit (no
parse at all) or the child's time budget set to half a second (the unbounded parse of
that file takes over half a minute).
"""

import os
import signal
import zlib
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.core import documents_fixtures
from tests.core.documents_fixtures import (
    issue,
    point_settings_at,
    sample_layout,
    stored_bytes,
    tamper,
)
from zonegov.core import pdfcheck, pki

pytestmark = pytest.mark.django_db

pki_dir = documents_fixtures.pki_dir

UNCHECKABLE = "无法核验：文件过于复杂或已损坏（超出核验资源限制），请上传平台签发的原始 PDF。"
BIG = 10**12  # structure limits that let everything through to the parser


# --- bombs, built here (no binary fixtures) ----------------------------------------------------


def _pdf(objects: list[bytes], *, trailer: bytes | None = None, xref_stream: bytes = b"") -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    start = len(out)
    if xref_stream:
        out += b"%d 0 obj\n%s\nendobj\n" % (len(objects) + 1, xref_stream)
    else:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
        out += b"trailer\n" + (trailer or b"<< /Size %d /Root 1 0 R >>" % (len(objects) + 1))
    out += b"\nstartxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


CATALOG = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
ZEROS_32MB = 32 * 1024 * 1024


@lru_cache
def xref_stream_bomb(size: int = 3) -> bytes:
    """A ~32 KB file whose cross-reference stream inflates to 32 MB."""
    data = zlib.compress(b"\0" * ZEROS_32MB, 9)
    stream = b"<< /Type /XRef /Size %d /Root 1 0 R /W [1 4 2] /Filter /FlateDecode " % size
    stream += b"/Length %d >>\nstream\n%s\nendstream" % (len(data), data)
    return _pdf(CATALOG, xref_stream=stream)


@lru_cache
def double_flate_bomb() -> bytes:
    """A page whose contents are compressed twice: 1 MB inflates to 1 GB in stage two."""
    data = zlib.compress(zlib.compress(b"\0" * ZEROS_32MB, 9), 9)
    content = b"<< /Filter [/FlateDecode /FlateDecode] /Length %d >>\nstream\n%s\nendstream" % (
        len(data),
        data,
    )
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Contents 4 0 R >>"
    return _pdf([CATALOG[0], b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, content])


def huge_size() -> bytes:
    return _pdf(CATALOG, trailer=b"<< /Size 10000000 /Root 1 0 R >>")


@lru_cache
def many_objects() -> bytes:
    return _pdf(CATALOG + [b"null"] * 200_000)


def deep_nesting() -> bytes:
    return _pdf([CATALOG[0][:-2] + b"/X " + b"[" * 100_000 + b"]" * 100_000 + b" >>", CATALOG[1]])


BOMBS = {
    "xref stream inflating to 32 MB": (xref_stream_bomb, "解压后超过 16 MB"),
    "contents compressed twice": (double_flate_bomb, "解压后超过 16 MB"),
    "trailer claiming 10,000,000 objects": (huge_size, "交叉引用表声明的条目超过 10000 个"),
    "200,000 tiny objects": (many_objects, "文件中的对象超过 10000 个"),
    "arrays nested 100,000 deep": (deep_nesting, "嵌套层数过深"),
}


def api_verify(client, data: bytes):
    return client.post(
        "/api/documents/verify",
        {"file": SimpleUploadedFile("bomb.pdf", data, content_type="application/pdf")},
    )


def page_verify(client, data: bytes):
    return client.post(
        reverse("verify_lookup"),
        {"file": SimpleUploadedFile("bomb.pdf", data, content_type="application/pdf")},
    )


@pytest.mark.parametrize("bomb", BOMBS)
def test_it_answers_cannot_be_checked_through_the_api(client, pki_dir, bomb):
    build, reason = BOMBS[bomb]
    response = api_verify(client, build())
    assert response.status_code == 200
    body = response.json()
    assert body["checkable"] is False
    assert body["genuine"] is False and body["valid_now"] is False
    assert body["verdict"] == "无法核验"
    assert body["reasons"][0] == UNCHECKABLE
    assert reason in body["reasons"][1]


@pytest.mark.parametrize("bomb", BOMBS)
def test_it_answers_cannot_be_checked_on_the_upload_page(client, pki_dir, bomb):
    build, reason = BOMBS[bomb]
    response = page_verify(client, build())
    assert response.status_code == 200
    page = response.content.decode()
    assert "无法核验" in page and UNCHECKABLE in page and reason in page
    assert "不是真实有效的文件" not in page  # not proven fake either


def test_a_parse_over_the_time_budget_is_killed(client, pki_dir, settings):
    # Past the pre-check (limits lifted), pyHanko would read 4.8 million cross-reference
    # entries for over half a minute; the child is killed at the budget.
    settings.ZONEGOV_VERIFY_LIMITS = {
        "inflated_bytes": BIG,
        "objects": BIG,
        "xref_entries": BIG,
        "seconds": 0.5,
    }
    body = api_verify(client, xref_stream_bomb(size=ZEROS_32MB // 7)).json()
    assert body["checkable"] is False
    assert body["reasons"] == [UNCHECKABLE, "原因：核验用时超过 0.5 秒"]


def test_the_worker_survives_a_child_that_runs_out_of_memory_or_crashes():
    bounds = pdfcheck.Limits(
        inflated_bytes=BIG, objects=BIG, xref_entries=BIG, seconds=5, memory_bytes=64 << 20
    )
    with pytest.raises(pdfcheck.OverLimit, match="核验所需内存超过 64 MB"):
        pdfcheck.run_bounded(lambda: len(bytearray(512 << 20)), bounds)
    with pytest.raises(pdfcheck.OverLimit, match="核验进程因超出资源限制而终止"):
        pdfcheck.run_bounded(lambda: os.kill(os.getpid(), signal.SIGKILL), bounds)
    assert pdfcheck.run_bounded(lambda: {"answer": 42}, bounds) == {"answer": 42}


def test_genuine_and_tampered_certificates_are_still_told_apart(client, pki_dir, cast):
    long_layout = sample_layout(paragraphs=["经审查，该经营者符合规定条件，准予许可。" * 40] * 12)
    document = issue(actor=cast.officer, layout=long_layout)  # several pages
    data = stored_bytes(document)
    body = api_verify(client, data).json()
    assert body["checkable"] is True and body["genuine"] is True, body["reasons"]
    body = api_verify(client, tamper(data)).json()
    assert body["checkable"] is True and body["genuine"] is False
    assert body["verdict"] == "不是真实有效的文件"


def test_a_file_over_the_budget_is_remembered_only_for_a_minute(client, cast, settings, tmp_path):
    # On an overloaded server even our own certificate can miss the budget: the answer
    # is "cannot be checked", not "fake", and a minute later the file is checked again.
    start = datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(start, tick=False) as clock:
        pki.ensure_demo_pki(tmp_path / "pki", zone_name="测试高新技术产业开发区")
        point_settings_at(settings, tmp_path / "pki")
        settings.MEDIA_ROOT = tmp_path / "media"
        data = stored_bytes(issue(actor=cast.officer))
        settings.ZONEGOV_VERIFY_LIMITS = {"seconds": 0.0001}
        assert api_verify(client, data).json()["checkable"] is False
        settings.ZONEGOV_VERIFY_LIMITS = {}
        assert api_verify(client, data).json()["checkable"] is False  # answered from the cache
        clock.shift(61)
        body = api_verify(client, data).json()
    assert body["checkable"] is True and body["genuine"] is True
