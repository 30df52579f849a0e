"""The site's own district index, progress against targets, and year-on-year improvement.

Pure functions on plain data, tested without a database (tests/test_scoring.py). The index is a
reconstruction: it follows the published idea of the PAR INDEX (areas, weights, a 0-100 score) but
not the official method, which scores self-assessments and surveys this site does not have.

How a score is made, for one scheme and one year:
1. Each component indicator is scaled to 0-100:
   - "minmax": the worst district among those with a figure gets 0, the best 100 (in the indicator's
     direction); when all figures are equal every district gets 100;
   - "target": the share of the target reached, capped at 100 (for a lower-is-better indicator,
     100 at or under the target, else target / value).
2. The score is the weighted mean of the scaled figures the district HAS. A missing figure is left
   out, never counted as zero; `used` says how many figures the score rests on.
3. A district is ranked only if `used` reaches the scheme's `min_indicators_to_rank`. The score is
   rounded to 2 decimals; ranks are competition ranks ("1, 2, 2, 4") on that rounded score.
4. The band is the highest of Tốt / Khá / Trung bình whose lower bound the score reaches, else Yếu.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from django.utils.translation import gettext_lazy as _

from indicators.domain import stats

MINMAX = "minmax"
TARGET = "target"

GOOD, FAIR, AVERAGE, WEAK = "good", "fair", "average", "weak"
BAND_LABELS = {GOOD: _("Tốt"), FAIR: _("Khá"), AVERAGE: _("Trung bình"), WEAK: _("Yếu")}

# Progress against a target. "Close" is within CLOSE_SHARE of the target value: for a target of
# 80% (higher is better) that is 72% up to just under 80%.
MET, CLOSE, FAR = "met", "close", "far"
CLOSE_SHARE = 0.10
STATUS_LABELS = {MET: _("Đạt"), CLOSE: _("Gần đạt"), FAR: _("Còn xa")}


@dataclass(frozen=True)
class Component:
    indicator: str
    area: str
    weight: float
    scaling: str
    higher_is_better: bool
    target: float | None = None


@dataclass(frozen=True)
class Scheme:
    valid_from_year: int
    name: str
    min_indicators_to_rank: int
    band_good: float
    band_fair: float
    band_average: float
    components: tuple[Component, ...]
    name_en: str = ""  # what English pages call it (the method is our text, so it is translated)

    @property
    def areas(self) -> list[str]:
        seen: list[str] = []
        for c in self.components:
            if c.area not in seen:
                seen.append(c.area)
        return seen


@dataclass(frozen=True)
class Part:
    """One indicator's part in a district's score."""

    indicator: str
    area: str
    weight: float
    value: float | None
    scaled: float | None
    share: float | None = None  # points of the final score this part contributes


@dataclass(frozen=True)
class UnitScore:
    unit: str
    score: float | None
    used: int
    total: int
    ranked: bool
    rank: int | None
    band: str | None
    areas: dict[str, float | None]
    parts: tuple[Part, ...]


def scheme_for_year(schemes: Iterable, year: int):
    """The scheme in force for `year`: the latest one that took effect in or before it (anything with
    a valid_from_year: a Scheme, or the ScoringScheme row it is built from)."""
    in_force = [s for s in schemes if s.valid_from_year <= year]
    return max(in_force, key=lambda s: s.valid_from_year) if in_force else None


def scale(component: Component, value: float | None, low: float | None, high: float | None) -> float | None:
    """A figure on the 0-100 scale of its component; None when it cannot be scaled."""
    if value is None:
        return None
    if component.scaling == TARGET:
        target = component.target
        if target is None:
            return None
        if component.higher_is_better:
            return 100.0 if target <= 0 else min(100.0, value / target * 100)
        return 100.0 if value <= target else target / value * 100
    if low is None or high is None:
        return None
    if high == low:
        return 100.0
    position = (value - low) / (high - low) * 100
    return position if component.higher_is_better else 100.0 - position


def band_of(scheme: Scheme, score: float | None) -> str | None:
    if score is None:
        return None
    if score >= scheme.band_good:
        return GOOD
    if score >= scheme.band_fair:
        return FAIR
    if score >= scheme.band_average:
        return AVERAGE
    return WEAK


def _weighted_mean(parts: Sequence[Part]) -> float | None:
    known = [p for p in parts if p.scaled is not None]
    weight = sum(p.weight for p in known)
    if not known or weight <= 0:
        return None
    return sum(p.weight * p.scaled for p in known) / weight


def score_year(scheme: Scheme, values: Mapping[str, Mapping[str, float]], units: Iterable[str]) -> dict[str, UnitScore]:
    """Scores, bands and ranks of `units` for one year. `values` is indicator code -> unit -> figure."""
    units = list(units)
    ranges = {}
    for c in scheme.components:
        known = [values.get(c.indicator, {}).get(u) for u in units]
        known = [v for v in known if v is not None]
        ranges[c.indicator] = (min(known), max(known)) if known else (None, None)
    scores: dict[str, UnitScore] = {}
    for unit in units:
        parts = []
        for c in scheme.components:
            value = values.get(c.indicator, {}).get(unit)
            low, high = ranges[c.indicator]
            parts.append(Part(c.indicator, c.area, c.weight, value, scale(c, value, low, high)))
        raw = _weighted_mean(parts)
        # The score is kept to 2 decimals, and ranks and bands use that same number, so a district
        # shown as 50,00 is never banded as if it had 49,998.
        score = None if raw is None else round(raw, 2)
        used_weight = sum(p.weight for p in parts if p.scaled is not None)
        parts = [
            replace(p, share=p.weight * p.scaled / used_weight) if p.scaled is not None and used_weight else p
            for p in parts
        ]
        used = sum(1 for p in parts if p.scaled is not None)
        ranked = score is not None and used >= scheme.min_indicators_to_rank
        scores[unit] = UnitScore(
            unit=unit,
            score=score,
            used=used,
            total=len(parts),
            ranked=ranked,
            rank=None,
            band=band_of(scheme, score) if ranked else None,
            areas={area: _weighted_mean([p for p in parts if p.area == area]) for area in scheme.areas},
            parts=tuple(parts),
        )
    ranks = stats.competition_ranks({u: s.score for u, s in scores.items() if s.ranked}, True)
    return {u: replace(s, rank=ranks.get(u)) for u, s in scores.items()}


def ranking(scores: Mapping[str, UnitScore]) -> list[UnitScore]:
    """Ranked districts first (best first), then the unranked ones by score, then those with none."""
    return sorted(
        scores.values(),
        key=lambda s: (not s.ranked, s.rank or 0, -(s.score if s.score is not None else -1), s.unit),
    )


def what_if(
    scheme: Scheme,
    values: Mapping[str, Mapping[str, float]],
    units: Iterable[str],
    *,
    unit: str,
    changes: Mapping[str, float],
) -> dict[str, UnitScore]:
    """All scores again with some of `unit`'s figures replaced: the min-max ranges move too."""
    changed = {code: dict(by_unit) for code, by_unit in values.items()}
    for code, value in changes.items():
        changed.setdefault(code, {})[unit] = value
    return score_year(scheme, changed, units)


