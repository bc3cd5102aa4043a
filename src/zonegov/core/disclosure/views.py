"""The public disclosures (公示) — no login: the page /gongshi/ (the default category,
行政许可) and /gongshi/<category>/, each with RSS and Atom feeds. Everything shown comes
from :mod:`zonegov.core.disclosure.search` (public fields only)."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zonegov.core.disclosure.forms import DisclosureSearchForm, filter_names
from zonegov.core.disclosure.registry import (
    Category,
    categories,
    default_category,
    get_category,
)
from zonegov.core.disclosure.search import (
    COUNT_CAP,
    PER_PAGE,
    DisclosureRow,
    disclosure_page,
)
from zonegov.core.validation import without_control_characters

FEED_ITEMS = 50


def resolve(key: str | None) -> Category:
    """The category of the URL (none: the default one), or 404."""
    category = default_category() if key is None else get_category(key)
    if category is None:
        raise Http404(_("没有这一类公示信息。"))
    return category


def urls(category: Category) -> dict[str, str]:
    """Page, feeds and JSON of a category (the default one also lives at /gongshi/)."""
    default = default_category()
    if default is not None and category.key == default.key:
        page, rss, atom = reverse("gongshi"), reverse("gongshi_rss"), reverse("gongshi_atom")
    else:
        args = [category.key]
        page = reverse("gongshi_category", args=args)
        rss = reverse("gongshi_category_rss", args=args)
        atom = reverse("gongshi_category_atom", args=args)
    json = reverse("api:public_disclosures", args=[category.key])
    return {"page": page, "rss": rss, "atom": atom, "json": json}


def bound_form(request: HttpRequest, category: Category) -> DisclosureSearchForm:
    data = {k: request.GET[k] for k in filter_names(category) if k in request.GET}
    return DisclosureSearchForm(data or None, category=category)


def _page_number(text: str | None) -> tuple[int, str]:
    """The page asked for, and a message when the text is not a page number."""
    if text is None or text == "":
        return 1, ""
    cleaned = text.strip()
    if cleaned.isascii() and cleaned.isdigit() and 0 < len(cleaned) <= 9 and int(cleaned) > 0:
        return int(cleaned), ""
    return 1, _("页码“%(page)s”无效，页码应为正整数；已显示第 1 页。") % {"page": text[:20]}


def _filter_query(request: HttpRequest, category: Category) -> str:
    return urlencode([(k, request.GET[k]) for k in filter_names(category) if request.GET.get(k)])


@require_GET
def disclosure_list(request: HttpRequest, category: str | None = None) -> HttpResponse:
    """Anyone: one category's public lines, newest first (行政许可: grants, changes,
    renewals, replacements, cancellations and revocations — 《食品经营许可和备案管理办法》
    makes licensing decisions public)."""
    cat = resolve(category)
    form = bound_form(request, cat)
    filters = form.filters()
    number, page_message = _page_number(request.GET.get("page"))
    page = disclosure_page(cat, filters, page=number, per_page=PER_PAGE)
    messages = [page_message] if page_message else []
    if page.beyond_last:
        messages.append(
            _("共 %(pages)d 页，没有第 %(asked)d 页；已显示最后一页。")
            % {"pages": page.num_pages, "asked": page.requested}
        )
        if page.capped:
            messages.append(
                _("结果太多时只能翻到前 %(n)d 条，请加上检索条件缩小范围。") % {"n": COUNT_CAP}
            )
    return render(
        request,
        "core/disclosure/page.html",
        {
            "category": cat,
            "tabs": [(c, urls(c)["page"]) for c in categories()],
            "urls": urls(cat),
            "intro": cat.text(cat.intro),
            "title": cat.text(cat.title),
            "form": form,
            "page": page,
            "page_messages": messages,
            "filter_query": _filter_query(request, cat),
            "count_cap": COUNT_CAP,
        },
    )


def _day(value) -> str:
    return date_format(value, "Y年n月j日") if value else ""


def summary_lines(row: DisclosureRow) -> list[tuple[str, Any]]:
    """The line's public fields as (label, value) pairs (feed item text)."""
    category = row.category
    if category.summary_of is not None:
        return category.summary_of(row.values)
    return [(str(d.label), d.text) for d in row.details]


