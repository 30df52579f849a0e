"""Lookups for checking an import file, and what a stored preview depends on."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef
from django.utils.translation import get_language

from indicators import imports, permissions
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, Source
from indicators.selectors.common import province, province_units_query


def import_context(*, table, user=None, lock: bool = False) -> imports.ImportContext:
    """The lookups that imports.check_rows needs for this file, in a fixed number of queries.

    `user` None means the shell command's operator, who may import for every unit of any province; a
    user is held to their own units and to the site's province. `lock` (inside a transaction) locks
    the file's units and their existing figures until it ends.
    """
    unit_codes, years = set(), set()
    for _number, row in table.rows:
        unit_codes.add(imports.cell_text(row.get("unit_code")))
        year = imports.cell_year(imports.cell_text(row.get("year")))
        if year is not None:
            years.add(year)
    units: dict[str, list[AdministrativeUnit]] = {}
    unit_rows = AdministrativeUnit.objects.filter(code__in=unit_codes).only(
        "pk", "code", "name", "level", "valid_from", "valid_to"
    )
    values = IndicatorValue.objects.all()
    if lock:
        unit_rows, values = unit_rows.select_for_update(), values.select_for_update(of=("self",))
    province_unit_ids, province_name = None, ""
    home = None if user is None else site_province()
    if home is not None:
        # The site's province's units, marked in the same query: a commune of another province is refused.
        unit_rows = unit_rows.annotate(in_province=Exists(province_units_query(home).filter(pk=OuterRef("pk"))))
        province_name = home.name
    for unit in unit_rows:
        units.setdefault(unit.code, []).append(unit)
    if home is not None:
        province_unit_ids = frozenset(unit.pk for found in units.values() for unit in found if unit.in_province)
    indicators = {i.code: i for i in Indicator.objects.all()}
    sources = {}
    for pk, code, kind, unit_id in Source.objects.values_list("pk", "code", "kind", "unit_id"):
        # Who may cite it: its own unit; everyone for a shared published source (None); else nobody (0).
        owner = unit_id or (None if kind in Source.SHARED_KINDS else 0)
        sources[code] = (pk, kind == Source.Kind.SYNTHETIC_DEMO, owner)
    wanted_years = years | {y - 1 for y in years}
    existing = {}
    unit_ids = [u.pk for found in units.values() for u in found]
    for chunk_start in range(0, len(unit_ids), 500):
        chunk = unit_ids[chunk_start : chunk_start + 500]
        for row in values.filter(unit_id__in=chunk, year__in=wanted_years).values_list(
            "indicator_id", "unit_id", "year", "status", "source__kind", "value"
        ):
            indicator_id, unit_id, year, status, kind, number = row
            is_demo = kind == Source.Kind.SYNTHETIC_DEMO
            existing[(indicator_id, unit_id, year)] = imports.Existing(status, is_demo, number)
    editable = None if user is None else permissions.managed_unit_ids(user)
    return imports.ImportContext(
        units=units,
        indicators=indicators,
        sources=sources,
        editable_unit_ids=editable,
        existing=existing,
        province_unit_ids=province_unit_ids,
        province_name=province_name,
    )


def site_province() -> AdministrativeUnit | None:
    """The province the site is about (settings.CCHC_PROVINCE_CODE), or None before it is loaded."""
    try:
        return province()
    except AdministrativeUnit.DoesNotExist:
        return None


def import_stamp(user) -> str:
    """What a stored import preview depends on: the language, the data version and the user's units.

    Every saved figure, unit, indicator or source bumps the data version (indicators.signals).
    """
    import hashlib

    from indicators.caching import current_data_version

    units = ",".join(str(pk) for pk in sorted(permissions.managed_unit_ids(user)))
    digest = hashlib.sha256(units.encode()).hexdigest()[:16]
    return f"{get_language()}|{current_data_version()[0]}|{digest}"


def with_sample_indicators(summary: imports.ImportSummary) -> imports.ImportSummary:
    """The preview's sample figures with their indicators (for the localized names), in one query."""
    codes = {f.indicator_code for f in summary.sample if f.indicator is None}
    if codes:
        found = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
        for figure in summary.sample:
            figure.indicator = figure.indicator or found.get(figure.indicator_code)
    return summary


def import_template_rows(*, user, year: int) -> list[list]:
    """A template row per indicator of its level for each of the user's units (at most 50), for `year`
    or the unit's nearest year if it did not report for it (a district's last is 2024, a commune's first
    2025): code, indicator, year, an empty value, "exact", and the names to read by (2 queries)."""
    units = list(
        AdministrativeUnit.objects.filter(pk__in=permissions.managed_unit_ids(user)).order_by(
            F("valid_from").desc(nulls_last=True), "code"
        )[:50]
    )
    indicators = list(Indicator.objects.order_by("area__order", "order", "code"))
    exact = IndicatorValue.Qualifier.EXACT.value
    return [
        [unit.code, indicator.code, _template_year(unit, year), "", exact, "", "", "", unit.name, indicator.name]
        for unit in units
        for indicator in indicators
        if indicator.applies_to(unit.level)
    ]


def _template_year(unit: AdministrativeUnit, year: int) -> int:
    first, last = unit.reporting_years
    if last is not None and year > last:
        return last
    if first is not None and year < first:
        return first
    return year
