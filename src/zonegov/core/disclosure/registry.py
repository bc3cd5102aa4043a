"""The registry of disclosure categories (双公示: 行政许可 now; 行政处罚, 抽查结果 and project
postings later).

A module describes what it discloses once — its model or queryset, the public fields and
their labels, what the search box searches, the filters — and registers it from its
``AppConfig.ready()``. Core serves every category the same way: the page
``/gongshi/<key>/``, RSS and Atom feeds, the JSON ``/api/public/disclosures/<key>``, the
search with its PostgreSQL indexes and capped count (``core.disclosure.search``) and the
write path with masking (``core.disclosure.publish``). Core never imports the module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

NUMBER_PREFIX_RE = re.compile(r"[A-Z0-9][A-Z0-9-]*")
RESERVED_KEYS = frozenset({"rss", "atom"})  # /gongshi/rss/ is the default category's feed
KEY_RE = re.compile(r"[a-z][a-z0-9-]{0,29}")

ALL_LABEL = _("全部")
INVALID_CHOICE = _("没有“%(value)s”这一项，请从列表中选择。")
SEARCH_LABEL = _("编号、名称或地址")
SEARCH_PLACEHOLDER = _("编号开头几位、名称的第一个字（如姓氏），或名称、地址中的两个字以上")
LINK_TITLE = _("查看")


@dataclass(frozen=True)
class PublicField:
    """One public field of a line.

    ``name`` is its name in the JSON and the feeds (stable for clients); ``source`` the
    model attribute it is read from (default: ``name``). ``compute`` makes a display-only
    field from the line's values (``api`` False then: the parts are in the JSON)."""

    name: str
    label: Any
    source: str = ""
    api: bool = True
    page: bool = True
    wide: bool = False
    mono: bool = False
    link: bool = False  # shown as a link to the line's ``link`` (certificate verification)
    hide_empty: bool = False
    empty: str = ""  # shown on the page for an empty value (e.g. "—")
    testid: str = ""
    compute: Callable[[Mapping[str, Any]], str] | None = None

    @property
    def attribute(self) -> str:
        return self.source or self.name


@dataclass(frozen=True)
class ChoiceFilter:
    """A select filter over one model field (事项, 种类); its values' labels are public
    fields too (``<name>_label``)."""

    name: str
    label: Any
    choices: Callable[[], Sequence[tuple[str, Any]]] | Sequence[tuple[str, Any]]
    all_label: Any = ALL_LABEL
    invalid: Any = INVALID_CHOICE
    source: str = ""

    @property
    def attribute(self) -> str:
        return self.source or self.name

    def options(self) -> list[tuple[str, Any]]:
        return list(self.choices() if callable(self.choices) else self.choices)

    def label_of(self, value: str) -> str:
        return str(dict(self.options()).get(value, value))


@dataclass(frozen=True)
class TextSearch:
    """A field searched by substring; ``tag`` names its PostgreSQL bigram column
    (``<tag>_bigrams``) and indexes (``<prefix>_<tag>_trgm``, ``<prefix>_<tag>_bigram``),
    see ``core.disclosure.pg``."""

    field: str
    tag: str

    @property
    def bigram_column(self) -> str:
        return f"{self.tag}_bigrams"


@dataclass(frozen=True)
class Category:
    """What one module discloses, and how core serves it.

    Field roles default to ``DisclosureRecord``'s column names. ``queryset`` (a callable)
    narrows or replaces ``model.objects.all()``; ``link`` gives a line's public link
    (certificate verification), ``link_name`` its key in the JSON. ``title_of`` (feed item
    title) and ``summary_of`` (feed item text, label/value pairs) default to the badge
    filter's label, the name and the number, and to the public fields in order."""

    key: str
    label: Any  # short: the tab (行政许可)
    title: Any  # the page's heading and the feed's title (食品经营许可公示)
    model: type[Model]
    fields: Sequence[PublicField]
    filters: Sequence[ChoiceFilter] = ()
    queryset: Callable[[], QuerySet] | None = None
    intro: Callable[[], str] | Any = ""
    feed_description: Callable[[], str] | Any = ""
    number_field: str = "number"
    name_field: str = "subject_name"
    code_field: str = "subject_code"
    date_field: str = "occurred_at"
    text_search: Sequence[TextSearch] = (
        TextSearch("subject_name", "name"),
        TextSearch("address", "address"),
    )
    number_pattern: re.Pattern = NUMBER_PREFIX_RE
    search_label: Any = SEARCH_LABEL
    search_placeholder: Any = SEARCH_PLACEHOLDER
    link: Callable[[Any], str] | None = None
    link_name: str = "url"
    link_title: Any = LINK_TITLE
    title_of: Callable[[Mapping[str, Any]], str] | None = None
    summary_of: Callable[[Mapping[str, Any]], list[tuple[str, Any]]] | None = None
    badge_classes: Mapping[str, str] = field(default_factory=dict)
    mask_person_names: bool = False  # names of natural persons shown as 王*明
    guid_prefix: str = ""
    order: int = 100

    def __post_init__(self) -> None:
        if not KEY_RE.fullmatch(self.key) or self.key in RESERVED_KEYS:
            raise ValueError(f"disclosure category key {self.key!r} is not allowed")

    # -- reads -------------------------------------------------------------------------
    def records(self) -> QuerySet:
        return self.queryset() if self.queryset else self.model._default_manager.all()

    @property
    def badge_filter(self) -> ChoiceFilter | None:
        """The first filter: its label is the line's badge (新办, 吊销…)."""
        return self.filters[0] if self.filters else None

    def number_prefix(self, query: str) -> str:
        """The query as a number prefix, or "" when it cannot be one."""
        if not self.number_field:
            return ""
        text = query.replace(" ", "").upper()
        return text if self.number_pattern.fullmatch(text) else ""

    def text(self, value: Callable[[], str] | Any) -> str:
        """One of the category's texts (``title``, ``intro``…), called when it is a
        function (texts naming the issuing authority read its current setting)."""
        return str(value() if callable(value) else value)

    @property
    def guid(self) -> str:
        return self.guid_prefix or f"urn:zonegov:gongshi:{self.key}:"


_CATEGORIES: dict[str, Category] = {}


def _check(category: Category) -> None:
    """Every attribute the category reads must be a column of its model (a typo would
    otherwise surface as a 500 on the public page)."""
    concrete = {f.name for f in category.model._meta.concrete_fields}
    wanted = [f.attribute for f in category.fields if f.compute is None]
    wanted += [f.attribute for f in category.filters]
    wanted += [t.field for t in category.text_search]
    wanted += [category.date_field]
    wanted += [n for n in (category.number_field, category.name_field, category.code_field) if n]
    missing = sorted(set(wanted) - concrete)
    if missing:
        raise ImproperlyConfigured(
            f"disclosure category {category.key!r}: {category.model.__name__} has no "
            f"field {', '.join(missing)}"
        )


def register_category(category: Category) -> Category:
    """Add (or replace, same key) a category; call from ``AppConfig.ready()``."""
    _check(category)
    _CATEGORIES[category.key] = category
    return category


def unregister_category(key: str) -> None:
    """Remove a category (tests that register one of their own)."""
    _CATEGORIES.pop(key, None)


def categories() -> list[Category]:
    """Every registered category, in display order."""
    return sorted(_CATEGORIES.values(), key=lambda c: (c.order, c.key))


def get_category(key: str) -> Category | None:
    return _CATEGORIES.get(key)


def default_category() -> Category | None:
    """The category ``/gongshi/`` shows (the first in display order: 行政许可)."""
    ordered = categories()
    return ordered[0] if ordered else None
