"""Bulk import of figures from CSV or XLSX: reading the file and checking every row. No queries here.

Reading: CSV and XLSX are read with the standard csv module and openpyxl directly rather than
through tablib/django-import-export, because the checks need what those hide: the raw bytes (to
tell UTF-8 from Windows-1258 and refuse anything else honestly) and the cell types (to refuse formula
cells instead of trusting a cached result). The downloadable template is written with tablib.

Hostile files: an upload is small, but what it unpacks to need not be. `Limits` (from settings)
bound rows, columns, cell length and unpacked size, and they are checked before anything is read in
full: a CSV is read record by record; an XLSX's member sizes are checked in the zip's central
directory, then every XML part is streamed once through defusedxml's SAX parser (no DTDs, no
entities), which refuses absurd cell references, row numbers and `dimension`s, junk in typed
cells, missing shared strings and over-long text, before openpyxl (read_only) reads the values.

Checking: `check_rows` takes the parsed table and an `ImportContext` of lookups (built by
`selectors.import_lookups.import_context` in a fixed number of queries) and returns the figures to write, the
row-level errors (row, column, message) and the warnings. A file with any error writes nothing.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
import xml.sax
import xml.sax.handler
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from indicators.domain import validation
from indicators.domain.numbers import NumberError, checked_digits, parse_plain
from indicators.models import YEAR_MAX, YEAR_MIN, Indicator

COLUMNS = ["unit_code", "indicator_code", "year", "value", "qualifier", "source_code", "quote", "note"]
REQUIRED_COLUMNS = ["unit_code", "indicator_code", "year", "value"]
# Helpful columns in the template that the import ignores.
INFO_COLUMNS = ["unit_name", "indicator_name"]
TEXT_LIMIT = 5000

QUALIFIER_ALIASES = {
    "": "exact",
    "exact": "exact",
    "chính xác": "exact",
    "=": "exact",
    "approximately": "approximately",
    "gần": "approximately",
    "xấp xỉ": "approximately",
    "khoảng": "approximately",
    "≈": "approximately",
    "more_than": "more_than",
    "hơn": "more_than",
    "trên": "more_than",
    ">": "more_than",
    "less_than": "less_than",
    "dưới": "less_than",
    "<": "less_than",
    "average": "average",
    "trung bình": "average",
    "~": "average",
}


class ImportFileError(ValueError):
    """The file as a whole cannot be read; str(error) says why, translated."""


@dataclass(frozen=True)
class Limits:
    """How much of a file the reader accepts: data rows, columns, characters in a cell, unpacked bytes."""

    rows: int
    columns: int
    cell_chars: int
    unpacked_bytes: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            rows=settings.IMPORT_MAX_ROWS,
            columns=settings.IMPORT_MAX_COLUMNS,
            cell_chars=settings.IMPORT_MAX_CELL_CHARS,
            unpacked_bytes=settings.IMPORT_MAX_UNPACKED_BYTES,
        )


def _too_many_rows(limits: Limits) -> ImportFileError:
    return ImportFileError(
        _("Tệp có quá nhiều dòng (tối đa %(max)s dòng số liệu). Hãy chia nhỏ tệp.") % {"max": f"{limits.rows:,}"}
    )


def _too_many_columns(limits: Limits) -> ImportFileError:
    return ImportFileError(_("Tệp có quá nhiều cột (tối đa %(max)d cột).") % {"max": limits.columns})


def _cell_too_long(limits: Limits, where: str) -> ImportFileError:
    return ImportFileError(
        _("Ô %(cell)s quá dài (tối đa %(max)s ký tự).") % {"cell": where, "max": f"{limits.cell_chars:,}"}
    )


class Formula:
    """A spreadsheet cell holding a formula. Never evaluated, never trusted: the row is refused."""

    def __init__(self, text: str):
        self.text = text


@dataclass
class Table:
    header: list[str]
    rows: list[tuple[int, dict]]  # (row number as the spreadsheet shows it, column -> cell)


@dataclass
class RowProblem:
    row: int
    column: str
    message: str


@dataclass
class Figure:
    row: int
    unit_id: int
    unit_code: str
    indicator: Indicator
    year: int
    value: Decimal
    qualifier: str
    source_id: int | None
    quote: str
    note: str


@dataclass
class Existing:
    status: str
    is_demo: bool
    value: Decimal


@dataclass
class UnitInfo:
    pk: int
    code: str
    first_year: int | None
    last_year: int | None


@dataclass
class ImportContext:
    units: dict[str, UnitInfo]
    indicators: dict[str, Indicator]
    sources: dict[str, tuple[int, bool, int | None]]  # code -> (id, is demo, unit that may cite it; None: any)
    editable_unit_ids: frozenset[int] | None  # None: every unit (the shell command)
    existing: dict[tuple[int, int, int], Existing]  # (indicator id, unit id, year) -> value


@dataclass
class CheckResult:
    figures: list[Figure] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    skipped_empty: int = 0
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading --------------------------------------------------------------------------------------


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


def read_table(content: bytes, filename: str, limits: Limits | None = None) -> Table:
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
    header = [_normal_header(h) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
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
        if all(_is_blank(c) for c in cells):
            continue
        row = {name: cells[i] if i < len(cells) else None for i, name in enumerate(header) if name}
        if len(cells) > len(header) and any(not _is_blank(c) for c in cells[len(header) :]):
            row["__extra__"] = True
        rows.append((number, row))
    if not rows:
        raise ImportFileError(_("Tệp không có dòng số liệu nào (chỉ có tiêu đề)."))
    return Table(header=header, rows=rows)


def _normal_header(text) -> str:
    text = unicodedata.normalize("NFC", str(text or "")).strip().lower().lstrip("\ufeff")
    return text.replace(" ", "_")


def _is_blank(cell) -> bool:
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
                raise _too_many_rows(limits)
            if len(record) > limits.columns:
                raise _too_many_columns(limits)
            for index, cell in enumerate(record):
                if len(cell) > limits.cell_chars:
                    raise _cell_too_long(limits, _cell_name(index + 1, number))
            if number == 1 or any(cell.strip() for cell in record):
                records.append((number, record))
    except csv.Error as error:
        if "field larger than field limit" in str(error):  # the csv module's own cap, above ours
            raise _cell_too_long(limits, _("ở dòng %(row)d") % {"row": number + 1}) from error
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

    _check_xlsx(content, limits)
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
            if number > limits.rows + 1:  # a guard only: _check_xlsx has refused such files already
                raise _too_many_rows(limits)
            values = [_xlsx_cell(c) for c in cells]
            if number == 1 or not all(_is_blank(v) for v in values):
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


# Excel's own limits; a reference beyond them is not a spreadsheet's.
EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COLUMN = 16_384
_REFERENCE_RE = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
_NUMBER_RE = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?\s*$")
_ISO_DATE_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$|^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$"
)
_MAX_ZIP_MEMBERS = 1000


def _cell_name(column: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(min(column, EXCEL_MAX_COLUMN))}{row}"


def _corrupt() -> ImportFileError:
    return ImportFileError(_("Không mở được tệp XLSX: tệp hỏng hoặc không phải Excel."))


def _check_xlsx(content: bytes, limits: Limits) -> None:
    """Refuse a hostile or broken XLSX before openpyxl reads any of it; memory stays bounded.

    The unpacked size comes from the central directory; zipfile never reads a member past its stated
    size (a member that lies fails its CRC), so every later read is bounded by what was checked here.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise _corrupt() from error
    if len(members) > _MAX_ZIP_MEMBERS:
        raise _corrupt()
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.unpacked_bytes:
        raise ImportFileError(
            _("Tệp XLSX khi giải nén quá lớn (%(size)s MB, tối đa %(max)s MB). Hãy chia nhỏ tệp.")
            % {"size": f"{unpacked / 2**20:,.0f}", "max": f"{limits.unpacked_bytes / 2**20:,.0f}"}
        )
    guard = _XlsxGuard(limits)
    with archive:
        for member in members:
            if member.is_dir():
                continue
            try:
                with archive.open(member) as stream:
                    if not stream.peek(64).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
                        continue  # images and other binary parts: openpyxl does not parse them
                    guard.start_part(member.filename)
                    _parse_defused(stream, guard)
            except ImportFileError:
                raise
            except Exception as error:  # bad XML, a forbidden entity, a bad CRC, encryption
                raise ImportFileError(
                    _("Tệp XLSX hỏng: phần “%(part)s” không phải XML hợp lệ (%(error)s).")
                    % {"part": member.filename[:80], "error": _xml_error(error)}
                ) from error
    guard.finish()


