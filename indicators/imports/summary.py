"""The stored preview of a check: small enough to keep with the upload (JSON) and show again."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from indicators.imports.checking import CheckResult, RowProblem
from indicators.models import Indicator

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
