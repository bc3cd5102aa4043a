"""The certificate page: fonts, CJK line breaking, layout, the seal and the QR code (reportlab).

Fonts travel with the code: Droid Sans Fallback (Apache-2.0, ``core/fonts``) for Chinese and
Bitstream Vera (shipped inside reportlab) for Latin letters and digits, which Droid Sans
Fallback lacks. Both are embedded as subsets. The output is unsigned; see ``signing``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from io import BytesIO
from pathlib import Path

import reportlab
import segno
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

CJK_FONT = "ZonegovDroidSansFallback"
LATIN_FONT = "ZonegovVera"
CJK_FONT_FILE = Path(__file__).resolve().parents[2] / "fonts" / "DroidSansFallbackFull.ttf"
LATIN_FONT_FILE = Path(reportlab.__file__).resolve().parent / "fonts" / "Vera.ttf"


@lru_cache(maxsize=1)
def _fonts() -> tuple[frozenset[int], frozenset[int]]:
    """Register both fonts once per process; return the code points each one covers."""
    # asciiReadable=False: the CJK font never draws ASCII, so let its subsets use all 256
    # codes (fewer subsets to build and embed).
    cjk = TTFont(CJK_FONT, str(CJK_FONT_FILE), asciiReadable=False)
    latin = TTFont(LATIN_FONT, str(LATIN_FONT_FILE))
    pdfmetrics.registerFont(cjk)
    pdfmetrics.registerFont(latin)
    return frozenset(cjk.face.charToGlyph), frozenset(latin.face.charToGlyph)


@lru_cache(maxsize=8192)
def _font_for(ch: str) -> str:
    cjk, latin = _fonts()
    code = ord(ch)
    if code in latin and (code < 0x2000 or code not in cjk):
        return LATIN_FONT
    return CJK_FONT


@lru_cache(maxsize=16384)
def _char_width(ch: str) -> float:
    """Advance width of ``ch`` at 1 pt."""
    return pdfmetrics.stringWidth(ch, _font_for(ch), 1000) / 1000


def _runs(text: str) -> list[tuple[str, str]]:
    """Split ``text`` into (font, substring) runs."""
    runs: list[tuple[str, str]] = []
    for ch in text:
        font = _font_for(ch)
        if runs and runs[-1][0] == font:
            runs[-1] = (font, runs[-1][1] + ch)
        else:
            runs.append((font, ch))
    return runs


def text_width(text: str, size: float, char_space: float = 0.0) -> float:
    return sum(_char_width(ch) for ch in text) * size + char_space * len(text)


# --- line breaking (CJK: break between any two characters, simple 禁则 rules) -----------------

NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…%,.;:?!)]}·")
NO_LINE_END = set("（《「『【〔〈“‘([{")
_TOKEN = re.compile(r"[A-Za-z0-9@#&_\-+./:%=?~]+|\s+|.", re.S)


def wrap_text(text: str, size: float, width: float, *, first_indent: float = 0.0) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points. Chinese breaks anywhere,
    Latin words and numbers stay whole unless longer than a line, closing punctuation may
    hang past the edge rather than start a line, opening punctuation never ends one."""
    lines: list[str] = []
    for raw_line in str(text).splitlines() or [""]:
        lines_before = len(lines)
        line = ""
        line_w = 0.0
        limit = width - (first_indent if not lines else 0.0)
        for token in _TOKEN.findall(raw_line):
            tok_w = text_width(token, size)
            if line_w + tok_w <= limit + 0.01:
                line, line_w = line + token, line_w + tok_w
                continue
            if token.isspace():
                lines.append(line)
                line, line_w, limit = "", 0.0, width
                continue
            if token[0] in NO_LINE_START and len(token) == 1 and line:
                lines.append(line + token)  # hanging punctuation
                line, line_w, limit = "", 0.0, width
                continue
            if tok_w > width:  # a word longer than a whole line: split it by character
                for ch in token:
                    ch_w = text_width(ch, size)
                    if line_w + ch_w > limit + 0.01 and line:
                        lines.append(line)
                        line, line_w, limit = "", 0.0, width
                    line, line_w = line + ch, line_w + ch_w
                continue
            carry = ""
            while line and line[-1] in NO_LINE_END:
                carry, line = line[-1] + carry, line[:-1]
            if line:
                lines.append(line.rstrip())
                limit = width
            line = carry + token
            line_w = text_width(line, size)
        if line.strip() or len(lines) == lines_before:
            lines.append(line.rstrip())
    return lines


