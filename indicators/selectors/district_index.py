"""The district index: the computed ranking of one old province's districts, and one district's breakdown.

Districts are ranked among their own province's districts (Long An ranked its 15, the former Tây
Ninh its 9), for the years the districts reported (to 2024). There is no commune index yet.

Every function here makes a fixed number of queries, whatever the number of districts and years;
the comment on each says how many.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet

from indicators.domain import scoring
from indicators.domain.series import TargetLine
from indicators.models import (
    AdministrativeUnit,
    Indicator,
    IndicatorValue,
    ReformArea,
    ScoringComponent,
    ScoringScheme,
    Source,
    Target,
    UnitSuccession,
)
from indicators.selectors.common import by_name
from indicators.selectors.targets import target_line


@dataclass
class IndexData:
    """What every index page reads, in four queries: districts, scheme components, targets, values."""

    districts: list[AdministrativeUnit]
    schemes: dict[int, ScoringScheme]
    components: dict[int, list[ScoringComponent]]
    targets: dict[str, list[TargetLine]]
    values: dict[int, dict[str, dict[str, float]]]  # year -> indicator code -> unit code -> value
    demo: set[tuple[str, str, int]]
    official: dict[int, dict[str, tuple[Decimal, str, bool]]]  # year -> unit -> (rank, qualifier, is demo)
    years: list[int]
    indicators: dict[str, Indicator] = field(default_factory=dict)
    areas: dict[str, ReformArea] = field(default_factory=dict)


def load_index(*, province: AdministrativeUnit, include_demo: bool) -> IndexData:
    """What the index of `province`'s districts reads (four queries): `province` is one of the
    provinces the index ranks apart (index_provinces), e.g. Long An."""
    districts = by_name(AdministrativeUnit.objects.districts().filter(parent=province).select_related("parent"))
    components = list(ScoringComponent.objects.select_related("scheme", "indicator", "area"))
    schemes, by_scheme, indicators, areas = {}, defaultdict(list), {}, {}
    for c in components:
        schemes[c.scheme.valid_from_year] = c.scheme
        by_scheme[c.scheme.valid_from_year].append(c)
        indicators[c.indicator.code] = c.indicator
        areas[c.area.code] = c.area
    targets = defaultdict(list)
    for t in Target.objects.filter(unit__isnull=True, indicator__code__in=list(indicators)).select_related("indicator"):
        targets[t.indicator.code].append(target_line(t.indicator, t))
    rows = (
        IndicatorValue.objects.published()
        .filter(unit__in=[d.pk for d in districts])
        # The scheme's indicators, and the published official rank shown beside the computed one.
        .filter(indicator__in=Indicator.objects.filter(Q(code__in=indicators) | Q(role=Indicator.Role.INDEX_RANK)))
        .without_demo(not include_demo)
        .values_list("indicator__code", "indicator__role", "unit__code", "year", "value", "qualifier", "source__kind")
    )
    values = defaultdict(lambda: defaultdict(dict))
    official = defaultdict(dict)
    demo = set()
    for code, role, unit_code, year, value, qualifier, kind in rows:
        is_demo = kind == Source.Kind.SYNTHETIC_DEMO
        if role == Indicator.Role.INDEX_RANK:
            official[year][unit_code] = (value, qualifier, is_demo)
            if code not in indicators:
                continue
        values[year][code][unit_code] = float(value)
        if is_demo:
            demo.add((code, unit_code, year))
    return IndexData(
        districts=districts,
        schemes=schemes,
        components=dict(by_scheme),
        targets=dict(targets),
        values={y: dict(v) for y, v in values.items()},
        demo=demo,
        official=dict(official),
        years=sorted(values),
        indicators=indicators,
        areas=areas,
    )


def scheme_for(data: IndexData, year: int) -> scoring.Scheme | None:
    """The scheme in force for `year`, with each target-scaled component's target for that year."""
    model = scoring.scheme_for_year(data.schemes.values(), year)  # the rule, on the stored schemes
    if model is None:
        return None
    components = []
    for c in data.components[model.valid_from_year]:
        target = scoring.target_for_year(data.targets.get(c.indicator.code, []), year)
        components.append(
            scoring.Component(
                indicator=c.indicator.code,
                area=c.area.code,
                weight=float(c.weight),
                scaling=c.scaling,
                higher_is_better=c.indicator.higher_is_better is not False,
                target=target.value if target else None,
            )
        )
    return scoring.Scheme(
        valid_from_year=model.valid_from_year,
        name=model.name,
        name_en=model.name_en,
        min_indicators_to_rank=model.min_indicators_to_rank,
        band_good=float(model.band_good),
        band_fair=float(model.band_fair),
        band_average=float(model.band_average),
        components=tuple(components),
    )


def _units_in(data: IndexData, year: int) -> list[str]:
    return [d.code for d in data.districts if d.reports_in(year)]


def scores_for(data: IndexData, year: int) -> tuple[scoring.Scheme | None, dict[str, scoring.UnitScore]]:
    scheme = scheme_for(data, year)
    if scheme is None:
        return None, {}
    return scheme, scoring.score_year(scheme, data.values.get(year, {}), _units_in(data, year))


