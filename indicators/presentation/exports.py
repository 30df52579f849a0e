"""Open-data export: rows of approved values as CSV or JSON. Pure functions, no queries."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal

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
