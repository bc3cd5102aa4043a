"""Licensing's public disclosure: the 行政许可 category of ``core.disclosure`` (双公示's
first half) — every licensing decision (新办, 变更, 延续, 补证, 注销, 吊销) of food-business
licences, filings, registrations and stall cards, as ``PublicNotice`` lines.

Registered from ``LicensingConfig.ready()``; core serves it at ``/gongshi/`` (the default
category), ``/gongshi/permits/``, their RSS/Atom feeds, ``/api/public/disclosures/permits``
and, with its typed schema for existing clients, ``/api/public/notices``
(``licensing/public_api.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonegov.core.disclosure import (
    Category,
    ChoiceFilter,
    PublicField,
    TextSearch,
    register_category,
)
from zonegov.licensing import conf, kinds
from zonegov.licensing.models import NoticeEvent, PublicNotice

KEY = "permits"


def _kind_choices() -> list[tuple[str, Any]]:
    return list(kinds.KIND_CHOICES)


def _validity(values: Mapping[str, Any]) -> str:
    start, end = values.get("valid_from"), values.get("valid_until")
    if not start:
        return "—"
    if end:
        return f"{start.isoformat()} {_('至')} {end.isoformat()}"
    return f"{start.isoformat()} {_('起（长期）')}"


def _day(value) -> str:
    return date_format(value, "Y年n月j日") if value else ""


def _summary(values: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The feed item text (as before the core service: one line per public field)."""
    start, end = values["valid_from"], values["valid_until"]
    return [
        (_("许可事项"), values["event_label"]),
        (_("证照种类"), values["kind_label"]),
        (_("经营者名称"), values["operator_name"]),
        (_("统一社会信用代码（身份证号码）"), values["holder_code"]),
        (_("证照编号"), values["licence_number"]),
        (_("主体业态"), values["subject_type_name"]),
        (_("经营项目"), values["item_names"]),
        (_("经营场所"), values["premises_address"]),
        (_("有效期"), f"{_day(start)} — {_day(end)}" if end else _day(start)),
        (_("发证机关"), values["issuer_name"]),
        (_("说明"), values["note"]),
    ]


def _title(values: Mapping[str, Any]) -> str:
    return f"{values['event_label']}：{values['operator_name']}（{values['licence_number']}）"


def _verify_link(notice: PublicNotice) -> str:
    """The certificate's public verification page, when a certificate was issued."""
    if not notice.certificate_number:
        return ""
    return reverse("verify_document", args=[notice.certificate_number])


def _intro() -> str:
    return _(
        "%(issuer)s作出的食品经营许可、备案、登记决定（新办、变更、延续、补证、注销、吊销），"
        "依法向社会公示。个人身份证号码已作部分隐藏。证书真伪请点编号核验。"
    ) % {"issuer": conf.issuer_name()}


def _feed_description() -> str:
    return _("%(issuer)s 食品经营许可、备案、登记的新办、变更、延续、补证、注销和吊销。") % {
        "issuer": conf.issuer_name()
    }


PERMITS = Category(
    key=KEY,
    label=gettext_lazy("行政许可"),
    title=gettext_lazy("食品经营许可公示"),
    model=PublicNotice,
    # Display order on the page; the JSON keeps these names (existing clients).
    fields=(
        PublicField("event", gettext_lazy("许可事项"), page=False),
        PublicField("occurred_at", gettext_lazy("公示时间"), page=False),
        PublicField("operator_name", gettext_lazy("经营者名称"), page=False),
        PublicField("certificate_number", gettext_lazy("证书编号"), page=False),
        PublicField(
            "licence_number", gettext_lazy("证照编号"), mono=True, link=True, testid="number"
        ),
        PublicField("kind", gettext_lazy("证照种类")),
        PublicField(
            "holder_code",
            gettext_lazy("统一社会信用代码（身份证号码）"),
            mono=True,
            testid="holder-code",
        ),
        PublicField("subject_type_name", gettext_lazy("主体业态")),
        PublicField("item_names", gettext_lazy("经营项目"), wide=True, empty="—"),
        PublicField("premises_address", gettext_lazy("经营场所"), wide=True),
        PublicField("valid_from", gettext_lazy("有效期自"), page=False),
        PublicField("valid_until", gettext_lazy("有效期至"), page=False),
        PublicField("validity", gettext_lazy("有效期"), api=False, compute=_validity),
        PublicField("issuer_name", gettext_lazy("发证机关")),
        PublicField("note", gettext_lazy("说明"), wide=True, hide_empty=True),
    ),
    filters=(
        ChoiceFilter(
            "event",
            gettext_lazy("许可事项"),
            NoticeEvent.choices,
            all_label=gettext_lazy("全部事项"),
            invalid=gettext_lazy("没有“%(value)s”这种事项，请从列表中选择。"),
        ),
        ChoiceFilter(
            "kind",
            gettext_lazy("证照种类"),
            _kind_choices,
            all_label=gettext_lazy("全部种类"),
            invalid=gettext_lazy("没有“%(value)s”这种证照，请从列表中选择。"),
        ),
    ),
    intro=_intro,
    feed_description=_feed_description,
    number_field="licence_number",
    name_field="operator_name",
    code_field="holder_code",
    text_search=(
        TextSearch("operator_name", "name"),  # name_bigrams, notice_name_trgm (0004)
        TextSearch("premises_address", "address"),
    ),
    search_label=gettext_lazy("编号、名称或地址"),
    search_placeholder=gettext_lazy(
        "证照编号开头几位、经营者名称的第一个字（如姓氏），或名称、地址中的两个字以上"
    ),
    link=_verify_link,
    link_name="verify_url",
    link_title=gettext_lazy("核验证书"),
    title_of=_title,
    summary_of=_summary,
    badge_classes={"granted": "bg-success", "cancelled": "bg-danger", "revoked": "bg-danger"},
    guid_prefix="urn:zonegov:gongshi:",  # as before the core service: readers keep their state
    order=10,
)


def register() -> None:
    register_category(PERMITS)
