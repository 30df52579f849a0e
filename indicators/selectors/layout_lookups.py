"""What checking a layout file needs of the database (the units of its period, saved name mappings, the
quarters already in), and what its preview page shows, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q

from indicators import permissions
from indicators.imports import periods
from indicators.imports.layout_checking import Context
from indicators.imports.layouts import Layout
from indicators.imports.matching import Candidate, Matcher
from indicators.models import AdministrativeUnit, Indicator, LayoutImport, PeriodFigure, UnitNameMapping
from indicators.selectors.common import localized, province, province_units_query


def imports_province_wide(user) -> bool:
    """Provincial staff (and superusers) import a whole province's rows; a unit admin only their units'."""
    return permissions.sees_all_values(user)


def candidate_units(*, year: int, national: bool = False) -> list[Candidate]:
    """The units a file for `year` may name: those in force on its last day, in the site's province (its
    communes or, before 2025, the districts of the provinces that formed it, and the province itself),
    or in the whole country for the shell command (`national`). One query."""
    if national:
        units = AdministrativeUnit.objects.all()
    else:
        home = province()
        units = AdministrativeUnit.objects.filter(Q(pk__in=province_units_query(home).values("pk")) | Q(pk=home.pk))
    rows = units.reporting_in(year).order_by("code").values_list("pk", "code", "name", "kind", "level", "parent__name")
    return [
        Candidate(pk, code, name, kind, name if level == AdministrativeUnit.Level.PROVINCE else (parent or ""))
        for pk, code, name, kind, level, parent in rows
    ]


def saved_mappings(layout: Layout) -> dict[str, set[int]]:
    """name key -> the units staff mapped it to, for this layout (one query)."""
    found: dict[str, set[int]] = defaultdict(set)
    for name_key, unit_id in UnitNameMapping.objects.filter(layout=layout.code).values_list("name_key", "unit_id"):
        found[name_key].add(unit_id)
    return found


def quarters_in(*, layout: Layout, year: int, period: str) -> dict[tuple[int, str], dict[str, Decimal]]:
    """The other quarters of `year` already confirmed in this layout: (unit id, indicator code) ->
    {quarter: value}, the latest confirmed import winning (one query; nothing for a yearly file)."""
    if period not in periods.QUARTERS:
        return {}
    rows = (
        PeriodFigure.objects.filter(
            layout_import__layout=layout.code,
            layout_import__year=year,
            layout_import__value_import__applied_at__isnull=False,
            period__in=[q for q in periods.QUARTERS if q != period],
        )
        .order_by("layout_import__value_import__applied_at", "pk")
        .values_list("unit_id", "indicator__code", "period", "value")
    )
    found: dict[tuple[int, str], dict[str, Decimal]] = defaultdict(dict)
    for unit_id, code, quarter, value in rows:
        found[(unit_id, code)][quarter] = value
    return dict(found)


def indicators_of(layout: Layout) -> dict[str, Indicator]:
    return {i.code: i for i in Indicator.objects.filter(code__in=layout.indicator_codes)}


def layout_context(*, layout: Layout, year: int, period: str, user=None, national: bool = False) -> Context:
    """Everything imports.layout_checking needs for this file (five queries)."""
    indicators = indicators_of(layout)
    allowed = None if user is None or imports_province_wide(user) else permissions.managed_unit_ids(user)
    return Context(
        layout=layout,
        year=year,
        period=period,
        matcher=Matcher(candidate_units(year=year, national=national), saved_mappings(layout)),
        allowed_unit_ids=allowed,
        names={code: localized(i, "name") for code, i in indicators.items()},
        decimals={code: i.decimals for code, i in indicators.items()},
        quarters=quarters_in(layout=layout, year=year, period=period),
    )


def preview_indicators(layout: Layout) -> list[Indicator]:
    """The indicators the preview's columns show, in the layout's order (one query)."""
    found = indicators_of(layout)
    return [found[code] for code in layout.indicator_codes if code in found]


def recent_layout_imports(*, user, limit: int = 10) -> list[LayoutImport]:
    """The user's latest uploads in a layout, newest first (one query)."""
    return list(
        LayoutImport.objects.filter(value_import__user=user)
        .select_related("value_import")
        .order_by("-value_import__created_at", "-pk")[:limit]
    )
