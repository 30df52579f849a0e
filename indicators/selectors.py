"""Read side: what each page needs, shaped for charts and tables. Keyword-only, typed arguments."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from indicators import imports, permissions
from indicators.models import YEAR_MAX, YEAR_MIN, AdministrativeUnit, Indicator, IndicatorValue, Source


def unknown_codes(*, model: type[AdministrativeUnit] | type[Indicator], codes: Sequence[str]) -> list[str]:
    """The codes among `codes` that name no row of `model` (one query)."""
    if not codes:
        return []
    known = set(model.objects.filter(code__in=codes).values_list("code", flat=True))
    return [code for code in codes if code not in known]


def export_values(
    *,
    unit_codes: Sequence[str] = (),
    indicator_codes: Sequence[str] = (),
    year_from: int | None = None,
    year_to: int | None = None,
    include_demo: bool = True,
) -> QuerySet[IndicatorValue]:
    """Approved values for the open-data export, with unit, indicator and source in the same query."""
    return (
        IndicatorValue.objects.published()
        .for_units(unit_codes)
        .for_indicators(indicator_codes)
        .for_years(year_from, year_to)
        .without_demo(not include_demo)
        .for_export()
    )


def home_page() -> dict:
    """The province's units and the figures quoted from texts (non-demo), for the home page."""
    units = list(
        AdministrativeUnit.objects.filter(is_synthetic=False).select_related("parent").order_by("level", "code")
    )
    quoted = list(
        IndicatorValue.objects.published()
        .without_demo()
        .exclude(quote="")
        .select_related("indicator", "unit", "source")
        .order_by("unit__code", "indicator__area__order", "indicator__order")
    )
    return {"units": units, "quoted_values": quoted}


# --- Entry and review (issue 4) ----------------------------------------------------------------

ENTRY_UNITS_PER_PAGE = 20
OVERALL_ORDER = ("returned", "draft", "submitted", "approved")


def entry_years(unit: AdministrativeUnit, *, today: date | None = None) -> list[int]:
    """The years a unit's figures may be entered for, newest first: from ENTRY_FIRST_YEAR to this
    year, within the unit's validity (Long An's districts end in 2025)."""
    today = today or timezone.localdate()
    first = max(settings.ENTRY_FIRST_YEAR, unit.valid_from.year if unit.valid_from else YEAR_MIN)
    last = min(today.year, unit.valid_to.year if unit.valid_to else YEAR_MAX)
    return list(range(last, first - 1, -1))


@dataclass
class UnitYearStatus:
    unit: AdministrativeUnit
    year: int
    total: int
    counts: dict[str, int] = field(default_factory=dict)
    demo: int = 0
    last_change: datetime | None = None
    last_changed_by: str = ""

    @property
    def entered(self) -> int:
        return sum(self.counts.values())

    @property
    def status_counts(self) -> list[tuple[str, int]]:
        return [(IndicatorValue.Status(s).label, self.counts[s]) for s in OVERALL_ORDER if self.counts.get(s)]

    @property
    def overall(self) -> str:
        """The status that needs attention first; "empty" when nothing real has been entered."""
        for status in OVERALL_ORDER:
            if self.counts.get(status):
                return status
        return "empty"


def entry_overview(*, user, page: int | str | None = 1) -> dict:
    """The user's units × years with completeness, statuses and the last change, one page of units.

    Queries: the page of units (with a count), the number of indicators, and one for all the values
    of those units; so the count does not grow with units or years.
    """
    units = AdministrativeUnit.objects.filter(pk__in=permissions.managed_unit_ids(user)).order_by("code")
    page_obj = Paginator(units, ENTRY_UNITS_PER_PAGE).get_page(page)
    page_units = list(page_obj.object_list)
    total = Indicator.objects.count()
    rows = {}
    for unit in page_units:
        for year in entry_years(unit):
            rows[(unit.pk, year)] = UnitYearStatus(unit=unit, year=year, total=total)
    first_year = min((y for _u, y in rows), default=YEAR_MAX)
    values = IndicatorValue.objects.filter(unit__in=page_units, year__gte=first_year).values_list(
        "unit_id", "year", "status", "source__kind", "updated_at", "updated_by__username"
    )
    for unit_id, year, status, source_kind, updated_at, username in values:
        row = rows.get((unit_id, year))
        if row is None:
            continue
        if source_kind == Source.Kind.SYNTHETIC_DEMO:
            row.demo += 1
            continue
        row.counts[status] = row.counts.get(status, 0) + 1
        if row.last_change is None or updated_at > row.last_change:
            row.last_change, row.last_changed_by = updated_at, username or ""
    return {"page_obj": page_obj, "rows": list(rows.values()), "indicator_count": total}


@dataclass
class EntryLine:
    """One indicator on the yearly form: the stored value (if any) and last year's."""

    indicator: Indicator
    current: IndicatorValue | None
    previous: IndicatorValue | None


