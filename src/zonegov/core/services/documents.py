"""Issued documents: render a certificate PDF, sign it (PAdES), keep it on record, verify it.

* Rendering uses reportlab with fonts that travel with the code: Droid Sans Fallback
  (Apache-2.0, ``core/fonts``) for Chinese and Bitstream Vera (shipped inside reportlab) for
  Latin letters and digits, which Droid Sans Fallback lacks. Both are embedded as subsets.
* Signatures are PAdES baseline B-B (ETSI EN 319 142-1): a CAdES detached signature
  (``ETSI.CAdES.detached``) over the whole file, SHA-256, ECDSA P-256, no timestamp.
* Verification answers three questions a citizen asks: was it signed by us and not changed
  since, did we issue exactly this file, and is it still valid. Files from strangers are
  parsed under bounds (``core/pdfcheck.py``); a file over them "cannot be checked".
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

import reportlab
import segno
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from reportlab import rl_config
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from zonegov.core import pdfcheck, pki
from zonegov.core.errors import ApplicationError
from zonegov.core.models import IssuedDocument
from zonegov.core.models.documents import DocumentStatus
from zonegov.core.selectors.documents import (
    document_by_sha256,
    document_effective_status,
)
from zonegov.core.services.audit import audit_append
from zonegov.core.services.numbering import number_format

logger = logging.getLogger(__name__)

MAX_VERIFY_BYTES = 20 * 1024 * 1024

# --- fonts -----------------------------------------------------------------------------------

CJK_FONT = "ZonegovDroidSansFallback"
LATIN_FONT = "ZonegovVera"
CJK_FONT_FILE = Path(__file__).resolve().parent.parent / "fonts" / "DroidSansFallbackFull.ttf"
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
        lines += [(part, 7.5, INK) for part in wrap_text(layout.verify_url, 7.5, text_w)]
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


# --- signing -------------------------------------------------------------------------------


def sign_pdf(pdf: bytes, *, reason: str, location: str) -> bytes:
    """Sign ``pdf`` with the zone's key: PAdES baseline B-B (ETSI EN 319 142-1), subfilter
    ``ETSI.CAdES.detached``, SHA-256, invisible field ``Signature1``, signer certificate
    and chain embedded, no timestamp and no network access."""
    material = pki.signing_material()
    writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name="Signature1",
        md_algorithm="sha256",
        subfilter=SigSeedSubFilter.PADES,
        reason=reason,
        location=location,
        name=material.signer_name or None,
    )
    reserved = _reserved_sizes.get(material.fingerprint)
    if reserved is not None:
        try:
            return signers.sign_pdf(
                writer, meta, signer=material.signer, bytes_reserved=reserved
            ).getvalue()
        except Exception:  # the space did not suffice after all: estimate again below
            logger.warning("sign_pdf: reserved %s bytes did not fit, re-estimating", reserved)
            _reserved_sizes.pop(material.fingerprint, None)
            writer = IncrementalPdfFileWriter(BytesIO(pdf), strict=False)
    signed = signers.sign_pdf(writer, meta, signer=material.signer).getvalue()
    match = _BYTE_RANGE.search(signed)
    if match:
        _reserved_sizes[material.fingerprint] = int(match[2]) - int(match[1]) - 2
    return signed


# pyHanko sizes the signature container with a dry-run signature (half the cost of a
# signature). The size depends only on the signer's certificates, so the first signature
# of a process measures it and later ones reuse it.
_reserved_sizes: dict[str, int] = {}
_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+\d+\s*\]")


# --- issuing -------------------------------------------------------------------------------

LayoutBuilder = Callable[[str, str], DocumentLayout]
# Numbers go into URLs (the QR code) and file names.
NUMBER_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def _verify_url(number: str) -> str:
    base = settings.ZONEGOV_PUBLIC_BASE_URL.rstrip("/")
    return base + reverse("verify_document", args=[number])


@transaction.atomic
def document_issue(
    *,
    actor: Any,
    kind: str,
    title: str,
    holder_name: str,
    layout: DocumentLayout | None = None,
    layout_builder: LayoutBuilder | None = None,
    subject: models.Model | None = None,
    public_fields: dict[str, Any] | Sequence[tuple[str, Any]] | None = None,
    valid_until: date | None = None,
    number: str | None = None,
    replaces: IssuedDocument | None = None,
) -> IssuedDocument:
    """Number, render, sign and store a document; record its hash; audit.

    Pass either ``layout`` (its ``number``/``verify_url`` are replaced, an empty
    ``issued_on`` becomes today) or ``layout_builder(number, verify_url) -> DocumentLayout``.
    ``public_fields`` is what the public verification page shows besides title, holder,
    issuer and status; give a list of (label, value) pairs to keep their order on
    PostgreSQL (jsonb does not keep dict key order). With ``replaces``, the old document
    (valid or expired) is marked changed (已变更) and points to this one.
    """
    if (layout is None) == (layout_builder is None):
        raise TypeError("document_issue() needs exactly one of layout, layout_builder")
    if replaces is not None:
        replaces = IssuedDocument.objects.select_for_update().get(pk=replaces.pk)
        if replaces.status not in (DocumentStatus.VALID, DocumentStatus.EXPIRED):
            raise ApplicationError(
                _("原文书状态为“%(status)s”，不能再被变更替代。")
                % {"status": replaces.get_status_display()}
            )
    number_checked = bool(number)
    if number:
        if not NUMBER_PATTERN.fullmatch(number):
            message = _("文书编号只能由字母、数字、点、横线和下划线组成，且不超过64位。")
            raise ApplicationError(message, field_errors={"number": [message]})
        if IssuedDocument.objects.filter(number=number).exists():
            raise ApplicationError(
                _("文书编号 %(number)s 已被使用。") % {"number": number},
                field_errors={"number": [_("该编号已被使用。")]},
            )
    else:
        number = number_format(prefix="ZG")
    verify_url = _verify_url(number)
    issued_at = timezone.now()
    if layout_builder is not None:
        layout = layout_builder(number, verify_url)
    assert layout is not None
    layout = dataclasses.replace(
        layout,
        number=number,
        verify_url=verify_url,
        issued_on=layout.issued_on or timezone.localdate(issued_at),
        issuer_name=layout.issuer_name or settings.ZONEGOV_ZONE_NAME,
    )
    with translation.override(settings.LANGUAGE_CODE):  # recorded texts stay Chinese
        reason = _("%(title)s（编号 %(number)s）") % {"title": title, "number": number}
        replaced_reason = _("已由 %(number)s 替代") % {"number": number}
    signed = sign_pdf(render_pdf(layout), reason=reason, location=layout.issuer_name)
    if isinstance(public_fields, dict) or public_fields is None:
        public: Any = {str(k): v for k, v in (public_fields or {}).items()}
    else:
        public = [[str(k), v] for k, v in public_fields]
    doc = IssuedDocument(
        number=number,
        kind=kind,
        title=title,
        holder_name=holder_name,
        public_fields=public,
        sha256=hashlib.sha256(signed).hexdigest(),
        signer_fingerprint=pki.signer_fingerprint(),
        issued_at=issued_at,
        valid_until=valid_until,
        issuer_name=layout.issuer_name,
        replaces=replaces,
    )
    if subject is not None:
        doc.subject_type = ContentType.objects.get_for_model(subject)
        doc.subject_id = str(subject.pk)
    doc.file.save(get_valid_filename(f"{number}.pdf"), ContentFile(signed), save=False)
    try:
        # Field checks only where they can fail: the content type comes from the model
        # and ``replaces`` is locked above, so their existence queries are skipped; an
        # explicit number was checked above (the unique index backs it under concurrency),
        # the primary key is a fresh UUID and the hash is of a newly signed file.
        doc.full_clean(
            exclude=["file", "public_fields", "subject_type", "replaces"],
            validate_unique=not number_checked,
        )
        doc.save()
        audit_append(
            actor=actor,
            action="document.issue",
            obj=doc,
            changes={
                "number": number,
                "kind": kind,
                "title": title,
                "holder_name": holder_name,
                "sha256": doc.sha256,
                "signer_fingerprint": doc.signer_fingerprint,
                "valid_until": valid_until,
                "replaces": replaces.number if replaces else None,
            },
        )
        if replaces is not None and replaces.status == DocumentStatus.VALID:
            _set_status(
                actor=actor,
                document=replaces,
                status=DocumentStatus.CHANGED,
                reason=replaced_reason,
            )
    except Exception:
        doc.file.delete(save=False)
        raise
    return doc


# Which status may follow which. CHANGED is only reached through document_issue(replaces=).
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    DocumentStatus.VALID: {
        DocumentStatus.REVOKED,
        DocumentStatus.CANCELLED,
        DocumentStatus.EXPIRED,
    },
    DocumentStatus.EXPIRED: {DocumentStatus.REVOKED, DocumentStatus.CANCELLED},
    DocumentStatus.CHANGED: set(),
    DocumentStatus.REVOKED: set(),
    DocumentStatus.CANCELLED: set(),
}


def _set_status(*, actor: Any, document: IssuedDocument, status: str, reason: str) -> None:
    before = document.status
    document.status = status
    document.status_reason = reason[:200]
    document.status_changed_at = timezone.now()
    document.save(update_fields=["status", "status_reason", "status_changed_at"])
    audit_append(
        actor=actor,
        action="document.status",
        obj=document,
        changes={"status": {"before": before, "after": status}, "reason": reason},
    )


@transaction.atomic
def document_set_status(
    *, actor: Any, document: IssuedDocument, status: str, reason: str
) -> IssuedDocument:
    """Revoke (吊销), cancel (注销) or expire a document. Revoked, cancelled and changed are
    final; a document never returns to valid (issue a new one instead)."""
    locked = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    reason = (reason or "").strip()
    try:
        target = DocumentStatus(status)
    except ValueError:
        raise ApplicationError(
            _("未知的文书状态。"), field_errors={"status": [_("无效的状态。")]}
        ) from None
    if target == locked.status:
        raise ApplicationError(
            _("文书已是“%(status)s”状态。") % {"status": target.label},
            field_errors={"status": [_("状态未改变。")]},
        )
    if target not in ALLOWED_TRANSITIONS[locked.status]:
        raise ApplicationError(
            _("文书当前为“%(current)s”，不能改为“%(target)s”。")
            % {"current": locked.get_status_display(), "target": target.label},
            field_errors={"status": [_("不允许的状态变更。")]},
        )
    if target in (DocumentStatus.REVOKED, DocumentStatus.CANCELLED) and not reason:
        raise ApplicationError(
            _("请填写吊销或注销的原因。"), field_errors={"reason": [_("请填写原因。")]}
        )
    if len(reason) > 200:
        raise ApplicationError(
            _("原因不能超过200字。"), field_errors={"reason": [_("不能超过200字。")]}
        )
    _set_status(actor=actor, document=locked, status=target, reason=reason)
    document.status = locked.status
    document.status_reason = locked.status_reason
    document.status_changed_at = locked.status_changed_at
    return document


# --- verification ----------------------------------------------------------------------------


@dataclass
class VerificationResult:
    """The answer to "is this file a genuine document of ours, and is it still valid?".

    ``genuine`` = the signature is intact, cryptographically valid and chains to our CA,
    the signer certificate is ours, the signature covers the whole file, and the file's
    SHA-256 is on record. ``status`` (effective now) is only known for files on record.
    ``reasons`` lists the problems in plain Chinese (empty when genuine).
    """

    genuine: bool = False
    signature_valid: bool = False
    signed_by_us: bool = False
    on_record: bool = False
    covers_whole_file: bool = False
    document: IssuedDocument | None = None
    status: str | None = None
    status_label: str = ""
    status_since: date | None = None
    signer_name: str = ""
    signed_at: datetime | None = None
    sha256: str = ""
    reasons: list[str] = field(default_factory=list)
    checkable: bool = True

    @property
    def valid_now(self) -> bool:
        return self.genuine and self.status == DocumentStatus.VALID

    @property
    def verdict(self) -> str:
        if not self.checkable:
            return _("无法核验")
        if not self.genuine:
            return _("不是真实有效的文件")
        if self.status == DocumentStatus.VALID:
            return _("真实有效")
        return _("文件真实，但当前状态为“%(status)s”") % {"status": self.status_label}


def _attach_record(result: VerificationResult, document: IssuedDocument) -> None:
    result.document = document
    status, since = document_effective_status(document)
    result.status = status
    result.status_label = str(DocumentStatus(status).label)
    result.status_since = since


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


@dataclass(frozen=True)
class _SignatureCheck:
    """The part of a verification that depends only on the bytes and our PKI."""

    signature_valid: bool = False
    signed_by_us: bool = False
    covers_whole_file: bool = False
    single_signature: bool = False
    signer_name: str = ""
    signed_at: datetime | None = None
    problems: tuple[str, ...] = ()
    over_limit: str = ""  # which verification limit the file exceeded (then nothing else holds)

    def to_json(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["signed_at"] = self.signed_at.isoformat() if self.signed_at else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _SignatureCheck:
        signed_at = data.get("signed_at")
        return cls(
            **{
                **data,
                "signed_at": datetime.fromisoformat(signed_at) if signed_at else None,
                "problems": tuple(data.get("problems") or ()),
            }
        )


def uncheckable_message() -> str:
    return _("无法核验：文件过于复杂或已损坏（超出核验资源限制），请上传平台签发的原始 PDF。")


# A file whose check ran out of time or memory is answered from here for a while, in the
# shared cache: sending the same file again costs nothing, and a check that failed only
# because the server was overloaded is retried after OVER_LIMIT_SECONDS.
OVER_LIMIT_SECONDS = 60


# Checking a signature costs ~15-20 ms; the answer for the same bytes and the same trust
# settings does not change within a day, and the QR page re-checks the same files often.
_checks: dict[tuple, _SignatureCheck] = {}
_CHECKS_MAX = 2048


def _check_signature(data: bytes, sha256: str) -> _SignatureCheck:
    try:
        material: pki.SigningMaterial | None = pki.signing_material()
    except ImproperlyConfigured:
        material = None  # fine for files without a signature; raised below otherwise
    if material is None:
        return _check_signature_bounded(data, sha256, None, set())
    accepted = pki.accepted_fingerprints()
    key = (
        sha256,
        tuple(sorted(accepted)),
        tuple(pki.cert_fingerprint(c) for c in material.trust_roots),
        timezone.localdate(),
    )
    cached = _checks.get(key)
    if cached is not None:
        return cached
    check = _check_signature_bounded(data, sha256, material, accepted)
    if check.over_limit:
        return check
    if len(_checks) >= _CHECKS_MAX:
        _checks.clear()
    _checks[key] = check
    return check


def _check_signature_bounded(
    data: bytes, sha256: str, material: pki.SigningMaterial | None, accepted: set[str]
) -> _SignatureCheck:
    """:func:`_check_signature_uncached` in a child process under the verification limits
    (time, memory, stack): a file over them comes back with ``over_limit`` set."""
    bounds = pdfcheck.limits()
    over_key = f"pdfcheck:over:{sha256}"
    over = cache.get(over_key)
    if over:
        return _SignatureCheck(over_limit=over)

    def work() -> dict[str, Any]:
        try:
            return _check_signature_uncached(data, material, accepted).to_json()
        except ImproperlyConfigured:
            return {"improperly_configured": True}

    try:
        answer = pdfcheck.run_bounded(work, bounds)
    except pdfcheck.OverLimit as exc:
        logger.warning("document_verify: over the verification limits: %s", exc.detail)
        cache.set(over_key, exc.detail, OVER_LIMIT_SECONDS)
        return _SignatureCheck(over_limit=exc.detail)
    if answer.get("improperly_configured"):
        pki.signing_material()  # raises ImproperlyConfigured naming the missing file
        raise AssertionError("unreachable")
    return _SignatureCheck.from_json(answer)


def _check_signature_uncached(
    data: bytes, material: pki.SigningMaterial | None, accepted: set[str]
) -> _SignatureCheck:
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        signatures = list(reader.embedded_signatures)
    except Exception as exc:
        if pdfcheck.exhausted(exc):
            raise  # out of memory or stack: over the limits, not a broken file
        logger.info("document_verify: unreadable PDF", exc_info=True)
        return _SignatureCheck(problems=(_("文件不是有效的 PDF（无法读取，可能已损坏或不完整）"),))
    if not signatures:
        return _SignatureCheck(problems=(_("文件中没有电子签名"),))
    if material is None:
        pki.signing_material()  # raises ImproperlyConfigured naming the missing file
        raise AssertionError("unreachable")
    problems: list[str] = []
    signer_name, signed_at = "", None
    signature_valid = signed_by_us = covers_whole_file = False
    try:
        sig = max(signatures, key=lambda s: s.signed_revision)
        signer_cert = sig.signer_cert
        signer_name = pki.cert_common_name(signer_cert)
        signed_at = sig.self_reported_timestamp
        signed_by_us = pki.cert_fingerprint(signer_cert) in accepted
        covers_whole_file = sig.evaluate_signature_coverage() == SignatureCoverageLevel.ENTIRE_FILE
        context = ValidationContext(
            trust_roots=list(material.trust_roots),
            allow_fetching=False,
            revocation_mode="soft-fail",
        )
        # The diff analysis judges later incremental updates; we accept none at all.
        status = validate_pdf_signature(sig, context, skip_diff=True)
    except Exception as exc:
        if pdfcheck.exhausted(exc):
            raise
        logger.info("document_verify: signature not checkable", exc_info=True)
        problems.append(_("电子签名已损坏，无法校验"))
    else:
        signature_valid = bool(status.intact and status.valid and status.trusted)
        if not status.intact:
            problems.append(_("文件已被改动：签名覆盖的内容与签名不符"))
        elif not status.valid:
            problems.append(_("签名无效：签名值与签名证书不符"))
        if not signed_by_us:
            problems.append(_("不是本平台签发的文件：签名证书不是我们的"))
        elif status.intact and status.valid and not status.trusted:
            problems.append(_("签名证书未通过校验（可能已过期或不受信任）"))
        if not covers_whole_file:
            problems.append(_("文件在签名后被追加或改动过：签名没有覆盖整个文件"))
    if len(signatures) > 1:
        problems.append(_("文件中有多个签名，不是本平台签发的原始文件"))
    return _SignatureCheck(
        signature_valid=signature_valid,
        signed_by_us=signed_by_us,
        covers_whole_file=covers_whole_file,
        single_signature=len(signatures) == 1,
        signer_name=signer_name,
        signed_at=signed_at,
        problems=tuple(_unique(problems)),
    )


def document_verify(pdf_bytes: bytes) -> VerificationResult:
    """Check a PDF someone holds. Never raises on bad input: garbage, truncated or unsigned
    files, foreign signatures and altered bytes all come back as a result with reasons.

    The PAdES signature (ETSI EN 319 142-1) is validated with pyHanko against our CA only,
    without network access; it must cover the entire file, so bytes appended after signing
    (incremental updates) make the file not genuine. The file's SHA-256 must be on record.

    A file that would take more than ``settings.ZONEGOV_VERIFY_LIMITS`` to parse (inflated
    size, objects, cross-reference entries, time, memory, nesting) is not parsed further:
    the result has ``checkable`` False, "cannot be checked" and the limit it exceeded.
    """
    result = VerificationResult()
    data = bytes(pdf_bytes or b"")
    result.sha256 = hashlib.sha256(data).hexdigest()
    if b"%PDF-" not in data[:1024]:
        result.reasons.append(_("文件不是有效的 PDF"))
        return result
    if b"%%EOF" not in data[-1024:]:
        # A PDF ends with %%EOF (ISO 32000-1, 7.5.5). Without it the file is cut off or has
        # bytes appended, and the PDF reader would crawl back through all of them looking for
        # "startxref" (seconds for a 20 MB upload): refuse it straight away.
        result.reasons.append(_("文件不是有效的 PDF（文件不完整，或末尾被追加了内容）"))
        return result
    try:
        pdfcheck.precheck(data, pdfcheck.limits())
    except pdfcheck.OverLimit as exc:
        return _uncheckable(result, exc.detail)
    record = document_by_sha256(result.sha256)
    if record is not None:
        result.on_record = True
        _attach_record(result, record)
    check = _check_signature(data, result.sha256)
    if check.over_limit:
        return _uncheckable(result, check.over_limit)
    result.signature_valid = check.signature_valid
    result.signed_by_us = check.signed_by_us
    result.covers_whole_file = check.covers_whole_file
    result.signer_name = check.signer_name
    result.signed_at = check.signed_at
    result.reasons = list(check.problems)
    if not result.on_record and not result.reasons and result.signed_by_us:
        result.reasons.append(_("签名有效，但本平台没有签发过这个文件"))
    result.genuine = (
        check.signature_valid
        and check.signed_by_us
        and check.covers_whole_file
        and check.single_signature
        and result.on_record
    )
    if not result.genuine and not result.reasons:  # never "not genuine" without a reason
        result.reasons.append(_("文件未通过核验"))
    return result


def _uncheckable(result: VerificationResult, detail: str) -> VerificationResult:
    result.checkable = False
    result.genuine = result.signature_valid = result.signed_by_us = False
    result.covers_whole_file = False
    result.reasons = [uncheckable_message(), _("原因：%(detail)s") % {"detail": detail}]
    return result


def document_verify_stored(document: IssuedDocument) -> VerificationResult:
    """Re-check the file we keep for ``document`` (its signature and its recorded hash):
    what the QR code page shows. A missing or altered archive copy is reported, not raised."""
    try:
        with document.file.open("rb") as fh:
            data = fh.read()
    except (OSError, ValueError):
        logger.error("document %s: archive file missing", document.number, exc_info=True)
        result = VerificationResult()
        _attach_record(result, document)
        result.reasons.append(_("存档文件缺失，无法核验签名，请联系签发机关"))
        return result
    result = document_verify(data)
    if not result.checkable:  # over the limits (an overloaded server): says so, nothing more
        _attach_record(result, document)
        return result
    if result.document is None or result.document.pk != document.pk:
        not_ours = _("签名有效，但本平台没有签发过这个文件")
        result.reasons = [r for r in result.reasons if r != not_ours]
        result.reasons.append(_("存档文件与登记的哈希值不符，请联系签发机关"))
        result.genuine = False
        result.on_record = False
        _attach_record(result, document)
    return result
