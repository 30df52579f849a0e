"""Read side: what each page needs, shaped for charts and tables. Keyword-only, typed arguments."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet

from indicators.models import AdministrativeUnit, Indicator, IndicatorValue


def unknown_codes(*, model: type[AdministrativeUnit] | type[Indicator], codes: Sequence[str]) -> list[str]:
    """The codes among `codes` that name no row of `model` (one query)."""
    if not codes:
        return []
    known = set(model.objects.filter(code__in=codes).values_list("code", flat=True))
    return [code for code in codes if code not in known]


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


def home_page() -> dict:
    """The province's units and the figures quoted from texts (non-demo), for the home page."""
    units = list(
        AdministrativeUnit.objects.filter(is_synthetic=False).select_related("parent").order_by("level", "code")
    )
    quoted = list(
        IndicatorValue.objects.published()
        .without_demo()
        .exclude(quote="")
        .select_related("indicator", "unit", "source")
        .order_by("unit__code", "indicator__area__order", "indicator__order")
    )
    return {"units": units, "quoted_values": quoted}
