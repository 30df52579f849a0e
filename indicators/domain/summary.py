"""A headline over many units' figures: median, best, worst, change on the year before. Pure, no database.

The rules keep a card from saying more than its figures allow:
- a median, a best and a worst need at least MIN_UNITS units with a figure: the median of one
  district is that district, and it would be both the best and the worst;
- the best and the worst are never the same unit, nor two units with the same figure;
- a figure given as "gần 95%" or "hơn 31%" is not a number to subtract: a median that rests on one
  carries its qualifier, and no change is computed from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from indicators.domain import stats
from indicators.domain.series import Point

# Fewer units than this and a median, a best or a worst says nothing about the province.
MIN_UNITS = 3
EXACT = "exact"


@dataclass(frozen=True)
class Summary:
    reported: int  # units with a figure
    median: float | None = None  # None when fewer than MIN_UNITS units reported
    # "exact", or the qualifier the median rests on ("approximately" when its two middle figures differ).
    median_qualifier: str = EXACT
    best: Point | None = None
    worst: Point | None = None

    @property
    def too_few(self) -> bool:
        """Some units reported, but too few for a median."""
        return 0 < self.reported < MIN_UNITS

    @property
    def is_exact(self) -> bool:
        return self.median_qualifier == EXACT


def summarize(points: Sequence[Point], higher_is_better: bool | None, *, min_units: int = MIN_UNITS) -> Summary:
    """The median of the units' figures and the best and worst unit (none for a neutral indicator)."""
    if len(points) < min_units:
        return Summary(reported=len(points))
    ordered = sorted(points, key=lambda p: (p.value, p.unit_code))
    middle = len(ordered) // 2
    resting_on = ordered[middle : middle + 1] if len(ordered) % 2 else ordered[middle - 1 : middle + 1]
    qualifiers = {p.qualifier or EXACT for p in resting_on}
    if qualifiers == {EXACT}:
        qualifier = EXACT
    elif len(qualifiers) == 1:
        qualifier = qualifiers.pop()
    else:  # "gần 95" beside "hơn 96": only roughly between them
        qualifier = "approximately"
    best = worst = None
    if higher_is_better is not None:
        order = stats.better_first({p.unit_code: p.value for p in points}, higher_is_better)
        by_code = {p.unit_code: p for p in points}
        first, last = by_code[order[0]], by_code[order[-1]]
        if first.value != last.value:  # all equal: nobody is best or worst
            best, worst = first, last
    return Summary(
        reported=len(points),
        median=stats.percentile([p.value for p in points], 0.5),
        median_qualifier=qualifier,
        best=best,
        worst=worst,
    )


@dataclass(frozen=True)
class Change:
    delta: float | None
    # Why there is no delta although both years have a median: one rests on a qualified figure.
    not_exact: bool = False


def median_change(now: Summary, before: Summary) -> Change:
    """The change of the median on the year before: none when either year has no median, and none
    (with `not_exact`) when either median rests on a qualified figure ("gần 95%" is not 95)."""
    if now.median is None or before.median is None:
        return Change(None)
    if not (now.is_exact and before.is_exact):
        return Change(None, not_exact=True)
    return Change(float(Decimal(str(now.median)) - Decimal(str(before.median))))
