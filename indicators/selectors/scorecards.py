"""The scorecard: districts × indicators for one year."""

from __future__ import annotations

from collections import defaultdict

from indicators.domain import stats
from indicators.models import AdministrativeUnit, Indicator
from indicators.selectors import common


def scorecard_page(*, province: AdministrativeUnit, year: int | None, include_demo: bool) -> dict:
    """Districts x indicators for one year, each cell coloured by its rank in the better direction."""
    values = common.province_values(province=province, include_demo=include_demo)
    all_years = sorted(values.order_by().values_list("year", flat=True).distinct())
    year = common.shown_year(year, all_years)
    districts = common.province_districts(province=province)
    indicators = list(Indicator.objects.select_related("area"))
    cells = defaultdict(dict)  # indicator id -> unit code -> point
    for p in common.points_of(values.filter(year=year)):
        cells[p.indicator_id][p.unit_code] = p
    rows = []
    for d in districts:
        row = []
        for indicator in indicators:
            row.append(cells[indicator.pk].get(d.code))
        rows.append({"unit": d, "cells": row})
    ranks = {
        i.pk: stats.competition_ranks({c: p.value for c, p in cells[i.pk].items()}, i.higher_is_better)
        for i in indicators
    }
    for row in rows:
        row["cells"] = [
            {
                "point": point,
                "text": common.point_text(point, i) if point else "",
                "rank": ranks[i.pk].get(row["unit"].code) if point else None,
                "band": stats.rank_class(ranks[i.pk].get(row["unit"].code), len(cells[i.pk])) if point else None,
                "indicator": i,
            }
            for i, point in zip(indicators, row["cells"], strict=True)
        ]
    return {
        "year": year,
        "all_years": all_years,
        "indicators": indicators,
        "rows": rows,
        "shows_demo": any(p.is_demo for by_unit in cells.values() for p in by_unit.values()),
    }
