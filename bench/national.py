"""The benchmark's national size, built from the official registry (issue 13 §7).

All 34 provinces as `load_units --all` loads them (3,321 communes from 01/07/2025; 696 districts and
the 63 provinces before), then demo values the way the site makes them: each unit for the years it
reports in (districts 2019–2024, communes 2025–2026) and the indicators that apply to its level,
with the catalogue padded to 40 synthetic-named indicators as `demo_data --indicators` does. About
430,000 values. Every value is labelled demo (source kind "synthetic demo"), like all demo data.

Used by bench/measure.py; importable without running anything. Needs Django set up.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.db.models import Q

from indicators.models import AdministrativeUnit, Indicator, IndicatorValue
from indicators.selectors.common import province_units_query
from indicators.services import demo as demo_services
from indicators.services.units import load_provinces

# The province with the most communes (168), measured beside the configured one (Tây Ninh, 96), and
# the units of its sample URLs in place of Tây Ninh's: a district with many successors (Cần Giuộc's
# 5; Thủ Đức's 12), two more districts, a commune that is a district's main successor, the province.
LARGEST = "79"
SAME_PLACE = {"80": "79", "807": "769", "805": "785", "806": "783", "28159": "26743"}

DISTRICT_YEARS = range(2019, 2025)
COMMUNE_YEARS = range(2025, 2027)
YEARS = {AdministrativeUnit.Level.DISTRICT: DISTRICT_YEARS, AdministrativeUnit.Level.COMMUNE: COMMUNE_YEARS}


def build(
    *, seed: int = 2024, provinces: Sequence[str] | None = None, indicators: int = 40, years: dict | None = None
) -> dict:
    """Load the provinces (all 34 by default) and give their districts and communes demo values.

    Returns how many units and values were made and how long each step took. A second run adds
    nothing: the loader is idempotent and the demo generator never writes over a value.
    """
    years = years or YEARS
    started = time.perf_counter()
    loaded = load_provinces(list(provinces) if provinces else None)
    units_seconds = time.perf_counter() - started
    if indicators:
        demo_services.ensure_synthetic_indicators(total=indicators)
    catalogue = {level: list(Indicator.objects.for_level(level)) for level in years}
    created = 0
    for result in loaded:
        for level, units in _units_by_level(result.province).items():
            for unit_years, group in _by_reporting_years(units, years[level]).items():
                outcome = demo_services.generate_demo_values(
                    seed=seed, years=unit_years, units=group, indicators=catalogue[level]
                )
                created += outcome.created
    return {
        "provinces": len(loaded),
        "units_seconds": round(units_seconds, 2),
        "demo_seconds": round(time.perf_counter() - started - units_seconds, 2),
        "demo_values_created": created,
    }


def _units_by_level(province: AdministrativeUnit) -> dict[str, list[AdministrativeUnit]]:
    """The districts and the communes the province's pages compare."""
    by_level = defaultdict(list)
    for unit in province_units_query(province).order_by("code", "valid_from"):
        by_level[unit.level].append(unit)
    return by_level


def _by_reporting_years(units: Sequence[AdministrativeUnit], years: range) -> dict[tuple[int, ...], list]:
    """The units grouped by the years among `years` they report in (in force on 31 December): the
    generator is given only those, so no unit gets a figure for a year outside its validity."""
    groups = defaultdict(list)
    for unit in units:
        reported = tuple(year for year in years if unit.reports_in(year))
        if reported:
            groups[reported].append(unit)
    return groups


def invalid_values() -> dict[str, int]:
    """Values a unit could not have: a year it does not report in, or an indicator that does not apply
    to its level. Both must be 0 (a query per year and one per level)."""
    outside = 0
    for year in IndicatorValue.objects.order_by().values_list("year", flat=True).distinct():
        reporting = AdministrativeUnit.objects.reporting_in(year).values("pk")
        outside += IndicatorValue.objects.filter(year=year).exclude(unit__in=reporting).count()
    not_applying = IndicatorValue.objects.filter(
        Q(unit__level="province", indicator__applies_to_province=False)
        | Q(unit__level="district", indicator__applies_to_district=False)
        | Q(unit__level="commune", indicator__applies_to_commune=False)
    ).count()
    return {"outside_validity": outside, "indicator_not_for_level": not_applying}


def in_largest_province(url: str) -> str:
    """The same URL naming Hồ Chí Minh City's units in place of Tây Ninh's (SAME_PLACE): in the path,
    and in `units=` and `unit=` (a code may carry a year, `80@2024`)."""
    parts = urlsplit(url)
    path = "/".join(SAME_PLACE.get(segment, segment) for segment in parts.path.split("/"))
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key in ("units", "unit"):
            codes = [code.split("@") for code in value.split(",")]
            value = ",".join("@".join([SAME_PLACE.get(c[0], c[0]), *c[1:]]) for c in codes)
        query.append((key, value))
    return path + (f"?{urlencode(query, safe=',@')}" if query else "")
