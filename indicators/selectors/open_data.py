"""The open-data export's figures."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from django.db.models import FloatField, QuerySet
from django.db.models.functions import Cast

from indicators.domain.unit_refs import UnitRef
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, Source, UnitSuccession
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


# The JSON export reads each value's own columns per row, and its unit's, indicator's and source's
# fields once each by id (`export_units_fields`, `export_sources_fields`, `indicators_meta`): at
# national size one indicator is 10,818 rows from 4,017 units, and reading their 11 repeating text
# columns on every row was half the request (PostgreSQL sorting and sending them, psycopg decoding
# them into strings). The value comes as a float, not a Decimal: a number of at most 14 digits is the
# same number as a float, and the JSON writes it as one (`exports.export_number` says how).
VALUE_FIELDS = ("unit_id", "indicator_id", "year", "value", "qualifier", "source_id", "quote", "note")


def export_value_rows(values: QuerySet[IndicatorValue]) -> list[tuple]:
    """`values` (from `export_values`, in its order) as tuples of `VALUE_FIELDS`, in one plain fetch.

    Not through `.iterator()`: its server-side cursor makes PostgreSQL plan for the first rows, and
    it then walked every value in unit order (100–130 ms at national size for one indicator,
    against 26 ms for the plan it picks for all rows). The JSON is built in memory anyway.
    """
    fields = [Cast(name, FloatField()) if name == "value" else name for name in VALUE_FIELDS]
    return list(values.values_list(*fields))


# Past this many ids a lookup reads the whole table instead: 4,103 units at national size take 6 ms
# that way, against 27 ms for an IN list of 4,017 ids (quoting the list and planning it).
LOOKUP_IDS_AT_MOST = 500


def _fields_by_pk(queryset: QuerySet, ids: Iterable[int | None], fields: Sequence[str]) -> dict[int, tuple]:
    ids = {pk for pk in ids if pk is not None}
    if not ids:
        return {}
    if len(ids) <= LOOKUP_IDS_AT_MOST:
        queryset = queryset.filter(pk__in=sorted(ids))
    return {row[0]: row[1:] for row in queryset.order_by().values_list("pk", *fields)}


def export_units_fields(unit_ids: Iterable[int]) -> dict[int, tuple]:
    """id -> (code, valid_from, valid_to, level, name) of these units, and maybe others (one query)."""
    fields = ("code", "valid_from", "valid_to", "level", "name")
    return _fields_by_pk(AdministrativeUnit.objects.all(), unit_ids, fields)


def export_sources_fields(source_ids: Iterable[int | None]) -> dict[int, tuple]:
    """id -> (title, url, kind) of these sources, and maybe others (one query; none for no ids)."""
    return _fields_by_pk(Source.objects.all(), source_ids, ("title", "url", "kind"))


def indicators_meta(indicator_ids: Iterable[int]) -> list[dict]:
    """What a download says about each of its indicators, with its id (one query)."""
    return list(
        Indicator.objects.filter(pk__in=list(indicator_ids))
        .order_by("code")
        .values(
            "pk", "code", "name", "name_en", "unit_kind", "higher_is_better", "decimals", "definition", "definition_en"
        )
    )


# The data package (everything the public may see, in one zip): each table as plain tuples.
PACKAGE_CHUNK = 20_000


def package_indicators() -> list[tuple]:
    return list(
        Indicator.objects.order_by("area__order", "order", "code").values_list(
            "pk",
            "code",
            "name",
            "name_en",
            "area__code",
            "unit_kind",
            "higher_is_better",
            "decimals",
            "min_value",
            "max_value",
            "framework",
            "applies_to_province",
            "applies_to_district",
            "applies_to_commune",
            "definition",
            "definition_en",
            "why_it_matters",
        )
    )


def package_units() -> list[tuple]:
    return list(
        AdministrativeUnit.objects.order_by("pk").values_list(
            "pk", "code", "name", "level", "kind", "parent_id", "valid_from", "valid_to"
        )
    )


def package_sources() -> list[tuple]:
    return list(
        Source.objects.order_by("code").values_list(
            "pk", "code", "title", "publisher", "author", "published_on", "url", "kind"
        )
    )


def package_successions() -> list[tuple]:
    return list(
        UnitSuccession.objects.order_by("date", "predecessor_id", "successor_id").values_list(
            "predecessor_id", "successor_id", "date", "kind", "note"
        )
    )


def package_values(*, chunk: int = PACKAGE_CHUNK) -> Iterator[tuple]:
    """Every approved value as (id, indicator id, unit id, year, value, qualifier, source id, quote,
    note), by id, `chunk` rows per query: each query is a short range scan of the primary key, with
    no server-side cursor held open while the zip streams (420,000 values at national size: 21 queries)."""
    rows = (
        IndicatorValue.objects.published()
        .order_by("pk")
        .values_list("pk", "indicator_id", "unit_id", "year", "value", "qualifier", "source_id", "quote", "note")
    )
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last)[:chunk])
        yield from batch
        if len(batch) < chunk:
            return
        last = batch[-1][0]
