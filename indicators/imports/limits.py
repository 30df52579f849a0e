"""What an uploaded file may hold, and the error that refuses a file as a whole."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

# Excel's own limits; a reference beyond them is not a spreadsheet's.
EXCEL_MAX_ROW = 1_048_576
EXCEL_MAX_COLUMN = 16_384


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


def too_many_rows(limits: Limits) -> ImportFileError:
    return ImportFileError(
        _("Tệp có quá nhiều dòng (tối đa %(max)s dòng số liệu). Hãy chia nhỏ tệp.") % {"max": f"{limits.rows:,}"}
    )


def too_many_columns(limits: Limits) -> ImportFileError:
    return ImportFileError(_("Tệp có quá nhiều cột (tối đa %(max)d cột).") % {"max": limits.columns})


def cell_too_long(limits: Limits, where: str) -> ImportFileError:
    return ImportFileError(
        _("Ô %(cell)s quá dài (tối đa %(max)s ký tự).") % {"cell": where, "max": f"{limits.cell_chars:,}"}
    )


def cell_name(column: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(min(column, EXCEL_MAX_COLUMN))}{row}"


def corrupt() -> ImportFileError:
    return ImportFileError(_("Không mở được tệp XLSX: tệp hỏng hoặc không phải Excel."))


def check_upload_size(size: int) -> None:
    """Refuse an upload over IMPORT_MAX_UPLOAD_BYTES before any of it is read."""
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if size > limit:
        raise ImportFileError(
            _("Tệp quá lớn (%(size)s KB, tối đa %(max)s KB).") % {"size": size // 1024, "max": limit // 1024}
        )