def _parse_defused(stream, handler) -> None:
    import defusedxml.sax

    parser = defusedxml.sax.make_parser()
    parser.forbid_dtd = True  # no part of an XLSX has a DTD; refusing it also refuses every entity
    parser.setContentHandler(handler)
    parser.setFeature(xml.sax.handler.feature_namespaces, True)
    parser.parse(stream)


def _xml_error(error: Exception) -> str:
    from defusedxml import DTDForbidden, EntitiesForbidden

    if isinstance(error, DTDForbidden | EntitiesForbidden):
        return _("khai báo DTD hoặc thực thể XML không được phép")
    if isinstance(error, xml.sax.SAXParseException):
        return _("lỗi cú pháp ở dòng %(line)s, cột %(column)s") % {
            "line": error.getLineNumber(),
            "column": error.getColumnNumber(),
        }
    return _("không đọc được")


class _XlsxGuard(xml.sax.handler.ContentHandler):
    """One streaming pass over each XML part: worksheets and the shared-string table are checked.

    Nothing is kept but counters and the text of the current cell, itself capped.
    """

    def __init__(self, limits: Limits):
        super().__init__()
        self.limits = limits
        self.shared_strings = 0
        self.shared_tables = 0
        self.max_shared_index = -1
        self.first_shared_cell = ""

    def start_part(self, name: str) -> None:
        self.part, self.kind, self.depth = name, None, 0
        self.row, self.column, self.cell, self.cell_type = 0, 0, "", "n"
        self.in_value = self.in_text = False
        self.text_length = 0
        self.value: list[str] = []

    # --- SAX callbacks ---

    def startElementNS(self, name, qname, attrs):
        tag = name[1]
        self.depth += 1
        if self.depth == 1:
            self.kind = tag if tag in ("worksheet", "sst") else "other"
            if tag == "sst":
                self.shared_tables += 1
            return
        if self.kind == "worksheet":
            self._start_sheet(tag, attrs)
        elif self.kind == "sst":
            if tag == "si":
                self.shared_strings += 1
                if self.shared_strings > (self.limits.rows + 1) * self.limits.columns:
                    raise ImportFileError(_("Tệp XLSX có quá nhiều chuỗi văn bản."))
                self.text_length = 0
            elif tag == "t":
                self.in_text = True

    def endElementNS(self, name, qname):
        tag = name[1]
        self.depth -= 1
        if self.kind == "worksheet":
            if tag == "v":
                self.in_value = False
            elif tag == "t":
                self.in_text = False
            elif tag == "c":
                self._end_cell()
        elif self.kind == "sst" and tag == "t":
            self.in_text = False

    def characters(self, content):
        if self.in_value:
            self.value.append(content)
            self.text_length += len(content)
        elif self.in_text:
            self.text_length += len(content)
        else:
            return
        if self.text_length > self.limits.cell_chars:
            where = self.cell or _("trong bảng chuỗi văn bản")
            raise _cell_too_long(self.limits, where)

    # --- worksheets ---

    def _start_sheet(self, tag, attrs):
        if tag == "dimension":
            self._check_dimension(_attr(attrs, "ref"))
        elif tag == "row":
            number = _attr(attrs, "r")
            if number is None:
                self.row += 1
            elif not (number.isascii() and number.isdigit()) or not 1 <= int(number) <= EXCEL_MAX_ROW:
                raise self._bad(_("số dòng “%(row)s” không hợp lệ") % {"row": number[:20]})
            else:
                self.row = int(number)
            self._check_row_number(self.row)
            self.column = 0
        elif tag == "c":
            reference = _attr(attrs, "r")
            if reference is None:
                self.column += 1
            else:
                self.column, row = self._parse_reference(reference)
                if row != self.row and self.row:
                    raise self._bad(
                        _("ô “%(cell)s” không nằm trong dòng %(row)d") % {"cell": reference, "row": self.row}
                    )
            if self.column > self.limits.columns:
                raise _too_many_columns(self.limits)
            self.cell = _cell_name(self.column, self.row)
            self.cell_type = _attr(attrs, "t") or "n"
            if self.cell_type not in ("n", "s", "str", "inlineStr", "b", "e", "d"):
                raise self._bad(
                    _("ô %(cell)s có kiểu “%(type)s” không hợp lệ") % {"cell": self.cell, "type": self.cell_type[:20]}
                )
            self.value, self.text_length = [], 0
        elif tag == "v":
            self.in_value = True
        elif tag == "t":
            self.in_text = True

    def _end_cell(self):
        value = "".join(self.value).strip()
        kind = self.cell_type
        if value and kind == "n" and not _NUMBER_RE.match(value):
            raise self._bad_value(_("số"), value)
        if value and kind == "b" and value not in ("0", "1"):
            raise self._bad_value(_("đúng/sai"), value)
        if value and kind == "d" and not _ISO_DATE_RE.match(value):
            raise self._bad_value(_("ngày tháng"), value)
        if kind == "s":
            if not (value.isascii() and value.isdigit()):
                raise self._bad_value(_("chỉ số chuỗi văn bản"), value)
            if int(value) > self.max_shared_index:
                self.max_shared_index = int(value)
                self.first_shared_cell = self.cell
        self.value, self.text_length, self.cell = [], 0, ""

    def _check_dimension(self, ref):
        if not ref:
            return
        last = ref.split(":")[-1]
        column, row = self._parse_reference(last)
        self._check_row_number(row)
        if column > self.limits.columns:
            raise _too_many_columns(self.limits)

    def _check_row_number(self, row: int) -> None:
        if row > self.limits.rows + 1:  # the header is row 1
            raise _too_many_rows(self.limits)

    def _parse_reference(self, reference: str) -> tuple[int, int]:
        from openpyxl.utils import column_index_from_string

        match = _REFERENCE_RE.match(reference)
        column = column_index_from_string(match.group(1)) if match else 0
        row = int(match.group(2)) if match else 0
        if not (1 <= column <= EXCEL_MAX_COLUMN and 1 <= row <= EXCEL_MAX_ROW):
            raise self._bad(_("địa chỉ ô “%(cell)s” không hợp lệ") % {"cell": reference[:20]})
        return column, row

    def _bad(self, what) -> ImportFileError:
        return ImportFileError(_("Tệp XLSX hỏng: %(problem)s.") % {"problem": what})

    def _bad_value(self, kind, value) -> ImportFileError:
        return ImportFileError(
            _("Tệp XLSX hỏng: ô %(cell)s phải chứa %(kind)s nhưng chứa “%(value)s”.")
            % {"cell": self.cell, "kind": kind, "value": value[:40]}
        )

    def finish(self) -> None:
        if self.max_shared_index >= 0 and self.max_shared_index >= self.shared_strings:
            raise ImportFileError(
                _("Tệp XLSX hỏng: ô %(cell)s trỏ tới chuỗi văn bản số %(index)d, không có trong tệp.")
                % {"cell": self.first_shared_cell, "index": self.max_shared_index}
            )


