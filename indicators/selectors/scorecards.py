"""The scorecard: the units reporting for one year × indicators, ranked within each ranking group."""

from __future__ import annotations

from indicators.domain import stats
from indicators.models import AdministrativeUnit, Indicator, Source
from indicators.selectors import common, unit_periods

# What a cell shows, in this order (presentation/scorecards.py reads them by position).
FIGURE_FIELDS = ("indicator_id", "unit_id", "value", "qualifier", "source__kind")


def scorecard_page(*, province: AdministrativeUnit, year: int | None, include_demo: bool) -> dict:
    """The units that report for one year (the districts to 2024, the communes from 2025) x the
    indicators that apply to them, each cell ranked in the better direction among the units of its
    group: before 2025 each old province's districts are ranked apart (five queries: years, units,
    indicators, values, plus the province).

    `figures` maps indicator id -> unit id -> a FIGURE_FIELDS row; each group is {"group" (its
    units), "ranks": indicator id -> unit id -> rank (none for a neutral indicator), "ranked":
    indicator id -> units of the group with a figure}. presentation/scorecards.py writes the rows.

    Plain values throughout: the page has up to 168 × 49 cells, and a model instance or a dict per
    cell was half of its time."""
    values = common.province_values(province=province, include_demo=include_demo)
    all_years = sorted(values.order_by().values_list("year", flat=True).distinct())
    year = common.shown_year(year, all_years)
    units = common.province_units(province=province, year=year) if year is not None else []
    levels = {unit.level for unit in units}
    indicators = [
        i for i in Indicator.objects.select_related("area") if not levels or any(i.applies_to(lv) for lv in levels)
    ]
    # indicator id -> unit id -> (indicator id, unit id, value, qualifier, source kind): the rows as
    # the database gives them, with no object per cell (8,200 objects were a garbage collection of
    # the whole heap every third page).
    figures: dict[int, dict[int, tuple]] = {i.pk: {} for i in indicators}
    shows_demo = False
    if year is not None:
        demo = Source.Kind.SYNTHETIC_DEMO
        for row in values.filter(year=year).order_by().values_list(*FIGURE_FIELDS):  # any order: by id below
            by_unit = figures.get(row[0])
            if by_unit is not None:
                by_unit[row[1]] = row
            shows_demo = shows_demo or row[4] == demo
    groups = []
    for group in unit_periods.group_units(units):
        ids = {unit.pk for unit in group.units}
        ranks, ranked = {}, {}
        for i in indicators:
            in_group = {unit_id: row[2] for unit_id, row in figures[i.pk].items() if unit_id in ids}
            ranks[i.pk] = stats.competition_ranks(in_group, i.higher_is_better)
            ranked[i.pk] = len(in_group)
        groups.append({"group": group, "ranks": ranks, "ranked": ranked})
    return {
        "year": year,
        "all_years": all_years,
        "indicators": indicators,
        "groups": groups,
        "figures": figures,
        "units_word": unit_periods.units_of_year_text(year),
        "shows_demo": shows_demo,
    }
