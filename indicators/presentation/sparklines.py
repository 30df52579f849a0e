"""SVG sparklines: the geometry of the small trend lines on a unit's page. Pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from indicators.domain import scoring
from indicators.domain.series import EventMark, Point


def sparkline_points(values: Sequence[float | None], *, width: int = 120, height: int = 28) -> str:
    """SVG polyline points for a sparkline; a gap splits the line into separate runs ("|")."""
    known = [v for v in values if v is not None]
    if not known:
        return ""
    low, high = min(known), max(known)
    span = (high - low) or 1.0
    step = width / max(1, len(values) - 1)
    runs, run = [], []
    for index, value in enumerate(values):
        if value is None:
            if run:
                runs.append(run)
            run = []
            continue
        y = height - 2 - (value - low) / span * (height - 4)
        run.append(f"{index * step:.1f},{y:.1f}")
    if run:
        runs.append(run)
    return "|".join(" ".join(r) for r in runs)


@dataclass(frozen=True)
class SparklineEvent:
    x: float
    event: EventMark


def sparkline_events(events: Sequence[EventMark], years: Sequence[int], *, width: int = 120) -> list[SparklineEvent]:
    """Where the events that fall between the first and the last year sit on the sparklines, whose
    points are the `years` evenly spaced (the same scale as sparkline_points)."""
    if len(years) < 2:
        return []
    step = width / (len(years) - 1)
    marks = []
    for event in events:
        position = scoring.year_position(event.date)
        for index, (year, following) in enumerate(pairwise(years)):
            if year <= position < following:
                marks.append(SparklineEvent(round((index + (position - year) / (following - year)) * step, 1), event))
                break
    return marks


def trend_runs(trend: Sequence[Point | None]) -> list[str]:
    """The polylines of a unit's trend, one per run of consecutive years with a figure."""
    points = sparkline_points([float(p.value) if p else None for p in trend])
    return [run for run in points.split("|") if run]