def _attr(attrs, name: str) -> str | None:
    return attrs.get((None, name))


def _xlsx_cell(cell):
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str) and value.startswith("=")):
        return Formula(str(value))
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    return value


# --- checking -------------------------------------------------------------------------------------


def check_rows(table: Table, ctx: ImportContext, progress=None) -> CheckResult:
    """Every row checked against the catalogue, the user's units, locks, duplicates and the relations.

    `progress(done, total)` is called now and then, for the shell command's progress bar.
    """
    result = CheckResult(total_rows=len(table.rows))
    seen: dict[tuple[int, int, int], int] = {}
    for index, (number, row) in enumerate(table.rows, start=1):
        figure = _check_row(number, row, ctx, result, seen)
        if figure is not None:
            result.figures.append(figure)
        if progress and index % 5000 == 0:
            progress(index, len(table.rows))
    if not result.errors:
        _check_relations(result, ctx)
    result.errors.sort(key=lambda p: (p.row, p.column))
    return result


def _text(cell) -> str:
    if cell is None:
        return ""
    if type(cell) is str:
        cell = cell.strip()
        # ASCII is NFC already: most cells of a large file skip the normalisation.
        return cell if cell.isascii() else unicodedata.normalize("NFC", cell)
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return unicodedata.normalize("NFC", str(cell)).strip()


