"""The open-data export's figures."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from indicators.domain.unit_refs import UnitRef
from indicators.models import AdministrativeUnit, IndicatorValue
from indicators.selectors import unit_periods


def export_units(
    *, refs: Sequence[UnitRef], year_from: int | None = None, year_to: int | None = None
) -> tuple[list[AdministrativeUnit], list[str]]:
    """The units `refs` name, and the refs that name no unit at all (one query).

    A bare code names every unit that had it, each for the years it reported ("80": Long An's
    figures to 2024, Tây Ninh's from 2025), as a figure's code names the unit of its year;
    "80@2024" names the one that reported for 2024 only. Raises unit_periods.UnitRefError, naming both
    periods, for a code none of whose units reports within [year_from, year_to].
    """
    codes = sorted({ref.code for ref in refs})
    units = list(AdministrativeUnit.objects.filter(code__in=codes)) if codes else []
    known = {unit.code for unit in units}
    found = []
    for ref in refs:
        if ref.code not in known:
            continue
        same_code = [unit for unit in units if unit.code == ref.code]
        if ref.year is None:
            named = [u for u in same_code if unit_periods.reports_within(u, year_from, year_to)]
            if not named:  # says which years the code's units have
                unit_periods.resolve_unit_refs([ref], units=same_code, year_from=year_from, year_to=year_to)
        else:
            named = unit_periods.resolve_unit_refs([ref], units=same_code, year_from=year_from, year_to=year_to)
        found.extend(unit for unit in named if unit not in found)
    return found, [str(ref) for ref in refs if ref.code not in known]


def export_values(
    *,
    units: Sequence[AdministrativeUnit] = (),
    indicator_codes: Sequence[str] = (),
    year_from: int | None = None,
    year_to: int | None = None,
    include_demo: bool = True,
) -> QuerySet[IndicatorValue]:
    """Approved values for the open-data export, with unit, indicator and source in the same query."""
    return (
        IndicatorValue.objects.published()
        .for_units(units)
        .for_indicators(indicator_codes)
        .for_years(year_from, year_to)
        .without_demo(not include_demo)
        .for_export()
    )
