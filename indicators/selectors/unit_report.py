"""A unit's printable report for the yearly meeting: every indicator of its level with its figures by
year, trend, rank in its group, target and sources, and the demo label on every demo figure.

Built on the unit page's data (units.unit_page), so the two never disagree; a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from indicators.domain.series import Point
from indicators.models import AdministrativeUnit, Indicator
from indicators.selectors import common, targets, units


@dataclass(frozen=True)
class YearCell:
    year: int
    point: Point | None
    text: str  # "gần 95%", "" for a gap

    @property
    def is_demo(self) -> bool:
        return self.point is not None and self.point.is_demo


@dataclass
class ReportRow:
    indicator: Indicator
    cells: list[YearCell]
    trend: list[Point | None]
    latest: Point | None
    latest_text: str
    trend_text: str
    rank: int | None
    ranked: int
    progress: targets.Progress | None
    source_numbers: list[int]  # footnotes into ReportSource, in order

    @property
    def has_demo(self) -> bool:
        return any(cell.is_demo for cell in self.cells)


@dataclass(frozen=True)
class ReportSource:
    number: int
    code: str
    title: str
    is_demo: bool


def unit_report(*, unit: AdministrativeUnit, include_demo: bool) -> dict:
    """The report's content: the unit page's rows by area, each with one cell per year, its target
    progress and its sources as numbered footnotes (the demo source flagged)."""
    page = units.unit_page(unit=unit, include_demo=include_demo)
    progress = targets.unit_progress(unit=unit, groups=page["groups"])
    years = page["years"]
    sources: dict[str, ReportSource] = {}
    areas = []
    for area, rows in page["groups"]:
        report_rows = []
        for row in rows:
            numbers = []
            for p in row.trend:
                if p is None or not p.source_code:
                    continue
                if p.source_code not in sources:
                    sources[p.source_code] = ReportSource(len(sources) + 1, p.source_code, p.source_title, p.is_demo)
                if sources[p.source_code].number not in numbers:
                    numbers.append(sources[p.source_code].number)
            report_rows.append(
                ReportRow(
                    indicator=row.indicator,
                    cells=[
                        YearCell(year, p, common.point_text(p, row.indicator) if p else "")
                        for year, p in zip(years, row.trend, strict=True)
                    ],
                    trend=row.trend,
                    latest=row.latest,
                    latest_text=row.latest_text,
                    trend_text=row.trend_text,
                    rank=row.rank,
                    ranked=row.ranked,
                    progress=progress.get(row.indicator.code),
                    source_numbers=sorted(numbers),
                )
            )
        areas.append((area, report_rows))
    return {
        "unit": unit,
        "years": years,
        "areas": areas,
        "rank_among": page["rank_among"],
        "sources": list(sources.values()),
        "successions": page["successions"],
        "predecessions": page["predecessions"],
        "indicator_count": sum(len(rows) for _area, rows in areas),
        "with_figures": sum(1 for _area, rows in areas for r in rows if r.latest is not None),
        "shows_demo": page["shows_demo"],
    }
