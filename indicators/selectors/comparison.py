"""Several districts side by side over several indicators."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from indicators.domain.series import Series
from indicators.models import AdministrativeUnit, Indicator
from indicators.selectors import common


def compare_page(
    *,
    province: AdministrativeUnit,
    unit_codes: Sequence[str],
    indicator_codes: Sequence[str],
    year_from: int | None,
    year_to: int | None,
    include_demo: bool,
) -> dict:
    """Several districts side by side over several indicators: one small line chart each."""
    districts = common.province_districts(province=province)
    indicators = list(
        Indicator.objects.filter(code__in=indicator_codes)
        if indicator_codes
        else Indicator.objects.filter(is_headline=True)
    )
    selected = list(unit_codes) or [d.code for d in districts[:2]]
    values = common.points_of(
        common.province_values(province=province, include_demo=include_demo)
        .filter(unit__code__in=selected, indicator__in=indicators)
        .for_years(year_from, year_to)
    )
    names = {d.code: d.name for d in districts}
    years = sorted({p.year for p in values})
    blocks = []
    for index, indicator in enumerate(sorted(indicators, key=lambda i: (i.area_id, i.order))):
        by_unit = defaultdict(dict)
        for p in values:
            if p.indicator_id == indicator.pk:
                by_unit[p.unit_code][p.year] = p
        series = [Series(code, names.get(code, code), by_unit.get(code, {})) for code in selected]
        measure = common.measure_of(indicator)
        blocks.append(
            {
                "indicator": indicator,
                "chart_id": f"compare-{index}",
                "measure": measure,
                "rows": [{"year": y, "cells": [s.points.get(y) for s in series]} for y in years],
                "series": series,
            }
        )
    return {
        "districts": districts,
        "indicators": indicators,
        "all_indicators": list(Indicator.objects.select_related("area")),
        "selected_codes": selected,
        "years": years,
        "blocks": blocks,
        "shows_demo": any(p.is_demo for p in values),
        "known_units": {d.code for d in districts},
    }
