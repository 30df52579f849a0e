"""Bulk import of figures from CSV or XLSX: reading the file and checking every row. No queries here.

- limits: what a file may hold (`Limits`, from settings) and `ImportFileError`, which refuses a file.
- xlsx_guard: a hostile or broken XLSX refused before openpyxl reads any of it.
- reading: CSV/XLSX streamed into a `Table`, within the limits.
- checking: every row checked against an `ImportContext` of lookups (`check_rows`), and the cell
  readers the lookups share (`cell_text`, `cell_year`).
- summary: the preview's result, stored with the upload.

The names below are the package's public face; callers use them as `imports.read_table` and so on.
"""

from indicators.imports.checking import (
    QUALIFIER_ALIASES,
    TEXT_LIMIT,
    CheckResult,
    Existing,
    Figure,
    ImportContext,
    RowProblem,
    cell_text,
    cell_year,
    check_rows,
    stored_value_problems,
)
from indicators.imports.limits import ImportFileError, Limits, check_upload_size
from indicators.imports.reading import (
    COLUMNS,
    INFO_COLUMNS,
    REQUIRED_COLUMNS,
    Formula,
    Table,
    decode_text,
    detect_format,
    read_table,
)
from indicators.imports.summary import PREVIEW_PROBLEMS, PREVIEW_SAMPLE, ImportSummary, SampleFigure

__all__ = [
    "COLUMNS",
    "INFO_COLUMNS",
    "PREVIEW_PROBLEMS",
    "PREVIEW_SAMPLE",
    "QUALIFIER_ALIASES",
    "REQUIRED_COLUMNS",
    "TEXT_LIMIT",
    "CheckResult",
    "Existing",
    "Figure",
    "Formula",
    "ImportContext",
    "ImportFileError",
    "ImportSummary",
    "Limits",
    "RowProblem",
    "SampleFigure",
    "Table",
    "cell_text",
    "cell_year",
    "check_rows",
    "check_upload_size",
    "decode_text",
    "detect_format",
    "read_table",
    "stored_value_problems",
]
