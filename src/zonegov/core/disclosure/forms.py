"""The disclosure search form (GET), built for one category and shared by the page, the
feeds and the JSON API so all three validate the same way."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonegov.core.disclosure.registry import Category
from zonegov.core.disclosure.search import MAX_QUERY, MIN_SUBSTRING, DisclosureFilters
from zonegov.core.forms import BootstrapMixin
from zonegov.core.validation import validate_date_in_range

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日"]


def filter_names(category: Category) -> tuple[str, ...]:
    """The GET parameters a category's page, feeds and JSON take (besides ``page``)."""
    return ("q", *(f.name for f in category.filters), "date_from", "date_to")


class DisclosureSearchForm(BootstrapMixin, forms.Form):
    """A category's search and filters: q, the category's select filters, a date range."""

    q = forms.CharField(required=False, max_length=MAX_QUERY)
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

    def __init__(self, *args: Any, category: Category, **kwargs: Any) -> None:
        self.category = category
        super().__init__(*args, **kwargs)
        for flt in category.filters:
            choice = forms.ChoiceField(
                label=flt.label,
                required=False,
                choices=[("", flt.all_label), *flt.options()],
            )
            choice.widget.attrs["class"] = "form-select"
            choice.error_messages["invalid_choice"] = flt.invalid
            self.fields[flt.name] = choice
        self.order_fields(filter_names(category))
        self.fields["q"].label = category.search_label
        bad_date = _("日期无法识别，请写成 2026-01-31 的格式。")
        for name in ("date_from", "date_to"):
            self.fields[name].error_messages["invalid"] = bad_date
            self.fields[name].widget.attrs.update(placeholder="2026-01-31", inputmode="numeric")
        self.fields["q"].error_messages["max_length"] = _("检索内容最多 %(limit_value)d 个字。")
        self.fields["q"].widget.attrs["placeholder"] = category.search_placeholder
        for bound in self.fields.values():
            css = bound.widget.attrs.get("class", "")
            small = "form-select-sm" if "form-select" in css else "form-control-sm"
            bound.widget.attrs["class"] = f"{css} {small}"

    @property
    def choice_fields(self) -> list[forms.BoundField]:
        return [self[f.name] for f in self.category.filters]

    def clean_q(self) -> str:
        query = " ".join((self.cleaned_data.get("q") or "").split())
        if (
            query
            and len(query) < MIN_SUBSTRING
            and not self.category.name_field
            and not self.category.number_prefix(query)
        ):  # one character searches the name's first character (a surname), if any
            raise forms.ValidationError(
                _("请至少输入 %(n)d 个字检索名称或地址（编号可只输开头几位）。")
                % {"n": MIN_SUBSTRING}
            )
        return query

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期早于开始日期，请检查。"))
        return data

    def filters(self) -> DisclosureFilters:
        """The valid filters; a filter with an error is left out (and shown as an error)."""
        if not self.is_bound:
            return DisclosureFilters()
        self.is_valid()
        data = {k: v for k, v in getattr(self, "cleaned_data", {}).items() if k not in self.errors}
        return DisclosureFilters(
            query=data.get("q") or "",
            choices={f.name: data[f.name] for f in self.category.filters if data.get(f.name)},
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
