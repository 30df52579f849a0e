"""Deterministic synthetic ("demo") figures. Pure: unit and indicator descriptions in, figures out.

The figures are plausible, not real. They respect the relations that validation enforces:
overdue <= received, a unit with overdue dossiers is below 100% on time, shares stay in 0-100, and
ranks are a permutation of 1..n among the units ranked together each year (a province's districts).

Districts have figures to 2024 and communes from 2025 (a unit reports for the years it is in force
at the end of); a commune's figures continue the districts' trend, at the size of a commune.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from indicators.domain import roles

# The years `manage.py demo_data` fills by default: the districts' 2019-2024 and the communes' 2025-2026
# (each unit only within its validity). Fixed, so that the demo data never depends on today's date.
FIRST_YEAR = 2019
LAST_YEAR = 2026
# The districts' trend runs from FIRST_YEAR to this year, their last; the communes' continues it.
DISTRICT_LAST_YEAR = 2024
# A commune is about a quarter of a district: Tây Ninh's 24 districts became 96 communes.
COMMUNE_SIZE = 0.25

# How each indicator's demo figure is drawn (Indicator.demo_profile), within its demo range
# (Indicator.demo_low, demo_high). Received, overdue and the on-time share come from one simulated
# unit by their role instead, and ranks from the index score.
GROWING_SHARE = "growing_share"  # a share that grows from demo_low in the first year to demo_high in the last
STEADY_SHARE = "steady_share"  # a share between demo_low and demo_high, set mostly by how well a unit does
COUNT = "count"  # a whole number between demo_low and demo_high
SCORE = "score"  # an index score between demo_low and demo_high
NONE = "none"  # never drawn: only real figures (the official index's published results) are shown


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    unit_kind: str
    decimals: int
    min_value: Decimal | None = None
    max_value: Decimal | None = None
    role: str = ""  # Indicator.role
    demo_profile: str = ""  # Indicator.demo_profile; empty: drawn by its unit kind
    demo_range: tuple[int, int] | None = None  # (Indicator.demo_low, Indicator.demo_high)


@dataclass(frozen=True)
class Figure:
    indicator_code: str
    unit_code: str
    year: int
    value: Decimal


def _share(value: float, decimals: int = 1) -> Decimal:
    return Decimal(str(min(100.0, max(0.0, value)))).quantize(Decimal(1).scaleb(-decimals))


def _progress(year: int, first: int, last: int) -> float:
    return 0.0 if last == first else (year - first) / (last - first)


def _clamp(value: Decimal, spec: IndicatorSpec) -> Decimal:
    if spec.min_value is not None and value < spec.min_value:
        return spec.min_value
    if spec.max_value is not None and value > spec.max_value:
        return spec.max_value
    return value


def district_figures(
    *, seed: int, unit_code: str, years: Sequence[int], indicators: Iterable[IndicatorSpec]
) -> Iterator[Figure]:
    """Every figure of one district except ranks, which need the whole province. Its trend runs over `years`."""
    first, last = min(years), max(years)
    return _unit_figures(
        seed=seed,
        unit_code=unit_code,
        years=years,
        specs=list(indicators),
        progress_of=lambda year: _progress(year, first, last),
        growth_from=first,
        scale=1.0,
    )


def commune_figures(
    *, seed: int, unit_code: str, years: Sequence[int], indicators: Iterable[IndicatorSpec]
) -> Iterator[Figure]:
    """Every figure of one commune except ranks: smaller counts than a district's, and shares that go
    on from where the districts' trend ended in DISTRICT_LAST_YEAR."""
    return _unit_figures(
        seed=seed,
        unit_code=unit_code,
        years=years,
        specs=list(indicators),
        progress_of=lambda year: max(0.0, _progress(year, FIRST_YEAR, DISTRICT_LAST_YEAR)),
        growth_from=FIRST_YEAR,
        scale=COMMUNE_SIZE,
    )


