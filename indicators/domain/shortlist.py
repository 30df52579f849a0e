"""A long ranking cut to what a chart can show: the top, the bottom and the units someone chose.

96 communes (168 in the largest province) do not fit one bar chart a person can read. The chart
shows the first and last few and every chosen unit, in rank order, with a gap row saying how many
units it leaves out between them; the full ranking stays one click away as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

TOP = 5
BOTTOM = 5
FULL_UP_TO = 25
"""A ranking of at most this many units is shown whole (a province's districts, say)."""


@dataclass(frozen=True)
class Shown(Generic[T]):
    rank: int | None
    item: T
    chosen: bool


@dataclass(frozen=True)
class Gap:
    hidden: int  # how many units of the ranking are left out here


def shortlist(
    ranking: Sequence[tuple[int | None, T]],
    *,
    chosen: Sequence[str],
    code_of,
    top: int = TOP,
    bottom: int = BOTTOM,
    full_up_to: int = FULL_UP_TO,
) -> list[Shown[T] | Gap]:
    """`ranking` (best first, as (rank, item) pairs) with only the first `top`, the last `bottom` and
    the `chosen` units (their codes, read from each item by `code_of`), in the ranking's order, and a
    Gap wherever units are left out. A ranking of at most `full_up_to` units comes back whole."""
    chosen_codes = set(chosen)
    rows: list[Shown[T] | Gap] = []
    keep_all = len(ranking) <= full_up_to
    hidden = 0
    for index, (rank, item) in enumerate(ranking):
        is_chosen = code_of(item) in chosen_codes
        if keep_all or index < top or index >= len(ranking) - bottom or is_chosen:
            if hidden:
                rows.append(Gap(hidden))
                hidden = 0
            rows.append(Shown(rank, item, is_chosen))
        else:
            hidden += 1
    if hidden:
        rows.append(Gap(hidden))
    return rows


def is_cut(rows: Sequence[Shown | Gap]) -> bool:
    """Whether a shortlist leaves any unit out."""
    return any(isinstance(row, Gap) for row in rows)