def summary(row: DisclosureRow) -> str:
    return "\n".join(f"{label}：{value}" for label, value in summary_lines(row) if value)


def item_title(row: DisclosureRow) -> str:
    category = row.category
    if category.title_of is not None:
        return category.title_of(row.values)
    _, badge, _ = row.badge
    head = f"{badge}：" if badge else ""
    return f"{head}{row.subject_name}（{row.number}）" if row.number else head + row.subject_name


class PlainTextSummaryAtom1Feed(Atom1Feed):
    """Atom 1.0 whose entry summaries are ``type="text"``: readers show them as typed,
    never as markup (Django's Atom1Feed writes ``type="html"``)."""

    def add_item_elements(self, handler, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class DisclosureRssFeed(Feed):
    """RSS 2.0 of one category, honouring the page's filters.

    An RSS ``<description>`` is HTML to every feed reader, and applicants type the names
    and addresses it shows: they are HTML-escaped line by line, joined by ``<br>``, so a
    name such as ``<svg onload=…>`` reads as text. Titles and categories are plain text
    (RSS 2.0, Atom's default ``type="text"``)."""

    feed_type = Rss201rev2Feed
    description_template = None

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        category = resolve(kwargs.get("category"))
        form = bound_form(request, category)
        if form.is_bound and not form.is_valid():
            problems = "；".join(str(e) for errors in form.errors.values() for e in errors)
            return HttpResponseBadRequest(
                _("筛选条件有误：%(problems)s") % {"problems": problems},
                content_type="text/plain; charset=utf-8",
            )
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        category = resolve(kwargs.get("category"))
        return {
            "category": category,
            "filters": bound_form(request, category).filters(),
            "query": _filter_query(request, category),
        }

    def title(self, obj: dict[str, Any]) -> str:
        return obj["category"].text(obj["category"].title)

    def link(self, obj: dict[str, Any]) -> str:
        return urls(obj["category"])["page"] + (f"?{obj['query']}" if obj["query"] else "")

    def description(self, obj: dict[str, Any]) -> str:
        category = obj["category"]
        return category.text(category.feed_description) or category.text(category.title)

    def items(self, obj: dict[str, Any]) -> list[DisclosureRow]:
        return disclosure_page(obj["category"], obj["filters"], page=1, per_page=FEED_ITEMS).rows

    # XML 1.0 cannot carry control characters: whatever an older record holds is dropped
    # here (new input refuses them, core.validation).
    def item_title(self, item: DisclosureRow) -> str:
        return without_control_characters(item_title(item))

    def item_description(self, item: DisclosureRow) -> str:
        text = without_control_characters(summary(item))
        return "<br>".join(escape(line) for line in text.split("\n"))

    def item_link(self, item: DisclosureRow) -> str:
        if item.link:
            return item.link
        page = urls(item.category)["page"]
        return f"{page}?{urlencode({'q': item.number})}" if item.number else page

    def item_guid(self, item: DisclosureRow) -> str:
        return f"{item.category.guid}{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: DisclosureRow):
        return item.occurred_at

    def item_author_name(self, item: DisclosureRow) -> str:
        return without_control_characters(str(item.values.get("issuer_name", "")))

    def item_categories(self, item: DisclosureRow) -> list[str]:
        return [str(item.values[f"{f.name}_label"]) for f in item.category.filters]


class DisclosureAtomFeed(DisclosureRssFeed):
    """Atom 1.0 of one category, honouring the page's filters."""

    feed_type = PlainTextSummaryAtom1Feed

    def item_description(self, item: DisclosureRow) -> str:
        return without_control_characters(summary(item))

    def subtitle(self, obj: dict[str, Any]) -> str:
        return self.description(obj)

    def item_updateddate(self, item: DisclosureRow):
        return item.occurred_at
