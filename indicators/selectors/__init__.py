"""Read side: what each page needs, shaped for charts and tables. Keyword-only, typed arguments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from itertools import pairwise

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators import imports, permissions
from indicators.domain import scoring, stats
from indicators.domain.formatting import UNIT_LABELS, format_figure
from indicators.models import (
    YEAR_MAX,
    YEAR_MIN,
    AdministrativeUnit,
    Indicator,
    IndicatorValue,
    IndicatorValueQuerySet,
    ReformArea,
    Source,
)
from indicators.presentation import charts


def unknown_codes(*, model: type[AdministrativeUnit] | type[Indicator], codes: Sequence[str]) -> list[str]:
    """The codes among `codes` that name no row of `model` (one query)."""
    if not codes:
        return []
    known = set(model.objects.filter(code__in=codes).values_list("code", flat=True))
    return [code for code in codes if code not in known]


def export_values(
    *,
    unit_codes: Sequence[str] = (),
    indicator_codes: Sequence[str] = (),
    year_from: int | None = None,
    year_to: int | None = None,
    include_demo: bool = True,
) -> QuerySet[IndicatorValue]:
    """Approved values for the open-data export, with unit, indicator and source in the same query."""
    return (
        IndicatorValue.objects.published()
        .for_units(unit_codes)
        .for_indicators(indicator_codes)
        .for_years(year_from, year_to)
        .without_demo(not include_demo)
        .for_export()
    )


# --- Public pages -----------------------------------------------------------------------------


def province(*, code: str | None = None) -> AdministrativeUnit:
    """The province whose districts the public pages compare (settings.CCHC_PROVINCE_CODE)."""
    return AdministrativeUnit.objects.get(code=code or settings.CCHC_PROVINCE_CODE)


def province_districts(*, province: AdministrativeUnit) -> list[AdministrativeUnit]:
    return list(AdministrativeUnit.objects.filter(parent=province).districts().order_by("name"))


_POINT_FIELDS = (
    "indicator_id",
    "unit__code",
    "unit__name",
    "year",
    "value",
    "qualifier",
    "source__kind",
    "source__code",
    "source__title",
    "quote",
)


def points_of(values: QuerySet[IndicatorValue], *, union: QuerySet[IndicatorValue] | None = None) -> list[charts.Point]:
    """Figures as chart points, read as plain tuples: building model instances costs three times more.

    `union` adds a second set of figures in the same query (UNION ALL).
    """
    rows = values.values_list(*_POINT_FIELDS)
    if union is not None:  # SQLite refuses ORDER BY inside a UNION, so the parts go unordered
        rows = rows.order_by().union(union.order_by().values_list(*_POINT_FIELDS), all=True)
    return [
        charts.Point(
            indicator_id=indicator_id,
            unit_code=unit_code,
            unit_name=unit_name,
            year=year,
            value=value,
            qualifier=qualifier,
            is_demo=kind == Source.Kind.SYNTHETIC_DEMO,
            source_code=source_code or "",
            source_title=source_title or "",
            quote=quote,
        )
        for indicator_id, unit_code, unit_name, year, value, qualifier, kind, source_code, source_title, quote in rows
    ]


def measure_of(indicator: Indicator) -> charts.Measure:
    return charts.Measure(
        name=localized(indicator, "name"),
        unit_kind=indicator.unit_kind,
        decimals=indicator.decimals,
        higher_is_better=indicator.higher_is_better,
        unit_label=str(UNIT_LABELS.get(indicator.unit_kind, "")),
    )


def localized(obj, field: str) -> str:
    """The English text of a field when the page is in English and one exists, else the Vietnamese."""
    if get_language() == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


def point_text(point: charts.Point, indicator: Indicator) -> str:
    """A figure as a table shows it: "gần 95%". Done here, not in a template tag, for long tables."""
    return format_figure(
        point.value, unit_kind=indicator.unit_kind, decimals=indicator.decimals, qualifier=point.qualifier
    )


def band_by_year(points: Sequence[charts.Point]) -> list[charts.BandYear]:
    """Median and 25th/75th percentiles of all units, year by year."""
    by_year = defaultdict(list)
    for p in points:
        by_year[p.year].append(float(p.value))
    return [
        charts.BandYear(
            year=year,
            p25=stats.percentile(values, 0.25),
            median=stats.percentile(values, 0.5),
            p75=stats.percentile(values, 0.75),
            count=len(values),
        )
        for year, values in sorted(by_year.items())
    ]


def default_line_units(*, points: Sequence[charts.Point], year: int | None, higher_is_better, count: int = 2) -> list:
    """The best and the worst `count` units in `year`, for a line chart nobody has configured yet."""
    latest = {p.unit_code: p.value for p in points if p.year == year}
    ordered = stats.better_first(latest, higher_is_better)
    if len(ordered) <= 2 * count:
        return ordered
    return ordered[:count] + ordered[-count:]


@dataclass
class IndicatorPage:
    indicator: Indicator
    province: AdministrativeUnit
    districts: list[AdministrativeUnit]
    selected_codes: list[str]
    all_years: list[int]
    years: list[int]
    line_rows: list[dict]
    year: int | None
    include_demo: bool
    line_figure: dict
    bar_figure: dict
    series: list[charts.Series]
    band: list[charts.BandYear]
    ranking: list[tuple[int | None, charts.Point]]
    sources: list[tuple[str, str]]
    quoted: list[charts.Point]
    shows_demo: bool
    # Issue 7: the target for the ranking year, and who improved most since the year before.
    target: charts.TargetLine | None = None
    improved: list[tuple[str, scoring.Improvement, bool]] = field(default_factory=list)  # (name, change, demo)
    # The 2025 reorganisation: the years a ranking can be drawn for (the districts' years), the
    # chosen districts that have ended, and, when asked for, the units that took over from them.
    ranking_years: list[int] = field(default_factory=list)
    ended: list[AdministrativeUnit] = field(default_factory=list)
    show_successors: bool = False
    successors: list[AdministrativeUnit] = field(default_factory=list)

    @property
    def successor_series(self) -> list[charts.Series]:
        """The new units' series that have figures in the years shown."""
        return [one for one in self.series if one.began]

    @property
    def successor_codes(self) -> list[str]:
        return [one.unit_code for one in self.successor_series]