def _year(text: str) -> int | None:
    """A whole year from "2024" or "2024.0"; None for anything else."""
    if text.isdigit() and text.isascii():
        return int(text)
    try:
        number = Decimal(text) if text else None
    except InvalidOperation:
        return None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        return None
    return int(number)


def _number_cell(cell) -> Decimal:
    """A numeric spreadsheet cell, held to what the value column can store (as parse_plain does for text)."""
    if isinstance(cell, bool):
        raise NumberError(_("Không phải là số."))
    value = Decimal(str(cell))
    if not value.is_finite():
        raise NumberError(_("Không phải là số."))
    if value < 0:
        raise NumberError(_("Số liệu không được âm."))
    whole, _mark, fraction = f"{value:f}".partition(".")
    return checked_digits(whole, fraction)


def _check_row(number, row, ctx, result, seen) -> Figure | None:
    errors = []

    def error(column, message):
        errors.append(RowProblem(number, column, str(message)))

    for column, cell in row.items():
        if isinstance(cell, Formula) or (isinstance(cell, str) and cell.strip().startswith("=")):
            error(column, _("Ô chứa công thức; chỉ nhận giá trị. Hãy dán dạng giá trị (Paste values)."))
        elif isinstance(cell, str) and "\x00" in cell:
            # No text column of PostgreSQL can hold it; refused here, not at the write.
            error(column, _("Ô chứa ký tự NUL (mã 0), không được phép. Hãy xóa ký tự này trong tệp."))
    if row.get("__extra__"):
        error("", _("Dòng có nhiều ô hơn số cột tiêu đề."))
    if errors:
        result.errors.extend(errors)
        return None

    if _is_blank(row.get("value")):
        result.skipped_empty += 1
        return None

    unit_code, indicator_code = _text(row.get("unit_code")), _text(row.get("indicator_code"))
    unit = ctx.units.get(unit_code)
    if not unit_code:
        error("unit_code", _("Thiếu mã đơn vị."))
    elif unit is None:
        error("unit_code", _("Không có đơn vị mã “%(code)s”.") % {"code": unit_code[:40]})
    elif ctx.editable_unit_ids is not None and unit.pk not in ctx.editable_unit_ids:
        error("unit_code", _("Bạn không được nhập số liệu cho đơn vị “%(code)s”.") % {"code": unit_code})
        unit = None
    indicator = ctx.indicators.get(indicator_code)
    if not indicator_code:
        error("indicator_code", _("Thiếu mã chỉ tiêu."))
    elif indicator is None:
        error("indicator_code", _("Không có chỉ tiêu mã “%(code)s”.") % {"code": indicator_code[:80]})

    year = _year(_text(row.get("year")))
    if year is None or not (YEAR_MIN <= year <= YEAR_MAX):
        error("year", _("Năm phải là số nguyên từ %(min)d đến %(max)d.") % {"min": YEAR_MIN, "max": YEAR_MAX})
        year = None
    elif unit is not None and not _unit_exists_in(unit, year):
        error("year", _("Đơn vị “%(code)s” không tồn tại trong năm %(year)d.") % {"code": unit.code, "year": year})

    value = None
    cell = row.get("value")
    try:
        value = _number_cell(cell) if isinstance(cell, bool | int | float | Decimal) else parse_plain(_text(cell))
    except NumberError as problem:
        error("value", problem)
        value = None
    if value is not None and indicator is not None:
        problem = indicator.bounds_error(value)
        if problem:
            error("value", problem)

    qualifier_text = _text(row.get("qualifier")).lower()
    qualifier = QUALIFIER_ALIASES.get(qualifier_text)
    if qualifier is None:
        error("qualifier", _("Mức chính xác không hợp lệ; dùng: exact, approximately, more_than, less_than, average."))

    source_id = None
    source_code = _text(row.get("source_code"))
    if source_code:
        source = ctx.sources.get(source_code)
        if source is None:
            error("source_code", _("Không có nguồn mã “%(code)s”.") % {"code": source_code[:80]})
        elif source[1]:
            error("source_code", _("Không được gán số liệu thật cho nguồn dữ liệu minh họa."))
        elif source[2] is not None and unit is not None and source[2] != unit.pk:
            error("source_code", _("Nguồn “%(code)s” là báo cáo riêng của đơn vị khác.") % {"code": source_code[:80]})
        else:
            source_id = source[0]

    quote, note = _text(row.get("quote")), _text(row.get("note"))
    for column, text in (("quote", quote), ("note", note)):
        if len(text) > TEXT_LIMIT:
            error(column, _("Quá dài (tối đa %(max)d ký tự).") % {"max": TEXT_LIMIT})

    if unit is not None and indicator is not None and year is not None:
        key = (indicator.pk, unit.pk, year)
        if key in seen:
            error("", _("Trùng với dòng %(row)d (cùng đơn vị, chỉ tiêu và năm).") % {"row": seen[key]})
        else:
            seen[key] = number
        existing = ctx.existing.get(key)
        if existing is not None and not existing.is_demo and existing.status in ("submitted", "approved"):
            error(
                "value",
                _("Số liệu này đang ở trạng thái “%(status)s” nên bị khóa; chỉ sửa được khi Sở Nội vụ trả lại.")
                % {"status": _status_label(existing.status)},
            )
    if errors:
        result.errors.extend(errors)
        return None
    return Figure(
        row=number,
        unit_id=unit.pk,
        unit_code=unit.code,
        indicator=indicator,
        year=year,
        value=value,
        qualifier=qualifier,
        source_id=source_id,
        quote=quote,
        note=note,
    )


