"""Several units side by side over several indicators and years: a district's line ends in 2024, a
commune's begins in 2025."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from indicators.domain.series import Series
from indicators.domain.unit_refs import UnitRef
from indicators.models import AdministrativeUnit, Indicator
from indicators.selectors import common, unit_periods


def compare_page(
    *,
    province: AdministrativeUnit,
    unit_refs: Sequence[UnitRef],
    indicator_codes: Sequence[str],
    year_from: int | None,
    year_to: int | None,
    include_demo: bool,
) -> dict:
    """The chosen units side by side, one small line chart per indicator (four queries: units,
    indicators, values, the catalogue). Raises unit_periods.UnitRefError for a unit that is not compared
    or not in force in the years asked for."""
    units = common.province_units(province=province)
    selected = unit_periods.resolve_unit_refs(unit_refs, units=units, year_from=year_from, year_to=year_to)
    indicators = list(
        Indicator.objects.filter(code__in=indicator_codes)
        if indicator_codes
        else Indicator.objects.filter(is_headline=True)
    )
    values = common.province_values(province=province, include_demo=include_demo).for_years(year_from, year_to)
    if not selected:
        # Nobody chose: two units of the latest year with figures (a year in the range asked for).
        latest = values.order_by("-year").values_list("year", flat=True).first()
        selected = [unit for unit in units if latest is not None and unit.reports_in(latest)][:2]
    points = common.points_of(values.filter(unit__in=[unit.pk for unit in selected], indicator__in=indicators))
    years = sorted({p.year for p in points})
    names = unit_periods.display_names(units)  # two "Huyện Châu Thành": each with its code and period
    blocks = []
    for index, indicator in enumerate(sorted(indicators, key=lambda i: (i.area_id, i.order))):
        by_unit = defaultdict(dict)
        for p in points:
            if p.indicator_id == indicator.pk:
                by_unit[p.unit_id][p.year] = p
        series = [
            Series(u.code, names[u.pk], by_unit.get(u.pk, {}), began=unit_periods.series_start(u, years))
            for u in selected
        ]
        measure = common.measure_of(indicator)
        blocks.append(
            {
                "indicator": indicator,
                "chart_id": f"compare-{index}",
                "measure": measure,
                "rows": [{"year": y, "cells": [s.points.get(y) for s in series]} for y in years],
                "series": series,
                # A commune has no district index score: say so rather than draw an empty line.
                "not_applicable": [u for u in selected if not indicator.applies_to(u.level)],
            }
        )
    return {
        "units": units,
        "unit_groups": unit_periods.group_units(units),
        "selected": selected,
        "indicators": indicators,
        "all_indicators": list(Indicator.objects.select_related("area")),
        "years": years,
        "blocks": blocks,
        "shows_demo": any(p.is_demo for p in points),
    }