def wrap_url(url: str, size: float, width: float) -> list[str]:
    """Break a URL only after a "/" (or "?", "&"), so the document number in its path is
    never cut in two; a single segment wider than a line is split by character."""
    lines: list[str] = []
    line = ""
    for part in re.findall(r"[^/?&]*[/?&]|[^/?&]+", url):
        if line and text_width(line + part, size) > width + 0.01:
            lines.append(line)
            line = ""
        if not line and text_width(part, size) > width + 0.01:
            pieces = wrap_text(part, size, width)
            lines.extend(pieces[:-1])
            line = pieces[-1]
            continue
        line += part
    if line or not lines:
        lines.append(line)
    return lines


# --- the layout ------------------------------------------------------------------------------


@dataclass
class DocumentLayout:
    """What goes on a certificate page. ``number`` and ``verify_url`` are filled in by
    :func:`document_issue`; ``seal_text`` (around the seal) defaults to the issuer."""

    title: str
    number: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    issuer_name: str = ""
    issued_on: date | None = None
    verify_url: str = ""
    seal_text: str | None = None
    footer: str | None = None


PAGE_W, PAGE_H = A4
MARGIN = 25 * mm
CONTENT_W = PAGE_W - 2 * MARGIN
BOTTOM_RESERVE = 84 * mm  # QR code, issuer, date and seal live below this line

INK = HexColor("#1f1f1f")
MUTED = HexColor("#5f5f5f")
FRAME = HexColor("#9c7a3c")
RULE = HexColor("#b8a37a")
LABEL_BG = HexColor("#f7f1e3")
SEAL_RED = Color(0.84, 0.09, 0.09)


def _draw(
    c: canvas.Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    align: str = "left",
    color: Color = INK,
    char_space: float = 0.0,
    bold: bool = False,
) -> None:
    """Draw one line of mixed Chinese/Latin text with baseline at ``y``."""
    if not text:
        return
    if align != "left":
        w = text_width(text, size, char_space) - char_space
        x -= w if align == "right" else w / 2
    t = c.beginText(x, y)
    t.setFillColor(color)
    if char_space:
        t.setCharSpace(char_space)
    if bold:  # Droid Sans Fallback has no bold face: fill + thin stroke reads as bold
        t.setTextRenderMode(2)
        t.setStrokeColor(color)
        c.setLineWidth(size / 36)
    for font, chunk in _runs(text):
        t.setFont(font, size)
        t.textOut(chunk)
    # Tc and Tr belong to the graphics state and outlive the text object: reset them.
    if char_space:
        t.setCharSpace(0)
    if bold:
        t.setTextRenderMode(0)
    c.drawText(t)


def _frame(c: canvas.Canvas) -> None:
    c.saveState()
    c.setStrokeColor(FRAME)
    c.setLineWidth(2.2)
    c.rect(10 * mm, 10 * mm, PAGE_W - 20 * mm, PAGE_H - 20 * mm)
    c.setLineWidth(0.6)
    c.rect(12.5 * mm, 12.5 * mm, PAGE_W - 25 * mm, PAGE_H - 25 * mm)
    # small corner ornaments
    for x, y, dx, dy in (
        (12.5 * mm, 12.5 * mm, 1, 1),
        (PAGE_W - 12.5 * mm, 12.5 * mm, -1, 1),
        (12.5 * mm, PAGE_H - 12.5 * mm, 1, -1),
        (PAGE_W - 12.5 * mm, PAGE_H - 12.5 * mm, -1, -1),
    ):
        c.setLineWidth(1.2)
        c.line(x + dx * 3 * mm, y + dy * 3 * mm, x + dx * 12 * mm, y + dy * 3 * mm)
        c.line(x + dx * 3 * mm, y + dy * 3 * mm, x + dx * 3 * mm, y + dy * 12 * mm)
    c.restoreState()


def _header(c: canvas.Canvas, layout: DocumentLayout, *, first: bool) -> float:
    """Title and number; returns the y where the body starts."""
    title = layout.title if first else f"{layout.title}（续）"
    size = 26.0
    n = max(len(title), 1)
    spacing = 14.0 if n <= 4 else 7.0 if n <= 8 else 1.5
    while text_width(title, size, spacing) > CONTENT_W and size > 12:
        size -= 1
        spacing = min(spacing, 1.5)
    title_y = PAGE_H - 42 * mm
    _draw(c, PAGE_W / 2, title_y, title, size, align="center", char_space=spacing, bold=True)
    c.setStrokeColor(FRAME)
    c.setLineWidth(0.8)
    c.line(PAGE_W / 2 - 30 * mm, title_y - 6 * mm, PAGE_W / 2 + 30 * mm, title_y - 6 * mm)
    if layout.number:
        _draw(
            c,
            PAGE_W - MARGIN,
            title_y - 15 * mm,
            _("编号：%(number)s") % {"number": layout.number},
            10.5,
            align="right",
            color=MUTED,
        )
    return title_y - 20 * mm


