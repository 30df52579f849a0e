"""Read side of data entry: a user's units × years and one unit-year's form."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.utils import timezone

from indicators import permissions
from indicators.models import YEAR_MAX, YEAR_MIN, AdministrativeUnit, Indicator, IndicatorValue, Source

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
    sources = list(Source.objects.citable_for(unit).order_by("title"))
    lines = [EntryLine(indicator=i, current=current.get(i.pk), previous=previous.get(i.pk)) for i in indicators]
    return {"lines": lines, "sources": sources}
