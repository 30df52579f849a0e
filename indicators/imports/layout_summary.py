"""The stored preview of a layout file: every row as matched, the problems, and the counts, as JSON
kept with the upload (LayoutImport.summary) so that showing it again reads nothing. No queries here."""

from __future__ import annotations

from dataclasses import dataclass

from indicators.imports.checking import RowProblem
from indicators.imports.layout_checking import OK, OTHER_UNIT, LayoutCheck, MatchedRow
from indicators.imports.summary import PREVIEW_PROBLEMS


@dataclass
class LayoutSummary:
    header_row: int
    ignored: list[str]
    rows: list[MatchedRow]
    errors: list[RowProblem]
    warnings: list[RowProblem]
    error_count: int
    figure_count: int
    other_units: int
    waiting: int
    skipped: int
    stamp: str = ""
    file_error: str = ""  # the file refused as a whole (its layout, encoding or period)

    @property
    def ok(self) -> bool:
        return not self.error_count and not self.file_error

    @property
    def matched(self) -> int:
        return sum(1 for r in self.rows if r.status in (OK, OTHER_UNIT))

    @classmethod
    def of(cls, check: LayoutCheck, *, header_row: int, ignored: list[str], skipped: int, stamp: str = ""):
        return cls(
            header_row=header_row,
            ignored=ignored,
            rows=check.rows,
            errors=check.errors[:PREVIEW_PROBLEMS],
            warnings=check.warnings[:PREVIEW_PROBLEMS],
            error_count=len(check.errors),
            figure_count=len(check.table.rows),
            other_units=check.other_units,
            waiting=check.waiting,
            skipped=skipped,
            stamp=stamp,
        )

    @classmethod
    def refused(cls, message: str, stamp: str = "") -> LayoutSummary:
        return cls(0, [], [], [], [], 0, 0, 0, 0, 0, stamp=stamp, file_error=message)

    def to_json(self) -> dict:
        return {
            "header_row": self.header_row,
            "ignored": self.ignored,
            "rows": [r.to_json() for r in self.rows],
            "errors": [[p.row, p.column, p.message] for p in self.errors],
            "warnings": [[p.row, p.column, p.message] for p in self.warnings],
            "error_count": self.error_count,
            "figure_count": self.figure_count,
            "other_units": self.other_units,
            "waiting": self.waiting,
            "skipped": self.skipped,
            "stamp": self.stamp,
            "file_error": self.file_error,
        }

    @classmethod
    def from_json(cls, data: dict) -> LayoutSummary:
        return cls(
            header_row=data["header_row"],
            ignored=data["ignored"],
            rows=[MatchedRow.from_json(r) for r in data["rows"]],
            errors=[RowProblem(*p) for p in data["errors"]],
            warnings=[RowProblem(*p) for p in data["warnings"]],
            error_count=data["error_count"],
            figure_count=data["figure_count"],
            other_units=data["other_units"],
            waiting=data["waiting"],
            skipped=data["skipped"],
            stamp=data["stamp"],
            file_error=data.get("file_error", ""),
        )