def _field_table(
    c: canvas.Canvas, layout: DocumentLayout, y: float, new_page: Callable[[], float]
) -> float:
    size, leading, pad = 11.5, 17.0, 3.2 * mm
    label_w = 40 * mm
    value_w = CONTENT_W - label_w
    for label, value in layout.fields:
        label_lines = wrap_text(str(label), size, label_w - 2 * pad)
        value_lines = wrap_text("—" if value in (None, "") else str(value), size, value_w - 2 * pad)
        row_h = max(len(label_lines), len(value_lines)) * leading + 2 * pad - (leading - size)
        if y - row_h < BOTTOM_RESERVE and y < PAGE_H - 70 * mm:
            y = new_page()
        c.setFillColor(LABEL_BG)
        c.setStrokeColor(RULE)
        c.setLineWidth(0.6)
        c.rect(MARGIN, y - row_h, label_w, row_h, stroke=1, fill=1)
        c.rect(MARGIN + label_w, y - row_h, value_w, row_h, stroke=1, fill=0)
        baseline = y - pad - size * 0.88
        for i, text in enumerate(label_lines):
            _draw(c, MARGIN + pad, baseline - i * leading, text, size, color=MUTED)
        for i, text in enumerate(value_lines):
            _draw(c, MARGIN + label_w + pad, baseline - i * leading, text, size)
        y -= row_h
    return y


def _paragraphs(
    c: canvas.Canvas, layout: DocumentLayout, y: float, new_page: Callable[[], float]
) -> float:
    size, leading = 12.0, 20.0
    indent = 2 * size  # 首行缩进两字
    y -= 8 * mm if layout.fields else 0
    for paragraph in layout.paragraphs:
        for i, line in enumerate(wrap_text(paragraph, size, CONTENT_W, first_indent=indent)):
            if y - leading < BOTTOM_RESERVE:
                y = new_page()
            y -= leading
            _draw(c, MARGIN + (indent if i == 0 else 0), y, line, size)
        y -= 4
    return y