def _unit_figures(
    *,
    seed: int,
    unit_code: str,
    years: Sequence[int],
    specs: Sequence[IndicatorSpec],
    progress_of: Callable[[int], float],
    growth_from: int,
    scale: float,
) -> Iterator[Figure]:
    """`progress_of(year)` is 0 at the start of the trend and 1 at its end (more, past it); `scale`
    multiplies the unit's counts."""
    rng = random.Random(f"{seed}:{unit_code}")
    quality = rng.random()  # how well this unit does, 0..1, stable across years
    size = rng.uniform(0.4, 1.6)  # how big it is
    for year in years:
        progress = progress_of(year)
        year_rng = random.Random(f"{seed}:{unit_code}:{year}")
        received = int(30000 * scale * size * (1 + 0.06 * (year - growth_from)) * year_rng.uniform(0.9, 1.1))
        overdue_rate = max(0.0, (0.06 - 0.05 * quality) * (1 - 0.5 * min(progress, 1.5)) + year_rng.gauss(0, 0.004))
        overdue = min(received, int(received * overdue_rate))
        # Floor so that a unit with any overdue dossier never shows 100% on time.
        on_time = (Decimal(received - overdue) * 100 / Decimal(max(received, 1))).quantize(Decimal("0.1"), ROUND_FLOOR)
        for spec in specs:
            code, profile = spec.code, spec.demo_profile
            noise = year_rng.gauss(0, 1)
            if spec.role == roles.RECEIVED:
                value = Decimal(received)
            elif spec.role == roles.OVERDUE:
                value = Decimal(overdue)
            elif spec.role == roles.ON_TIME_SHARE:
                value = on_time
            elif profile == GROWING_SHARE:
                start, end = spec.demo_range
                if progress <= 1:
                    level = start + (end - start) * progress
                else:  # past the trend's end it closes the gap to 100%: a commune a fifth of it a year
                    level = end + (100 - end) * min(1.0, progress - 1)
                value = _share(level + 12 * (quality - 0.5) + 2.5 * noise, spec.decimals)
            elif profile == STEADY_SHARE:
                low, high = spec.demo_range
                value = _share(
                    low + (high - low) * (0.3 + 0.6 * quality + 0.1 * min(progress, 1)) + 2 * noise, spec.decimals
                )
            elif profile == COUNT:
                low, high = spec.demo_range
                value = Decimal(int((low + (high - low) * year_rng.random() * (0.5 + 0.5 * size)) * scale))
            elif profile == SCORE:
                low, high = spec.demo_range
                raw = low + (high - low) * (0.65 * quality + 0.35 * min(progress, 1)) + 1.5 * noise
                value = Decimal(str(raw)).quantize(Decimal(1).scaleb(-spec.decimals))
            elif spec.unit_kind == "rank":
                continue  # ranks are assigned per province by province_ranks()
            elif spec.unit_kind == "percent":  # synthetic extra indicators for the benchmark
                value = _share(40 + 50 * quality + 10 * min(progress, 1) + 3 * noise, spec.decimals)
            else:
                value = Decimal(int(abs(1000 * scale * size * (0.5 + quality) + 50 * noise)))
            yield Figure(code, unit_code, year, _clamp(value, spec))


def province_ranks(*, scores: Mapping[str, Decimal], fixed_ranks: Mapping[str, int] | None = None) -> dict[str, int]:
    """Ranks 1..n by score, highest first, keeping any rank already known from a real source.

    Units with a known rank keep it; the others fill the remaining places in score order, so the
    result is always a permutation of 1..n.
    """
    fixed = {code: rank for code, rank in (fixed_ranks or {}).items() if code in scores}
    free_places = [place for place in range(1, len(scores) + 1) if place not in set(fixed.values())]
    others = sorted((code for code in scores if code not in fixed), key=lambda code: (-scores[code], code))
    ranks = dict(fixed)
    ranks.update(zip(others, free_places, strict=False))
    return ranks