def successor_units(*, codes: Sequence[str]) -> list[AdministrativeUnit]:
    """The units that took over from the units with `codes`, other than those units themselves, each
    once with `succeeded_on`, the date of its first succession among them (one query)."""
    return list(
        AdministrativeUnit.objects.filter(predecessions__predecessor__code__in=codes)
        .exclude(code__in=codes)
        .annotate(succeeded_on=Min("predecessions__date"))
        .order_by("name")
    )


def indicator_page(
    *,
    indicator: Indicator,
    province: AdministrativeUnit,
    unit_codes: Sequence[str],
    year_from: int | None,
    year_to: int | None,
    year: int | None,
    include_demo: bool,
    source_url: str,
    targets: Sequence[charts.TargetLine] = (),
    events: Sequence[charts.EventMark] = (),
    show_successors: bool = False,
) -> IndicatorPage:
    """Everything /indicators/<code>/ draws: one query for the districts, one for all their values,
    and with `show_successors` two more for the units that took over from the chosen districts."""
    districts = province_districts(province=province)
    values = IndicatorValue.objects.published().for_indicator(indicator).without_demo(not include_demo)
    every_year = points_of(values.filter(unit__in=districts_subquery(province)))
    # All years are read (a province has few) so the year pickers can offer every year with data.
    ranking_years = sorted({p.year for p in every_year})

    def in_range(points):
        return [p for p in points if (year_from or p.year) <= p.year <= (year_to or p.year)]

    points = in_range(every_year)
    district_years = sorted({p.year for p in points})
    if year is None or year not in district_years:
        year = district_years[-1] if district_years else None
    # Nobody chose: the best and worst of the year ranked, or of the latest year at all when the range
    # holds no district figure (years after 2025: the new units' series are then the chart).
    selected = list(unit_codes) or default_line_units(
        points=points or every_year,
        year=year if points else (ranking_years[-1] if ranking_years else None),
        higher_is_better=indicator.higher_is_better,
    )
    names = {d.code: d.name for d in districts}
    by_unit = defaultdict(dict)
    for p in points:
        by_unit[p.unit_code][p.year] = p
    series = [charts.Series(code, names.get(code, code), by_unit.get(code, {})) for code in selected]

    # The new units' figures are separate series: another unit (often another level), never joined
    # to a district's line, and left out of the districts' band, ranking and median.
    successors = successor_units(codes=selected) if show_successors else []
    every_successor_year = points_of(values.filter(unit__in=[unit.pk for unit in successors])) if successors else []
    successor_points = in_range(every_successor_year)
    for unit in successors:
        unit_points = {p.year: p for p in successor_points if p.unit_code == unit.code}
        if unit_points:
            series.append(charts.Series(unit.code, unit.name, unit_points, began=unit.succeeded_on))
    years = sorted({*district_years, *(p.year for p in successor_points)})
    all_years = sorted({*ranking_years, *(p.year for p in every_successor_year)})

    band = band_by_year(points)
    measure = measure_of(indicator)

    year_points = {p.unit_code: p for p in points if p.year == year}
    order = stats.better_first({code: p.value for code, p in year_points.items()}, indicator.higher_is_better)
    ranks = stats.competition_ranks({code: p.value for code, p in year_points.items()}, indicator.higher_is_better)
    ranking = [(ranks.get(code), year_points[code]) for code in order]

    line_title = _("%(indicator)s: các huyện qua các năm") % {"indicator": measure.name}
    bar_title = _("Xếp hạng năm %(year)s (%(direction)s)") % {
        "year": year,
        "direction": charts.direction_text(indicator.higher_is_better),
    }
    band_of = {b.year: b for b in band}
    target = scoring.target_for_year(targets, year)
    improved = scoring.most_improved(
        {p.unit_code: p.value for p in points if p.year == year},
        {p.unit_code: p.value for p in points if year is not None and p.year == year - 1},
        indicator.higher_is_better,
        limit=3,
    )
    # (name, change, whether either year's figure is demo: the list must say so like every figure)
    demo_units = {p.unit_code for p in points if p.is_demo and year is not None and p.year in (year, year - 1)}
    improved = [(names.get(i.unit, i.unit), i, i.unit in demo_units) for i in improved]
    line_rows = [{"year": y, "cells": [one.points.get(y) for one in series], "band": band_of.get(y)} for y in years]
    shown = [*points, *successor_points]
    return IndicatorPage(
        indicator=indicator,
        all_years=all_years,
        ranking_years=ranking_years,
        line_rows=line_rows,
        province=province,
        districts=districts,
        selected_codes=selected,
        years=years,
        year=year,
        include_demo=include_demo,
        line_figure=charts.line_chart(
            title=line_title,
            measure=measure,
            years=years,
            series=series,
            band=band,
            source_url=source_url,
            target=target,
            events=events,
        ),
        bar_figure=charts.ranking_bar(
            title=bar_title, measure=measure, points=[p for _, p in ranking], highlighted=selected, target=target
        ),
        series=series,
        band=band,
        ranking=ranking,
        sources=sorted({(p.source_code, p.source_title) for p in shown if p.source_code and not p.is_demo}),
        quoted=[p for p in shown if p.quote and not p.is_demo],
        shows_demo=any(p.is_demo for p in shown),
        target=target,
        improved=improved,
        ended=[d for d in districts if d.code in selected and d.valid_to],
        show_successors=show_successors,
        successors=successors,
    )


