"""The home page: the province at a glance."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q

from indicators.domain import stats
from indicators.domain.series import Point
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, ReformArea
from indicators.selectors import common, unit_periods


@dataclass
class Headline:
    indicator: Indicator
    median: float | None
    change: float | None
    improved: bool | None
    best: Point | None
    worst: Point | None
    reported: int
    has_demo: bool
    # The year before belongs to other units (the districts, before the communes' first year): no change is shown.
    other_level_before: bool = False


def home_page(*, province: AdministrativeUnit, include_demo: bool) -> dict:
    """The province at a glance: latest year's headline indicators over the units that report for
    it (its communes from 2025, the districts before), the areas, freshness, quotes."""
    values = common.province_values(province=province, include_demo=include_demo)
    freshness = values.aggregate(latest_year=Max("year"), last_change=Max("updated_at"))
    latest = freshness["latest_year"]
    # How many units report for the latest year, and how many of them did, in one query.
    reported_in_latest = Q(values__year=latest, values__in=values)
    coverage = (
        common.province_units_query(province)
        .reporting_in(latest)
        .aggregate(total=Count("pk", distinct=True), reported=Count("pk", filter=reported_in_latest, distinct=True))
        if latest is not None
        else {"total": 0, "reported": 0}
    )
    # The headline indicators the latest year's units report (a commune has no district index score).
    level = unit_periods.level_of_year(latest) if latest is not None else None
    headline_indicators = [
        i
        for i in Indicator.objects.filter(is_headline=True).select_related("area")
        if level is None or i.applies_to(level)
    ]
    other_level_before = latest is not None and unit_periods.level_of_year(latest - 1) != level
    recent = defaultdict(lambda: defaultdict(list))  # indicator id -> year -> points
    if latest is not None:
        for p in common.points_of(values.filter(indicator__in=headline_indicators, year__in=[latest - 1, latest])):
            recent[p.indicator_id][p.year].append(p)
    headlines = []
    for indicator in headline_indicators:
        now = recent[indicator.pk][latest]
        # A median of the communes is not compared with one of the districts the year before.
        before = recent[indicator.pk][latest - 1] if latest and not other_level_before else []
        median = stats.percentile([p.value for p in now], 0.5)
        previous = stats.percentile([p.value for p in before], 0.5)
        order = stats.better_first({p.unit_code: p.value for p in now}, indicator.higher_is_better)
        by_code = {p.unit_code: p for p in now}
        delta = None if median is None or previous is None else median - previous
        headlines.append(
            Headline(
                indicator=indicator,
                median=median,
                change=delta,
                improved=stats.is_improvement(
                    None if delta is None else Decimal(str(delta)), indicator.higher_is_better
                ),
                best=by_code[order[0]] if order and indicator.higher_is_better is not None else None,
                worst=by_code[order[-1]] if order and indicator.higher_is_better is not None else None,
                reported=len(now),
                has_demo=any(p.is_demo for p in [*now, *before]),
                other_level_before=other_level_before,
            )
        )
    areas = list(ReformArea.objects.annotate(indicator_count=Count("indicators")).order_by("order"))
    # Figures quoted from a text: of the units compared and of the provinces that formed this one.
    quoted_units = common.province_units_query(province, levels=list(AdministrativeUnit.Level.values))
    quoted = list(
        IndicatorValue.objects.published()
        .filter(unit__in=quoted_units.values("pk"))
        .without_demo()
        .exclude(quote="")
        .select_related("indicator", "unit", "source")
        .order_by("unit__code", "indicator__area__order", "indicator__order")
    )
    return {
        "province": province,
        "latest_year": latest,
        "last_change": freshness["last_change"],
        "reported": coverage["reported"],
        "unit_count": coverage["total"],
        "units_word": unit_periods.units_of_year_text(latest),
        "headlines": headlines,
        "areas": areas,
        "quoted_values": quoted,
        "shows_demo": any(h.has_demo for h in headlines),
    }
