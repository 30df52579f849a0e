"""The home page: the province at a glance."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Q

from indicators.domain import stats, summary
from indicators.domain.formatting import format_figure
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
    # The median rests on a qualified figure ("gần 95%"): it is written with the qualifier.
    median_qualifier: str = summary.EXACT
    # Both years have a median but one rests on a qualified figure, so no change is computed.
    change_not_exact: bool = False
    # Fewer units than summary.MIN_UNITS reported: their own figures are shown instead of a median.
    few: list[Point] = field(default_factory=list)
    # The year before had figures, but from too few units for a median to compare with.
    before_too_few: bool = False

    @property
    def median_text(self) -> str:
        return format_figure(
            self.median,
            unit_kind=self.indicator.unit_kind,
            decimals=self.indicator.decimals,
            qualifier=self.median_qualifier,
        )


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
        current, previous = (summary.summarize(points, indicator.higher_is_better) for points in (now, before))
        change = summary.median_change(current, previous)
        delta = change.delta
        headlines.append(
            Headline(
                indicator=indicator,
                median=current.median,
                median_qualifier=current.median_qualifier,
                change=delta,
                change_not_exact=change.not_exact,
                improved=stats.is_improvement(
                    None if delta is None else Decimal(str(delta)), indicator.higher_is_better
                ),
                best=current.best,
                worst=current.worst,
                reported=current.reported,
                few=sorted(now, key=lambda p: p.unit_name) if current.too_few else [],
                before_too_few=previous.too_few,
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
        "min_units": summary.MIN_UNITS,
    }