def indicator_table_values(
    *, indicator: Indicator, province: AdministrativeUnit, also: Sequence[str] = ()
) -> QuerySet[IndicatorValue]:
    """The queryset behind the indicator page's table, before the page's filters: the province's
    districts, and the units with codes `also` (the new units the chart shows beside them)."""
    units = Q(unit__in=districts_subquery(province))
    if also:
        units |= Q(unit__code__in=also)
    return (
        IndicatorValue.objects.published()
        .for_indicator(indicator)
        .filter(units)
        .select_related("unit", "source")
        .order_by("unit__name", "year")
    )


def _province_values(*, province: AdministrativeUnit, include_demo: bool) -> IndicatorValueQuerySet:
    return (
        IndicatorValue.objects.published().filter(unit__in=districts_subquery(province)).without_demo(not include_demo)
    )


def districts_subquery(province: AdministrativeUnit) -> QuerySet[AdministrativeUnit]:
    """The province's districts as a subquery: `unit IN (...)` lets the database use the value indexes
    on unit, where a join on the unit's parent made it scan every value at national scale."""
    return AdministrativeUnit.objects.filter(parent=province).districts().values("pk")


@dataclass
class Headline:
    indicator: Indicator
    median: float | None
    change: float | None
    improved: bool | None
    best: charts.Point | None
    worst: charts.Point | None
    reported: int
    has_demo: bool


