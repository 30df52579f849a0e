"""The read model: what the selectors return and the presentation draws. Plain frozen data, no ORM."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Point:
    """One published figure, as the charts and tables need it."""

    unit_code: str
    unit_name: str
    year: int
    value: Decimal
    qualifier: str
    is_demo: bool
    source_code: str = ""
    source_title: str = ""
    quote: str = ""
    indicator_id: int | None = None
    # The unit's id: a code alone names two units in two periods ("80": Long An, then Tây Ninh).
    unit_id: int | None = None


@dataclass(frozen=True)
class Measure:
    """How an indicator's numbers are written and read."""

    name: str
    unit_kind: str
    decimals: int
    higher_is_better: bool | None
    unit_label: str = ""


@dataclass(frozen=True)
class Series:
    """One unit's figures by year. `began` is set for a unit created by a reorganisation, whose
    series is drawn apart from the units it replaced."""

    unit_code: str
    unit_name: str
    points: dict[int, Point]
    began: date | None = None


@dataclass(frozen=True)
class BandYear:
    year: int
    p25: float | None
    median: float | None
    p75: float | None
    count: int


@dataclass(frozen=True)
class TargetLine:
    """A target drawn across a chart: `label` says which year it is for and by whom it was set."""

    value: float
    label: str
    year: int | None = None


@dataclass(frozen=True)
class EventMark:
    """An event (a decree, the 2025 reorganisation) as a vertical line on a time axis."""

    date: date
    title: str
    kind: str = "other"
