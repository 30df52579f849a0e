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

FIRST_YEAR = 2019
LAST_YEAR = 2024
# The units that took over from the districts on 1 July 2025 get demo figures up to this year, the
# last whole year before this was written (2026): enough to draw their series beside the old ones.
SUCCESSOR_LAST_YEAR = 2025

# code -> (start share in the first year, end share in the last year) for shares that grow over time.
GROWING_SHARES = {
    "ho-so-truc-tuyen": (25, 92),
    "thanh-toan-truc-tuyen": (3, 55),
    "dvc-truc-tuyen-toan-trinh": (15, 85),
    "ho-so-so-hoa": (5, 80),
    "van-ban-dien-tu": (60, 98),
    "ho-so-cbcc-dong-bo": (40, 100),
}
# code -> (low, high) for shares that depend mostly on how well a district performs.
STEADY_SHARES = {
    "van-ban-qppl-ra-soat": (80, 100),
    "sap-xep-bo-may": (70, 100),
    "cbcc-dung-vi-tri": (75, 99),
    "giai-ngan-dau-tu-cong": (55, 98),
    "don-vi-tu-chu": (5, 40),
    "hoan-thanh-ke-hoach-cchc": (80, 100),
    "sipas": (78, 97),
}
# code -> (low, high) for whole-number counts.
COUNTS = {
    "van-ban-trai-phap-luat": (0, 8),
    "ho-so-ton-dong-da-xu-ly": (0, 2400),
    "ho-so-ton-dong-con-lai": (0, 300),
    "luot-nguoi-den-moi-ngay": (40, 380),
    "kiem-tra-cong-vu": (2, 18),
}
SCORES = {"diem-chi-so-cchc": (62, 93), "diem-qd-766": (55, 92)}
# What a new province can report as one figure: shares and the Decision 766 score. Counts would be
# sums of many communes, and the district index score and rank do not exist above the district level.
SUCCESSOR_CODES = {*GROWING_SHARES, *STEADY_SHARES, "ho-so-dung-han", "diem-qd-766"}


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    unit_kind: str
    decimals: int
    min_value: Decimal | None = None
    max_value: Decimal | None = None


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
            code = spec.code
            noise = year_rng.gauss(0, 1)
            if code == "ho-so-tiep-nhan":
                value = Decimal(received)
            elif code == "ho-so-tre-han":
                value = Decimal(overdue)
            elif code == "ho-so-dung-han":
                value = on_time
            elif code in GROWING_SHARES:
                start, end = GROWING_SHARES[code]
                level = start + (end - start) * progress
                value = _share(level + 12 * (quality - 0.5) + 2.5 * noise, spec.decimals)
            elif code in STEADY_SHARES:
                low, high = STEADY_SHARES[code]
                value = _share(low + (high - low) * (0.3 + 0.6 * quality + 0.1 * progress) + 2 * noise, spec.decimals)
            elif code in COUNTS:
                low, high = COUNTS[code]
                value = Decimal(int(low + (high - low) * year_rng.random() * (0.5 + 0.5 * size)))
            elif code in SCORES:
                low, high = SCORES[code]
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
    specs = [spec for spec in indicators if spec.code in SUCCESSOR_CODES]
    for year in years:
        rng = random.Random(f"{seed}:{unit_code}:{year}")
        step = max(0, year - LAST_YEAR)
        for spec in specs:
            code, noise = spec.code, rng.gauss(0, 1)
            if code in GROWING_SHARES:
                end = GROWING_SHARES[code][1]
                value = _share(min(99.0, end + (100 - end) * 0.2 * step + noise), spec.decimals)
            elif code in STEADY_SHARES:
                low, high = STEADY_SHARES[code]
                value = _share(low + (high - low) * 0.7 + noise, spec.decimals)
            elif code == "ho-so-dung-han":
                value = _share(97 + 0.5 * noise, spec.decimals)
            else:
                low, high = SCORES[code]
                value = Decimal(str(low + (high - low) * 0.75 + noise)).quantize(Decimal(1).scaleb(-spec.decimals))
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