@dataclass
class IndexRow:
    unit: AdministrativeUnit
    score: scoring.UnitScore
    change: int | None
    score_change: float | None
    official: tuple[Decimal, str, bool] | None
    area_scores: list[float | None]

    @property
    def band_label(self) -> str:
        return str(scoring.BAND_LABELS[self.score.band]) if self.score.band else ""

    @property
    def drop(self) -> int:
        return -self.change if self.change and self.change < 0 else 0


def index_page(*, data: IndexData, year: int | None) -> dict:
    """The ranking for one year, with bands, area scores, rank change and the official rank."""
    if year is None:
        year = data.years[-1] if data.years else None
    scheme, scores = scores_for(data, year) if year is not None else (None, {})
    previous_scheme, previous = scores_for(data, year - 1) if year is not None else (None, {})
    changes = scoring.rank_changes(scores, previous)
    same_scheme = (
        scheme is not None
        and previous_scheme is not None
        and (scheme.valid_from_year == previous_scheme.valid_from_year)
    )
    names = {d.code: d for d in data.districts}
    areas = [data.areas[a] for a in scheme.areas] if scheme else []
    rows = []
    for s in scoring.ranking(scores):
        before = previous.get(s.unit)
        score_change = (
            s.score - before.score
            if same_scheme and before is not None and s.score is not None and before.score is not None
            else None
        )
        rows.append(
            IndexRow(
                unit=names[s.unit],
                score=s,
                change=changes.get(s.unit),
                score_change=score_change,
                official=data.official.get(year, {}).get(s.unit),
                area_scores=[s.areas.get(a.code) for a in areas],
            )
        )
    improved = sorted((r for r in rows if r.change and r.change > 0), key=lambda r: (-r.change, r.score.rank))[:5]
    return {
        "year": year,
        "years": data.years,
        "scheme": scheme,
        "schemes": [data.schemes[y] for y in sorted(data.schemes)],
        "areas": areas,
        "rows": rows,
        "ranked_count": sum(1 for r in rows if r.score.ranked),
        "improved": improved,
        "same_scheme": same_scheme,
        "shows_demo": any(y == year for _c, _u, y in data.demo)
        or any(o[2] for o in data.official.get(year, {}).values()),
        "bands": [
            (scoring.BAND_LABELS[scoring.GOOD], scheme.band_good if scheme else None),
            (scoring.BAND_LABELS[scoring.FAIR], scheme.band_fair if scheme else None),
            (scoring.BAND_LABELS[scoring.AVERAGE], scheme.band_average if scheme else None),
        ],
    }


@dataclass
class PartRow:
    indicator: Indicator
    area: ReformArea
    part: scoring.Part
    is_demo: bool
    changed_to: float | None = None
    part_after: scoring.Part | None = None


def district_index_page(
    *, data: IndexData, unit: AdministrativeUnit, year: int | None, changes: Mapping[str, float]
) -> dict:
    """One district's score for a year: breakdown by area and indicator, official rank, and a what-if."""
    page = index_page(data=data, year=year)
    year, scheme = page["year"], page["scheme"]
    row = next((r for r in page["rows"] if r.unit.code == unit.code), None)
    after = None
    if scheme is not None and row is not None and changes:
        after_all = scoring.what_if(
            scheme, data.values.get(year, {}), _units_in(data, year), unit=unit.code, changes=changes
        )
        after = after_all[unit.code]
    parts = []
    if row is not None:
        after_parts = {p.indicator: p for p in after.parts} if after else {}
        for p in row.score.parts:
            parts.append(
                PartRow(
                    indicator=data.indicators[p.indicator],
                    area=data.areas[p.area],
                    part=p,
                    is_demo=(p.indicator, unit.code, year) in data.demo,
                    changed_to=changes.get(p.indicator),
                    part_after=after_parts.get(p.indicator),
                )
            )
    area_rows = []
    if row is not None:
        for area, value in zip(page["areas"], row.area_scores, strict=True):
            area_rows.append(
                {
                    "area": area,
                    "score": value,
                    "after": after.areas.get(area.code) if after else None,
                    "parts": [p for p in parts if p.area.code == area.code],
                    "weight": sum(p.part.weight for p in parts if p.area.code == area.code),
                }
            )
    return {
        **page,
        "unit": unit,
        "row": row,
        "after": after,
        "changes": changes,
        "parts": parts,
        "area_rows": area_rows,
        "district_count": len(page["rows"]),
        "current_values": {p.indicator.code: p.part.value for p in parts},
    }


def index_provinces(*, province: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The provinces whose districts the index ranks, each apart, the main one first (one query): for
    Tây Ninh, Long An (80, to 30/06/2025) and the former Tây Ninh (72); a province the reform left
    whole ranks its own districts."""
    main = UnitSuccession.objects.filter(predecessor=OuterRef("pk"), successor=province, is_main=True)
    return list(
        AdministrativeUnit.objects.filter(
            Q(pk=province.pk) | Q(successions__successor=province, level=AdministrativeUnit.Level.PROVINCE)
        )
        .filter(Exists(AdministrativeUnit.objects.districts().filter(parent=OuterRef("pk"))))
        .annotate(is_main=Exists(main))
        .distinct()
        .order_by("-is_main", "code")
    )


def ranked_districts(*, provinces: list[AdministrativeUnit]) -> QuerySet[AdministrativeUnit]:
    """The districts the index ranks: those of `provinces` (index_provinces); any other is 404."""
    return AdministrativeUnit.objects.districts().filter(parent__in=provinces).select_related("parent")
