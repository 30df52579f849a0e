"""The indicator pages: the list, one indicator across the units of each year, and a reform area."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet

from indicators.domain import scoring, stats
from indicators.domain.series import BandYear, Measure, Point, Series, TargetLine
from indicators.domain.text import collation_key
from indicators.domain.unit_refs import UnitRef
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, ReformArea, Source
from indicators.selectors import common, unit_periods


@dataclass
class Ranking:
    """One ranking of the year: the units of one group (one old province's districts, or the
    province's communes), best first, each with its rank among that group only."""

    group: unit_periods.UnitGroup
    entries: list[tuple[int | None, Point]]


@dataclass
class IndicatorPage:
    indicator: Indicator
    province: AdministrativeUnit
    units: list[AdministrativeUnit]  # every unit compared, in any year
    unit_groups: list[unit_periods.UnitGroup]  # the same, by level and period (the unit picker's groups)
    selected: list[AdministrativeUnit]
    all_years: list[int]
    years: list[int]
    line_rows: list[dict]
    year: int | None
    include_demo: bool
    measure: Measure
    series: list[Series]
    band: list[BandYear]
    rankings: list[Ranking]
    sources: list[tuple[str, str]]
    quoted: list[Point]
    shows_demo: bool
    # The target for the ranking year, and who improved most since the year before.
    target: TargetLine | None = None
    improved: list[tuple[Point, scoring.Improvement, bool]] = field(default_factory=list)  # (now, change, demo)
    # The years a ranking can be drawn for, the chosen districts that have ended, and, when asked
    # for, the units that took over from them (drawn as their own series).
    ranking_years: list[int] = field(default_factory=list)
    ended: list[AdministrativeUnit] = field(default_factory=list)
    show_successors: bool = False
    successors: list[AdministrativeUnit] = field(default_factory=list)

    @property
    def selected_codes(self) -> list[str]:
        return [unit.code for unit in self.selected]

    @property
    def ranking(self) -> list[tuple[int | None, Point]]:
        """Every ranking's entries, one after another (each rank is within its own group)."""
        return [entry for one in self.rankings for entry in one.entries]

    @property
    def successor_series(self) -> list[Series]:
        """The successors' series that have figures in the years shown."""
        codes = {unit.code for unit in self.successors}
        return [one for one in self.series if one.unit_code in codes and one.points]

    @property
    def successor_codes(self) -> list[str]:
        return [one.unit_code for one in self.successor_series]

    @property
    def drawn_successors(self) -> list[AdministrativeUnit]:
        """The successors that have a series in the years shown, as units (for their links)."""
        codes = set(self.successor_codes)
        return [unit for unit in self.successors if unit.code in codes]

    @property
    def table_unit_ids(self) -> list[int]:
        """The units of the table under the chart: the chart's units."""
        return [*(unit.pk for unit in self.selected), *(unit.pk for unit in self.successors)]


def rankings_for(
    *, points: Sequence[Point], units: Sequence[AdministrativeUnit], higher_is_better: bool | None
) -> list[Ranking]:
    """The year's figures ranked within each group of units (before 2025 each old province's
    districts apart; from 2025 the communes), groups in the order of unit_periods.group_units."""
    by_id = {unit.pk: unit for unit in units}
    reported = [by_id[p.unit_id] for p in points if p.unit_id in by_id]
    found = []
    for group in unit_periods.group_units(reported):
        ids = {unit.pk for unit in group.units}
        year_points = {p.unit_id: p for p in points if p.unit_id in ids}
        values = {unit_id: p.value for unit_id, p in year_points.items()}
        order = stats.better_first(values, higher_is_better, tie=lambda unit_id: collation_key(by_id[unit_id].name))
        ranks = stats.competition_ranks(values, higher_is_better)
        found.append(Ranking(group=group, entries=[(ranks.get(unit_id), year_points[unit_id]) for unit_id in order]))
    return found


def indicator_page(
    *,
    indicator: Indicator,
    province: AdministrativeUnit,
    unit_refs: Sequence[UnitRef],
    year_from: int | None,
    year_to: int | None,
    year: int | None,
    include_demo: bool,
    targets: Sequence[TargetLine] = (),
    show_successors: bool = False,
) -> IndicatorPage:
    """Everything /indicators/<code>/ draws: one query for the units compared (the districts to
    2024, the communes from 2025, of the levels the indicator applies to), one for all their values,
    and with `show_successors` one more for the units that took over from the chosen districts (and
    one for the values of any of those outside the province). Raises unit_periods.UnitRefError for a unit
    asked for that is not compared or not in force in the years shown."""
    units = common.province_units(province=province, levels=indicator.levels)
    selected = unit_periods.resolve_unit_refs(unit_refs, units=units, year_from=year_from, year_to=year_to, year=year)
    values = IndicatorValue.objects.published().for_indicator(indicator).without_demo(not include_demo)
    every_year = common.points_of(values.filter(unit__in=[unit.pk for unit in units]))
    # All years are read (a province has few) so the year pickers can offer every year with data.
    ranking_years = sorted({p.year for p in every_year})

    def in_range(points):
        return [p for p in points if (year_from or p.year) <= p.year <= (year_to or p.year)]

    points = in_range(every_year)
    years = sorted({p.year for p in points})
    year = common.shown_year(year, years)
    by_id = {unit.pk: unit for unit in units}
    if not selected:
        # Nobody chose: the best and worst of the year ranked.
        selected = [
            by_id[pk]
            for pk in common.default_line_units(points=points, year=year, higher_is_better=indicator.higher_is_better)
        ]

    # The units that took over from the chosen districts: communes of the province, usually, drawn
    # as series of their own; any outside the province have their values read apart.
    successors = common.successors_of(units=selected) if show_successors else []
    successors = [unit for unit in successors if unit not in selected]
    outside = [unit.pk for unit in successors if unit.pk not in by_id]
    successor_points = in_range(common.points_of(values.filter(unit__in=outside))) if outside else []
    every_point = [*points, *successor_points]
    years = sorted({*years, *(p.year for p in successor_points)})
    all_years = sorted({*ranking_years, *(p.year for p in successor_points)})

    by_unit = defaultdict(dict)
    for p in every_point:
        by_unit[p.unit_id][p.year] = p
    # Every chosen unit has a series (an empty one is a gap); a successor only when it has figures.
    drawn = [*selected, *(unit for unit in successors if by_unit.get(unit.pk))]
    names = unit_periods.display_names([*units, *(unit for unit in successors if unit.pk not in by_id)])
    series = [
        Series(
            unit.code,
            names.get(unit.pk, unit.name),
            by_unit.get(unit.pk, {}),
            began=unit_periods.series_start(unit, years),
        )
        for unit in drawn
    ]

    band = common.band_by_year(points)
    measure = common.measure_of(indicator)
    rankings = rankings_for(
        points=[p for p in points if p.year == year], units=units, higher_is_better=indicator.higher_is_better
    )

    band_of = {b.year: b for b in band}
    target = scoring.target_for_year(targets, year)
    now = {p.unit_id: p for p in points if p.year == year}
    improved = scoring.most_improved(
        {unit_id: p.value for unit_id, p in now.items()},
        {p.unit_id: p.value for p in points if year is not None and p.year == year - 1},
        indicator.higher_is_better,
        limit=3,
    )
    # (the unit's figure, change, whether either year's figure is demo: the list must say so like every figure)
    demo_units = {p.unit_id for p in points if p.is_demo and year is not None and p.year in (year, year - 1)}
    improved = [(now[i.unit], i, i.unit in demo_units) for i in improved]
    line_rows = [{"year": y, "cells": [one.points.get(y) for one in series], "band": band_of.get(y)} for y in years]
    return IndicatorPage(
        indicator=indicator,
        all_years=all_years,
        ranking_years=ranking_years,
        line_rows=line_rows,
        province=province,
        units=units,
        unit_groups=unit_periods.group_units(units),
        selected=selected,
        years=years,
        year=year,
        include_demo=include_demo,
        measure=measure,
        series=series,
        band=band,
        rankings=rankings,
        sources=sorted({(p.source_code, p.source_title) for p in every_point if p.source_code and not p.is_demo}),
        quoted=[p for p in every_point if p.quote and not p.is_demo],
        shows_demo=any(p.is_demo for p in every_point),
        target=target,
        improved=improved,
        ended=[unit for unit in selected if unit.valid_to and unit.level == AdministrativeUnit.Level.DISTRICT],
        show_successors=show_successors,
        successors=successors,
    )


def indicator_table_values(*, indicator: Indicator, unit_ids: Sequence[int]) -> QuerySet[IndicatorValue]:
    """The queryset behind the indicator page's table, before the page's filters: the chart's units."""
    return (
        IndicatorValue.objects.published()
        .for_indicator(indicator)
        .filter(unit__in=list(unit_ids))
        .select_related("unit", "source")
        .order_by("unit__name", "year")
    )


def area_page(*, area: ReformArea, province: AdministrativeUnit, include_demo: bool) -> dict:
    """One reform area: its indicators with the latest year's median of the units that reported it
    (the communes from 2025, the districts before) and how many reported."""
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
                "units_word": unit_periods.units_of_year_text(year) if year is not None else "",
                "has_demo": any(k == Source.Kind.SYNTHETIC_DEMO for _v, k in latest),
            }
        )
    return {
        "area": area,
        "rows": rows,
        "years": sorted({r["year"] for r in rows if r["year"] is not None}),
        "shows_demo": any(r["has_demo"] for r in rows),
    }


def indicator_list() -> QuerySet[Indicator]:
    """Every indicator with its area, in the areas' order (one query)."""
    return Indicator.objects.select_related("area").order_by("area__order", "order")


def indicator_lookup() -> QuerySet[Indicator]:
    """The indicators an indicator page is looked up in, with the area it shows."""
    return Indicator.objects.select_related("area")
