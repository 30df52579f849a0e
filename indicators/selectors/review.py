"""Read side of review: the queue, one unit-year, and a value's history as people read it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Max

from indicators.domain.formatting import format_exact
from indicators.models import AdministrativeUnit, HistoryReason, Indicator, IndicatorValue


def review_queue() -> list[dict]:
    """Unit-years with figures waiting for review, oldest change first (one query).

    A unit-year outside its unit's validity (a district's 2025, say, entered before that was refused)
    cannot be approved: it carries the reason, `closed`, instead of a link.
    """
    rows = list(
        IndicatorValue.objects.filter(status=IndicatorValue.Status.SUBMITTED)
        .values("unit__code", "unit__name", "unit__valid_from", "unit__valid_to", "year")
        .annotate(count=Count("id"), last_change=Max("updated_at"))
        .order_by("last_change", "unit__code", "year")
    )
    for row in rows:
        unit = AdministrativeUnit(
            name=row["unit__name"], valid_from=row["unit__valid_from"], valid_to=row["unit__valid_to"]
        )
        row["closed"] = unit.year_error(row["year"])
    return rows


@dataclass
class ReviewLine:
    indicator: Indicator
    current: IndicatorValue | None
    last_approved: dict | None  # the latest approved historical version: value, qualifier, date
    by_year: dict[int, IndicatorValue]


def review_unit_year(*, unit: AdministrativeUnit, year: int) -> dict:
    """One unit-year for review: each indicator of the unit's level with its value, its last approved
    version, and the unit's other years (three queries: indicators, all the unit's values, the approved
    history of this year's values).
    """
    indicators = list(
        Indicator.objects.for_level(unit.level).select_related("area").order_by("area__order", "order", "code")
    )
    by_indicator: dict[int, dict[int, IndicatorValue]] = {}
    years = set()
    by_id = {i.pk: i for i in indicators}
    for value in IndicatorValue.objects.filter(unit=unit, indicator__in=indicators).select_related(
        "source", "updated_by"
    ):
        value.indicator = by_id[value.indicator_id]
        value.unit = unit
        by_indicator.setdefault(value.indicator_id, {})[value.year] = value
        years.add(value.year)
    current_ids = [v[year].pk for v in by_indicator.values() if year in v]
    approved = {}
    for record in (
        IndicatorValue.history.filter(id__in=current_ids, status=IndicatorValue.Status.APPROVED)
        .order_by("id", "-history_date", "-history_id")
        .values("id", "value", "qualifier", "history_date")
    ):
        approved.setdefault(record["id"], record)
    lines = []
    for indicator in indicators:
        values = by_indicator.get(indicator.pk, {})
        current = values.get(year)
        last = approved.get(current.pk) if current else None
        lines.append(ReviewLine(indicator=indicator, current=current, last_approved=last, by_year=values))
    submitted = [
        line.current for line in lines if line.current and line.current.status == IndicatorValue.Status.SUBMITTED
    ]
    other_years = sorted(y for y in years if y != year)
    return {"lines": lines, "submitted": submitted, "other_years": other_years}


HISTORY_FIELDS = ("value", "qualifier", "status", "source", "quote", "note", "review_comment")


@dataclass
class HistoryEntry:
    record: object
    changes: list[tuple[str, object, object]]  # (field label, before, after), ready to print
    reason: str = ""


def _history_text(name: str, raw) -> str | None:
    """A historical field value as people read it: labels for codes, numbers in the page's convention."""
    if raw in (None, ""):
        return None
    if name == "status":
        return str(IndicatorValue.Status(raw).label)
    if name == "qualifier":
        return str(IndicatorValue.Qualifier(raw).label)
    if name == "value":
        return format_exact(Decimal(raw))
    return str(raw)


def history_reason_label(reason: str | None) -> str:
    """The reason a history row was written, in the reader's language; an unknown one as it was stored."""
    try:
        return HistoryReason(reason).label
    except ValueError:
        return reason or ""


def value_history(*, value: IndicatorValue) -> list[HistoryEntry]:
    """Every recorded version of a value, oldest first, with what changed from the one before (one query)."""
    records = list(value.history.select_related("history_user", "source").order_by("history_date", "history_id"))
    entries, before = [], None
    for record in records:
        changes = []
        for name in HISTORY_FIELDS:
            after_value = getattr(record, name)
            before_value = getattr(before, name) if before is not None else None
            if before is None or before_value != after_value:
                if before is None and after_value in ("", None):
                    continue
                label = str(IndicatorValue._meta.get_field(name).verbose_name)
                changes.append((label, _history_text(name, before_value), _history_text(name, after_value)))
        entries.append(
            HistoryEntry(record=record, changes=changes, reason=history_reason_label(record.history_change_reason))
        )
        before = record
    return entries
