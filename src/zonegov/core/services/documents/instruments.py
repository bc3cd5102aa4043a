"""Formal documents (行政文书) as signed, numbered PDFs: 受理通知书, 补正告知书, 不予许可决定书,
现场核查记录, 监督检查结果告知书, 责令整改通知书 — and any later module's notices.

One A4 letter layout for all of them: title, 文号 and verification number, addressee
(主送), body paragraphs, an optional numbered list (everything to correct), a table of the
case's facts, the remedies block (告知救济权利), the issuing unit with date and seal, and
the QR code to ``/verify/<number>``. Each kind has its own gap-free number series per year
(``core.numbering``: the series row is locked in the caller's transaction, so a step that
rolls back gives its number back). The document is issued with ``document_issue`` inside
the caller's transaction, like a certificate: if rendering or signing fails, the step that
asked for the document rolls back with it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import wraps
from io import BytesIO
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from zonegov.core.document_kinds import register_document_kind
from zonegov.core.models import IssuedDocument
from zonegov.core.services.documents.issuing import document_issue
from zonegov.core.services.documents.layout import (
    CONTENT_W,
    FRAME,
    INK,
    LABEL_BG,
    LATIN_FONT,
    MARGIN,
    MUTED,
    PAGE_H,
    PAGE_W,
    RULE,
    _draw,
    _fonts,
    _format_date,
    _qr,
    _seal,
    text_width,
    wrap_text,
)
from zonegov.core.services.numbering import number_next


@dataclass(frozen=True)
class InstrumentKind:
    """One kind of formal document: ``code`` is ``IssuedDocument.kind``, ``prefix`` the
    ASCII number prefix (numbers go into URLs), ``word`` the 文号's word."""

    code: str
    title: Any
    prefix: str
    word: str


ACCEPTANCE_NOTICE = InstrumentKind("acceptance_notice", gettext_lazy("受理通知书"), "SL", "受理")
CORRECTION_NOTICE = InstrumentKind("correction_notice", gettext_lazy("补正告知书"), "BZ", "补正")
REFUSAL_DECISION = InstrumentKind(
    "refusal_decision", gettext_lazy("不予许可决定书"), "BY", "不予许可"
)
ONSITE_RECORD = InstrumentKind("onsite_record", gettext_lazy("现场核查记录"), "HC", "现场核查")
INSPECTION_RESULT = InstrumentKind(
    "inspection_result", gettext_lazy("监督检查结果告知书"), "JG", "监督检查"
)
RECTIFICATION_NOTICE = InstrumentKind(
    "rectification_notice", gettext_lazy("责令整改通知书"), "ZG", "责令整改"
)
INSTRUMENT_KINDS: dict[str, InstrumentKind] = {
    k.code: k
    for k in (
        ACCEPTANCE_NOTICE,
        CORRECTION_NOTICE,
        REFUSAL_DECISION,
        ONSITE_RECORD,
        INSPECTION_RESULT,
        RECTIFICATION_NOTICE,
    )
}
for _kind in INSTRUMENT_KINDS.values():
    register_document_kind(_kind.code, _kind.title)


@dataclass
class LetterLayout:
    """What goes on a formal document. ``number``, ``verify_url`` (and an empty
    ``issued_on``/``issuer_name``) are filled in by ``document_issue``."""

    title: str
    symbol: str = ""  # 文号, e.g. 受理〔2026〕第3号
    addressee: str = ""  # 主送: "平顶山市某某餐饮有限公司："
    paragraphs: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # numbered list after the paragraphs
    closing: list[str] = field(default_factory=list)  # paragraphs after the list
    facts: list[tuple[str, str]] = field(default_factory=list)
    rights: list[str] = field(default_factory=list)
    signatories: list[tuple[str, str]] = field(default_factory=list)  # 核查人员：…
    number: str = ""
    verify_url: str = ""
    issuer_name: str = ""
    issued_on: date | None = None
    seal_text: str | None = None


BOTTOM = 78 * mm  # the issuer, date, seal and QR code live below this line (last page)
PAGE_BOTTOM = 25 * mm
BODY, LEADING = 12.0, 20.0