def stored_value_problems(*, indicator: Indicator, year, value, qualifier: str, status: str) -> dict[str, str]:
    """What IndicatorValue.full_clean() refuses in an imported figure, checked without a model instance.

    The same rules: the year's range, the value's digits and decimal places (the field's own
    validators), not negative, the indicator's bounds and whole numbers (Indicator.bounds_error,
    which IndicatorValue.clean calls), and the choices of qualifier and status. check_rows already
    reports each of these as a row error; write_import runs this on every figure as a last guard.
    tests/test_imports.py checks it refuses exactly what full_clean refuses.
    """
    from indicators.models import IndicatorValue

    problems = {}
    if not isinstance(year, int) or not (YEAR_MIN <= year <= YEAR_MAX):
        problems["year"] = _("Năm phải từ %(min)d đến %(max)d.") % {"min": YEAR_MIN, "max": YEAR_MAX}
    if not isinstance(value, Decimal) or not value.is_finite():
        problems["value"] = _("Không phải là số.")
    else:
        try:
            for validator in _value_validators():
                validator(value)
        except ValidationError as error:
            problems["value"] = error.messages[0]
        else:
            problem = _("Số liệu không được âm.") if value < 0 else indicator.bounds_error(value)
            if problem:
                problems["value"] = str(problem)
    for name, choice in (("qualifier", qualifier), ("status", status)):
        if choice not in _choices(name):
            field = IndicatorValue._meta.get_field(name)
            problems[name] = field.error_messages["invalid_choice"] % {"value": repr(choice)}
    return problems


