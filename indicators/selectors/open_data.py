"""The open-data export's figures."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

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


def _published_values(
    *,
    units: Sequence[AdministrativeUnit] = (),
    indicator_codes: Sequence[str] = (),
    year_from: int | None = None,
    year_to: int | None = None,
    include_demo: bool = True,
) -> QuerySet[IndicatorValue]:
    return (
        IndicatorValue.objects.published()
        .for_units(units)
        .for_indicators(indicator_codes)
        .for_years(year_from, year_to)
        .without_demo(not include_demo)
    )


def export_values(**filters) -> QuerySet[IndicatorValue]:
    """Approved values for the open-data CSV (the filters of `_published_values`), with unit,
    indicator and source in the same query, in the export's order: unit code, unit validity,
    indicator code, year."""
    return _published_values(**filters).for_export()


# The JSON export reads each value's own columns, unordered, and its unit's, indicator's and source's
# fields once each by id; it then puts the rows in the export's order from the ranks the database
# gives the units and the indicators. At national size one indicator is 10,818 rows from 4,017 units:
# reading their 11 repeating text columns on every row was half the request (PostgreSQL sorting and
# sending them, psycopg decoding them), and PostgreSQL's sort of the joined rows by the units' codes
# a third of what was left. The value comes as a float, not a Decimal (see exports.JsonRows).
VALUE_FIELDS = ("unit_id", "indicator_id", "year", "value", "qualifier", "source_id", "quote", "note")


class _AsFloat(Cast):
    """A column cast to a float, with no converter: the drivers give a float already, and Django's
    float() of each of 10,818 values took 5–10 ms."""

    def __init__(self, expression):
        super().__init__(expression, FloatField())

    @property
    def convert_value(self):
        return self._convert_value_noop


@dataclass
class JsonExport:
    rows: list[tuple]  # of VALUE_FIELDS, in the export's order
    units: dict[int, tuple]  # id -> (code, valid_from, valid_to, level, name)
    indicators: list[dict]  # by code: what the download says of each (indicators_meta)
    sources: dict[int, tuple]  # id -> (title, url, kind)


def json_export(**filters) -> JsonExport:
    """Approved values for the open-data JSON (the filters of `_published_values`), in the CSV's
    order, and what they refer to (at most 4 queries, whatever the number of values).

    The values in one plain fetch, not through `.iterator()`: its server-side cursor makes PostgreSQL
    plan for the first rows, and it then walked every value in unit order (100–130 ms at national
    size for one indicator, against 26 ms for the plan it picks for all rows).
    """
    fields = [_AsFloat(name) if name == "value" else name for name in VALUE_FIELDS]
    rows = list(_published_values(**filters).order_by().values_list(*fields))
    units = _fields_by_pk(
        AdministrativeUnit.objects.order_by("code", "valid_from"),
        {row[0] for row in rows},
        ("code", "valid_from", "valid_to", "level", "name"),
    )
    indicators = indicators_meta({row[1] for row in rows})
    # The order of ORDER BY unit code, unit valid_from, indicator code, year, as the database
    # collates and places nulls: these ranks come from its own ORDER BY of the same columns.
    unit_rank = {pk: rank for rank, pk in enumerate(units)}
    indicator_rank = {row["pk"]: rank for rank, row in enumerate(indicators)}
    rows.sort(key=lambda row: (unit_rank[row[0]], indicator_rank[row[1]], row[2]))
    sources = _fields_by_pk(Source.objects.order_by(), {row[5] for row in rows}, ("title", "url", "kind"))
    return JsonExport(rows=rows, units=units, indicators=indicators, sources=sources)


# Past this many ids a lookup reads the whole table instead: 4,103 units at national size take 6 ms
# that way, against 27 ms for an IN list of 4,017 ids (quoting the list and planning it).
LOOKUP_IDS_AT_MOST = 500


def _fields_by_pk(queryset: QuerySet, ids: set, fields: Sequence[str]) -> dict[int, tuple]:
    """id -> `fields` of the rows of `queryset` with these ids, and maybe others, in its order (one
    query; none for no ids)."""
    ids.discard(None)
    if not ids:
        return {}
    if len(ids) <= LOOKUP_IDS_AT_MOST:
        queryset = queryset.filter(pk__in=sorted(ids))
    return {row[0]: row[1:] for row in queryset.values_list("pk", *fields)}


def indicators_meta(indicator_ids: Iterable[int]) -> list[dict]:
    """What a download says about each of its indicators, with its id, by code (one query)."""
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
            "predecessor_id", "successor_id", "date", "kind", "note", "note_en"
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
