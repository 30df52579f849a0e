"""Freshness: when each unit's figures were last updated against the reporting deadlines.

Demo figures are never judged against a deadline: they are dated the day `manage.py demo_data`
ran, so judging them would call every year "late". A year is judged by its real figures alone;
a year with demo figures only says so. Every function here makes a fixed number of queries,
whatever the number of districts and years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.models import AdministrativeUnit, IndicatorValue, ReportingDeadline, Source
from indicators.selectors import common, unit_periods


@dataclass
class Freshness:
    year: int
    figures: int  # real figures (demo ones are counted apart)
    last_update: object  # of the real figures
    due_on: date | None
    status: str  # on_time / late / overdue / not_due / no_deadline / demo
    demo_figures: int = 0

    @property
    def status_label(self) -> str:
        return {
            "on_time": _("Đúng hạn"),
            "late": _("Cập nhật sau hạn"),
            "overdue": _("Quá hạn, chưa có số liệu"),
            "not_due": _("Chưa đến hạn"),
            "no_deadline": _("Không có hạn báo cáo"),
            "demo": _("Số liệu minh họa: không xét hạn"),
        }[self.status]


def _freshness(year, figures, last, due_on, today, demo_figures=0) -> Freshness:
    if due_on is None:
        status = "no_deadline"
    elif figures:
        status = "on_time" if timezone.localdate(last) <= due_on else "late"
    elif demo_figures:
        status = "demo"  # dated when the generator ran: no judgement either way
    else:
        status = "overdue" if today > due_on else "not_due"
    return Freshness(year, figures, last, due_on, status, demo_figures)


def unit_freshness(*, unit: AdministrativeUnit, include_demo: bool) -> list[Freshness]:
    """Per year the unit reports for and a deadline is set (or it has figures): when its figures were
    last updated (two queries).

    Deadlines are for the yearly reports of the units that report: districts to 2024, communes from
    2025. A province gets nothing (and no query).
    """
    if unit.level not in (AdministrativeUnit.Level.DISTRICT, AdministrativeUnit.Level.COMMUNE):
        return []
    deadlines = dict(ReportingDeadline.objects.values_list("year", "due_on"))
    values = IndicatorValue.objects.published().filter(unit=unit).without_demo(not include_demo)
    demo = Q(source__kind=Source.Kind.SYNTHETIC_DEMO)
    facts = {
        row["year"]: row
        for row in values.order_by()
        .values("year")
        .annotate(
            figures=Count("id", filter=~demo), demo=Count("id", filter=demo), last=Max("updated_at", filter=~demo)
        )
    }
    # A district existed in the first half of 2025, but 2025's report is the communes'.
    years = sorted(set(facts) | {y for y in deadlines if unit.reports_in(y)})
    today = timezone.localdate()
    return [
        _freshness(
            y,
            facts.get(y, {}).get("figures", 0),
            facts.get(y, {}).get("last"),
            deadlines.get(y),
            today,
            facts.get(y, {}).get("demo", 0),
        )
        for y in years
    ]


def overdue_reports(*, province: AdministrativeUnit) -> list[dict]:
    """Units past a reporting deadline with no real published figure for that year, by year (two
    queries): for each year, the units that report for it (the districts to 2024, the communes from 2025).

    Demo figures never count as a report, shown or hidden: a unit whose year holds only demo figures
    has not reported. One query reads the deadlines; a second reads the units with one conditional
    count per deadline year, so the number of queries stays two however many units and years there are.
    """
    today = timezone.localdate()
    deadlines = [d for d in ReportingDeadline.objects.order_by("-year") if d.due_on < today]
    if not deadlines:
        return []
    published = Q(values__status=IndicatorValue.Status.APPROVED) & ~Q(values__source__kind=Source.Kind.SYNTHETIC_DEMO)
    counts = {f"n{d.year}": Count("values", filter=published & Q(values__year=d.year)) for d in deadlines}
    units = common.by_name(common.province_units_query(province).annotate(**counts))
    found = []
    for d in deadlines:
        missing = [u for u in units if u.reports_in(d.year) and getattr(u, f"n{d.year}") == 0]
        if missing:
            found.append(
                {
                    "year": d.year,
                    "due_on": d.due_on,
                    "units": missing,
                    "units_word": unit_periods.units_of_year_text(d.year),
                }
            )
    return found
