"""Read side of review: the queue, one unit-year, and a value's history as people read it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Max

from indicators.domain import text, validation
from indicators.domain.formatting import format_exact, format_figure
from indicators.models import AdministrativeUnit, HistoryReason, Indicator, IndicatorValue
from indicators.presentation.review import format_change

EXACT = IndicatorValue.Qualifier.EXACT


def review_queue() -> list[dict]:
    """Unit-years with figures waiting for review, oldest change first (one query).

    Plain rows for the queue's table (presentation/review_tables.py), which sorts and pages them:
    `code`, `name`, `year`, `count` (figures waiting), `last_change` (the latest of their changes)
    and `name_key`, what "by unit" sorts on (ICU's Vietnamese order). A unit-year outside its unit's
    validity (a district's 2025, say, entered before that was refused) cannot be approved: it carries
    the reason, `closed`, instead of a link.
    """
    rows = list(
        IndicatorValue.objects.filter(status=IndicatorValue.Status.SUBMITTED)
        .values(
            "year",
            code=F("unit__code"),
            name=F("unit__name"),
            valid_from=F("unit__valid_from"),
            valid_to=F("unit__valid_to"),
        )
        .annotate(count=Count("id"), last_change=Max("updated_at"))
        .order_by("last_change", "code", "year")
    )
    for row in rows:
        unit = AdministrativeUnit(name=row["name"], valid_from=row.pop("valid_from"), valid_to=row.pop("valid_to"))
        row["closed"] = unit.year_error(row["year"])
        row["name_key"] = text.collation_key(row["name"])  # the Vietnamese alphabet, type word ignored
    return rows


@dataclass
class PreviousFigure:
    """The figure a waiting one is compared with: an approved one, never a draft."""

    year: int
    value: Decimal
    qualifier: str
    is_demo: bool
    same_year: bool  # an approved earlier version of this very figure (a correction), not another year's
    text: str = ""  # written as the page writes figures, with its qualifier ("gần 95%")


@dataclass
class YearCell:
    """One of the unit's other years, as the comparison shows it: approved, or marked as not yet."""

    year: int
    value: IndicatorValue | None

    @property
    def approved(self) -> bool:
        return self.value is not None and self.value.status == IndicatorValue.Status.APPROVED


@dataclass
class ReviewLine:
    indicator: Indicator
    current: IndicatorValue | None
    last_approved: dict | None  # the latest approved historical version: value, qualifier, date
    by_year: dict[int, IndicatorValue]
    previous: PreviousFigure | None = None
    change: str = ""
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    years: list[YearCell] = field(default_factory=list)

    @property
    def waiting(self) -> bool:
        return self.current is not None and self.current.status == IndicatorValue.Status.SUBMITTED


def _previous_figure(line: ReviewLine, year: int) -> PreviousFigure | None:
    """What a figure replaces: its own last approved version if it had one, else the unit's latest
    approved earlier year, a real figure before a demo one (a demo figure is no baseline, but better
    than none if it is all there is, and it stays marked as demo)."""
    if line.last_approved is not None:
        record = line.last_approved
        return PreviousFigure(year, record["value"], record["qualifier"], is_demo=False, same_year=True)
    earlier = [
        v
        for y, v in sorted(line.by_year.items(), reverse=True)
        if y < year and v.status == IndicatorValue.Status.APPROVED
    ]
    chosen = next((v for v in earlier if not v.is_demo), None) or next(iter(earlier), None)
    if chosen is None:
        return None
    return PreviousFigure(chosen.year, chosen.value, chosen.qualifier, is_demo=chosen.is_demo, same_year=False)


def review_unit_year(*, unit: AdministrativeUnit, year: int) -> dict:
    """One unit-year for review (three queries: indicators, all the unit's values, the approved history
    of this year's values).

    Each indicator of the unit's level with its value, its previous approved figure and the change,
    the cross-field and year-on-year checks the entry form ran (recomputed on the figures as they are
    now: a waiting figure is locked, so these are the warnings its unit confirmed to save it), and the
    unit's other years, where only approved figures count and anything else is marked. The lines come
    sorted for the page: `waiting` (submitted), `others` (this year's other real figures), `missing`
    and `demo` (demo figures, kept apart and labelled).
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
    other_years = sorted(y for y in years if y != year)
    lines = []
    for indicator in indicators:
        values = by_indicator.get(indicator.pk, {})
        current = values.get(year)
        last = approved.get(current.pk) if current else None
        lines.append(
            ReviewLine(
                indicator=indicator,
                current=current,
                last_approved=last,
                by_year=values,
                years=[YearCell(y, values.get(y)) for y in other_years],
            )
        )
    _add_checks(lines, year)
    for line in lines:
        if not line.waiting:
            continue
        line.previous = _previous_figure(line, year)
        if line.previous is not None:
            line.previous.text = format_figure(
                line.previous.value,
                unit_kind=line.indicator.unit_kind,
                decimals=line.indicator.decimals,
                qualifier=line.previous.qualifier,
            )
            line.change = format_change(
                line.current.value - line.previous.value,
                unit_kind=line.indicator.unit_kind,
                decimals=line.indicator.decimals,
                approximate=not (line.current.qualifier == EXACT == line.previous.qualifier),
            )
    waiting = [line for line in lines if line.waiting]
    demo = [line for line in lines if line.current is not None and line.current.is_demo]
    missing = [line for line in lines if line.current is None]
    others = [line for line in lines if line.current is not None and not line.waiting and not line.current.is_demo]
    return {
        "lines": waiting + others + missing + demo,
        "waiting": waiting,
        "others": others,
        "missing": missing,
        "demo": demo,
        "demo_sources": list({line.current.source_id: line.current.source for line in demo}.values()),
        "submitted": [line.current for line in waiting],
        "flagged": [line for line in waiting if line.errors or line.warnings],
        "other_years": other_years,
    }


def _add_checks(lines: list[ReviewLine], year: int) -> None:
    """The entry form's checks on this year's real figures: the cross-field relations over all of them,
    and the 3x year-on-year check of each waiting figure against last year's approved real one."""
    current = {line.indicator.code: line.current.value for line in lines if line.current and not line.current.is_demo}
    roles = {line.indicator.code: line.indicator.role for line in lines}
    problems = validation.cross_field_problems(current, roles)
    waiting = {line.indicator.code: line.current.value for line in lines if line.waiting}
    last_year = {}
    for line in lines:
        before = line.by_year.get(year - 1)
        if before is not None and not before.is_demo and before.status == IndicatorValue.Status.APPROVED:
            last_year[line.indicator.code] = before.value
    kinds = {line.indicator.code: line.indicator.unit_kind for line in lines}
    problems.merge(validation.outlier_warnings(waiting, last_year, kinds))
    for line in lines:
        line.errors = list(problems.errors.get(line.indicator.code, []))
        line.warnings = list(problems.warnings.get(line.indicator.code, []))


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
