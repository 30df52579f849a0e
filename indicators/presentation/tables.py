"""django-tables2 tables. Exports escape formula cells; numbers stay numbers."""

from collections.abc import Mapping

import django_tables2 as tables
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django_tables2.export import TableExport
from tablib import Dataset

from indicators.domain.formatting import format_figure
from indicators.domain.series import Measure
from indicators.models import IndicatorValue
from indicators.presentation.exports import escape_formula, export_number


def figure_html(record: IndicatorValue, *, unit_kind: str, decimals: int) -> str:
    """A stored figure with its qualifier and unit ("gần 95%"); a qualified one says in a tooltip how
    precise it is. Tables and the `figure` template tag write every stored figure this way."""
    text = format_figure(record.value, unit_kind=unit_kind, decimals=decimals, qualifier=record.qualifier)
    if record.qualifier != IndicatorValue.Qualifier.EXACT:
        return format_html('<span title="{}">{}</span>', record.get_qualifier_display(), text)
    return text


class EscapedTableExport(TableExport):
    """tables2's export does not escape cells a spreadsheet would run as formulas; this one does."""

    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        escaped = Dataset(title=dataset.title)
        escaped.headers = [escape_formula(str(header)) for header in dataset.headers]
        for row in dataset:
            escaped.append([escape_formula(cell) if isinstance(cell, str) else cell for cell in row])
        return escaped


class IndicatorValueTable(tables.Table):
    unit = tables.Column(verbose_name=_("Đơn vị"), accessor="unit__name", order_by=("unit__name", "year"))
    unit_code = tables.Column(verbose_name=_("Mã đơn vị"), accessor="unit__code", visible=False)
    # A code is unique only within a period ("80": Long An to 30/06/2025, Tây Ninh from 01/07/2025):
    # downloads carry each unit's validity beside its code.
    unit_valid_from = tables.Column(verbose_name=_("Hiệu lực từ"), accessor="unit__valid_from", visible=False)
    unit_valid_to = tables.Column(verbose_name=_("Hiệu lực đến"), accessor="unit__valid_to", visible=False)
    unit_level = tables.Column(verbose_name=_("Cấp"), accessor="unit__level", visible=False)
    year = tables.Column(verbose_name=_("Năm"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    value = tables.Column(verbose_name=_("Giá trị"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    qualifier = tables.Column(verbose_name=_("Mức chính xác"), visible=False)
    source = tables.Column(verbose_name=_("Nguồn"), accessor="source__title", order_by=("source__title",))
    is_demo = tables.Column(verbose_name=_("Minh họa"), accessor="source__kind", orderable=False)
    quote = tables.Column(verbose_name=_("Trích dẫn"), visible=False)

    class Meta:
        model = IndicatorValue
        fields = []
        sequence = (
            "unit",
            "unit_code",
            "unit_valid_from",
            "unit_valid_to",
            "unit_level",
            "year",
            "value",
            "qualifier",
            "source",
            "is_demo",
            "quote",
        )
        attrs = {"class": "data"}
        order_by = ("unit", "year")
        empty_text = _("Không có số liệu phù hợp.")

    def __init__(
        self,
        *args,
        measure: Measure,
        shared_codes: frozenset[str] = frozenset(),
        unit_order: Mapping[int, int] | None = None,
        **kwargs,
    ):
        self.measure = measure
        self.shared_codes = shared_codes  # codes that name several units: their links carry the year
        # unit pk → its place in the alphabet's order (common.by_name): the database orders by code
        # point, "Huyện Đức Hòa" after "Huyện Vĩnh Hưng".
        self.unit_order = unit_order
        super().__init__(*args, **kwargs)

    def order_unit(self, queryset, is_descending):
        if not self.unit_order:
            return queryset, False  # tables2 falls back to the column's order_by (unit__name, year)
        position = Case(
            *(When(unit_id=pk, then=Value(place)) for pk, place in self.unit_order.items()),
            default=Value(len(self.unit_order)),
            output_field=IntegerField(),
        )
        ordered = queryset.annotate(unit_place=position).order_by(
            "-unit_place" if is_descending else "unit_place", "-year" if is_descending else "year"
        )
        return ordered, True

    def render_unit(self, record):
        url = reverse("unit-detail", args=[record.unit.code])
        if record.unit.code in self.shared_codes:
            url += "?" + urlencode({"in": record.year})
        return format_html('<a href="{}">{}</a>', url, record.unit.name)

    def value_unit_valid_from(self, value):
        return value.isoformat() if value else ""

    def value_unit_valid_to(self, value):
        return value.isoformat() if value else ""

    def value_unit(self, record):
        return record.unit.name

    def render_year(self, value):
        return str(value)

    def render_value(self, record):
        return figure_html(record, unit_kind=self.measure.unit_kind, decimals=self.measure.decimals)

    def value_value(self, record):
        return export_number(record.value)

    def render_source(self, record):
        if record.source is None:
            return "—"
        if record.source.is_demo:
            return _("Dữ liệu minh họa")
        return format_html(
            '<a href="{}">{}</a>', reverse("source-detail", args=[record.source.code]), record.source.title
        )

    def value_source(self, record):
        return record.source.title if record.source else ""

    def render_is_demo(self, record):
        if record.is_demo:
            return format_html('<span class="demo-tag">{}</span>', _("minh họa"))
        return ""

    def value_is_demo(self, record):
        return 1 if record.is_demo else 0

    def value_year(self, value):
        return value
