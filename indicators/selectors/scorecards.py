"""The scorecard: the units reporting for one year × indicators, ranked within each ranking group."""

from __future__ import annotations

from collections import defaultdict

from indicators.domain import stats
from indicators.models import AdministrativeUnit, Indicator
from indicators.selectors import common, unit_periods


def scorecard_page(*, province: AdministrativeUnit, year: int | None, include_demo: bool) -> dict:
    """The units that report for one year (the districts to 2024, the communes from 2025) x the
    indicators that apply to them, each cell coloured by its rank in the better direction among the
    units of its group: before 2025 each old province's districts are ranked apart (five queries:
    years, units, indicators, values, plus the province)."""
    values = common.province_values(province=province, include_demo=include_demo)
    all_years = sorted(values.order_by().values_list("year", flat=True).distinct())
    year = common.shown_year(year, all_years)
    units = common.province_units(province=province, year=year) if year is not None else []
    levels = {unit.level for unit in units}
    indicators = [
        i for i in Indicator.objects.select_related("area") if not levels or any(i.applies_to(lv) for lv in levels)
    ]
    cells = defaultdict(dict)  # indicator id -> unit id -> point
    for p in common.points_of(values.filter(year=year)) if year is not None else []:
        cells[p.indicator_id][p.unit_id] = p
    groups = []
    for group in unit_periods.group_units(units):
        ids = {unit.pk for unit in group.units}
        ranks, counts = {}, {}
        for i in indicators:
            in_group = {unit_id: p.value for unit_id, p in cells[i.pk].items() if unit_id in ids}
            ranks[i.pk] = stats.competition_ranks(in_group, i.higher_is_better)
            counts[i.pk] = len(in_group)
        rows = []
        for unit in group.units:
            row = []
            for i in indicators:
                point = cells[i.pk].get(unit.pk)
                rank = ranks[i.pk].get(unit.pk) if point else None
                row.append(
                    {
                        "point": point,
                        "text": common.point_text(point, i) if point else "",
                        "rank": rank,
                        "ranked": counts[i.pk],
                        "band": stats.rank_class(rank, counts[i.pk]) if point else None,
                        "indicator": i,
                    }
                )
            rows.append({"unit": unit, "cells": row})
        groups.append({"group": group, "rows": rows})
    return {
        "year": year,
        "all_years": all_years,
        "indicators": indicators,
        "groups": groups,
        "rows": [row for g in groups for row in g["rows"]],
        "units_word": unit_periods.units_of_year_text(year),
        "shows_demo": any(p.is_demo for by_unit in cells.values() for p in by_unit.values()),
    }
