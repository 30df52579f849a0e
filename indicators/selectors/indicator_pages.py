"""The indicator pages: the list, one indicator across the districts, and a reform area."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from indicators.domain import scoring, stats
from indicators.domain.series import BandYear, Measure, Point, Series, TargetLine
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, ReformArea, Source
from indicators.selectors import common


@dataclass
class IndicatorPage:
    indicator: Indicator
    province: AdministrativeUnit
    districts: list[AdministrativeUnit]
    selected_codes: list[str]
    all_years: list[int]
    years: list[int]
    line_rows: list[dict]
    year: int | None
    include_demo: bool
    measure: Measure
    series: list[Series]
    band: list[BandYear]
    ranking: list[tuple[int | None, Point]]
    sources: list[tuple[str, str]]
    quoted: list[Point]
    shows_demo: bool
    # The target for the ranking year, and who improved most since the year before.
    target: TargetLine | None = None
    improved: list[tuple[str, scoring.Improvement, bool]] = field(default_factory=list)  # (name, change, demo)
    # The 2025 reorganisation: the years a ranking can be drawn for (the districts' years), the
    # chosen districts that have ended, and, when asked for, the units that took over from them.
    ranking_years: list[int] = field(default_factory=list)
    ended: list[AdministrativeUnit] = field(default_factory=list)
    show_successors: bool = False
    successors: list[AdministrativeUnit] = field(default_factory=list)

    @property
    def successor_series(self) -> list[Series]:
        """The new units' series that have figures in the years shown."""
        return [one for one in self.series if one.began]

    @property
    def successor_codes(self) -> list[str]:
        return [one.unit_code for one in self.successor_series]


def indicator_page(
    *,
    indicator: Indicator,
    province: AdministrativeUnit,
    unit_codes: Sequence[str],
    year_from: int | None,
    year_to: int | None,
    year: int | None,
    include_demo: bool,
    targets: Sequence[TargetLine] = (),
    show_successors: bool = False,
) -> IndicatorPage:
    """Everything /indicators/<code>/ draws: one query for the districts, one for all their values,
    and with `show_successors` two more for the units that took over from the chosen districts."""
    districts = common.province_districts(province=province)
    values = IndicatorValue.objects.published().for_indicator(indicator).without_demo(not include_demo)
    every_year = common.points_of(values.filter(unit__in=common.districts_subquery(province)))
    # All years are read (a province has few) so the year pickers can offer every year with data.
    ranking_years = sorted({p.year for p in every_year})

    def in_range(points):
        return [p for p in points if (year_from or p.year) <= p.year <= (year_to or p.year)]

    points = in_range(every_year)
    district_years = sorted({p.year for p in points})
    year = common.shown_year(year, district_years)
    # Nobody chose: the best and worst of the year ranked, or of the latest year at all when the range
    # holds no district figure (years after 2025: the new units' series are then the chart).
    selected = list(unit_codes) or common.default_line_units(
        points=points or every_year,
        year=year if points else (ranking_years[-1] if ranking_years else None),
        higher_is_better=indicator.higher_is_better,
    )
    names = {d.code: d.name for d in districts}
    by_unit = defaultdict(dict)
    for p in points:
        by_unit[p.unit_code][p.year] = p
    series = [Series(code, names.get(code, code), by_unit.get(code, {})) for code in selected]

    # The new units' figures are separate series: another unit (often another level), never joined
    # to a district's line, and left out of the districts' band, ranking and median.
    successors = common.successor_units(codes=selected) if show_successors else []
    every_successor_year = (
        common.points_of(values.filter(unit__in=[unit.pk for unit in successors])) if successors else []
    )
    successor_points = in_range(every_successor_year)
    for unit in successors:
        unit_points = {p.year: p for p in successor_points if p.unit_code == unit.code}
        if unit_points:
            series.append(Series(unit.code, unit.name, unit_points, began=unit.succeeded_on))
    years = sorted({*district_years, *(p.year for p in successor_points)})
    all_years = sorted({*ranking_years, *(p.year for p in every_successor_year)})

    band = common.band_by_year(points)
    measure = common.measure_of(indicator)

    year_points = {p.unit_code: p for p in points if p.year == year}
    order = stats.better_first({code: p.value for code, p in year_points.items()}, indicator.higher_is_better)
    ranks = stats.competition_ranks({code: p.value for code, p in year_points.items()}, indicator.higher_is_better)
    ranking = [(ranks.get(code), year_points[code]) for code in order]

    band_of = {b.year: b for b in band}
    target = scoring.target_for_year(targets, year)
    improved = scoring.most_improved(
        {p.unit_code: p.value for p in points if p.year == year},
        {p.unit_code: p.value for p in points if year is not None and p.year == year - 1},
        indicator.higher_is_better,
        limit=3,
    )
    # (name, change, whether either year's figure is demo: the list must say so like every figure)
    demo_units = {p.unit_code for p in points if p.is_demo and year is not None and p.year in (year, year - 1)}
    improved = [(names.get(i.unit, i.unit), i, i.unit in demo_units) for i in improved]
    line_rows = [{"year": y, "cells": [one.points.get(y) for one in series], "band": band_of.get(y)} for y in years]
    shown = [*points, *successor_points]
    return IndicatorPage(
        indicator=indicator,
        all_years=all_years,
        ranking_years=ranking_years,
        line_rows=line_rows,
        province=province,
        districts=districts,
        selected_codes=selected,
        years=years,
        year=year,
        include_demo=include_demo,
        measure=measure,
        series=series,
        band=band,
        ranking=ranking,
        sources=sorted({(p.source_code, p.source_title) for p in shown if p.source_code and not p.is_demo}),
        quoted=[p for p in shown if p.quote and not p.is_demo],
        shows_demo=any(p.is_demo for p in shown),
        target=target,
        improved=improved,
        ended=[d for d in districts if d.code in selected and d.valid_to],
        show_successors=show_successors,
        successors=successors,
    )


