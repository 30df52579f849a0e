"""A unit's profile page."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import QuerySet, Subquery

from indicators.domain import stats
from indicators.domain.series import Point
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue
from indicators.selectors import common


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
    """A unit's profile: every indicator's latest figure, trend and rank among its sibling units."""
    successions = list(unit.successions.select_related("successor"))
    # The merged provinces before the districts absorbed (levels sort commune < district < province).
    predecessions = list(
        unit.predecessions.select_related("predecessor").order_by("-predecessor__level", "predecessor__name")
    )
    indicators = list(Indicator.objects.select_related("area"))
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
    rank_year = max((p.year for p in sibling_points if p.unit_code == unit.code), default=None)
    by_indicator = defaultdict(list)
    for p in sibling_points:
        by_indicator[p.indicator_id].append(p)
    years = sorted({p.year for p in sibling_points if p.unit_code == unit.code})
    groups = defaultdict(list)
    for indicator in indicators:
        points = by_indicator[indicator.pk]
        own = {p.year: p for p in points if p.unit_code == unit.code}
        latest = own[max(own)] if own else None
        rank, ranked = None, 0
        if latest is not None and latest.year == rank_year:  # siblings were read for that year only
            same_year = {p.unit_code: p.value for p in points if p.year == latest.year}
            if len(same_year) > 1:  # first of one is no rank
                ranked = len(same_year)
                rank = stats.competition_ranks(same_year, indicator.higher_is_better).get(unit.code)
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
    # The figures that came from a text, each shown with its quote and source (the trend shows numbers only).
    quoted = [(row.indicator, p) for rows in groups.values() for row in rows for p in row.trend if p and p.quote]
    return {
        "unit": unit,
        "successions": successions,
        "predecessions": predecessions,
        "groups": list(groups.items()),
        "quoted": quoted,
        "years": years,
        "shows_demo": any(p.is_demo for points in by_indicator.values() for p in points if p.unit_code == unit.code),
    }


def unit_lookup() -> QuerySet[AdministrativeUnit]:
    """The units a unit page is looked up in, with the parent it links to."""
    return AdministrativeUnit.objects.select_related("parent")
