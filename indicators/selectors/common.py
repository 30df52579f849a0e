"""What every public page reads: the province, the units it compares in any year (the districts of
the provinces that formed it to 30/06/2025, its communes from 01/07/2025), figures as points and
localized names. Which units report for a year, how they are ranked and named, and which unit a
URL's code names: selectors/unit_periods.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from django.conf import settings
from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.utils.translation import get_language

from indicators.domain import stats
from indicators.domain.formatting import UNIT_LABELS, format_figure
from indicators.domain.series import BandYear, Measure, Point
from indicators.domain.text import collation_key
from indicators.models import (
    AdministrativeUnit,
    Indicator,
    IndicatorValue,
    IndicatorValueQuerySet,
    Source,
    UnitSuccession,
)


def by_name(units, *, name=lambda unit: unit.name) -> list:
    """`units` in the Vietnamese alphabet's order of their names, ignoring the type word (Bến Lức,
    Cần Đước, Cần Giuộc, Châu Thành, Đức Hòa …), the earlier period first where a name recurs. The
    database cannot order so: it orders by code point, "Đức Hòa" after "Vĩnh Hưng"."""
    return sorted(units, key=lambda unit: (collation_key(name(unit)), getattr(unit, "valid_from", None) or date.min))


def unknown_codes(*, model: type[AdministrativeUnit] | type[Indicator], codes: Sequence[str]) -> list[str]:
    """The codes among `codes` that name no row of `model` (one query)."""
    if not codes:
        return []
    known = set(model.objects.filter(code__in=codes).values_list("code", flat=True))
    return [code for code in codes if code not in known]


def province(*, code: str | None = None) -> AdministrativeUnit:
    """The province whose units the public pages compare (settings.CCHC_PROVINCE_CODE): the unit
    with that code today, or the latest one ("80" is the new Tây Ninh, not Long An)."""
    return AdministrativeUnit.objects.by_code(code or settings.CCHC_PROVINCE_CODE)


def province_lineage(province: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The province and the provinces merged into it (Tây Ninh: itself, Long An and the former Tây Ninh)."""
    merged = AdministrativeUnit.objects.filter(
        successions__successor=province, level=AdministrativeUnit.Level.PROVINCE
    ).order_by("-successions__is_main", "code")
    return [province, *merged]


def province_units_query(
    province: AdministrativeUnit, *, levels: Sequence[str] | None = None
) -> QuerySet[AdministrativeUnit]:
    """Every unit the public pages compare for the province, in any year: the districts of the
    provinces that formed it (to 30/06/2025) and its own communes (from 01/07/2025).

    With `levels` (an indicator's), only the units of those levels; "province" adds the province
    and the provinces that formed it, for the indicators a province reports as one figure.
    """
    lineage = AdministrativeUnit.objects.filter(
        Q(pk=province.pk) | Q(successions__successor=province, level=AdministrativeUnit.Level.PROVINCE)
    ).values("pk")
    below = [AdministrativeUnit.Level.DISTRICT, AdministrativeUnit.Level.COMMUNE]
    if levels is None:
        return AdministrativeUnit.objects.filter(parent__in=lineage, level__in=below)
    wanted = Q(parent__in=lineage, level__in=[level for level in below if level in levels])
    if AdministrativeUnit.Level.PROVINCE in levels:
        wanted |= Q(pk__in=lineage)
    return AdministrativeUnit.objects.filter(wanted)


def province_units(
    *, province: AdministrativeUnit, year: int | None = None, levels: Sequence[str] | None = None
) -> list[AdministrativeUnit]:
    """The units compared, by name, each with its parent (one query); with `year`, only those that
    report for it (districts to 2024, communes from 2025); with `levels`, only those levels."""
    # Whether the unit's parent is the main province that formed this one (Long An for Tây Ninh):
    # its districts are listed first, without another query for the lineage.
    main_parent = UnitSuccession.objects.filter(predecessor=OuterRef("parent"), successor=province, is_main=True)
    units = (
        province_units_query(province, levels=levels)
        .select_related("parent")
        .annotate(parent_is_main=Exists(main_parent))
    )
    if year is not None:
        units = units.reporting_in(year)
    return by_name(units)


# The name kept for the callers written when the province compared its districts only.
province_districts = province_units


_POINT_FIELDS = (
    "indicator_id",
    "unit_id",
    "unit__code",
    "unit__name",
    "year",
    "value",
    "qualifier",
    "source__kind",
    "source__code",
    "source__title",
    "source__title_en",
    "quote",
)


