"""The home page: the province at a glance."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max, Q

from indicators.domain import stats
from indicators.domain.series import Point
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, ReformArea
from indicators.selectors import common


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


def home_page(*, province: AdministrativeUnit, include_demo: bool) -> dict:
    """The province at a glance: latest year's headline indicators, the areas, freshness, quotes."""
    values = common.province_values(province=province, include_demo=include_demo)
    freshness = values.aggregate(latest_year=Max("year"), last_change=Max("updated_at"))
    latest = freshness["latest_year"]
    # How many districts there are, and how many reported in the latest year, in one query.
    reported_in_latest = Q(values__year=latest, values__in=values)
    coverage = (
        AdministrativeUnit.objects.filter(parent=province)
        .districts()
        .aggregate(total=Count("pk", distinct=True), reported=Count("pk", filter=reported_in_latest, distinct=True))
    )
    headline_indicators = list(Indicator.objects.filter(is_headline=True).select_related("area"))
    recent = defaultdict(lambda: defaultdict(list))  # indicator id -> year -> points
    if latest is not None:
        for p in common.points_of(values.filter(indicator__in=headline_indicators, year__in=[latest - 1, latest])):
            recent[p.indicator_id][p.year].append(p)
    headlines = []
    for indicator in headline_indicators:
        now, before = recent[indicator.pk][latest], recent[indicator.pk][latest - 1] if latest else []
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
            )
        )
    areas = list(ReformArea.objects.annotate(indicator_count=Count("indicators")).order_by("order"))
    quoted = list(
        IndicatorValue.objects.published()
        .filter(unit__in=AdministrativeUnit.objects.filter(Q(pk=province.pk) | Q(parent=province)).values("pk"))
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
        "district_count": coverage["total"],
        "headlines": headlines,
        "areas": areas,
        "quoted_values": quoted,
        "shows_demo": any(h.has_demo for h in headlines),
    }
