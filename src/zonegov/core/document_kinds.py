"""What kind of document an issued document is, in words (文书类型), for the public
verification page and the API: ``IssuedDocument.kind`` is a code (``acceptance_notice``,
``food_jy``); modules register a label for each code they issue. Pure registry (no models),
so selectors and templates may read it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, str] = {}


def register_document_kind(code: str, label: str) -> None:
    """``label`` (e.g. "受理通知书", "电子证照") for documents of kind ``code``."""
    _LABELS[code] = label


def document_kind_label(code: str, default: str = "") -> str:
    """The registered label of ``code``; else ``default`` (the document's title) or 文书."""
    label = _LABELS.get(code)
    if label is not None:
        return str(label)
    return default or str(_("文书"))
