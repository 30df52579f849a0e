"""Read side of data entry: a user's units × years and one unit-year's form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import permissions
from indicators.models import ENTRY_LEVELS, YEAR_MAX, YEAR_MIN, AdministrativeUnit, Indicator, IndicatorValue, Source

ENTRY_UNITS_PER_PAGE = 20
# A unit-year's overall status is the first of these that any of its figures has.
OVERALL_ORDER = (
    IndicatorValue.Status.RETURNED,
    IndicatorValue.Status.DRAFT,
    IndicatorValue.Status.SUBMITTED,
    IndicatorValue.Status.APPROVED,
)


def entry_years(unit: AdministrativeUnit, *, today: date | None = None) -> list[int]:
    """The years a unit's figures may be entered for, newest first: from ENTRY_FIRST_YEAR to this
    year, within the years the unit reports for (a district to 2024, a commune from 2025)."""
    today = today or timezone.localdate()
    first, last = unit.reporting_years
    first = max(settings.ENTRY_FIRST_YEAR, first or YEAR_MIN)
    last = min(today.year, last or YEAR_MAX)
    return list(range(last, first - 1, -1))


def entry_year_error(unit: AdministrativeUnit, year: int, *, today: date | None = None) -> str | None:
    """Why `year` of `unit` cannot be entered (in the user's language), or None if it can."""
    problem = unit.year_error(year)
    if problem:
        return problem
    today = today or timezone.localdate()
    if year > today.year:
        return _("Chưa nhập được số liệu năm %(year)d: năm đó chưa bắt đầu.") % {"year": year}
    if year < settings.ENTRY_FIRST_YEAR:
        return _("Số liệu được nhập trên hệ thống từ năm %(first)d.") % {"first": settings.ENTRY_FIRST_YEAR}
    return None


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

    Units in force today come first (communes since 2025), then the districts before them. Each row
    counts the indicators of its unit's level. Queries: the page of units (with a count), the number of
    indicators per level, and one for all the values of those units; so the count does not grow with
    units or years.
    """
    units = AdministrativeUnit.objects.filter(pk__in=permissions.managed_unit_ids(user)).order_by(
        F("valid_from").desc(nulls_last=True), "code"
    )
    page_obj = Paginator(units, ENTRY_UNITS_PER_PAGE).get_page(page)
    page_units = list(page_obj.object_list)
    totals = indicator_counts()
    rows = {}
    for unit in page_units:
        for year in entry_years(unit):
            rows[(unit.pk, year)] = UnitYearStatus(unit=unit, year=year, total=totals[unit.level])
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
    levels = sorted({unit.level for unit in page_units}, key=ENTRY_LEVELS.index)
    return {
        "page_obj": page_obj,
        "rows": list(rows.values()),
        "indicator_counts": [(AdministrativeUnit.Level(level).label, totals[level]) for level in levels],
    }


def indicator_counts() -> dict[str, int]:
    """How many indicators each level reports (one query)."""
    counts = Indicator.objects.aggregate(
        **{level: Count("pk", filter=Q(**{f"applies_to_{level}": True})) for level in AdministrativeUnit.Level.values}
    )
    return {level: counts[level] or 0 for level in AdministrativeUnit.Level.values}


@dataclass
class EntryLine:
    """One indicator on the yearly form: the stored value (if any) and last year's."""

    indicator: Indicator
    current: IndicatorValue | None
    previous: IndicatorValue | None


def entry_form_data(*, unit: AdministrativeUnit, year: int) -> dict:
    """Every indicator of the unit's level with this year's and last year's value of the unit (three queries)."""
    indicators = list(
        Indicator.objects.for_level(unit.level).select_related("area").order_by("area__order", "order", "code")
    )
    by_id = {i.pk: i for i in indicators}
    current, previous = {}, {}
    for value in IndicatorValue.objects.filter(unit=unit, year__in=(year, year - 1)).select_related(
        "source", "updated_by"
    ):
        if value.indicator_id not in by_id:
            continue  # a figure of an indicator the level no longer reports: not on the form
        value.indicator = by_id[value.indicator_id]  # already loaded: no query per value
        value.unit = unit
        (current if value.year == year else previous)[value.indicator_id] = value
    sources = list(Source.objects.citable_for(unit).order_by("title"))
    lines = [EntryLine(indicator=i, current=current.get(i.pk), previous=previous.get(i.pk)) for i in indicators]
    return {"lines": lines, "sources": sources}