def _qr(c: canvas.Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code (ISO/IEC 18004, level M) as vector rectangles, one per horizontal run of
    dark modules, written in module units under a scaling transform."""
    qr = segno.make(url, error="m")  # mask chosen by penalty score, as 18004 requires
    matrix = qr.matrix
    n = len(matrix)
    ops: list[str] = []
    for r, row in enumerate(matrix):
        top = n - r - 1
        col = 0
        while col < n:
            if row[col]:
                start = col
                while col < n and row[col]:
                    col += 1
                ops.append(f"{start} {top} {col - start} 1 re")
            else:
                col += 1
    c.saveState()
    c.translate(x, y)
    c.scale(size / n, size / n)
    c.setFillColor(INK)
    c.addLiteral("\n".join(ops) + "\nf")
    c.restoreState()


def _star(c: canvas.Canvas, cx: float, cy: float, r_outer: float) -> None:
    r_inner = r_outer * 0.382
    path = c.beginPath()
    for i in range(10):
        r = r_outer if i % 2 == 0 else r_inner
        angle = math.pi / 2 + i * math.pi / 5
        px, py = cx + r * math.cos(angle), cy + r * math.sin(angle)
        if i == 0:
            path.moveTo(px, py)
        else:
            path.lineTo(px, py)
    path.close()
    c.drawPath(path, stroke=0, fill=1)


def _seal(c: canvas.Canvas, cx: float, cy: float, text: str, radius: float = 21 * mm) -> None:
    """A round red seal: ring, the issuer's name along the upper arc, a star in the middle.
    Drawn semi-transparent over the issuer line, the way a stamp sits on paper."""
    c.saveState()
    c.setFillColor(SEAL_RED)
    c.setStrokeColor(SEAL_RED)
    c.setFillAlpha(0.88)
    c.setStrokeAlpha(0.88)
    ring = 1.1 * mm
    c.setLineWidth(ring)
    c.circle(cx, cy, radius - ring / 2, stroke=1, fill=0)
    _star(c, cx, cy, radius * 0.3)
    chars = [ch for ch in text if not ch.isspace()][:24]
    if chars:
        n = len(chars)
        squeeze = 0.78  # seal lettering is narrow
        inset = ring + 1.0 * mm

        def fit(size: float) -> tuple[float, float]:
            r_text = radius - inset - size * 0.86
            return r_text, size * squeeze * 1.12 / r_text

        size = radius * 0.29
        r_text, step = fit(size)
        span_max = math.radians(250)
        while step * (n - 1) > span_max and size > 4:
            size *= 0.96
            r_text, step = fit(size)
        # short names are spread out rather than bunched at the top
        span = max(step * (n - 1), math.radians(min(210.0, 32.0 * (n - 1))))
        step = span / (n - 1) if n > 1 else 0.0
        c.setLineWidth(size / 40)
        for i, ch in enumerate(chars):
            angle = math.pi / 2 + span / 2 - i * step
            c.saveState()
            c.translate(cx + r_text * math.cos(angle), cy + r_text * math.sin(angle))
            c.rotate(math.degrees(angle - math.pi / 2))
            c.scale(squeeze, 1)
            t = c.beginText(0, 0)
            t.setTextRenderMode(2)
            t.setFont(_font_for(ch), size)
            t.setTextOrigin(-_char_width(ch) * size / 2, 0)
            t.textOut(ch)
            t.setTextRenderMode(0)
            c.drawText(t)
            c.restoreState()
    c.restoreState()


def _format_date(value: date) -> str:
    return _("%(y)d年%(m)d月%(d)d日") % {"y": value.year, "m": value.month, "d": value.day}


def _bottom(c: canvas.Canvas, layout: DocumentLayout) -> None:
    issued_on = layout.issued_on or timezone.localdate()
    issuer = layout.issuer_name or settings.ZONEGOV_ZONE_NAME
    # issuer and date, bottom right, with the seal over them
    right = PAGE_W - MARGIN - 6 * mm
    issuer_size = 13.0 if text_width(issuer, 13) < 80 * mm else 11.0
    _draw(c, right, 50 * mm, issuer, issuer_size, align="right")
    date_text = _format_date(issued_on)
    _draw(c, right, 41 * mm, date_text, 12, align="right")
    block_w = max(text_width(issuer, issuer_size), text_width(date_text, 12))
    _seal(c, right - block_w / 2, 48 * mm, layout.seal_text or issuer)
    # QR code bottom left, captioned
    if layout.verify_url:
        qr_size, qr_x, qr_y = 27 * mm, MARGIN, 27 * mm
        _qr(c, layout.verify_url, qr_x, qr_y, qr_size)
        _draw(c, qr_x + qr_size / 2, qr_y - 5.5 * mm, _("扫码核验"), 10, align="center", bold=True)
        text_x = qr_x + qr_size + 4 * mm
        text_w = 62 * mm
        lines = [
            (_("本文书已加盖电子签章。"), 8.5, MUTED),
            (_("扫描左侧二维码或访问下列网址，"), 8.5, MUTED),
            (_("可核验真伪及当前状态："), 8.5, MUTED),
        ]
        lines += [(part, 7.5, INK) for part in wrap_url(layout.verify_url, 7.5, text_w)]
        ty = qr_y + qr_size - 8
        for text, size, color in lines:
            _draw(c, text_x, ty, text, size, color=color)
            ty -= size + 4.5
    if layout.footer:
        for i, line in enumerate(wrap_text(layout.footer, 8, CONTENT_W)[:2]):
            _draw(c, PAGE_W / 2, 16.5 * mm - i * 10, line, 8, align="center", color=MUTED)


def render_pdf(layout: DocumentLayout) -> bytes:
    """Render ``layout`` as an A4 certificate and return the PDF bytes (unsigned).

    Fonts are embedded as subsets; the QR code (``layout.verify_url``) is vector graphics.
    Content that does not fit on one page continues on further pages; the QR code,
    issuer, date and seal are on the last page.
    """
    _fonts()
    with translation.override(settings.LANGUAGE_CODE):  # certificates are always Chinese
        return _render(layout)


def _render(layout: DocumentLayout) -> bytes:
    buf = BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=LATIN_FONT)
    c.setTitle(f"{layout.title} {layout.number}".strip())
    c.setAuthor(layout.issuer_name or settings.ZONEGOV_ZONE_NAME)
    c.setSubject(layout.title)
    c.setCreator("zonegov")
    pages = [0]

    def new_page() -> float:
        c.showPage()
        pages[0] += 1
        _frame(c)
        return _header(c, layout, first=False)

    _frame(c)
    y = _header(c, layout, first=True)
    y = _field_table(c, layout, y, new_page)
    _paragraphs(c, layout, y, new_page)
    _bottom(c, layout)
    c.showPage()
    # ASCII85 only makes streams bigger and costs ~2 ms per document; the flag is read
    # while saving, so it is switched off just for that step.
    previous_a85 = rl_config.useA85
    rl_config.useA85 = 0
    try:
        c.save()
    finally:
        rl_config.useA85 = previous_a85
    return buf.getvalue()