def home_page(*, province: AdministrativeUnit, include_demo: bool) -> dict:
    """The province at a glance: latest year's headline indicators, the areas, freshness, quotes."""
    values = _province_values(province=province, include_demo=include_demo)
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
        for p in points_of(values.filter(indicator__in=headline_indicators, year__in=[latest - 1, latest])):
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


@dataclass
class UnitIndicatorRow:
    indicator: Indicator
    latest: charts.Point | None
    rank: int | None
    ranked: int
    sparkline: str
    latest_text: str
    trend_text: str
    years: list[int]
    trend: list[charts.Point | None]


def sparkline_points(values: Sequence[float | None], *, width: int = 120, height: int = 28) -> str:
    """SVG polyline points for a sparkline; a gap splits the line into separate runs ("|")."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = width / max(1, len(values) - 1)
    runs, run = [], []
    for index, value in enumerate(values):
        if value is None:
            if run:
                runs.append(run)
            run = []
            continue
        y = height - 2 - (value - low) / span * (height - 4)
        run.append(f"{index * step:.1f},{y:.1f}")
    if run:
        runs.append(run)
    return "|".join(" ".join(r) for r in runs)


@dataclass(frozen=True)
class SparklineEvent:
    x: float
    event: charts.EventMark


def sparkline_events(
    events: Sequence[charts.EventMark], years: Sequence[int], *, width: int = 120
) -> list[SparklineEvent]:
    """Where the events that fall between the first and the last year sit on the sparklines, whose
    points are the `years` evenly spaced (the same scale as sparkline_points)."""
    if len(years) < 2:
        return []
    step = width / (len(years) - 1)
    marks = []
    for event in events:
        position = scoring.year_position(event.date)
        for index, (year, following) in enumerate(pairwise(years)):
            if year <= position < following:
                marks.append(SparklineEvent(round((index + (position - year) / (following - year)) * step, 1), event))
                break
    return marks


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
    sibling_points = points_of(own, union=peers)
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
        trend_text = "; ".join(f"{p.year}: {point_text(p, indicator)}" for p in trend if p)
        groups[indicator.area].append(
            UnitIndicatorRow(
                indicator=indicator,
                latest=latest,
                rank=rank,
                ranked=ranked,
                sparkline=sparkline_points([float(p.value) if p else None for p in trend]),
                latest_text=point_text(latest, indicator) if latest else "",
                trend_text=trend_text,
                years=years,
                trend=trend,
            )
        )
    return {
        "unit": unit,
        "successions": successions,
        "predecessions": predecessions,
        "groups": list(groups.items()),
        "years": years,
        "shows_demo": any(p.is_demo for points in by_indicator.values() for p in points if p.unit_code == unit.code),
    }


def compare_page(
    *,
    province: AdministrativeUnit,
    unit_codes: Sequence[str],
    indicator_codes: Sequence[str],
    year_from: int | None,
    year_to: int | None,
    include_demo: bool,
    events: Sequence[charts.EventMark] = (),
) -> dict:
    """Several districts side by side over several indicators: one small line chart each."""
    districts = province_districts(province=province)
    indicators = list(
        Indicator.objects.filter(code__in=indicator_codes)
        if indicator_codes
        else Indicator.objects.filter(is_headline=True)
    )
    selected = list(unit_codes) or [d.code for d in districts[:2]]
    values = points_of(
        _province_values(province=province, include_demo=include_demo)
        .filter(unit__code__in=selected, indicator__in=indicators)
        .for_years(year_from, year_to)
    )
    names = {d.code: d.name for d in districts}
    years = sorted({p.year for p in values})
    blocks = []
    for index, indicator in enumerate(sorted(indicators, key=lambda i: (i.area_id, i.order))):
        by_unit = defaultdict(dict)
        for p in values:
            if p.indicator_id == indicator.pk:
                by_unit[p.unit_code][p.year] = p
        series = [charts.Series(code, names.get(code, code), by_unit.get(code, {})) for code in selected]
        measure = measure_of(indicator)
        blocks.append(
            {
                "indicator": indicator,
                "chart_id": f"compare-{index}",
                "figure": charts.line_chart(
                    title=measure.name, measure=measure, years=years, series=series, band=[], events=events
                ),
                "rows": [{"year": y, "cells": [s.points.get(y) for s in series]} for y in years],
                "series": series,
            }
        )
    return {
        "districts": districts,
        "indicators": indicators,
        "all_indicators": list(Indicator.objects.select_related("area")),
        "selected_codes": selected,
        "years": years,
        "blocks": blocks,
        "shows_demo": any(p.is_demo for p in values),
        "known_units": {d.code for d in districts},
    }


def area_page(*, area: ReformArea, province: AdministrativeUnit, include_demo: bool) -> dict:
    """One reform area: its indicators with the latest provincial median and how many reported."""
    indicators = list(area.indicators.all())
    values = list(
        _province_values(province=province, include_demo=include_demo)
        .filter(indicator__area=area)
        .values_list("indicator_id", "year", "value", "source__kind")
    )
    latest_year = {}
    for indicator_id, year, _value, _kind in values:
        latest_year[indicator_id] = max(year, latest_year.get(indicator_id, year))
    rows = []
    for indicator in indicators:
        year = latest_year.get(indicator.pk)
        latest = [(v, k) for i, y, v, k in values if i == indicator.pk and y == year]
        rows.append(
            {
                "indicator": indicator,
                "year": year,
                "median": stats.percentile([v for v, _k in latest], 0.5),
                "reported": len(latest),
                "has_demo": any(k == Source.Kind.SYNTHETIC_DEMO for _v, k in latest),
            }
        )
    return {"area": area, "rows": rows, "shows_demo": any(r["has_demo"] for r in rows)}


def scorecard_page(*, province: AdministrativeUnit, year: int | None, include_demo: bool) -> dict:
    """Districts x indicators for one year, each cell coloured by its rank in the better direction."""
    values = _province_values(province=province, include_demo=include_demo)
    all_years = sorted(values.order_by().values_list("year", flat=True).distinct())
    if year is None or year not in all_years:
        year = all_years[-1] if all_years else None
    districts = province_districts(province=province)
    indicators = list(Indicator.objects.select_related("area"))
    cells = defaultdict(dict)  # indicator id -> unit code -> point
    for p in points_of(values.filter(year=year)):
        cells[p.indicator_id][p.unit_code] = p
    rows = []
    for d in districts:
        row = []
        for indicator in indicators:
            row.append(cells[indicator.pk].get(d.code))
        rows.append({"unit": d, "cells": row})
    ranks = {
        i.pk: stats.competition_ranks({c: p.value for c, p in cells[i.pk].items()}, i.higher_is_better)
        for i in indicators
    }
    for row in rows:
        row["cells"] = [
            {
                "point": point,
                "text": point_text(point, i) if point else "",
                "rank": ranks[i.pk].get(row["unit"].code) if point else None,
                "band": stats.rank_class(ranks[i.pk].get(row["unit"].code), len(cells[i.pk])) if point else None,
                "indicator": i,
            }
            for i, point in zip(indicators, row["cells"], strict=True)
        ]
    return {
        "year": year,
        "all_years": all_years,
        "indicators": indicators,
        "rows": rows,
        "shows_demo": any(p.is_demo for by_unit in cells.values() for p in by_unit.values()),
    }


def source_page(*, source: Source) -> dict:
    """A source and the approved figures that cite it."""
    figures = list(
        source.values.published().select_related("indicator", "unit").order_by("unit__code", "indicator__order")[:500]
    )
    return {"source": source, "figures": figures}


# --- Entry and review (issue 4) ----------------------------------------------------------------

ENTRY_UNITS_PER_PAGE = 20
OVERALL_ORDER = ("returned", "draft", "submitted", "approved")


def entry_years(unit: AdministrativeUnit, *, today: date | None = None) -> list[int]:
    """The years a unit's figures may be entered for, newest first: from ENTRY_FIRST_YEAR to this
    year, within the unit's validity (Long An's districts end in 2025)."""
    today = today or timezone.localdate()
    first = max(settings.ENTRY_FIRST_YEAR, unit.valid_from.year if unit.valid_from else YEAR_MIN)
    last = min(today.year, unit.valid_to.year if unit.valid_to else YEAR_MAX)
    return list(range(last, first - 1, -1))


@dataclass
class UnitYearStatus:
    unit: AdministrativeUnit
    year: int
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    demo: int = 0
    last_change: datetime | None = None
    last_changed_by: str = ""

    @property
    def entered(self) -> int:
        return sum(self.counts.values())

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        return [(IndicatorValue.Status(s).label, self.counts[s]) for s in OVERALL_ORDER if self.counts.get(s)]

    @property
    def overall(self) -> str:
        """The status that needs attention first; "empty" when nothing real has been entered."""
        for status in OVERALL_ORDER:
            if self.counts.get(status):
                return status
        return "empty"


def entry_overview(*, user, page: int | str | None = 1) -> dict:
    """The user's units × years with completeness, statuses and the last change, one page of units.

    Queries: the page of units (with a count), the number of indicators, and one for all the values
    of those units; so the count does not grow with units or years.
    """
    units = AdministrativeUnit.objects.filter(pk__in=permissions.managed_unit_ids(user)).order_by("code")
    page_obj = Paginator(units, ENTRY_UNITS_PER_PAGE).get_page(page)
    page_units = list(page_obj.object_list)
    total = Indicator.objects.count()
    rows = {}
    for unit in page_units:
        for year in entry_years(unit):
            rows[(unit.pk, year)] = UnitYearStatus(unit=unit, year=year, total=total)
    first_year = min((y for _u, y in rows), default=YEAR_MAX)
    values = IndicatorValue.objects.filter(unit__in=page_units, year__gte=first_year).values_list(
        "unit_id", "year", "status", "source__kind", "updated_at", "updated_by__username"
    )
    for unit_id, year, status, source_kind, updated_at, username in values:
        row = rows.get((unit_id, year))
        if row is None:
            continue
        if source_kind == Source.Kind.SYNTHETIC_DEMO:
            row.demo += 1
            continue
        row.counts[status] = row.counts.get(status, 0) + 1
        if row.last_change is None or updated_at > row.last_change:
            row.last_change, row.last_changed_by = updated_at, username or ""
    return {"page_obj": page_obj, "rows": list(rows.values()), "indicator_count": total}


@dataclass
class EntryLine:
    """One indicator on the yearly form: the stored value (if any) and last year's."""

    indicator: Indicator
    current: IndicatorValue | None
    previous: IndicatorValue | None