def indicator_table_values(
    *, indicator: Indicator, province: AdministrativeUnit, also: Sequence[str] = ()
) -> QuerySet[IndicatorValue]:
    """The queryset behind the indicator page's table, before the page's filters: the province's
    districts, and the units with codes `also` (the new units the chart shows beside them)."""
    units = Q(unit__in=common.districts_subquery(province))
    if also:
        units |= Q(unit__code__in=also)
    return (
        IndicatorValue.objects.published()
        .for_indicator(indicator)
        .filter(units)
        .select_related("unit", "source")
        .order_by("unit__name", "year")
    )


def area_page(*, area: ReformArea, province: AdministrativeUnit, include_demo: bool) -> dict:
    """One reform area: its indicators with the latest provincial median and how many reported."""
    indicators = list(area.indicators.all())
    values = list(
        common.province_values(province=province, include_demo=include_demo)
        .filter(indicator__area=area)
        .values_list("indicator_id", "year", "value", "source__kind")
    )
    latest_year = {}
    for indicator_id, year, _value, _kind in values:
        latest_year[indicator_id] = max(year, latest_year.get(indicator_id, year))
    rows = []
    for indicator in indicators:
        year = latest_year.get(indicator.pk)
        latest = [(v, k) for i, y, v, k in values if i == indicator.pk and y == year]
        rows.append(
            {
                "indicator": indicator,
                "year": year,
                "median": stats.percentile([v for v, _k in latest], 0.5),
                "reported": len(latest),
                "has_demo": any(k == Source.Kind.SYNTHETIC_DEMO for _v, k in latest),
            }
        )
    return {"area": area, "rows": rows, "shows_demo": any(r["has_demo"] for r in rows)}


def indicator_list() -> QuerySet[Indicator]:
    """Every indicator with its area, in the areas' order (one query)."""
    return Indicator.objects.select_related("area").order_by("area__order", "order")


def indicator_lookup() -> QuerySet[Indicator]:
    """The indicators an indicator page is looked up in, with the area it shows."""
    return Indicator.objects.select_related("area")
