"""The XLSX guard: a hostile or broken workbook is refused before openpyxl reads any of it.

An upload is small, but what it unpacks to need not be. A workbook's member sizes are checked in the
zip's central directory, then every XML part is streamed once through defusedxml's SAX parser (no
DTDs, no entities), which refuses absurd cell references, row numbers and `dimension`s, junk in
typed cells, missing shared strings and over-long text.
"""

from __future__ import annotations

import io
import re
import xml.sax
import xml.sax.handler
import zipfile

from django.utils.translation import gettext as _

from indicators.imports.limits import (
    EXCEL_MAX_COLUMN,
    EXCEL_MAX_ROW,
    ImportFileError,
    Limits,
    cell_name,
    cell_too_long,
    corrupt,
    too_many_columns,
    too_many_rows,
)

_REFERENCE_RE = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
_NUMBER_RE = re.compile(r"^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?\s*$")
_ISO_DATE_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$|^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$"
)
_MAX_ZIP_MEMBERS = 1000


def check_xlsx(content: bytes, limits: Limits) -> None:
    """Refuse a hostile or broken XLSX before openpyxl reads any of it; memory stays bounded.

    The unpacked size comes from the central directory; zipfile never reads a member past its stated
    size (a member that lies fails its CRC), so every later read is bounded by what was checked here.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as error:
        raise corrupt() from error
    if len(members) > _MAX_ZIP_MEMBERS:
        raise corrupt()
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.unpacked_bytes:
        raise ImportFileError(
            _("Tệp XLSX khi giải nén quá lớn (%(size)s MB, tối đa %(max)s MB). Hãy chia nhỏ tệp.")
            % {"size": f"{unpacked / 2**20:,.0f}", "max": f"{limits.unpacked_bytes / 2**20:,.0f}"}
        )
    guard = XlsxGuard(limits)
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


class XlsxGuard(xml.sax.handler.ContentHandler):
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
            raise cell_too_long(self.limits, where)

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
                raise too_many_columns(self.limits)
            self.cell = cell_name(self.column, self.row)
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
            raise too_many_columns(self.limits)

    def _check_row_number(self, row: int) -> None:
        if row > self.limits.rows + 1:  # the header is row 1
            raise too_many_rows(self.limits)

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