def entry_form_data(*, unit: AdministrativeUnit, year: int) -> dict:
    """Every indicator with this year's and last year's value of the unit (three queries)."""
    indicators = list(Indicator.objects.select_related("area").order_by("area__order", "order", "code"))
    by_id = {i.pk: i for i in indicators}
    current, previous = {}, {}
    for value in IndicatorValue.objects.filter(unit=unit, year__in=(year, year - 1)).select_related(
        "source", "updated_by"
    ):
        value.indicator = by_id[value.indicator_id]  # already loaded: no query per value
        value.unit = unit
        (current if value.year == year else previous)[value.indicator_id] = value
    sources = list(Source.objects.exclude(kind=Source.Kind.SYNTHETIC_DEMO).order_by("title"))
    lines = [EntryLine(indicator=i, current=current.get(i.pk), previous=previous.get(i.pk)) for i in indicators]
    return {"lines": lines, "sources": sources}


def review_queue() -> list[dict]:
    """Unit-years with figures waiting for review, oldest change first (one query)."""
    return list(
        IndicatorValue.objects.filter(status=IndicatorValue.Status.SUBMITTED)
        .values("unit__code", "unit__name", "year")
        .annotate(count=Count("id"), last_change=Max("updated_at"))
        .order_by("last_change", "unit__code", "year")
    )


@dataclass
class ReviewLine:
    indicator: Indicator
    current: IndicatorValue | None
    last_approved: dict | None  # the latest approved historical version: value, qualifier, date
    by_year: dict[int, IndicatorValue]


def review_unit_year(*, unit: AdministrativeUnit, year: int) -> dict:
    """One unit-year for review: each indicator's value, its last approved version, and the unit's other
    years (three queries: indicators, all the unit's values, the approved history of this year's values).
    """
    indicators = list(Indicator.objects.select_related("area").order_by("area__order", "order", "code"))
    by_indicator: dict[int, dict[int, IndicatorValue]] = {}
    years = set()
    by_id = {i.pk: i for i in indicators}
    for value in IndicatorValue.objects.filter(unit=unit).select_related("source", "updated_by"):
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
    submitted = [line.current for line in lines if line.current and line.current.status == "submitted"]
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
    from indicators.formatting import format_number

    if raw in (None, ""):
        return None
    if name == "status":
        return str(IndicatorValue.Status(raw).label)
    if name == "qualifier":
        return str(IndicatorValue.Qualifier(raw).label)
    if name == "value":
        number = Decimal(raw).normalize()
        return format_number(number, max(0, -number.as_tuple().exponent))
    return str(raw)


def history_reason_label(reason: str | None) -> str:
    from django.utils.translation import gettext as _

    labels = {
        "saved": _("lưu nháp"),
        "submitted": _("gửi thẩm định"),
        "approved": _("duyệt"),
        "returned": _("trả lại"),
        "deleted": _("xóa"),
        "imported": _("nhập từ tệp"),
    }
    return labels.get(reason or "", reason or "")


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


def import_context(*, table, user=None) -> imports.ImportContext:
    """The lookups that imports.check_rows needs for this file, in a fixed number of queries.

    `user` None means the shell command, which may import for every unit.
    """
    unit_codes, years = set(), set()
    for _number, row in table.rows:
        unit_codes.add(imports._text(row.get("unit_code")))
        with contextlib.suppress(InvalidOperation, ValueError):
            years.add(int(Decimal(imports._text(row.get("year")))))
    units = {}
    for pk, code, valid_from, valid_to in AdministrativeUnit.objects.filter(code__in=unit_codes).values_list(
        "pk", "code", "valid_from", "valid_to"
    ):
        units[code] = imports.UnitInfo(
            pk, code, valid_from.year if valid_from else None, valid_to.year if valid_to else None
        )
    indicators = {i.code: i for i in Indicator.objects.all()}
    sources = {}
    for pk, code, kind in Source.objects.values_list("pk", "code", "kind"):
        sources[code] = (pk, kind == Source.Kind.SYNTHETIC_DEMO)
    wanted_years = years | {y - 1 for y in years}
    existing = {}
    unit_ids = [u.pk for u in units.values()]
    for chunk_start in range(0, len(unit_ids), 500):
        chunk = unit_ids[chunk_start : chunk_start + 500]
        for row in IndicatorValue.objects.filter(unit_id__in=chunk, year__in=wanted_years).values_list(
            "indicator_id", "unit_id", "year", "pk", "status", "source__kind", "value", "version"
        ):
            indicator_id, unit_id, year, pk, status, kind, number, version = row
            existing[(indicator_id, unit_id, year)] = imports.Existing(
                pk, status, kind == Source.Kind.SYNTHETIC_DEMO, number, version
            )
    editable = None if user is None else permissions.managed_unit_ids(user)
    return imports.ImportContext(
        units=units, indicators=indicators, sources=sources, editable_unit_ids=editable, existing=existing
    )
