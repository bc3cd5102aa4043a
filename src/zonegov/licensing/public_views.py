"""The public announcement (公示) of licensing decisions — no login: the page /gongshi/
and its RSS and Atom feeds. Everything shown comes from
:mod:`zonegov.licensing.public_selectors` (public fields only)."""

from __future__ import annotations

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zonegov.core.validation import without_control_characters
from zonegov.licensing import conf
from zonegov.licensing.public_forms import NoticeSearchForm
from zonegov.licensing.public_selectors import (
    COUNT_CAP,
    PER_PAGE,
    NoticeRow,
    public_notice_page,
)

FEED_ITEMS = 50
FILTER_NAMES = ("q", "event", "kind", "date_from", "date_to")


def _bound_form(request: HttpRequest) -> NoticeSearchForm:
    data = {k: request.GET[k] for k in FILTER_NAMES if k in request.GET}
    return NoticeSearchForm(data or None)


def _page_number(text: str | None) -> tuple[int, str]:
    """The page asked for, and a message when the text is not a page number."""
    if text is None or text == "":
        return 1, ""
    cleaned = text.strip()
    if cleaned.isascii() and cleaned.isdigit() and 0 < len(cleaned) <= 9 and int(cleaned) > 0:
        return int(cleaned), ""
    return 1, _("页码“%(page)s”无效，页码应为正整数；已显示第 1 页。") % {"page": text[:20]}


def _filter_query(request: HttpRequest) -> str:
    return urlencode([(k, request.GET[k]) for k in FILTER_NAMES if request.GET.get(k)])


@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """Anyone: the announcement of grants, changes, renewals, replacements, cancellations
    and revocations, newest first (《食品经营许可和备案管理办法》: licensing decisions are
    made public)."""
    form = _bound_form(request)
    filters = form.filters()
    number, page_message = _page_number(request.GET.get("page"))
    page = public_notice_page(filters, page=number, per_page=PER_PAGE)
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
    query = _filter_query(request)
    return render(
        request,
        "licensing/public/notices.html",
        {
            "form": form,
            "page": page,
            "page_messages": messages,
            "filter_query": query,
            "count_cap": COUNT_CAP,
            "issuer_name": conf.issuer_name(),
        },
        status=200,
    )


def _day(value) -> str:
    return date_format(value, "Y年n月j日") if value else ""


def notice_summary(row: NoticeRow) -> str:
    """The public fields as plain lines (feed item description)."""
    lines = [
        (_("许可事项"), row.event_label),
        (_("证照种类"), row.kind_label),
        (_("经营者名称"), row.operator_name),
        (_("统一社会信用代码（身份证号码）"), row.holder_code),
        (_("证照编号"), row.licence_number),
        (_("主体业态"), row.subject_type_name),
        (_("经营项目"), row.item_names),
        (_("经营场所"), row.premises_address),
        (
            _("有效期"),
            f"{_day(row.valid_from)} — {_day(row.valid_until)}"
            if row.valid_until
            else _day(row.valid_from),
        ),
        (_("发证机关"), row.issuer_name),
        (_("说明"), row.note),
    ]
    return "\n".join(f"{label}：{value}" for label, value in lines if value)


class PlainTextSummaryAtom1Feed(Atom1Feed):
    """Atom 1.0 whose entry summaries are ``type="text"``: readers show them as typed,
    never as markup (Django's Atom1Feed writes ``type="html"``)."""

    def add_item_elements(self, handler, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, {**item, "description": None})
        if item["description"] is not None:
            handler.addQuickElement("summary", item["description"], {"type": "text"})


class NoticeRssFeed(Feed):
    """RSS 2.0 of the announcement, honouring the page's filters.

    An RSS ``<description>`` is HTML to every feed reader, and applicants type the names
    and addresses it shows: they are HTML-escaped line by line, joined by ``<br>``, so a
    name such as ``<svg onload=…>`` reads as text. Titles and categories are plain text
    (RSS 2.0, Atom's default ``type="text"``)."""

    feed_type = Rss201rev2Feed
    description_template = None

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = _bound_form(request)
        if form.is_bound and not form.is_valid():
            problems = "；".join(str(e) for errors in form.errors.values() for e in errors)
            return HttpResponseBadRequest(
                _("筛选条件有误：%(problems)s") % {"problems": problems},
                content_type="text/plain; charset=utf-8",
            )
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return {"filters": _bound_form(request).filters(), "query": _filter_query(request)}

    def title(self, obj: dict[str, Any]) -> str:
        return _("食品经营许可公示")

    def link(self, obj: dict[str, Any]) -> str:
        return reverse("gongshi") + (f"?{obj['query']}" if obj["query"] else "")

    def description(self, obj: dict[str, Any]) -> str:
        return _("%(issuer)s 食品经营许可、备案、登记的新办、变更、延续、补证、注销和吊销。") % {
            "issuer": conf.issuer_name()
        }

    def items(self, obj: dict[str, Any]) -> list[NoticeRow]:
        return public_notice_page(obj["filters"], page=1, per_page=FEED_ITEMS).rows

    # XML 1.0 cannot carry control characters: whatever an older record holds is dropped
    # here (new input refuses them, core.validation).
    def item_title(self, item: NoticeRow) -> str:
        return without_control_characters(
            f"{item.event_label}：{item.operator_name}（{item.licence_number}）"
        )

    def item_description(self, item: NoticeRow) -> str:
        text = without_control_characters(notice_summary(item))
        return "<br>".join(escape(line) for line in text.split("\n"))

    def item_link(self, item: NoticeRow) -> str:
        return item.verify_path or f"{reverse('gongshi')}?{urlencode({'q': item.licence_number})}"

    def item_guid(self, item: NoticeRow) -> str:
        return f"urn:zonegov:gongshi:{item.key}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: NoticeRow):
        return item.occurred_at

    def item_author_name(self, item: NoticeRow) -> str:
        return without_control_characters(item.issuer_name)

    def item_categories(self, item: NoticeRow) -> list[str]:
        return [item.event_label, item.kind_label]


class NoticeAtomFeed(NoticeRssFeed):
    """Atom 1.0 of the announcement, honouring the page's filters."""

    feed_type = PlainTextSummaryAtom1Feed

    def item_description(self, item: NoticeRow) -> str:
        return without_control_characters(notice_summary(item))

    def subtitle(self, obj: dict[str, Any]) -> str:
        return self.description(obj)

    def item_updateddate(self, item: NoticeRow):
        return item.occurred_at
