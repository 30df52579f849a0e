"""Freshness: when each unit's figures were last updated against the reporting deadlines.

Every function here makes a fixed number of queries, whatever the number of districts and years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import AdministrativeUnit, IndicatorValue, ReportingDeadline, Source
from indicators.selectors import common


@dataclass
class Freshness:
    year: int
    figures: int
    last_update: object
    due_on: date | None
    status: str  # on_time / late / overdue / not_due / no_deadline

    @property
    def status_label(self) -> str:
        return {
            "on_time": _("Đúng hạn"),
            "late": _("Cập nhật sau hạn"),
            "overdue": _("Quá hạn, chưa có số liệu"),
            "not_due": _("Chưa đến hạn"),
            "no_deadline": _("Không có hạn báo cáo"),
        }[self.status]


def _freshness(year, figures, last, due_on, today) -> Freshness:
    if due_on is None:
        status = "no_deadline"
    elif figures:
        status = "on_time" if timezone.localdate(last) <= due_on else "late"
    else:
        status = "overdue" if today > due_on else "not_due"
    return Freshness(year, figures, last, due_on, status)


def unit_freshness(*, unit: AdministrativeUnit, include_demo: bool) -> list[Freshness]:
    """Per year the unit existed and a deadline is set: when its figures were last updated (two queries).

    Deadlines are for the districts' yearly reports; other levels get nothing (and no query).
    """
    if unit.level != AdministrativeUnit.Level.DISTRICT:
        return []
    deadlines = dict(ReportingDeadline.objects.values_list("year", "due_on"))
    values = IndicatorValue.objects.published().filter(unit=unit).without_demo(not include_demo)
    facts = {
        row["year"]: row
        for row in values.order_by().values("year").annotate(figures=Count("id"), last=Max("updated_at"))
    }
    years = sorted(set(facts) | {y for y in deadlines if common.exists_in(unit, y)})
    today = timezone.localdate()
    return [
        _freshness(
            y,
            facts.get(y, {}).get("figures", 0),
            facts.get(y, {}).get("last"),
            deadlines.get(y),
            today,
        )
        for y in years
    ]


def overdue_reports(*, province: AdministrativeUnit, include_demo: bool) -> list[dict]:
    """Districts past a reporting deadline with no published figure for that year, by year (two queries).

    One query reads the deadlines; a second reads the districts with one conditional count per
    deadline year, so the number of queries stays two however many districts and years there are.
    """
    today = timezone.localdate()
    deadlines = [d for d in ReportingDeadline.objects.order_by("-year") if d.due_on < today]
    if not deadlines:
        return []
    published = Q(values__status=IndicatorValue.Status.APPROVED)
    if not include_demo:
        published &= ~Q(values__source__kind=Source.Kind.SYNTHETIC_DEMO)
    counts = {f"n{d.year}": Count("values", filter=published & Q(values__year=d.year)) for d in deadlines}
    districts = list(AdministrativeUnit.objects.filter(parent=province).districts().annotate(**counts).order_by("name"))
    found = []
    for d in deadlines:
        missing = [u for u in districts if common.exists_in(u, d.year) and getattr(u, f"n{d.year}") == 0]
        if missing:
            found.append({"year": d.year, "due_on": d.due_on, "units": missing})
    return found
