"""Pure calculations on figures: percentiles, ranks, year-on-year change. No database."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any


def percentile(values: Iterable[float], share: float) -> float | None:
    """The `share` quantile (0..1) with linear interpolation, as numpy's default; None when empty."""
    ordered = sorted(float(v) for v in values)
    if not ordered:
        return None
    position = (len(ordered) - 1) * share
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def better_first(
    values: Mapping[str, Decimal], higher_is_better: bool | None, *, tie: Callable[[Any], Any] | None = None
) -> list[str]:
    """Keys ordered best first. A neutral indicator is ordered from highest to lowest. Equal values
    follow `tie(key)` (a unit's name in the alphabet's order, say), then the key."""
    descending = higher_is_better is not False
    return sorted(values, key=lambda key: (-values[key] if descending else values[key], tie(key) if tie else 0, key))


def competition_ranks(values: Mapping[str, Decimal], higher_is_better: bool | None) -> dict[str, int]:
    """1-based ranks, best first; ties share a rank ("1, 2, 2, 4"). Neutral indicators get no rank."""
    if higher_is_better is None:
        return {}
    ordered = better_first(values, higher_is_better)
    ranks: dict[str, int] = {}
    for position, key in enumerate(ordered, start=1):
        previous = ordered[position - 2] if position > 1 else None
        ranks[key] = ranks[previous] if previous is not None and values[previous] == values[key] else position
    return ranks


def change(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Year-on-year change, or None when either year is missing (a gap is not a zero)."""
    if current is None or previous is None:
        return None
    return current - previous


def is_improvement(delta: Decimal | None, higher_is_better: bool | None) -> bool | None:
    """Whether a change is good news; None when neutral, unchanged or unknown."""
    if delta is None or delta == 0 or higher_is_better is None:
        return None
    return (delta > 0) == higher_is_better


def rank_class(rank: int | None, count: int, buckets: int = 5) -> int | None:
    """Which fifth (1 = best .. 5 = worst) a rank falls in, for colouring a scorecard."""
    if rank is None or count <= 0:
        return None
    return min(buckets, 1 + (rank - 1) * buckets // count)
