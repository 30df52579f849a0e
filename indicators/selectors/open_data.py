"""The open-data export's figures."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from indicators.models import IndicatorValue


def export_values(
    *,
    unit_codes: Sequence[str] = (),
    indicator_codes: Sequence[str] = (),
    year_from: int | None = None,
    year_to: int | None = None,
    include_demo: bool = True,
) -> QuerySet[IndicatorValue]:
    """Approved values for the open-data export, with unit, indicator and source in the same query."""
    return (
        IndicatorValue.objects.published()
        .for_units(unit_codes)
        .for_indicators(indicator_codes)
        .for_years(year_from, year_to)
        .without_demo(not include_demo)
        .for_export()
    )
