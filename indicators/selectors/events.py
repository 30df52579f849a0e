"""Events (decrees, the 2025 reorganisation) for the time axes. One query."""

from __future__ import annotations

from collections.abc import Sequence

from indicators.domain import scoring
from indicators.domain.series import EventMark
from indicators.models import Event
from indicators.selectors import common


def event_marks() -> list[EventMark]:
    """Every event, for the time axes (one query)."""
    return [EventMark(e.date, common.localized(e, "title"), e.kind) for e in Event.objects.order_by("date")]


def crossing_warnings(events: Sequence[EventMark], years: Sequence[int]) -> list[EventMark]:
    """The reorganisations a chart over `years` has figures on both sides of."""
    return [e for e in events if e.kind == Event.Kind.REORGANISATION and scoring.crosses(e.date, years)]
