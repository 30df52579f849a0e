"""The indicator page's table of figures, and the rows of its CSV/XLSX downloads. Pure functions.

The table used to be a django-tables2 Table: at 20 rows it cost 40% of an uncached render, since
tables2 calls `inspect.signature` for every cell. It is now built here from the values the view has
loaded already, with the same cells and the same sort links (`?sort=unit`, `?sort=-year`, ...);
the downloads carry the indicator's metadata, which tables2's export could not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.domain.formatting import format_figure
from indicators.domain.series import Measure
from indicators.domain.text import collation_key
from indicators.models import IndicatorValue
from indicators.presentation.exports import export_number
from indicators.selectors.common import localized


def figure_html(record: IndicatorValue, *, unit_kind: str, decimals: int) -> str:
    """A stored figure with its qualifier and unit ("gần 95%"); a qualified one says in a tooltip how
    precise it is. Tables and the `figure` template tag write every stored figure this way."""
    text = format_figure(record.value, unit_kind=unit_kind, decimals=decimals, qualifier=record.qualifier)
    if record.qualifier != IndicatorValue.Qualifier.EXACT:
        return format_html('<span title="{}">{}</span>', record.get_qualifier_display(), text)
    return text


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    css: str = ""
    order_by: tuple[str, ...] = ()  # empty: not sortable


# The on-page columns, as the tables2 table showed them (the code, validity, level, precision and
# quote columns were download-only and stay so).
COLUMNS = (
    Column("unit", gettext_lazy("Đơn vị"), order_by=("unit__name", "year")),
    Column("year", gettext_lazy("Năm"), css="num", order_by=("year",)),
    Column("value", gettext_lazy("Giá trị"), css="num", order_by=("value",)),
    Column("source", gettext_lazy("Nguồn"), order_by=("source__title",)),
    Column("is_demo", gettext_lazy("Minh họa")),
)
SORTABLE = {column.name: column for column in COLUMNS if column.order_by}
DEFAULT_SORT = ("unit", "year")


def in_alphabet_order(values: Sequence[IndicatorValue], sort: str | None) -> list[IndicatorValue]:
    """`values` (ordered by `table_ordering(sort)`) with the units in the Vietnamese alphabet's order
    where the table is sorted by unit (by default, or ?sort=unit / -unit): the database orders names
    by code point, "Huyện Đức Hòa" after "Huyện Vĩnh Hưng". Other sorts are left as they are."""
    parsed = parse_sort(sort)
    name, descending = parsed if parsed else (DEFAULT_SORT[0], False)
    if name != "unit":
        return list(values)
    return sorted(
        values, key=lambda v: (collation_key(v.unit.name), v.unit.valid_from or date.min, v.year), reverse=descending
    )


def parse_sort(text: str | None) -> tuple[str, bool] | None:
    """("year", descending) for "-year"; None for no or an unknown column (the default order)."""
    if not text:
        return None
    descending = text.startswith("-")
    name = text.lstrip("-")
    return (name, descending) if name in SORTABLE else None


def table_ordering(sort: str | None) -> list[str]:
    """The ORDER BY of the table for the `sort` parameter; ties keep the default order (unit, year)."""
    parsed = parse_sort(sort)
    if parsed is None:
        return ["unit__name", "year"]
    name, descending = parsed
    keys = [f"-{key}" if descending else key for key in SORTABLE[name].order_by]
    return keys + [key for key in ("unit__name", "year") if key not in SORTABLE[name].order_by]


def indicator_table(
    values: Sequence[IndicatorValue],
    *,
    measure: Measure,
    shared_codes: frozenset[str],
    sort: str | None,
    query: Mapping[str, str | list[str]],
) -> dict:
    """The table as the template writes it: headers (with their sort links and state) and rows of
    escaped cells. `values` come ordered by `table_ordering(sort)`; `query` is the page's query string
    (a QueryDict), which each sort link keeps."""
    parsed = parse_sort(sort)
    primary = parsed[0] if parsed else DEFAULT_SORT[0]  # screen readers announce one sorted column
    headers = []
    for column in COLUMNS:
        state = ""  # "asc" / "desc": the column the rows are sorted by (tables2 marked both defaults)
        if parsed is None and column.name in DEFAULT_SORT:
            state = "asc"
        elif parsed is not None and parsed[0] == column.name:
            state = "desc" if parsed[1] else "asc"
        link = ""
        if column.order_by:
            linked = query.copy()
            linked["sort"] = f"-{column.name}" if state == "asc" else column.name
            link = "?" + linked.urlencode()
        css = " ".join(part for part in (state, column.css, "orderable" if column.order_by else "") if part)
        headers.append(
            {
                "label": column.label,
                "css": css,
                "link": link,
                "aria_sort": {"asc": "ascending", "desc": "descending"}.get(state, "")
                if column.name == primary
                else "",
            }
        )
    rows = [_row(record, measure=measure, shared_codes=shared_codes) for record in values]
    return {"headers": headers, "rows": rows, "columns": COLUMNS}


def _row(record: IndicatorValue, *, measure: Measure, shared_codes: frozenset[str]) -> list[tuple[str, SafeString]]:
    url = reverse("unit-detail", args=[record.unit.code])
    if record.unit.code in shared_codes:  # codes that name several units: the link carries the year
        url += "?" + urlencode({"in": record.year})
    if record.source is None:
        source = "—"
    elif record.source.is_demo:
        source = conditional_escape(_("Dữ liệu minh họa"))
    else:
        source = format_html(
            '<a href="{}">{}</a>', reverse("source-detail", args=[record.source.code]), record.source.title
        )
    demo = format_html('<span class="demo-tag">{}</span>', _("minh họa")) if record.is_demo else ""
    return [
        ("", format_html('<a href="{}">{}</a>', url, record.unit.name)),
        ("num", str(record.year)),
        ("num", conditional_escape(figure_html(record, unit_kind=measure.unit_kind, decimals=measure.decimals))),
        ("", source),
        ("", demo),
    ]


# The downloads' columns: the page's table plus the code, validity and level of each unit (a code is
# unique only within a period: "80" is Long An to 30/06/2025, Tây Ninh from 01/07/2025), the
# indicator and its unit of measure on every row, precision and quote.
def export_header() -> list[str]:
    return [
        _("Mã chỉ tiêu"),
        _("Chỉ tiêu"),
        _("Đơn vị"),
        _("Mã đơn vị"),
        _("Hiệu lực từ"),
        _("Hiệu lực đến"),
        _("Cấp"),
        _("Năm"),
        _("Giá trị"),
        _("Đơn vị tính"),
        _("Mức chính xác"),
        _("Nguồn"),
        _("Minh họa"),
        _("Trích dẫn"),
    ]


def export_rows(
    values: Iterable[IndicatorValue], *, indicator_code: str, indicator_name: str, unit_of_measure: str
) -> list[list]:
    """One row per figure, in the columns of `export_header()`; numbers stay numbers."""
    rows = []
    for record in values:
        unit, source = record.unit, record.source
        rows.append(
            [
                indicator_code,
                indicator_name,
                unit.name,
                unit.code,
                unit.valid_from.isoformat() if unit.valid_from else "",
                unit.valid_to.isoformat() if unit.valid_to else "",
                unit.get_level_display(),
                record.year,
                export_number(record.value),
                unit_of_measure,
                record.get_qualifier_display(),
                localized(source, "title") if source else "",  # our own sources' (the demo data's) have English
                1 if record.is_demo else 0,
                record.quote,
            ]
        )
    return rows
