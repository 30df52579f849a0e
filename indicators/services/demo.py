"""Synthetic demo figures written into the database, and the synthetic units and indicators that
national-scale demos and the benchmark pad the catalogue with."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.text import slugify

from indicators import caching
from indicators.domain import demo
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, ReformArea, Source
from indicators.selectors.common import successor_units

DEMO_SOURCE_CODE = "du-lieu-minh-hoa"


def demo_source() -> Source:
    source, _ = Source.objects.get_or_create(
        code=DEMO_SOURCE_CODE,
        defaults={
            "title": "Dữ liệu minh họa (giả lập) — không phải số liệu chính thức",
            "publisher": "Bảng theo dõi CCHC (tạo tự động bằng lệnh demo_data)",
            "kind": Source.Kind.SYNTHETIC_DEMO,
            "note": "Số liệu giả lập, tất định theo seed, chỉ để minh họa biểu đồ. Không dùng để trích dẫn.",
        },
    )
    return source


@dataclass
class DemoResult:
    created: int
    skipped_existing: int


@transaction.atomic
def generate_demo_values(
    *, seed: int, years: Sequence[int], units: Sequence[AdministrativeUnit], indicators: Sequence[Indicator]
) -> DemoResult:
    """Fill every unit x year x indicator that has no value with a synthetic, approved demo figure.

    A value that exists already (real or demo) is never touched, so a second run changes nothing.
    """
    specs = demo_specs(indicators)
    known_ranks = defaultdict(dict)  # (parent id, year, indicator code) -> {unit code: rank}
    for code, unit_code, year, value, parent_id in IndicatorValue.objects.filter(
        unit__in=units, indicator__unit_kind=Indicator.UnitKind.RANK, year__in=years
    ).values_list("indicator__code", "unit__code", "year", "value", "unit__parent_id"):
        known_ranks[(parent_id, year, code)][unit_code] = int(value)

    figures = []
    for unit in units:
        figures.extend(demo.district_figures(seed=seed, unit_code=unit.code, years=years, indicators=specs))
    figures.extend(_rank_figures(units=units, years=years, specs=specs, figures=figures, known_ranks=known_ranks))
    return _save_demo_figures(figures, units=units, years=years, indicators=indicators)


@transaction.atomic
def generate_successor_demo_values(
    *, seed: int, predecessors: Sequence[AdministrativeUnit], indicators: Sequence[Indicator]
) -> DemoResult:
    """Demo figures for the units that took over from `predecessors` in a reorganisation (the ones the
    indicator pages draw beside them), from the year of the succession to demo.SUCCESSOR_LAST_YEAR."""
    successors = successor_units(codes=[unit.code for unit in predecessors])
    specs = demo_specs(indicators)
    figures, years = [], set()
    for unit in successors:
        unit_years = range(unit.succeeded_on.year, demo.SUCCESSOR_LAST_YEAR + 1)
        years.update(unit_years)
        figures.extend(demo.successor_figures(seed=seed, unit_code=unit.code, years=unit_years, indicators=specs))
    return _save_demo_figures(figures, units=successors, years=sorted(years), indicators=indicators)


def demo_specs(indicators: Sequence[Indicator]) -> list[demo.IndicatorSpec]:
    """What the pure generator needs to know of each indicator."""
    return [
        demo.IndicatorSpec(
            i.code,
            i.unit_kind,
            i.decimals,
            i.min_value,
            i.max_value,
            role=i.role,
            demo_profile=i.demo_profile,
            demo_range=(i.demo_low, i.demo_high) if i.demo_low is not None and i.demo_high is not None else None,
        )
        for i in indicators
    ]


def _save_demo_figures(figures, *, units, years, indicators) -> DemoResult:
    """Write the figures that have no value yet (real or demo) as approved demo values."""
    source = demo_source()
    indicator_ids = {i.code: i.pk for i in indicators}
    unit_ids = {u.code: u.pk for u in units}
    existing = set(
        IndicatorValue.objects.filter(unit__in=units, indicator__in=indicators, year__in=years).values_list(
            "indicator__code", "unit__code", "year"
        )
    )
    new_values = [
        IndicatorValue(
            indicator_id=indicator_ids[f.indicator_code],
            unit_id=unit_ids[f.unit_code],
            year=f.year,
            value=f.value,
            status=IndicatorValue.Status.APPROVED,
            source=source,
            note="Số liệu minh họa (giả lập).",
        )
        for f in figures
        if (f.indicator_code, f.unit_code, f.year) not in existing
    ]
    IndicatorValue.objects.bulk_create(new_values, batch_size=2000, ignore_conflicts=True)
    caching.data_changed()
    return DemoResult(created=len(new_values), skipped_existing=len(figures) - len(new_values))


def _rank_figures(*, units, years, specs, figures, known_ranks) -> list[demo.Figure]:
    """Ranks per province and year from the demo index score; the score is realigned to the rank.

    Rewrites the score figures in `figures` in place, so that rank 1 always has the best score.
    """
    rank_specs = [s for s in specs if s.unit_kind == "rank"]
    if not rank_specs:
        return []
    score_code = next((s.code for s in specs if s.role == Indicator.Role.INDEX_SCORE), None)
    parent_of = {u.code: u.parent_id for u in units}
    positions = defaultdict(dict)  # (parent, year) -> {unit code: index of its score in figures}
    for index, f in enumerate(figures):
        if f.indicator_code == score_code:
            positions[(parent_of[f.unit_code], f.year)][f.unit_code] = index
    ranked = []
    for (parent, year), by_unit in positions.items():
        scores = {code: figures[index].value for code, index in by_unit.items()}
        ordered = sorted(scores.values(), reverse=True)
        for spec in rank_specs:
            ranks = demo.province_ranks(scores=scores, fixed_ranks=known_ranks.get((parent, year, spec.code), {}))
            ranked.extend(demo.Figure(spec.code, code, year, Decimal(rank)) for code, rank in ranks.items())
            for code, rank in ranks.items():
                figures[by_unit[code]] = demo.Figure(score_code, code, year, ordered[rank - 1])
    return ranked


@transaction.atomic
def ensure_synthetic_units(*, provinces: int, units_per_province: int, level: str) -> list[AdministrativeUnit]:
    """Synthetic provinces and their units for national-scale demos and benchmarks (is_synthetic)."""
    created = []
    for p in range(1, provinces + 1):
        province, _ = AdministrativeUnit.objects.get_or_create(
            code=f"X{p:02d}",
            defaults={
                "name": f"Tỉnh minh họa {p:02d}",
                "slug": f"tinh-minh-hoa-{p:02d}",
                "level": AdministrativeUnit.Level.PROVINCE,
                "is_synthetic": True,
                "note": "Đơn vị giả lập cho dữ liệu minh họa.",
            },
        )
        existing = set(province.children.values_list("code", flat=True))
        batch = []
        for d in range(1, units_per_province + 1):
            code = f"X{p:02d}-{d:03d}"
            if code in existing:
                continue
            name = f"{'Huyện' if level == 'district' else 'Xã'} minh họa {p:02d}-{d:03d}"
            batch.append(
                AdministrativeUnit(
                    code=code, name=name, slug=slugify(name), level=level, parent=province, is_synthetic=True
                )
            )
        created.extend(AdministrativeUnit.objects.bulk_create(batch))
    return created


@transaction.atomic
def ensure_synthetic_indicators(*, total: int) -> list[Indicator]:
    """Pad the catalogue with clearly named synthetic indicators up to `total` (benchmark only)."""
    have = Indicator.objects.count()
    area = ReformArea.objects.order_by("order").first()
    made = []
    for n in range(1, max(0, total - have) + 1):
        code = f"minh-hoa-{n:02d}"
        indicator, created = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": f"Chỉ tiêu minh họa {n:02d}",
                "name_en": f"Synthetic indicator {n:02d}",
                "area": area,
                "unit_kind": Indicator.UnitKind.PERCENT if n % 2 else Indicator.UnitKind.COUNT,
                "higher_is_better": True if n % 2 else None,
                "decimals": 1 if n % 2 else 0,
                "min_value": 0,
                "max_value": 100 if n % 2 else None,
                "definition": "Chỉ tiêu giả lập, chỉ dùng để đo hiệu năng.",
                "framework": Indicator.Framework.OTHER,
                "order": 100 + n,
            },
        )
        if created:
            made.append(indicator)
    return made