@functools.cache
def _value_validators():
    from indicators.models import IndicatorValue

    return tuple(IndicatorValue._meta.get_field("value").validators)


@functools.cache
def _choices(name: str) -> frozenset:
    from indicators.models import IndicatorValue

    return frozenset(key for key, _label in IndicatorValue._meta.get_field(name).flatchoices)


def _unit_exists_in(unit: UnitInfo, year: int) -> bool:
    return (unit.first_year is None or unit.first_year <= year) and (unit.last_year is None or year <= unit.last_year)


def _status_label(status: str) -> str:
    from indicators.models import IndicatorValue

    return str(IndicatorValue.Status(status).label)


def _check_relations(result: CheckResult, ctx: ImportContext) -> None:
    """Overdue ≤ received and the on-time share per unit-year, and the 3× outlier check, on the merged data."""
    code_of = {i.pk: code for code, i in ctx.indicators.items()}
    kinds = {code: i.unit_kind for code, i in ctx.indicators.items()}
    merged: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    for (indicator_id, unit_id, year), existing in ctx.existing.items():
        code = code_of.get(indicator_id)
        if code is not None and not existing.is_demo:  # as the entry form: a demo figure is no evidence
            merged[(unit_id, year)][code] = existing.value
    file_rows: dict[tuple[int, int], dict[str, Figure]] = defaultdict(dict)
    for f in result.figures:
        merged[(f.unit_id, f.year)][f.indicator.code] = f.value
        file_rows[(f.unit_id, f.year)][f.indicator.code] = f
    for (unit_id, year), figures in file_rows.items():
        values = merged[(unit_id, year)]
        # A stored inconsistency that this file does not touch is not this file's error.
        found = (
            validation.cross_field_problems(values) if validation.RELATED & figures.keys() else validation.Problems()
        )
        found.merge(
            validation.outlier_warnings(
                {code: f.value for code, f in figures.items()}, merged.get((unit_id, year - 1), {}), kinds
            )
        )
        first_row = min(f.row for f in figures.values())
        for target, messages in ((result.errors, found.errors), (result.warnings, found.warnings)):
            for code, texts in messages.items():
                row = figures[code].row if code in figures else first_row
                target.extend(RowProblem(row, "value", f"{code}: {text}") for text in texts)