def rank_changes(current: Mapping[str, UnitScore], previous: Mapping[str, UnitScore]) -> dict[str, int | None]:
    """Places gained since the previous year (positive = moved up); None unless ranked both years."""
    changes = {}
    for unit, now in current.items():
        before = previous.get(unit)
        changes[unit] = before.rank - now.rank if now.rank and before is not None and before.rank else None
    return changes


@dataclass(frozen=True)
class Improvement:
    unit: str
    change: float  # raw year-on-year change of the figure
    gain: float  # the change in the better direction: > 0 is better


def most_improved(
    current: Mapping[str, float], previous: Mapping[str, float], higher_is_better: bool | None, *, limit: int = 5
) -> list[Improvement]:
    """Units whose figure got better the most, in the indicator's direction (fewer overdue is better).

    Only units with a figure in both years count; neutral indicators have no "better".
    """
    if higher_is_better is None:
        return []
    found = []
    for unit, now in current.items():
        before = previous.get(unit)
        if before is None or now is None:
            continue
        delta = float(now) - float(before)
        gain = delta if higher_is_better else -delta
        if gain > 0:
            found.append(Improvement(unit, delta, gain))
    found.sort(key=lambda i: (-i.gain, i.unit))
    return found[:limit]


def target_status(
    value: float | None, target: float | None, higher_is_better: bool | None, qualifier: str = "exact"
) -> str | None:
    """MET, CLOSE or FAR against a target; None without a figure, target or direction.

    A figure "gần 80%" (approximately, just under) equal to the target has not quite met it; "hơn 80%"
    has. Close means within CLOSE_SHARE of the target value.
    """
    if value is None or target is None or higher_is_better is None:
        return None
    value, target = float(value), float(target)
    margin = abs(target) * CLOSE_SHARE
    if higher_is_better:
        met = value > target or (value == target and qualifier != "approximately")
        if met:
            return MET
        return CLOSE if value >= target - margin else FAR
    met = value < target or (value == target and qualifier != "more_than")
    if met:
        return MET
    return CLOSE if value <= target + margin else FAR


def crosses(date, years: Sequence[int]) -> bool:
    """Whether a chart over `years` has figures on both sides of `date`.

    A year's figures belong to the units in force on its last day, so the figures for the year of a
    reorganisation come after it: 2025 belongs to the communes formed on 01/07/2025, and a chart of
    2025–2026 crosses nothing, while one of 2024–2025 does.
    """
    if not years:
        return False
    return min(years) < date.year <= max(years)


def year_position(date) -> float:
    """Where a date sits on a year axis whose tick for a year stands for the whole year, so the year
    runs from half a tick before it to half a tick after: 1 January 2025 -> 2024.5, 1 July 2025 ->
    about 2025.0. A reorganisation in mid-2025 then cuts through the 2025 figures, as it does."""
    day_of_year = date.timetuple().tm_yday
    days = 366 if calendar.isleap(date.year) else 365
    return round(date.year - 0.5 + (day_of_year - 1) / days, 3)


def target_for_year(targets: Iterable, year: int | None):
    """The target that applies to `year`: the earliest one set for that year or later, else None.

    A 2025 target is the goal for 2021-2025; it says nothing about 2026. Each target has `.year`.
    """
    if year is None:
        return None
    ahead = [t for t in targets if t.year is not None and t.year >= year]
    return min(ahead, key=lambda t: t.year) if ahead else None