def points_of(values: QuerySet[IndicatorValue], *, union: QuerySet[IndicatorValue] | None = None) -> list[Point]:
    """Figures as chart points, read as plain tuples: building model instances costs three times more.

    `union` adds a second set of figures in the same query (UNION ALL).
    """
    rows = values.values_list(*_POINT_FIELDS)
    english = get_language() == "en"
    if union is not None:  # SQLite refuses ORDER BY inside a UNION, so the parts go unordered
        rows = rows.order_by().union(union.order_by().values_list(*_POINT_FIELDS), all=True)
    return [
        Point(
            indicator_id=indicator_id,
            unit_id=unit_id,
            unit_code=unit_code,
            unit_name=unit_name,
            year=year,
            value=value,
            qualifier=qualifier,
            is_demo=kind == Source.Kind.SYNTHETIC_DEMO,
            source_code=source_code or "",
            source_title=(english and source_title_en) or source_title or "",
            quote=quote,
        )
        for (
            indicator_id,
            unit_id,
            unit_code,
            unit_name,
            year,
            value,
            qualifier,
            kind,
            source_code,
            source_title,
            source_title_en,
            quote,
        ) in rows
    ]


def measure_of(indicator: Indicator) -> Measure:
    return Measure(
        name=localized(indicator, "name"),
        unit_kind=indicator.unit_kind,
        decimals=indicator.decimals,
        higher_is_better=indicator.higher_is_better,
        unit_label=str(UNIT_LABELS.get(indicator.unit_kind, "")),
    )


def localized(obj, field: str) -> str:
    """The English text of a field when the page is in English and one exists, else the Vietnamese."""
    if get_language() == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


def point_text(point: Point, indicator: Indicator) -> str:
    """A figure as a table shows it: "gần 95%". Done here, not in a template tag, for long tables."""
    return format_figure(
        point.value, unit_kind=indicator.unit_kind, decimals=indicator.decimals, qualifier=point.qualifier
    )


def band_by_year(points: Sequence[Point]) -> list[BandYear]:
    """Median and 25th/75th percentiles of all units, year by year."""
    by_year = defaultdict(list)
    for p in points:
        by_year[p.year].append(float(p.value))
    return [
        BandYear(
            year=year,
            p25=stats.percentile(values, 0.25),
            median=stats.percentile(values, 0.5),
            p75=stats.percentile(values, 0.75),
            count=len(values),
        )
        for year, values in sorted(by_year.items())
    ]


def default_line_units(*, points: Sequence[Point], year: int | None, higher_is_better, count: int = 2) -> list:
    """The best and the worst `count` units in `year` (their ids), for a line chart nobody has configured yet."""
    latest = {p.unit_id: p.value for p in points if p.year == year}
    ordered = stats.better_first(latest, higher_is_better)
    if len(ordered) <= 2 * count:
        return ordered
    return ordered[:count] + ordered[-count:]


def successor_units(*, codes: Sequence[str]) -> list[AdministrativeUnit]:
    """The units that took over from the units with `codes`, other than those units themselves, each
    once with `succeeded_on`, the date of its first succession among them (one query)."""
    return by_name(
        AdministrativeUnit.objects.filter(predecessions__predecessor__code__in=codes)
        .exclude(code__in=codes)
        .annotate(succeeded_on=Min("predecessions__date"))
    )


def successors_of(*, units: Sequence[AdministrativeUnit]) -> list[AdministrativeUnit]:
    """The units that took over from `units` (other than those units themselves), each once with
    `succeeded_on`, the date of its first succession among them, and `is_main_successor`; the main
    successors first (one query)."""
    ids = [unit.pk for unit in units]
    if not ids:
        return []
    main = UnitSuccession.objects.filter(successor=OuterRef("pk"), predecessor__in=ids, is_main=True)
    found = (
        AdministrativeUnit.objects.filter(predecessions__predecessor__in=ids)
        .exclude(pk__in=ids)
        .select_related("parent")
        .annotate(succeeded_on=Min("predecessions__date"), is_main_successor=Exists(main))
    )
    return sorted(by_name(found), key=lambda unit: not unit.is_main_successor)


def province_values(*, province: AdministrativeUnit, include_demo: bool) -> IndicatorValueQuerySet:
    return (
        IndicatorValue.objects.published().filter(unit__in=districts_subquery(province)).without_demo(not include_demo)
    )


def districts_subquery(
    province: AdministrativeUnit, *, levels: Sequence[str] | None = None
) -> QuerySet[AdministrativeUnit]:
    """The province's units as a subquery: `unit IN (...)` lets the database use the value indexes
    on unit, where a join on the unit's parent made it scan every value at national scale."""
    return province_units_query(province, levels=levels).values("pk")


def exists_in(unit: AdministrativeUnit, year: int) -> bool:
    """Whether the unit existed at some time during `year` (its validity dates overlap the year)."""
    return (unit.valid_from is None or unit.valid_from <= date(year, 12, 31)) and (
        unit.valid_to is None or unit.valid_to >= date(year, 1, 1)
    )


def shown_year(year: int | None, years: Sequence[int]) -> int | None:
    """The year a page shows: the one asked for when it has figures, else the latest of `years` (sorted)."""
    if year is None or year not in years:
        return years[-1] if years else None
    return year
