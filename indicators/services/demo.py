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
from indicators.models import ENTRY_LEVELS, AdministrativeUnit, Indicator, IndicatorValue, ReformArea, Source

DEMO_SOURCE_CODE = "du-lieu-minh-hoa"
# Our own words, so English pages carry them in English (migration 0009 gives them to stored rows).
DEMO_VALUE_NOTE = "Số liệu minh họa (giả lập)."
DEMO_VALUE_NOTE_EN = "Demo figure (synthetic)."
# The demo source's title and publisher, in both languages (migration 0010 gives the English to stored rows).
DEMO_SOURCE_TITLE = "Dữ liệu minh họa (giả lập) — không phải số liệu chính thức"
DEMO_SOURCE_TITLE_EN = "Demo data (synthetic) — not official figures"
DEMO_SOURCE_PUBLISHER = "Bảng theo dõi CCHC (tạo tự động bằng lệnh demo_data)"
DEMO_SOURCE_PUBLISHER_EN = "CCHC dashboard (made by the demo_data command)"


def demo_source() -> Source:
    source, _ = Source.objects.get_or_create(
        code=DEMO_SOURCE_CODE,
        defaults={
            "title": DEMO_SOURCE_TITLE,
            "title_en": DEMO_SOURCE_TITLE_EN,
            "publisher": DEMO_SOURCE_PUBLISHER,
            "publisher_en": DEMO_SOURCE_PUBLISHER_EN,
            "kind": Source.Kind.SYNTHETIC_DEMO,
            "note": "Số liệu giả lập, tất định theo seed, chỉ để minh họa biểu đồ. Không dùng để trích dẫn.",
            "note_en": "Synthetic figures, deterministic from a seed, only to illustrate the charts. Not to be cited.",
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

    Each unit only for the years it reports for (a district to 2024, a commune from 2025) and the
    indicators of its level (no district index for a commune); a province gets none: its figures are
    published ones. A value that exists already (real or demo) is never touched, so a second run
    changes nothing; and a real figure loaded before the run keeps its place.
    """
    units = [unit for unit in units if unit.level in ENTRY_LEVELS]
    # The official index's published results are never invented (demo_profile "none").
    indicators = [i for i in indicators if i.demo_profile != Indicator.DemoProfile.NONE]
    if len({unit.code for unit in units}) != len(units):
        raise ValueError("Demo units must have distinct codes: the figures name their unit by code.")
    specs = {level: demo_specs([i for i in indicators if i.applies_to(level)]) for level in ENTRY_LEVELS}
    figures = []
    for unit in units:
        unit_years = [year for year in years if unit.reports_in(year)]
        if not unit_years:
            continue
        draw = demo.commune_figures if unit.level == AdministrativeUnit.Level.COMMUNE else demo.district_figures
        figures.extend(draw(seed=seed, unit_code=unit.code, years=unit_years, indicators=specs[unit.level]))
    figures.extend(_rank_figures(units=units, years=years, indicators=indicators, figures=figures))
    return _save_demo_figures(figures, units=units, years=years, indicators=indicators)


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
            note=DEMO_VALUE_NOTE,
            note_en=DEMO_VALUE_NOTE_EN,
        )
        for f in figures
        if (f.indicator_code, f.unit_code, f.year) not in existing
    ]
    IndicatorValue.objects.bulk_create(new_values, batch_size=2000, ignore_conflicts=True)
    caching.data_changed()
    return DemoResult(created=len(new_values), skipped_existing=len(figures) - len(new_values))


def _rank_figures(*, units, years, indicators, figures) -> list[demo.Figure]:
    """Ranks per parent (a district's old province, a commune's province) and year, from the index
    score, for the units whose level the rank indicator applies to; the demo score is realigned to
    the rank, so that rank 1 always has the best score.

    Ranks and scores already stored (the article's, a province's published results) are kept: a unit
    with a stored score is ranked by it, a stored rank keeps its place, and the demo ranks fill the
    other places, so that each ranking is a permutation of 1..n. Rewrites the score figures in `figures`.
    """
    score = next((i for i in indicators if i.role == Indicator.Role.INDEX_SCORE), None)
    ranks = [i for i in indicators if i.unit_kind == Indicator.UnitKind.RANK]
    if score is None or not ranks:
        return []
    unit_of = {u.code: u for u in units}

    def ranking(unit_code, year):  # who is ranked together: a province left whole has districts, then communes
        unit = unit_of[unit_code]
        return unit.parent_id, unit.level, year

    known = defaultdict(dict)  # (indicator code, ranking) -> {unit code: stored value}
    for code, unit_code, year, value in IndicatorValue.objects.filter(
        unit__in=units, indicator__in=[score, *ranks], year__in=years
    ).values_list("indicator__code", "unit__code", "year", "value"):
        known[(code, ranking(unit_code, year))][unit_code] = value
    positions = defaultdict(dict)  # ranking -> {unit code: index of its demo score in figures}
    for index, f in enumerate(figures):
        if f.indicator_code == score.code:
            positions[ranking(f.unit_code, f.year)][f.unit_code] = index
    ranked = []
    for group, by_unit in positions.items():
        _parent, level, year = group
        stored_scores = known.get((score.code, group), {})
        scores = {code: stored_scores.get(code, figures[index].value) for code, index in by_unit.items()}
        ordered = sorted(scores.values(), reverse=True)
        for rank_indicator in (i for i in ranks if i.applies_to(level)):
            fixed = {code: int(v) for code, v in known.get((rank_indicator.code, group), {}).items()}
            places = demo.province_ranks(scores=scores, fixed_ranks=fixed)
            ranked.extend(demo.Figure(rank_indicator.code, code, year, Decimal(rank)) for code, rank in places.items())
            for code, rank in places.items():
                figures[by_unit[code]] = demo.Figure(score.code, code, year, ordered[rank - 1])
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
                "note_en": "A synthetic unit for demonstration data.",
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