class _Writer:
    """Flows lines down the page, starting a new page (with a running header) when full."""

    def __init__(self, c: canvas.Canvas, layout: LetterLayout) -> None:
        self.c, self.layout = c, layout
        self.y = 0.0
        self.page = 1

    def frame(self) -> None:
        c = self.c
        c.saveState()
        c.setStrokeColor(FRAME)
        c.setLineWidth(0.6)
        c.rect(15 * mm, 15 * mm, PAGE_W - 30 * mm, PAGE_H - 30 * mm)
        c.restoreState()

    def first_header(self) -> None:
        self.frame()
        layout = self.layout
        size = 22.0
        while text_width(layout.title, size, 4) > CONTENT_W and size > 12:
            size -= 1
        y = PAGE_H - 38 * mm
        _draw(self.c, PAGE_W / 2, y, layout.title, size, align="center", char_space=4, bold=True)
        y -= 10 * mm
        if layout.symbol:
            _draw(self.c, PAGE_W / 2, y, layout.symbol, 12, align="center")
            y -= 6 * mm
        if layout.number:
            _draw(
                self.c,
                PAGE_W - MARGIN,
                y,
                _("核验编号：%(number)s") % {"number": layout.number},
                9.5,
                align="right",
                color=MUTED,
            )
        y -= 3 * mm
        self.c.setStrokeColor(FRAME)
        self.c.setLineWidth(0.8)
        self.c.line(MARGIN, y, PAGE_W - MARGIN, y)
        self.y = y - 6 * mm

    def new_page(self) -> None:
        self.c.showPage()
        self.page += 1
        self.frame()
        head = f"{self.layout.title}（续） {self.layout.number}".strip()
        _draw(self.c, MARGIN, PAGE_H - 25 * mm, head, 9.5, color=MUTED)
        self.y = PAGE_H - 33 * mm

    def need(self, height: float, floor: float = PAGE_BOTTOM) -> None:
        if self.y - height < floor:
            self.new_page()

    def text(self, text: str, *, size: float = BODY, indent: bool = True, x: float = MARGIN):
        first = 2 * size if indent else 0.0
        width = PAGE_W - MARGIN - x
        for i, line in enumerate(wrap_text(text, size, width, first_indent=first)):
            self.need(LEADING)
            self.y -= LEADING
            _draw(self.c, x + (first if i == 0 else 0), self.y, line, size)
        self.y -= 3

    def facts(self, rows: Sequence[tuple[str, str]]) -> None:
        size, leading, pad = 10.5, 15.0, 2.6 * mm
        label_w = 34 * mm
        value_w = CONTENT_W - label_w
        self.y -= 2 * mm
        c = self.c
        for label, value in rows:
            label_lines = wrap_text(str(label), size, label_w - 2 * pad)
            value_lines = wrap_text(
                str(value) if value not in (None, "") else "—", size, value_w - 2 * pad
            )
            row_h = max(len(label_lines), len(value_lines)) * leading + 2 * pad - (leading - size)
            self.need(row_h)
            c.setFillColor(LABEL_BG)
            c.setStrokeColor(RULE)
            c.setLineWidth(0.5)
            c.rect(MARGIN, self.y - row_h, label_w, row_h, stroke=1, fill=1)
            c.rect(MARGIN + label_w, self.y - row_h, value_w, row_h, stroke=1, fill=0)
            base = self.y - pad - size * 0.88
            for i, t in enumerate(label_lines):
                _draw(c, MARGIN + pad, base - i * leading, t, size, color=MUTED)
            for i, t in enumerate(value_lines):
                _draw(c, MARGIN + label_w + pad, base - i * leading, t, size)
            self.y -= row_h
        self.y -= 4 * mm

    def rights(self, paragraphs: Sequence[str]) -> None:
        """告知事项: a heading and the paragraphs, marked by a rule down their left side."""
        size, leading = 10.5, 17.0
        x = MARGIN + 4 * mm
        self.need(3 * leading)
        self.y -= leading
        top = self.y + size
        _draw(self.c, x, self.y, _("告知事项"), size, bold=True)
        for p in paragraphs:
            lines = wrap_text(p, size, PAGE_W - MARGIN - x, first_indent=2 * size)
            for i, line in enumerate(lines):
                if self.y - leading < PAGE_BOTTOM:
                    self._rule(top)
                    self.new_page()
                    top = self.y
                self.y -= leading
                _draw(self.c, x + (2 * size if i == 0 else 0), self.y, line, size)
        self._rule(top)
        self.y -= 6 * mm

    def _rule(self, top: float) -> None:
        self.c.setStrokeColor(FRAME)
        self.c.setLineWidth(1.6)
        self.c.line(MARGIN + 1 * mm, top, MARGIN + 1 * mm, self.y - 4)

    def bottom(self) -> None:
        layout = self.layout
        self.need(0, floor=BOTTOM)
        c = self.c
        y = min(self.y, BOTTOM + 6 * mm)
        for label, value in layout.signatories:
            _draw(c, MARGIN, y, f"{label}：{value}", 11)
            y -= 7 * mm
        issuer = layout.issuer_name or settings.ZONEGOV_ZONE_NAME
        right = PAGE_W - MARGIN - 6 * mm
        size = 13.0 if text_width(issuer, 13) < 85 * mm else 11.0
        _draw(c, right, 50 * mm, issuer, size, align="right")
        date_text = _format_date(layout.issued_on or timezone.localdate())
        _draw(c, right, 42 * mm, date_text, 12, align="right")
        block = max(text_width(issuer, size), text_width(date_text, 12))
        _seal(c, right - block / 2, 48 * mm, layout.seal_text or issuer, radius=19 * mm)
        if layout.verify_url:
            qr_size, qr_x, qr_y = 24 * mm, MARGIN, 24 * mm
            _qr(c, layout.verify_url, qr_x, qr_y, qr_size)
            _draw(c, qr_x + qr_size / 2, qr_y - 5 * mm, _("扫码核验"), 9, align="center", bold=True)
            tx = qr_x + qr_size + 3 * mm
            lines = [
                (_("本文书已加盖电子签章，"), 8, MUTED),
                (_("可扫码或访问下列网址核验："), 8, MUTED),
            ]
            # The number never breaks: the address up to /verify/ wraps, the number and
            # its slash make the last line.
            head, sep, tail = layout.verify_url.rpartition("/verify/")
            parts = [*wrap_text(head + sep, 7.5, 55 * mm), tail] if sep else [layout.verify_url]
            lines += [(part, 7.5, INK) for part in parts]
            ty = qr_y + qr_size - 8
            for t, s, color in lines:
                _draw(c, tx, ty, t, s, color=color)
                ty -= s + 4


