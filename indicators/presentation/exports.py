"""Downloads: rows of approved values as CSV, XLSX or JSON, with their metadata. Pure functions, no queries."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from json.encoder import encode_basestring as _json_string  # the C encoder json.dumps uses

from django.utils.translation import gettext as _

from indicators.models import Source

# A spreadsheet runs a cell that starts with one of these as a formula (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

EXPORT_COLUMNS = [
    "unit_code",
    # A code is unique only within its period ("80": Long An to 2025-06-30, Tây Ninh from
    # 2025-07-01): each row carries its unit's validity and level beside the code.
    "unit_valid_from",
    "unit_valid_to",
    "unit_level",
    "unit_name",
    "indicator_code",
    "indicator_name",
    # count, percent, rank, score, per_day...: the indicator's unit on every row.
    "unit_of_measure",
    "year",
    "value",
    "qualifier",
    "source_title",
    "source_url",
    "quote",
    "note",
    "is_demo",
]


def escape_formula(text: str) -> str:
    """Make a text cell inert in spreadsheets by prefixing a quote when it could start a formula."""
    if text and text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def export_number(value: Decimal) -> int | float:
    """A Decimal as a JSON/CSV number: 95 rather than 95.0000, 95.5 rather than '95.5000'."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def value_row(value: dict) -> dict:
    """One row of IndicatorValue.objects.for_export() as an export row."""
    return {
        "unit_code": value["unit__code"],
        "unit_valid_from": value["unit__valid_from"].isoformat() if value["unit__valid_from"] else None,
        "unit_valid_to": value["unit__valid_to"].isoformat() if value["unit__valid_to"] else None,
        "unit_level": value["unit__level"],
        "unit_name": value["unit__name"],
        "indicator_code": value["indicator__code"],
        "indicator_name": value["indicator__name"],
        "unit_of_measure": value["indicator__unit_kind"],
        "year": value["year"],
        "value": export_number(value["value"]),
        "qualifier": value["qualifier"],
        "source_title": value["source__title"] or "",
        "source_url": value["source__url"] or "",
        "quote": value["quote"],
        "note": value["note"],
        "is_demo": value["source__kind"] == Source.Kind.SYNTHETIC_DEMO,
    }


def escaped_row(row: dict) -> dict:
    """The row with every text cell escaped; numbers and booleans stay as they are."""
    return {key: escape_formula(cell) if isinstance(cell, str) else cell for key, cell in row.items()}