def entry_form_data(*, unit: AdministrativeUnit, year: int) -> dict:
    """Every indicator with this year's and last year's value of the unit (three queries)."""
    indicators = list(Indicator.objects.select_related("area").order_by("area__order", "order", "code"))
    by_id = {i.pk: i for i in indicators}
    current, previous = {}, {}
    for value in IndicatorValue.objects.filter(unit=unit, year__in=(year, year - 1)).select_related(
        "source", "updated_by"
    ):
        value.indicator = by_id[value.indicator_id]  # already loaded: no query per value
        value.unit = unit
        (current if value.year == year else previous)[value.indicator_id] = value
    sources = list(Source.objects.citable_for(unit).order_by("title"))
    lines = [EntryLine(indicator=i, current=current.get(i.pk), previous=previous.get(i.pk)) for i in indicators]
    return {"lines": lines, "sources": sources}


def review_queue() -> list[dict]:
    """Unit-years with figures waiting for review, oldest change first (one query)."""
    return list(
        IndicatorValue.objects.filter(status=IndicatorValue.Status.SUBMITTED)
        .values("unit__code", "unit__name", "year")
        .annotate(count=Count("id"), last_change=Max("updated_at"))
        .order_by("last_change", "unit__code", "year")
    )


@dataclass
class ReviewLine:
    indicator: Indicator
    current: IndicatorValue | None
    last_approved: dict | None  # the latest approved historical version: value, qualifier, date
    by_year: dict[int, IndicatorValue]


