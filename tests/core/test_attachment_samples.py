"""Tiny real files of every accepted kind (and some impostors), written by hand so the
tests need no imaging library. Imported by the other ``test_attachment_*`` files."""

import base64
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zonegov.core.services.assignments import assignment_create


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


# 1x1 white pixel, 8-bit greyscale.
PNG = (
    b"\x89PNG\r\n\x1a\n"
    + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    + _png_chunk(b"IDAT", zlib.compress(b"\x00\xff"))
    + _png_chunk(b"IEND", b"")
)

# 1x1 mid-grey baseline JPEG: one 8x8 block whose DC difference and AC coefficients are
# all zero, so two one-symbol Huffman tables suffice (DC category 0 -> "0", EOB -> "0").
JPEG = b"".join(
    [
        b"\xff\xd8",  # SOI
        b"\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00",  # APP0
        b"\xff\xdb\x00\x43\x00" + b"\x01" * 64,  # DQT, table 0, all ones
        b"\xff\xc0\x00\x0b\x08\x00\x01\x00\x01\x01\x01\x11\x00",  # SOF0 1x1, 1 comp
        b"\xff\xc4\x00\x14\x00\x01" + b"\x00" * 15 + b"\x00",  # DHT DC0: one code, symbol 0
        b"\xff\xc4\x00\x14\x10\x01" + b"\x00" * 15 + b"\x00",  # DHT AC0: one code, EOB
        b"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00",  # SOS
        b"\x3f",  # bits "00" (DC=0, EOB) padded with ones
        b"\xff\xd9",  # EOI
    ]
)

# 1x1 lossless WebP (the sample browsers' feature tests use).
WEBP = base64.b64decode("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")

PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


# ISO base media: ftyp (major brand, minor version, compatible brands), then an empty mdat.
MP4 = _box(b"ftyp", b"isom" + b"\x00\x00\x02\x00" + b"isomiso2avc1mp41") + _box(b"mdat", b"")
QUICKTIME = _box(b"ftyp", b"qt  " + b"\x20\x05\x03\x00" + b"qt  ") + _box(b"wide", b"")
OLD_QUICKTIME = _box(b"moov", b"") + _box(b"mdat", b"")
HEIC = _box(b"ftyp", b"heic" + b"\x00\x00\x00\x00" + b"mif1heic")
THREE_GPP = _box(b"ftyp", b"3gp4" + b"\x00\x00\x02\x00" + b"isom3gp4")


def _ebml(doctype: bytes) -> bytes:
    body = b"".join(
        [
            b"\x42\x86\x81\x01",  # EBMLVersion 1
            b"\x42\xf7\x81\x01",  # EBMLReadVersion 1
            b"\x42\xf2\x81\x04",  # EBMLMaxIDLength 4
            b"\x42\xf3\x81\x08",  # EBMLMaxSizeLength 8
            b"\x42\x82" + bytes([0x80 | len(doctype)]) + doctype,  # DocType
            b"\x42\x87\x81\x02",  # DocTypeVersion 2
            b"\x42\x85\x81\x02",  # DocTypeReadVersion 2
        ]
    )
    segment = b"\x18\x53\x80\x67\x01\xff\xff\xff\xff\xff\xff\xff"  # Segment, unknown size
    return b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(body)]) + body + segment


WEBM = _ebml(b"webm")
MATROSKA = _ebml(b"matroska")

TEXT = "这不是图片，只是一段文字。\n".encode()

SAMPLES = {
    "jpeg": (JPEG, "photo", "image/jpeg", ".jpg"),
    "png": (PNG, "photo", "image/png", ".png"),
    "webp": (WEBP, "photo", "image/webp", ".webp"),
    "pdf": (PDF, "pdf", "application/pdf", ".pdf"),
    "mp4": (MP4, "video", "video/mp4", ".mp4"),
    "quicktime": (QUICKTIME, "video", "video/quicktime", ".mov"),
    "old_quicktime": (OLD_QUICKTIME, "video", "video/quicktime", ".mov"),
    "webm": (WEBM, "video", "video/webm", ".webm"),
}


def upload(content: bytes, name: str, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def video_bytes(size: int) -> bytes:
    """An MP4 of ``size`` bytes: a valid ftyp box, then filler (a pattern, so that ranges
    can be checked)."""
    filler = bytes(range(256)) * (size // 256 + 1)
    return (MP4 + filler)[:size]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def case(cast):
    """An open assignment handled by ``cast.dept`` (officer), issued by the leader."""
    return assignment_create(
        actor=cast.leader, title="核查现场", description="拍照上传", unit=cast.dept, time_limit=5
    )


def close_case(case, cast):
    from zonegov.core.services.assignments import assignment_act

    case = assignment_act(actor=cast.officer, assignment=case, action="accept")
    case = assignment_act(actor=cast.officer, assignment=case, action="report", note="已完成")
    return assignment_act(actor=cast.leader, assignment=case, action="close")


def test_the_samples_are_real_files_where_a_decoder_is_at_hand():
    """Sanity check of the hand-written samples (skipped when Pillow is absent)."""
    image = pytest.importorskip("PIL.Image")
    import io

    for data in (PNG, JPEG, WEBP):
        with image.open(io.BytesIO(data)) as img:
            img.load()
            assert img.size == (1, 1)
