"""Deterministic synthetic ("demo") figures. Pure: unit and indicator descriptions in, figures out.

The figures are plausible, not real. They respect the relations that validation enforces:
overdue <= received, a district with overdue dossiers is below 100% on time, shares stay in
0-100, and ranks are a permutation of 1..n among the districts of a province each year.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from indicators.domain import roles

FIRST_YEAR = 2019
LAST_YEAR = 2024
# The units that took over from the districts on 1 July 2025 get demo figures up to this year, the
# last whole year before this was written (2026): enough to draw their series beside the old ones.
SUCCESSOR_LAST_YEAR = 2025

# How each indicator's demo figure is drawn (Indicator.demo_profile), within its demo range
# (Indicator.demo_low, demo_high). Received, overdue and the on-time share come from one simulated
# district by their role instead, and ranks from the index score.
GROWING_SHARE = "growing_share"  # a share that grows from demo_low in the first year to demo_high in the last
STEADY_SHARE = "steady_share"  # a share between demo_low and demo_high, set mostly by how well a district does
COUNT = "count"  # a whole number between demo_low and demo_high
SCORE = "score"  # an index score between demo_low and demo_high


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
    """Every figure of one district except ranks, which need the whole province."""
    rng = random.Random(f"{seed}:{unit_code}")
    quality = rng.random()  # how well this district does, 0..1, stable across years
    size = rng.uniform(0.4, 1.6)  # how big it is
    first, last = min(years), max(years)
    specs = list(indicators)
    for year in years:
        progress = _progress(year, first, last)
        year_rng = random.Random(f"{seed}:{unit_code}:{year}")
        received = int(30000 * size * (1 + 0.06 * (year - first)) * year_rng.uniform(0.9, 1.1))
        overdue_rate = max(0.0, (0.06 - 0.05 * quality) * (1 - 0.5 * progress) + year_rng.gauss(0, 0.004))
        overdue = min(received, int(received * overdue_rate))
        # Floor so that a district with any overdue dossier never shows 100% on time.
        on_time = (Decimal(received - overdue) * 100 / Decimal(received)).quantize(Decimal("0.1"), ROUND_FLOOR)
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
                level = start + (end - start) * progress
                value = _share(level + 12 * (quality - 0.5) + 2.5 * noise, spec.decimals)
            elif profile == STEADY_SHARE:
                low, high = spec.demo_range
                value = _share(low + (high - low) * (0.3 + 0.6 * quality + 0.1 * progress) + 2 * noise, spec.decimals)
            elif profile == COUNT:
                low, high = spec.demo_range
                value = Decimal(int(low + (high - low) * year_rng.random() * (0.5 + 0.5 * size)))
            elif profile == SCORE:
                low, high = spec.demo_range
                raw = low + (high - low) * (0.65 * quality + 0.35 * progress) + 1.5 * noise
                value = Decimal(str(raw)).quantize(Decimal(1).scaleb(-spec.decimals))
            elif spec.unit_kind == "rank":
                continue  # ranks are assigned per province by province_ranks()
            elif spec.unit_kind == "percent":  # synthetic extra indicators for the benchmark
                value = _share(40 + 50 * quality + 10 * progress + 3 * noise, spec.decimals)
            else:
                value = Decimal(int(abs(1000 * size * (0.5 + quality) + 50 * noise)))
            yield Figure(code, unit_code, year, _clamp(value, spec))


def successor_figures(
    *, seed: int, unit_code: str, years: Sequence[int], indicators: Iterable[IndicatorSpec]
) -> Iterator[Figure]:
    """Figures for a unit created by the 2025 reorganisation, for the indicators it can report.

    They continue where the districts' demo trend ended in LAST_YEAR, a little higher each year,
    so that a chart of both looks plausible without suggesting they are one series.
    """
    specs = [spec for spec in indicators if reported_after_reorganisation(spec)]
    for year in years:
        rng = random.Random(f"{seed}:{unit_code}:{year}")
        step = max(0, year - LAST_YEAR)
        for spec in specs:
            code, noise = spec.code, rng.gauss(0, 1)
            if spec.demo_profile == GROWING_SHARE:
                end = spec.demo_range[1]
                value = _share(min(99.0, end + (100 - end) * 0.2 * step + noise), spec.decimals)
            elif spec.demo_profile == STEADY_SHARE:
                low, high = spec.demo_range
                value = _share(low + (high - low) * 0.7 + noise, spec.decimals)
            elif spec.role == roles.ON_TIME_SHARE:
                value = _share(97 + 0.5 * noise, spec.decimals)
            else:
                low, high = spec.demo_range
                value = Decimal(str(low + (high - low) * 0.75 + noise)).quantize(Decimal(1).scaleb(-spec.decimals))
            yield Figure(code, unit_code, year, _clamp(value, spec))


def reported_after_reorganisation(spec: IndicatorSpec) -> bool:
    """What a new province can report as one figure: shares and scores other than the district index's.
    Counts would be sums of many communes, and the district index score and rank do not exist above
    the district level."""
    if spec.demo_profile in (GROWING_SHARE, STEADY_SHARE) or spec.role == roles.ON_TIME_SHARE:
        return True
    return spec.demo_profile == SCORE and spec.role != roles.INDEX_SCORE


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