def review_unit_year(*, unit: AdministrativeUnit, year: int) -> dict:
    """One unit-year for review: each indicator's value, its last approved version, and the unit's other
    years (three queries: indicators, all the unit's values, the approved history of this year's values).
    """
    indicators = list(Indicator.objects.select_related("area").order_by("area__order", "order", "code"))
    by_indicator: dict[int, dict[int, IndicatorValue]] = {}
    years = set()
    by_id = {i.pk: i for i in indicators}
    for value in IndicatorValue.objects.filter(unit=unit).select_related("source", "updated_by"):
        value.indicator = by_id[value.indicator_id]
        value.unit = unit
        by_indicator.setdefault(value.indicator_id, {})[value.year] = value
        years.add(value.year)
    current_ids = [v[year].pk for v in by_indicator.values() if year in v]
    approved = {}
    for record in (
        IndicatorValue.history.filter(id__in=current_ids, status=IndicatorValue.Status.APPROVED)
        .order_by("id", "-history_date", "-history_id")
        .values("id", "value", "qualifier", "history_date")
    ):
        approved.setdefault(record["id"], record)
    lines = []
    for indicator in indicators:
        values = by_indicator.get(indicator.pk, {})
        current = values.get(year)
        last = approved.get(current.pk) if current else None
        lines.append(ReviewLine(indicator=indicator, current=current, last_approved=last, by_year=values))
    submitted = [line.current for line in lines if line.current and line.current.status == "submitted"]
    other_years = sorted(y for y in years if y != year)
    return {"lines": lines, "submitted": submitted, "other_years": other_years}


