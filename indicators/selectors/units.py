"""A unit's profile page: its figures, what it came from and what it became, and for a province the
units it had in each period."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet, Subquery

from indicators.domain import stats
from indicators.domain.series import Point
from indicators.domain.text import collation_key
from indicators.domain.unit_refs import UnitRef
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue
from indicators.selectors import common, unit_periods


@dataclass
class UnitIndicatorRow:
    indicator: Indicator
    latest: Point | None
    rank: int | None
    ranked: int
    latest_text: str
    trend_text: str
    years: list[int]
    trend: list[Point | None]


def unit_page(*, unit: AdministrativeUnit, include_demo: bool) -> dict:
    """A unit's profile: every indicator of its level with its latest figure, trend and rank among
    its sibling units (same parent and level: a district among its own old province's districts),
    what it came from and what it became, and a province's units by level and period."""
    # What it became: the main successor first (Cần Giuộc district → Xã Cần Giuộc, then four more).
    successions = sorted(
        unit.successions.select_related("successor", "successor__parent"),
        key=lambda s: (not s.is_main, collation_key(s.successor.name)),
    )
    # What it came from: merged provinces before the districts absorbed (levels sort commune <
    # district < province), the main one first.
    predecessions = sorted(
        unit.predecessions.select_related("predecessor", "predecessor__parent"),
        key=lambda s: (not s.is_main, collation_key(s.predecessor.name)),
    )
    predecessions.sort(key=lambda s: s.predecessor.level, reverse=True)  # stable: the order above within a level
    indicators = list(Indicator.objects.for_level(unit.level).select_related("area"))
    # Ranks need the sibling units' figures, but only for the unit's latest year: reading every year of
    # every sibling made this page read thousands of rows at national size.
    own = IndicatorValue.objects.published().filter(unit=unit).without_demo(not include_demo)
    latest_own_year = own.order_by("-year").values("year")[:1]
    siblings = AdministrativeUnit.objects.filter(parent_id=unit.parent_id, level=unit.level).exclude(pk=unit.pk)
    peers = (
        IndicatorValue.objects.published()
        .filter(unit__in=siblings.values("pk") if unit.parent_id else [], year=Subquery(latest_own_year))
        .without_demo(not include_demo)
    )
    # One query: a UNION, because an OR across unit and year keeps PostgreSQL off the indexes.
    sibling_points = common.points_of(own, union=peers)
    rank_year = max((p.year for p in sibling_points if p.unit_id == unit.pk), default=None)
    by_indicator = defaultdict(list)
    for p in sibling_points:
        by_indicator[p.indicator_id].append(p)
    years = sorted({p.year for p in sibling_points if p.unit_id == unit.pk})
    groups = defaultdict(list)
    for indicator in indicators:
        points = by_indicator[indicator.pk]
        own = {p.year: p for p in points if p.unit_id == unit.pk}
        latest = own[max(own)] if own else None
        rank, ranked = None, 0
        if latest is not None and latest.year == rank_year:  # siblings were read for that year only
            same_year = {p.unit_id: p.value for p in points if p.year == latest.year}
            if len(same_year) > 1:  # first of one is no rank
                ranked = len(same_year)
                rank = stats.competition_ranks(same_year, indicator.higher_is_better).get(unit.pk)
        trend = [own.get(y) for y in years]
        trend_text = "; ".join(f"{p.year}: {common.point_text(p, indicator)}" for p in trend if p)
        groups[indicator.area].append(
            UnitIndicatorRow(
                indicator=indicator,
                latest=latest,
                rank=rank,
                ranked=ranked,
                latest_text=common.point_text(latest, indicator) if latest else "",
                trend_text=trend_text,
                years=years,
                trend=trend,
            )
        )
    return {
        "unit": unit,
        "successions": successions,
        "predecessions": predecessions,
        "member_groups": member_groups(unit=unit, predecessions=predecessions),
        # "huyện của Tỉnh Long An": whom a rank is among.
        "rank_among": unit_periods.UnitGroup(parent=unit.parent, level=unit.level).short_label,
        "groups": list(groups.items()),
        "years": years,
        # Every figure of the unit taken from a text, each with its quote (not only the latest).
        "quoted": [
            (indicator, p)
            for indicator in indicators
            for p in sorted(by_indicator[indicator.pk], key=lambda p: p.year)
            if p.unit_id == unit.pk and p.quote and not p.is_demo
        ],
        "shows_demo": any(p.is_demo for points in by_indicator.values() for p in points if p.unit_id == unit.pk),
    }


def member_groups(*, unit: AdministrativeUnit, predecessions) -> list[unit_periods.UnitGroup]:
    """A province's units by level and period (one query; none for other levels): its communes from
    01/07/2025, then each province that formed it, with that province's districts to 30/06/2025."""
    if unit.level != AdministrativeUnit.Level.PROVINCE:
        return []
    formed_from = {s.predecessor_id: s.is_main for s in predecessions if s.predecessor.level == unit.level}
    members = list(
        AdministrativeUnit.objects.filter(parent__in=[unit.pk, *formed_from])
        .exclude(level=AdministrativeUnit.Level.PROVINCE)
        .select_related("parent")
    )
    for member in members:
        member.parent_is_main = formed_from.get(member.parent_id, False)
    return unit_periods.group_units(members)


def compared_by_province(*, unit: AdministrativeUnit, province: AdministrativeUnit) -> bool:
    """Whether the indicator and index pages compare `unit` (one query): one of the province's
    districts (to 2024) or communes (from 2025)."""
    return common.province_units_query(province).filter(pk=unit.pk).exists()


def units_with_code(*, code: str) -> list[AdministrativeUnit]:
    """Every unit with an official code, the latest first ("80": Tây Ninh, then Long An), each with
    its parent (one query)."""
    found = AdministrativeUnit.objects.filter(code=code).select_related("parent")
    return sorted(found, key=lambda unit: (unit.valid_from is not None, unit.valid_from), reverse=True)


def unit_in_year(same_code: list[AdministrativeUnit], *, year: int | None) -> AdministrativeUnit:
    """The unit of `same_code` (units_with_code) that reported for `year`; the latest without one.
    Raises unit_periods.UnitRefError naming every period of the code when none reported for `year`."""
    if year is None:
        return same_code[0]
    for unit in same_code:
        if unit.reports_in(year):
            return unit
    return unit_periods.resolve_unit_refs([UnitRef(same_code[0].code, year)], units=same_code)[0]  # raises


def unit_lookup() -> QuerySet[AdministrativeUnit]:
    """The units a unit page is looked up in, with the parent it links to."""
    return AdministrativeUnit.objects.select_related("parent")
