"""The open-data package: every public table as a CSV in one zip, with a `datapackage.json` that
describes them (Frictionless Data Package v1: table schemas with field types, keys, the licence and
the sources). Pure functions: the rows come from selectors.open_data; the zip is written as it is
read, so a national package (420,000 values) never sits in memory.

The CSVs inside have no byte-order mark: the package is for programs, and the Data Package spec
reads CSV as plain UTF-8 (the downloads meant for spreadsheets carry one).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal

from indicators.models import Source
from indicators.presentation.exports import LICENSE, escape_formula, export_number

FLUSH_BYTES = 256 * 1024


def _field(name: str, kind: str, description: str, **extra) -> dict:
    return {"name": name, "type": kind, "description": description, **extra}


QUALIFIERS = ["exact", "approximately", "more_than", "less_than", "average"]

# Each table: (resource name, fields, primary key, foreign keys). The column order is the CSV's.
TABLES = {
    "indicators": (
        [
            _field("code", "string", "Stable code of the indicator", constraints={"required": True, "unique": True}),
            _field("name", "string", "Name in Vietnamese"),
            _field("name_en", "string", "Name in English"),
            _field("area_code", "string", "Reform area (Resolution 76/NQ-CP, PAR INDEX)"),
            _field("unit_of_measure", "string", "count, percent, rank, score, per_day, ..."),
            _field("higher_is_better", "boolean", "true: higher is better; false: lower is better; empty: neutral"),
            _field("decimals", "integer", "Decimal places the figures are shown with"),
            _field("min_value", "number", "Lowest valid value (empty: none)"),
            _field("max_value", "number", "Highest valid value (empty: none)"),
            _field("framework", "string", "PAR INDEX, Decision 766, provincial or other"),
            _field("applies_to_province", "boolean", "Reported for provinces"),
            _field("applies_to_district", "boolean", "Reported for districts (to 2024)"),
            _field("applies_to_commune", "boolean", "Reported for communes (from 2025)"),
            _field("definition", "string", "Definition in Vietnamese"),
            _field("definition_en", "string", "Definition in English"),
            _field("why_it_matters", "string", "Why it matters, in Vietnamese"),
        ],
        ["code"],
        [],
    ),
    "units": (
        [
            _field("id", "integer", "Identifier within this package", constraints={"required": True, "unique": True}),
            _field(
                "code",
                "string",
                "Official GSO code; unique only within its period of validity (80: Long An to 2025-06-30, "
                "Tây Ninh from 2025-07-01)",
            ),
            _field("name", "string", "Name"),
            _field(
                "level",
                "string",
                "province, district or commune",
                constraints={"enum": ["province", "district", "commune"]},
            ),
            _field("kind", "string", "tỉnh, thành phố, huyện, thị xã, xã, phường, ..."),
            _field("parent_id", "integer", "The unit it belongs to (units.id)"),
            _field("valid_from", "date", "First day in force (empty: before the records)"),
            _field("valid_to", "date", "Last day in force (empty: still in force)"),
        ],
        ["id"],
        [{"fields": "parent_id", "reference": {"resource": "", "fields": "id"}}],
    ),
    "sources": (
        [
            _field("code", "string", "Stable code of the source", constraints={"required": True, "unique": True}),
            _field("title", "string", "Title"),
            _field("publisher", "string", "Publisher"),
            _field("author", "string", "Author"),
            _field("published_on", "date", "Date of publication (empty: unknown)"),
            _field("url", "string", "Address (empty: none)"),
            _field("kind", "string", "news_article, official_document, data_entry, import or synthetic_demo"),
            _field("is_demo", "boolean", "Synthetic demo data: not an official figure"),
        ],
        ["code"],
        [],
    ),
    "successions": (
        [
            _field("predecessor_id", "integer", "The unit that ended (units.id)", constraints={"required": True}),
            _field("successor_id", "integer", "The unit that took over (units.id)", constraints={"required": True}),
            _field("date", "date", "Date in force"),
            _field("kind", "string", "merge, split, rename or absorbed"),
            _field("note", "string", "Note in Vietnamese"),
            _field("note_en", "string", "Note in English (empty: none)"),
        ],
        ["predecessor_id", "successor_id"],
        [
            {"fields": "predecessor_id", "reference": {"resource": "units", "fields": "id"}},
            {"fields": "successor_id", "reference": {"resource": "units", "fields": "id"}},
        ],
    ),
    "values": (
        [
            _field("id", "integer", "Identifier within this package", constraints={"required": True, "unique": True}),
            _field("indicator_code", "string", "indicators.code", constraints={"required": True}),
            _field("unit_id", "integer", "units.id", constraints={"required": True}),
            _field("unit_code", "string", "The unit's GSO code (for reading; unit_id names the unit)"),
            _field("year", "integer", "Year the figure is for", constraints={"required": True}),
            _field("value", "number", "The figure, in the indicator's unit of measure", constraints={"required": True}),
            _field(
                "qualifier",
                "string",
                "How precise: exact, approximately (“gần 95%”: nearly, just under), more_than, less_than, average",
                constraints={"enum": QUALIFIERS},
            ),
            _field("source_code", "string", "sources.code"),
            _field("is_demo", "boolean", "Synthetic demo data: not an official figure"),
            _field("quote", "string", "The exact words the figure comes from, where it comes from a text"),
            _field("note", "string", "Note"),
        ],
        ["id"],
        [
            {"fields": "indicator_code", "reference": {"resource": "indicators", "fields": "code"}},
            {"fields": "unit_id", "reference": {"resource": "units", "fields": "id"}},
            {"fields": "source_code", "reference": {"resource": "sources", "fields": "code"}},
        ],
    ),
}


def descriptor(*, created: datetime, sources: Sequence[tuple[str, str]], demo: bool, title: str) -> dict:
    """datapackage.json. `sources`: (title, url) of the real sources the figures cite."""
    resources = []
    for name, (fields, primary_key, foreign_keys) in TABLES.items():
        schema = {"fields": fields, "primaryKey": primary_key, "missingValues": [""]}
        if foreign_keys:
            schema["foreignKeys"] = foreign_keys
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": "cchc-dashboard",
        "title": title,
        "description": (
            "Approved administrative-reform (CCHC) figures by unit and year, with the indicators, the units "
            "and their periods of validity, the sources and the 2025 reorganisation's successions."
            + (" Rows with is_demo=true are synthetic demo data, not official figures." if demo else "")
            + " A text cell that would start with = + - @, a tab or a carriage return starts with ' instead, so"
            " that spreadsheets do not run it as a formula (/api/values.json keeps every text exact)."
        ),
        "created": created.isoformat(timespec="seconds"),
        "licenses": [LICENSE],
        "sources": [{"title": source_title, **({"path": url} if url else {})} for source_title, url in sources],
        "contains_demo": demo,
        "resources": resources,
    }


def _cell(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, Decimal):
        return str(export_number(value))
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return escape_formula(value)
    return value


def table_rows(
    *,
    indicators: Iterable[tuple],
    units: Sequence[tuple],
    sources: Sequence[tuple],
    successions: Iterable[tuple],
    values: Iterable[tuple],
) -> dict[str, Iterable[Sequence]]:
    """Each CSV's rows from the selectors' tuples (selectors.open_data.package_*; each starts with its
    database id, which only units and values keep)."""
    indicators = list(indicators)
    indicator_codes = {row[0]: row[1] for row in indicators}
    unit_codes = {row[0]: row[1] for row in units}
    source_info = {row[0]: (row[1], row[7] == Source.Kind.SYNTHETIC_DEMO) for row in sources}

    def value_rows():
        no_source = ("", False)
        for pk, indicator_id, unit_id, year, value, qualifier, source_id, quote, note in values:
            source_code, is_demo = source_info.get(source_id, no_source)
            yield (
                pk,
                indicator_codes[indicator_id],
                unit_id,
                unit_codes[unit_id],
                year,
                value,
                qualifier,
                source_code,
                is_demo,
                quote,
                note,
            )

    return {
        "indicators": (row[1:] for row in indicators),
        "units": units,
        "sources": ((*row[1:], row[7] == Source.Kind.SYNTHETIC_DEMO) for row in sources),
        "successions": successions,
        "values": value_rows(),
    }


class _Sink(io.RawIOBase):
    """A write-only stream that hands what was written to the generator: no seek, so zipfile writes
    each entry's sizes after its data (a streamed zip)."""

    def __init__(self):
        self.chunks: list[bytes] = []
        self.size = 0
        self.written = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        self.size += len(data)
        self.written += len(data)
        return len(data)

    def tell(self) -> int:
        return self.written

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        self.size = 0
        return data


def _entry(name: str, created: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=created.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16  # readable once unpacked (the default is no permission at all)
    return info


def zip_stream(package: dict, tables: dict[str, Iterable[Sequence]], *, created: datetime) -> Iterator[bytes]:
    """The zip, chunk by chunk: datapackage.json first, then one CSV per table (header, then rows)."""
    sink = _Sink()
    with zipfile.ZipFile(sink, mode="w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(_entry("datapackage.json", created), json.dumps(package, ensure_ascii=False, indent=2))
        yield sink.take()
        for name, (fields, _key, _foreign) in TABLES.items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow([field["name"] for field in fields])
            with archive.open(_entry(f"{name}.csv", created), mode="w", force_zip64=True) as entry:
                for row in tables[name]:
                    writer.writerow([_cell(value) for value in row])
                    if text.tell() > FLUSH_BYTES:
                        entry.write(text.getvalue().encode("utf-8"))
                        text.seek(0)
                        text.truncate()
                        if sink.size:
                            yield sink.take()
                entry.write(text.getvalue().encode("utf-8"))
            yield sink.take()
    yield sink.take()