HISTORY_FIELDS = ("value", "qualifier", "status", "source", "quote", "note", "review_comment")


@dataclass
class HistoryEntry:
    record: object
    changes: list[tuple[str, object, object]]  # (field label, before, after), ready to print
    reason: str = ""


def _history_text(name: str, raw) -> str | None:
    """A historical field value as people read it: labels for codes, numbers in the page's convention."""
    from indicators.domain.formatting import format_number

    if raw in (None, ""):
        return None
    if name == "status":
        return str(IndicatorValue.Status(raw).label)
    if name == "qualifier":
        return str(IndicatorValue.Qualifier(raw).label)
    if name == "value":
        number = Decimal(raw).normalize()
        return format_number(number, max(0, -number.as_tuple().exponent))
    return str(raw)


def history_reason_label(reason: str | None) -> str:
    from django.utils.translation import gettext as _

    labels = {
        "saved": _("lưu nháp"),
        "submitted": _("gửi thẩm định"),
        "approved": _("duyệt"),
        "returned": _("trả lại"),
        "deleted": _("xóa"),
        "imported": _("nhập từ tệp"),
    }
    return labels.get(reason or "", reason or "")


def value_history(*, value: IndicatorValue) -> list[HistoryEntry]:
    """Every recorded version of a value, oldest first, with what changed from the one before (one query)."""
    records = list(value.history.select_related("history_user", "source").order_by("history_date", "history_id"))
    entries, before = [], None
    for record in records:
        changes = []
        for name in HISTORY_FIELDS:
            after_value = getattr(record, name)
            before_value = getattr(before, name) if before is not None else None
            if before is None or before_value != after_value:
                if before is None and after_value in ("", None):
                    continue
                label = str(IndicatorValue._meta.get_field(name).verbose_name)
                changes.append((label, _history_text(name, before_value), _history_text(name, after_value)))
        entries.append(
            HistoryEntry(record=record, changes=changes, reason=history_reason_label(record.history_change_reason))
        )
        before = record
    return entries


def import_context(*, table, user=None, lock: bool = False) -> imports.ImportContext:
    """The lookups that imports.check_rows needs for this file, in a fixed number of queries.

    `user` None means the shell command, which may import for every unit. `lock` (inside a
    transaction) locks the file's units and their existing figures until it ends.
    """
    unit_codes, years = set(), set()
    for _number, row in table.rows:
        unit_codes.add(imports.cell_text(row.get("unit_code")))
        year = imports.cell_year(imports.cell_text(row.get("year")))
        if year is not None:
            years.add(year)
    units = {}
    unit_rows = AdministrativeUnit.objects.filter(code__in=unit_codes)
    values = IndicatorValue.objects.all()
    if lock:
        unit_rows, values = unit_rows.select_for_update(), values.select_for_update(of=("self",))
    for pk, code, valid_from, valid_to in unit_rows.values_list("pk", "code", "valid_from", "valid_to"):
        units[code] = imports.UnitInfo(
            pk, code, valid_from.year if valid_from else None, valid_to.year if valid_to else None
        )
    indicators = {i.code: i for i in Indicator.objects.all()}
    sources = {}
    for pk, code, kind, unit_id in Source.objects.values_list("pk", "code", "kind", "unit_id"):
        # Who may cite it: its own unit; everyone for a shared published source (None); else nobody (0).
        owner = unit_id or (None if kind in Source.SHARED_KINDS else 0)
        sources[code] = (pk, kind == Source.Kind.SYNTHETIC_DEMO, owner)
    wanted_years = years | {y - 1 for y in years}
    existing = {}
    unit_ids = [u.pk for u in units.values()]
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
        units=units, indicators=indicators, sources=sources, editable_unit_ids=editable, existing=existing
    )


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