# --- the stored preview -----------------------------------------------------------------------------

PREVIEW_PROBLEMS = 500  # errors and warnings the preview lists
PREVIEW_SAMPLE = 50  # figures it shows


@dataclass
class SampleFigure:
    row: int
    unit_code: str
    indicator_code: str
    year: int
    value: Decimal
    indicator: Indicator | None = None  # filled in by the selector that renders it


@dataclass
class ImportSummary:
    """What the preview shows of a check, small enough to store with the upload (JSON) and show again."""

    total_rows: int
    figure_count: int
    skipped_empty: int
    error_count: int
    errors: list[RowProblem]
    warnings: list[RowProblem]
    sample: list[SampleFigure]
    stamp: str = ""  # the language and state of the data it was checked against

    @property
    def ok(self) -> bool:
        return not self.error_count

    @classmethod
    def of(cls, check: CheckResult, stamp: str = "") -> ImportSummary:
        return cls(
            total_rows=check.total_rows,
            figure_count=len(check.figures),
            skipped_empty=check.skipped_empty,
            error_count=len(check.errors),
            errors=check.errors[:PREVIEW_PROBLEMS],
            warnings=check.warnings[:PREVIEW_PROBLEMS],
            sample=[
                SampleFigure(f.row, f.unit_code, f.indicator.code, f.year, f.value, f.indicator)
                for f in check.figures[:PREVIEW_SAMPLE]
            ],
            stamp=stamp,
        )

    def to_json(self) -> dict:
        return {
            "total_rows": self.total_rows,
            "figure_count": self.figure_count,
            "skipped_empty": self.skipped_empty,
            "error_count": self.error_count,
            "errors": [[p.row, p.column, p.message] for p in self.errors],
            "warnings": [[p.row, p.column, p.message] for p in self.warnings],
            "sample": [[f.row, f.unit_code, f.indicator_code, f.year, str(f.value)] for f in self.sample],
            "stamp": self.stamp,
        }

    @classmethod
    def from_json(cls, data: dict) -> ImportSummary:
        return cls(
            total_rows=data["total_rows"],
            figure_count=data["figure_count"],
            skipped_empty=data["skipped_empty"],
            error_count=data["error_count"],
            errors=[RowProblem(*p) for p in data["errors"]],
            warnings=[RowProblem(*p) for p in data["warnings"]],
            sample=[SampleFigure(r, u, i, y, Decimal(v)) for r, u, i, y, v in data["sample"]],
            stamp=data["stamp"],
        )
