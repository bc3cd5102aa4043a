"""The public announcement's search form (GET), shared by the page, the feeds and the
JSON API so all three validate the same way."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonegov.core.forms import BootstrapMixin
from zonegov.core.validation import validate_date_in_range
from zonegov.licensing import kinds
from zonegov.licensing.models import NoticeEvent
from zonegov.licensing.public_selectors import MAX_QUERY, MIN_SUBSTRING, NoticeFilters

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"]


class NoticeSearchForm(BootstrapMixin, forms.Form):
    """The announcement's search and filters (GET), shared by page, feeds and API."""

    q = forms.CharField(
        label=gettext_lazy("编号、名称或地址"), required=False, max_length=MAX_QUERY
    )
    event = forms.ChoiceField(
        label=gettext_lazy("许可事项"),
        required=False,
        choices=[("", gettext_lazy("全部事项")), *NoticeEvent.choices],
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("证照种类"),
        required=False,
        choices=[("", gettext_lazy("全部种类")), *kinds.KIND_CHOICES],
    )
    date_from = forms.DateField(
        label=gettext_lazy("公示日期自"),
        required=False,
        input_formats=DATE_FORMATS,
        validators=[validate_date_in_range],
    )
    date_to = forms.DateField(
        label=gettext_lazy("公示日期至"),
        required=False,
        input_formats=DATE_FORMATS,
        validators=[validate_date_in_range],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bad_date = _("日期无法识别，请写成 2026-01-31 的格式。")
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = bad_date
            self.fields[name].widget.attrs.update(placeholder="2026-01-31", inputmode="numeric")
        self.fields["event"].error_messages["invalid_choice"] = _(
            "没有“%(value)s”这种事项，请从列表中选择。"
        )
        self.fields["kind"].error_messages["invalid_choice"] = _(
            "没有“%(value)s”这种证照，请从列表中选择。"
        )
        self.fields["q"].error_messages["max_length"] = _("检索内容最多 %(limit_value)d 个字。")
        self.fields["q"].widget.attrs["placeholder"] = _(
            "证照编号开头几位，或名称、地址中的两个字以上"
        )
        for bound in self.fields.values():
            css = bound.widget.attrs.get("class", "")
            small = "form-select-sm" if "form-select" in css else "form-control-sm"
            bound.widget.attrs["class"] = f"{css} {small}"

    def clean_q(self) -> str:
        query = " ".join((self.cleaned_data.get("q") or "").split())
        if query and len(query) < MIN_SUBSTRING and not NoticeFilters(query=query).number_prefix:
            raise forms.ValidationError(
                _("请至少输入 %(n)d 个字检索名称或地址（证照编号可只输开头几位）。")
                % {"n": MIN_SUBSTRING}
            )
        return query

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期早于开始日期，请检查。"))
        return data

    def filters(self) -> NoticeFilters:
        """The valid filters; a filter with an error is left out (and shown as an error)."""
        if not self.is_bound:
            return NoticeFilters()
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        return NoticeFilters(
            query=data.get("q") or "",
            event=data.get("event") or "",
            kind=data.get("kind") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
