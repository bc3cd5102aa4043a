"""sniff_kind decides the kind by content only."""

import pytest

from tests.core.test_attachment_samples import HEIC, MATROSKA, SAMPLES, TEXT, THREE_GPP
from zonegov.core.services.attachments import sniff_kind


@pytest.mark.parametrize("sample", sorted(SAMPLES))
def test_it_recognises_each_accepted_kind(sample):
    content, kind, mime, extension = SAMPLES[sample]
    assert sniff_kind(content) == (kind, mime, extension)


def test_it_needs_only_the_first_bytes():
    content, kind, mime, extension = SAMPLES["webm"]
    assert sniff_kind(content[:64]) == (kind, mime, extension)


def test_it_reads_an_mp4_brand_among_the_compatible_brands():
    assert sniff_kind(THREE_GPP) == ("video", "video/mp4", ".mp4")


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(TEXT, id="text"),
        pytest.param(b"", id="empty"),
        pytest.param(b"\xff\xd8", id="truncated-jpeg"),
        pytest.param(b"RIFF\x00\x00\x00\x00WAVEfmt ", id="wav"),
        pytest.param(b"GIF89a\x01\x00\x01\x00", id="gif"),
        pytest.param(b"<svg xmlns='http://www.w3.org/2000/svg'/>", id="svg"),
        pytest.param(b"PK\x03\x04" + b"\x00" * 30, id="zip"),
        pytest.param(HEIC, id="heic-photo"),
        pytest.param(MATROSKA, id="matroska"),
        pytest.param(b"\x1a\x45\xdf\xa3\xff", id="broken-ebml"),
        pytest.param(b"<html><body>%PDF-1.4", id="html-with-pdf-inside"),
    ],
)
def test_it_refuses_what_is_not_an_accepted_kind(content):
    assert sniff_kind(content) is None