def render_letter(layout: LetterLayout) -> bytes:
    """Render ``layout`` as an A4 formal document (unsigned PDF bytes); long content flows
    onto further pages, the signature block and QR code close the last page."""
    _fonts()
    with translation.override(settings.LANGUAGE_CODE):  # official documents are Chinese
        buf = BytesIO()
        c = canvas.Canvas(buf, pagesize=A4, pageCompression=1, initialFontName=LATIN_FONT)
        c.setTitle(f"{layout.title} {layout.number}".strip())
        c.setAuthor(layout.issuer_name or settings.ZONEGOV_ZONE_NAME)
        c.setSubject(layout.title)
        c.setCreator("zonegov")
        w = _Writer(c, layout)
        w.first_header()
        if layout.addressee:
            w.text(layout.addressee, indent=False)
        for p in layout.paragraphs:
            w.text(p)
        for n, item in enumerate(layout.items, 1):
            w.text(f"{n}. {item}", indent=False, x=MARGIN + 2 * BODY)
        for p in layout.closing:
            w.text(p)
        if layout.facts:
            w.facts(layout.facts)
        if layout.rights:
            w.rights(layout.rights)
        w.bottom()
        c.showPage()
        previous = rl_config.useA85
        rl_config.useA85 = 0
        try:
            c.save()
        finally:
            rl_config.useA85 = previous
        return buf.getvalue()


def instrument_number(kind: InstrumentKind) -> tuple[str, str]:
    """The next number of ``kind`` this year, gap-free (the series row stays locked until
    the caller's transaction ends): the verification number ``SL-2026-000003`` and the
    文号 ``受理〔2026〕第3号``."""
    year = timezone.localdate().year
    seq = number_next(series=f"instrument:{kind.code}:{year}")
    return f"{kind.prefix}-{year}-{seq:06d}", _("%(word)s〔%(year)d〕第%(n)d号") % {
        "word": kind.word,
        "year": year,
        "n": seq,
    }


def in_official_language(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator for a module's issuing function: every text of the document is built in
    the platform's language (Chinese), whatever language the acting officer's pages are
    in — a legal document is not half English because its issuer reads English."""

    @wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with translation.override(settings.LANGUAGE_CODE):
            return func(*args, **kwargs)

    return wrapped


def instrument_issue(
    *,
    actor: Any,
    kind: InstrumentKind,
    subject: models.Model,
    holder_name: str,
    addressee: str,
    paragraphs: Sequence[str],
    items: Sequence[str] = (),
    closing: Sequence[str] = (),
    facts: Sequence[tuple[str, Any]] = (),
    rights: Sequence[str] = (),
    signatories: Sequence[tuple[str, str]] = (),
    issuer_name: str = "",
    seal_text: str | None = None,
    public_fields: Sequence[tuple[str, Any]] = (),
) -> IssuedDocument:
    """Number, lay out, sign and record one formal document about ``subject``, inside the
    caller's transaction (call it from the step's ``transaction.atomic`` function). The
    public verification page shows the kind, holder, issuer, dates, status and
    ``public_fields`` — keep personal data out of them."""
    number, symbol = instrument_number(kind)
    with translation.override(settings.LANGUAGE_CODE):
        title = str(kind.title)
    layout = LetterLayout(
        title=title,
        symbol=symbol,
        addressee=addressee,
        paragraphs=[str(p) for p in paragraphs],
        items=[str(i) for i in items],
        closing=[str(p) for p in closing],
        facts=[(str(k), "" if v is None else str(v)) for k, v in facts],
        rights=[str(r) for r in rights],
        signatories=[(str(k), str(v)) for k, v in signatories],
        issuer_name=issuer_name,
        seal_text=seal_text,
    )
    return document_issue(
        actor=actor,
        kind=kind.code,
        title=title,
        holder_name=holder_name,
        layout=layout,
        render=render_letter,
        subject=subject,
        public_fields=[(_("文号"), symbol), *public_fields],
        number=number,
    )
