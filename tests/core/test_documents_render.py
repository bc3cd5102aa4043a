"""Rendering certificates: fonts embedded, Chinese extractable, QR code drawn, layout."""

import re
import subprocess
import zlib

import pytest

from tests.core.documents_fixtures import (
    PDFFONTS,
    PDFINFO,
    PDFTOTEXT,
    needs,
    sample_layout,
)
from zonegov.core.services.documents import layout, render_pdf, text_width, wrap_text


@pytest.fixture
def pdf_file(tmp_path):
    pdf = render_pdf(sample_layout(number="ZG-2026-000123", verify_url="https://x.cn/v/1/"))
    path = tmp_path / "cert.pdf"
    path.write_bytes(pdf)
    return path


def page_content(pdf: bytes) -> bytes:
    """The decompressed page content streams (the ones with text in them)."""
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            streams.append(zlib.decompress(match[1]))
        except zlib.error:
            continue
    return b"\n".join(s for s in streams if b"BT" in s)


def font_rows(path) -> list[list[str]]:
    out = subprocess.run([PDFFONTS, str(path)], capture_output=True, text=True, check=True)
    return [line.split() for line in out.stdout.splitlines()[2:] if line.strip()]


def test_it_embeds_the_droid_font_as_a_subset(pdf_file):
    needs(PDFFONTS)
    rows = font_rows(pdf_file)
    droid = [r for r in rows if "DroidSansFallback" in r[0]]
    assert droid, rows
    for row in droid:
        # columns: name type encoding emb sub uni object-id gen
        assert row[0].startswith(tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) and "+" in row[0]
        assert row[-5] == "yes", f"not embedded: {row}"


def test_every_font_in_the_file_is_embedded(pdf_file):
    needs(PDFFONTS)
    rows = font_rows(pdf_file)
    assert rows
    assert all(row[-5] == "yes" for row in rows), rows
    assert not any("Helvetica" in row[0] or "STSong" in row[0] for row in rows)


def test_the_chinese_text_can_be_extracted(pdf_file):
    needs(PDFTOTEXT)
    text = subprocess.run(
        [PDFTOTEXT, str(pdf_file), "-"], capture_output=True, text=True, check=True
    ).stdout
    compact = re.sub(r"\s+", "", text)
    for expected in [
        "食品经营许可证",
        "编号：ZG-2026-000123",
        "平顶山市测试餐饮管理有限公司",
        "91410400MA9F8U6X33",
        "测试高新技术产业开发区管理委员会",
        "2026年3月5日",
        "扫码核验",
        "准予许可，特发此证。",
    ]:
        assert expected in compact, expected


def test_the_qr_code_carries_the_verify_url_and_is_drawn_as_vectors(monkeypatch):
    seen = []
    real_make = layout.segno.make

    def spy(content, **kwargs):
        seen.append(content)
        return real_make(content, **kwargs)

    monkeypatch.setattr(layout.segno, "make", spy)
    url = "https://zwfw.example.cn/verify/ZG-2026-000007/"
    pdf = render_pdf(sample_layout(number="ZG-2026-000007", verify_url=url))
    assert seen == [url]
    content = page_content(pdf)
    qr_rects = re.findall(rb"^\d+ \d+ \d+ 1 re$", content, re.M)
    version = real_make(url, error="m").version
    assert len(qr_rects) > 4 * (17 + 4 * version)  # many runs of dark modules
    assert b"/Subtype /Image" not in pdf  # vector, not a picture


def test_without_a_verify_url_there_is_no_qr_code():
    content = page_content(render_pdf(sample_layout(verify_url="")))
    assert b"BT" in content
    assert not re.findall(rb"^\d+ \d+ \d+ 1 re$", content, re.M)


def test_long_content_continues_on_a_second_page(tmp_path):
    needs(PDFINFO)
    layout = sample_layout(fields=[(f"项目{i}", "很长的内容" * 30) for i in range(12)])
    path = tmp_path / "long.pdf"
    path.write_bytes(render_pdf(layout))
    info = subprocess.run([PDFINFO, str(path)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    assert pages >= 2


def test_it_is_an_a4_page(pdf_file):
    needs(PDFINFO)
    info = subprocess.run([PDFINFO, str(pdf_file)], capture_output=True, text=True).stdout
    assert "595.276 x 841.89 pts (A4)" in info
    assert "Title:" in info and "食品经营许可证" in info


def test_wrapping_keeps_lines_within_the_width():
    text = "河南省平顶山市高新区神马大道与长安大道交叉口东北角创新大厦A座12层1201室" * 3
    lines = wrap_text(text, 11.5, 200)
    assert len(lines) > 3
    assert "".join(lines) == text
    assert all(text_width(line, 11.5) <= 200 + 11.5 for line in lines)


def test_wrapping_never_starts_a_line_with_closing_punctuation():
    text = "热食类食品制售，冷食类食品制售。" * 8
    for width in range(60, 260, 7):
        lines = wrap_text(text, 12, width)
        assert "".join(lines) == text
        assert all(lines), lines
        assert not any(line[0] in "，。；：）" for line in lines[1:]), (width, lines)


def test_wrapping_keeps_latin_words_and_numbers_whole():
    lines = wrap_text("统一社会信用代码为91410400MA9F8U6X33的企业", 12, 170)
    assert any("91410400MA9F8U6X33" in line for line in lines)


def test_wrapping_breaks_a_word_longer_than_the_line():
    word = "https://zwfw.example.cn/verify/ZG-2026-000123/"
    lines = wrap_text(word, 8, 60)
    assert len(lines) > 1 and "".join(lines) == word