def csv_lines(rows: Iterable[dict]) -> Iterator[str]:
    """CSV text, one line at a time (for streaming), starting with a BOM so Excel reads UTF-8."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writeheader()
    yield "\ufeff" + flush()
    for row in rows:
        row = escaped_row(row)
        row["is_demo"] = "1" if row["is_demo"] else "0"
        writer.writerow(row)
        yield flush()


# The licence every download states (and the data package declares). The figures are public facts
# from official reports and the press, republished with their sources; CC BY 4.0 asks re-users to
# name the source, as the site does for every figure.
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}


def license_text() -> str:
    return f"{LICENSE['title']} ({LICENSE['name']}): {LICENSE['path']}"


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """A whole CSV download: BOM (Excel then reads the Vietnamese as UTF-8), one header row, the rows;
    text cells that a spreadsheet would run as a formula are escaped, numbers stay numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([escape_formula(str(cell)) for cell in header])
    for row in rows:
        writer.writerow([escape_formula(cell) if isinstance(cell, str) else cell for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str) -> str:
    """A valid XLSX sheet name: at most 31 characters, none of []:*?/\\."""
    return _SHEET_FORBIDDEN.sub("-", text).strip("'")[:31] or "Sheet"


def xlsx_bytes(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """A workbook of (title, header, rows) sheets, the first one active. Text cells are escaped as in
    the CSV and written as strings, never formulas; numbers stay numbers; the header row is bold."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(sheet_title(title))
        cells = []
        for text in header:
            cell = WriteOnlyCell(sheet, value=escape_formula(str(text)))
            cell.font = bold
            cells.append(cell)
        sheet.append(cells)
        for row in rows:
            line = []
            for value in row:
                if isinstance(value, str):
                    cell = WriteOnlyCell(sheet, value=escape_formula(value))
                    cell.data_type = "s"  # a string whatever it looks like: openpyxl reads "=…" as a formula
                    line.append(cell)
                else:
                    line.append(value)
            sheet.append(line)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def about_rows(
    *,
    title: str,
    code: str = "",
    definition: str = "",
    unit_of_measure: str = "",
    direction: str = "",
    framework: str = "",
    sources: Sequence[tuple[str, str]] = (),
    demo_rows: int,
    total_rows: int,
    downloaded_at: datetime,
    address: str = "",
) -> list[list[str]]:
    """The "About" sheet of a download, (field, value) rows in the page's language: what the figures
    are, how they are measured, where they come from, the licence, the demo data and the date."""
    rows = [[_("Chỉ tiêu"), title]]
    if code:
        rows.append([_("Mã chỉ tiêu"), code])
    if definition:
        rows.append([_("Định nghĩa"), definition])
    if unit_of_measure:
        rows.append([_("Đơn vị tính"), unit_of_measure])
    if direction:
        rows.append([_("Hướng tốt hơn"), direction])
    if framework:
        rows.append([_("Khung đánh giá"), framework])
    for source_title, url in sources:
        rows.append([_("Nguồn"), f"{source_title} — {url}" if url else source_title])
    rows.append([_("Giấy phép"), license_text()])
    if demo_rows:
        demo = _(
            "Có: %(demo)d trên %(total)d dòng là số liệu minh họa (giả lập), không phải số liệu chính thức; "
            "cột “Minh họa” = 1 ở các dòng đó."
        ) % {"demo": demo_rows, "total": total_rows}
    else:
        demo = _("Không: mọi dòng là số liệu đã duyệt từ nguồn thật.")
    rows.append([_("Dữ liệu minh họa"), demo])
    rows.append([_("Số dòng"), str(total_rows)])
    rows.append([_("Ngày tải xuống"), downloaded_at.date().isoformat()])
    if address:
        rows.append([_("Địa chỉ"), address])
    rows.append(
        [
            _("Ghi chú"),
            _(
                "Chỉ gồm số liệu đã được Sở Nội vụ duyệt. Số liệu lấy từ văn bản giữ nguyên mức chính xác "
                "(“gần”, “hơn”) và trích dẫn. Năm không có số liệu không có dòng, không phải là 0."
            ),
        ]
    )
    return rows


# The JSON export, written by hand as UTF-8: at national size one indicator is 10,818 rows (5 MB).
# Rows come as each value's own columns (`open_data.VALUE_FIELDS`), with lookups by id for their
# unit's, indicator's and source's fields. A row is written in three pieces: what its unit and
# indicator say (the same for each unit-indicator pair), its year and value, and the rest (qualifier,
# source, quote, note: the same on most rows). The first and last are encoded once each and reused:
# a dict per row and json.dumps of the list took three times as long, and a str per row joined and
# encoded at the end half as long again.


def _json_value(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return _json_string(value)
    return json.dumps(value, ensure_ascii=False)


def _pairs(*pairs) -> str:
    return ",".join(f"{_json_string(key)}:{_json_value(value)}" for key, value in pairs)


def _unit_part(unit: tuple) -> str:
    code, valid_from, valid_to, level, name = unit
    # A national export has thousands of units: one f-string, and dates need no escaping.
    valid_from = f'"{valid_from.isoformat()}"' if valid_from else "null"
    valid_to = f'"{valid_to.isoformat()}"' if valid_to else "null"
    return (
        f'"unit_code":{_json_string(code)},"unit_valid_from":{valid_from},"unit_valid_to":{valid_to},'
        f'"unit_level":{_json_string(level)},"unit_name":{_json_string(name)}'
    )


def _indicator_part(indicator: tuple) -> str:
    code, name, unit_kind = indicator
    return _pairs(("indicator_code", code), ("indicator_name", name), ("unit_of_measure", unit_kind))


@dataclass
class JsonRows:
    """The JSON export's rows, encoded as they are read."""

    parts: list[bytes] = field(default_factory=list)
    count: int = 0
    demo_rows: int = 0
    indicator_ids: set = field(default_factory=set)
    sources: dict = field(default_factory=dict)  # id -> (title, url) of the real sources, as first met

    def extend(self, rows: Iterable[tuple], *, units: dict, indicators: dict, sources: dict) -> None:
        """Add `rows` (tuples of `open_data.VALUE_FIELDS`, the value a float), given by id each unit's
        (code, valid_from, valid_to, level, name), indicator's (code, name, unit_kind) and source's
        (title, url, kind)."""
        unit_parts, indicator_parts, tails = {}, {}, {}
        append = self.parts.append
        count = demo_rows = 0
        last_unit = last_indicator = last_source = last_qualifier = last_quote = last_note = head = tail = None
        for unit_id, indicator_id, year, value, qualifier, source_id, quote, note in rows:
            # The rows come by unit and indicator, and most have the previous row's qualifier, source,
            # quote and note: the pieces are made again only when those change.
            if unit_id != last_unit or indicator_id != last_indicator:
                unit = unit_parts.get(unit_id) or unit_parts.setdefault(unit_id, _unit_part(units[unit_id]))
                indicator = indicator_parts.get(indicator_id)
                if indicator is None:
                    indicator = indicator_parts[indicator_id] = _indicator_part(indicators[indicator_id])
                    self.indicator_ids.add(indicator_id)
                head = f',{{{unit},{indicator},"year":'.encode()  # the comma is cut from the first row
                last_unit, last_indicator = unit_id, indicator_id
            if source_id != last_source or qualifier != last_qualifier or quote != last_quote or note != last_note:
                key = (qualifier, source_id, quote, note)
                tail = tails.get(key) or tails.setdefault(key, self._tail(*key, sources.get(source_id)))
                last_source, last_qualifier, last_quote, last_note = source_id, qualifier, quote, note
            append(head)
            # What export_number writes for the Decimal: 95 for 95.0000, and the float's shortest
            # form otherwise, the Decimal's digits (at most 14: max_digits) without trailing zeros.
            append(f'{year},"value":{int(value) if value.is_integer() else value}'.encode())
            append(tail[0])
            demo_rows += tail[1]
            count += 1
        self.count += count
        self.demo_rows += demo_rows

    def _tail(self, qualifier: str, source_id, quote: str, note: str, source: tuple | None) -> tuple[bytes, int]:
        """The row's fields after its value, to its closing brace, and 1 for a demo row (0 otherwise)."""
        title, url, kind = source or (None, None, None)
        is_demo = kind == Source.Kind.SYNTHETIC_DEMO
        if source is not None and not is_demo:
            self.sources.setdefault(source_id, (title, url or ""))
        text = (
            f',"qualifier":{_json_string(qualifier)},'
            + _pairs(("source_title", title or ""), ("source_url", url or ""))
            + f',"quote":{_json_string(quote)},"note":{_json_string(note)},"is_demo":{"true" if is_demo else "false"}}}'
        )
        return text.encode(), int(is_demo)

    def document(self, *, meta: dict) -> bytes:
        head = _pairs(("columns", EXPORT_COLUMNS), ("count", self.count), ("meta", meta))
        first = self.parts[:1] and [self.parts[0][1:]]  # the first row has no comma before it
        return b"".join([("{" + head + ',"values":[').encode(), *first, *self.parts[1:], b"]}"])
