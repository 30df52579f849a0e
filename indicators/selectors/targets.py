"""Targets: the lines on the charts and each figure's progress against its target."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from indicators.domain import scoring
from indicators.domain.formatting import format_figure
from indicators.domain.series import Point, TargetLine
from indicators.models import AdministrativeUnit, Indicator, Target


def target_label(indicator: Indicator, target: Target) -> str:
    sign = {True: "≥ ", False: "≤ "}.get(indicator.higher_is_better, "")
    figure = format_figure(target.value, unit_kind=indicator.unit_kind, decimals=indicator.decimals)
    return _("Mục tiêu %(year)s: %(sign)s%(figure)s") % {"year": target.year, "sign": sign, "figure": figure}


def target_line(indicator: Indicator, target: Target) -> TargetLine:
    return TargetLine(float(target.value), target_label(indicator, target), target.year)


def province_target_lines(*, indicator: Indicator) -> list[TargetLine]:
    """The targets set for every district (unit left empty) of one indicator (one query)."""
    return [target_line(indicator, t) for t in Target.objects.filter(indicator=indicator, unit__isnull=True)]


@dataclass
class Progress:
    target: Target
    label: str
    status: str | None


def progress_for(*, indicator: Indicator, target: Target | None, point: Point | None) -> Progress | None:
    if target is None:
        return None
    status = (
        scoring.target_status(point.value, target.value, indicator.higher_is_better, point.qualifier)
        if point is not None
        else None
    )
    return Progress(target, target_label(indicator, target), status)


def ranking_progress(
    *, indicator: Indicator, ranking: Sequence[tuple[int | None, Point]], target_line
) -> dict[str, str | None]:
    """Each district's status (met / close / far) against the ranking year's target, by unit code."""
    if target_line is None:
        return {}
    return {
        p.unit_code: scoring.target_status(p.value, target_line.value, indicator.higher_is_better, p.qualifier)
        for _rank, p in ranking
    }


def unit_progress(*, unit: AdministrativeUnit, groups) -> dict[str, Progress]:
    """Progress of the unit's latest figure of each indicator against its target (one query).

    The unit's own target wins over one set for every district.
    """
    by_indicator = defaultdict(list)
    for t in Target.objects.filter(Q(unit=unit) | Q(unit__isnull=True)).order_by("year"):
        by_indicator[t.indicator_id].append(t)
    progress = {}
    for _area, rows in groups:
        for row in rows:
            if row.latest is None:
                continue
            targets = by_indicator.get(row.indicator.pk, [])
            own = [t for t in targets if t.unit_id == unit.pk]
            target = scoring.target_for_year(own, row.latest.year) or scoring.target_for_year(
                [t for t in targets if t.unit_id is None], row.latest.year
            )
            found = progress_for(indicator=row.indicator, target=target, point=row.latest)
            if found:
                progress[row.indicator.code] = found
    return progress


def target_list() -> QuerySet[Target]:
    """Every target for the managers' list, by indicator and year (one query)."""
    return Target.objects.select_related("indicator", "unit", "source").order_by("indicator__code", "year")


def target_lookup() -> QuerySet[Target]:
    """The targets a target is looked up in, with what its delete page names."""
    return Target.objects.select_related("indicator", "unit")
