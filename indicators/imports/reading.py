"""Reading an uploaded CSV or XLSX into a Table, within the Limits, before anything is checked.

CSV and XLSX are read with the standard csv module and openpyxl directly rather than through
tablib, because the checks need what it hides: the raw bytes (to tell UTF-8 from Windows-1258 and
refuse anything else honestly) and the cell types (to refuse formula cells instead of trusting a
cached result). The downloadable template is written with tablib.

A CSV is read record by record; an XLSX goes through the guard (imports.xlsx_guard) first, then
openpyxl (read_only) reads the values.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from indicators.imports.limits import ImportFileError, Limits, cell_name, cell_too_long, too_many_columns, too_many_rows
from indicators.imports.xlsx_guard import check_xlsx

COLUMNS = ["unit_code", "indicator_code", "year", "value", "qualifier", "source_code", "quote", "note"]
REQUIRED_COLUMNS = ["unit_code", "indicator_code", "year", "value"]
# Helpful columns in the template that the import ignores.
INFO_COLUMNS = ["unit_name", "indicator_name"]


class Formula:
    """A spreadsheet cell holding a formula. Never evaluated, never trusted: the row is refused."""

    def __init__(self, text: str):
        self.text = text


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict]]  # (row number as the spreadsheet shows it, column -> cell)


def detect_format(content: bytes, filename: str) -> str:
    """ "xlsx" for a zip container or an .xlsx name, else "csv"."""
    if content[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        return "xlsx"
    return "csv"


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1258; anything else is refused, never guessed at."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1258")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _("Không đọc được bảng mã của tệp. Hãy lưu tệp dạng “CSV UTF-8” rồi tải lên lại.")
            ) from error
    # Windows-1258 and some Mac tools write Vietnamese tone marks as combining characters (NFD).
    return unicodedata.normalize("NFC", text)


def read_records(content: bytes, filename: str, limits: Limits | None = None) -> list[tuple[int, list]]:
    """The file's non-blank rows as (row number, cells), its first row first, within the limits; for
    readers whose header need not be the first row (imports.layout_reading)."""
    limits = limits or Limits.from_settings()
    if not content or not content.strip():
        raise ImportFileError(_("Tệp rỗng."))
    if detect_format(content, filename) == "xlsx":
        header, raw_rows = _read_xlsx(content, limits)
    else:
        text = decode_text(content)
        if not text.strip():
            raise ImportFileError(_("Tệp rỗng."))
        header, raw_rows = _read_csv(text, limits)
    return [(1, header), *raw_rows]


def read_table(
    content: bytes, filename: str, limits: Limits | None = None, *, required: Sequence[str] = REQUIRED_COLUMNS
) -> Table:
    """The file's first sheet (or CSV) as a header and its non-blank rows; `required` columns must be there.

    Other layouts than the figures' (the criteria-set annex) pass their own `required` columns.
    """
    (_first, header), *raw_rows = read_records(content, filename, limits)
    header = [_normal_header(h) for h in header]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFileError(
            _("Thiếu cột: %(columns)s. Dòng đầu tiên phải là tiêu đề như trong tệp mẫu.")
            % {"columns": ", ".join(missing)}
        )
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated:
        raise ImportFileError(_("Cột bị lặp: %(columns)s.") % {"columns": ", ".join(duplicated)})
    rows = []
    for number, cells in raw_rows:
        if all(is_blank(c) for c in cells):
            continue
        row = {name: cells[i] if i < len(cells) else None for i, name in enumerate(header) if name}
        if len(cells) > len(header) and any(not is_blank(c) for c in cells[len(header) :]):
            row["__extra__"] = True
        rows.append((number, row))
    if not rows:
        raise ImportFileError(_("Tệp không có dòng số liệu nào (chỉ có tiêu đề)."))
    return Table(header=header, rows=rows)


def _normal_header(text) -> str:
    text = unicodedata.normalize("NFC", str(text or "")).strip().lower().lstrip("\ufeff")
    return text.replace(" ", "_")


def is_blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _read_csv(text: str, limits: Limits) -> tuple[list[str], list[tuple[int, list]]]:
    newline = text.find("\n")
    first = text if newline < 0 else text[:newline]
    # Excel in a Vietnamese locale saves "CSV" with semicolons, since the comma is the decimal mark.
    delimiter = ";" if first.count(";") > first.count(",") else ("\t" if "\t" in first else ",")
    records, number = [], 0
    try:
        for number, record in enumerate(csv.reader(_lines(text), delimiter=delimiter), start=1):
            if number > limits.rows + 1:  # the header is row 1
                raise too_many_rows(limits)
            if len(record) > limits.columns:
                raise too_many_columns(limits)
            for index, cell in enumerate(record):
                if len(cell) > limits.cell_chars:
                    raise cell_too_long(limits, cell_name(index + 1, number))
            if number == 1 or any(cell.strip() for cell in record):
                records.append((number, record))
    except csv.Error as error:
        if "field larger than field limit" in str(error):  # the csv module's own cap, above ours
            raise cell_too_long(limits, _("ở dòng %(row)d") % {"row": number + 1}) from error
        raise ImportFileError(_("Tệp CSV không hợp lệ: %(error)s") % {"error": error}) from error
    if not records:
        raise ImportFileError(_("Tệp rỗng."))
    return records[0][1], records[1:]


def _lines(text: str):
    """The lines of `text`, one at a time: neither a list of them nor a copy of the text is made."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _read_xlsx(content: bytes, limits: Limits) -> tuple[list[str], list[tuple[int, list]]]:
    from openpyxl import load_workbook

    check_xlsx(content, limits)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # whatever a broken file makes openpyxl raise, the user gets a 400
        raise ImportFileError(_("Không mở được tệp XLSX: tệp hỏng hoặc không phải Excel.")) from error
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("Tệp rỗng."))
        sheet = workbook.worksheets[0]
        rows = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number > limits.rows + 1:  # a guard only: check_xlsx has refused such files already
                raise too_many_rows(limits)
            values = [_xlsx_cell(c) for c in cells]
            if number == 1 or not all(is_blank(v) for v in values):
                rows.append((number, values))
    except ImportFileError:
        raise
    except Exception as error:
        raise ImportFileError(_("Không đọc được tệp XLSX: tệp hỏng hoặc không phải Excel.")) from error
    finally:
        workbook.close()
    if not rows:
        raise ImportFileError(_("Tệp rỗng."))
    header = ["" if c is None else str(c) for c in rows[0][1]]
    return header, rows[1:]


def _xlsx_cell(cell):
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
        return Formula(str(value))
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value
