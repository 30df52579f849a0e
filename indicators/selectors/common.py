"""What every public page reads: the province, the units it compares in each year, figures as points,
localized names, and how a URL names a unit whose code was reused.

The units compared are those in force at the end of each year (AdministrativeUnit.reporting_in):
for 2019–2024 the districts of the provinces that formed the province, from 2025 its communes.
Ranks are always among the units of one ranking: a unit's siblings (same parent, same level) that
report for the same year, so before 2025 a district is ranked among its own old province's districts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators.domain import registry, stats
from indicators.domain.formatting import UNIT_LABELS, format_figure
from indicators.domain.series import BandYear, Measure, Point
from indicators.domain.text import fold
from indicators.domain.unit_refs import UnitRef
from indicators.models import (
    AdministrativeUnit,
    Indicator,
    IndicatorValue,
    IndicatorValueQuerySet,
    Source,
    UnitSuccession,
)

# The first year whose figures belong to the communes: local government has two tiers from
# 01/07/2025, and a year's figures belong to the units in force on its last day.
TWO_TIER_FROM = registry.REFORM_DATE
FIRST_COMMUNE_YEAR = TWO_TIER_FROM.year


def unknown_codes(*, model: type[AdministrativeUnit] | type[Indicator], codes: Sequence[str]) -> list[str]:
    """The codes among `codes` that name no row of `model` (one query)."""
    if not codes:
        return []
    known = set(model.objects.filter(code__in=codes).values_list("code", flat=True))
    return [code for code in codes if code not in known]


def province(*, code: str | None = None) -> AdministrativeUnit:
    """The province whose units the public pages compare (settings.CCHC_PROVINCE_CODE): the unit
    with that code today, or the latest one ("80" is the new Tây Ninh, not Long An)."""
    return AdministrativeUnit.objects.by_code(code or settings.CCHC_PROVINCE_CODE)


def province_lineage(province: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The province and the provinces merged into it (Tây Ninh: itself, Long An and the former Tây Ninh)."""
    merged = AdministrativeUnit.objects.filter(
        successions__successor=province, level=AdministrativeUnit.Level.PROVINCE
    ).order_by("-successions__is_main", "code")
    return [province, *merged]


def province_units_query(
    province: AdministrativeUnit, *, levels: Sequence[str] | None = None
) -> QuerySet[AdministrativeUnit]:
    """Every unit the public pages compare for the province, in any year: the districts of the
    provinces that formed it (to 30/06/2025) and its own communes (from 01/07/2025).

    With `levels` (an indicator's), only the units of those levels; "province" adds the province
    and the provinces that formed it, for the indicators a province reports as one figure.
    """
    lineage = AdministrativeUnit.objects.filter(
        Q(pk=province.pk) | Q(successions__successor=province, level=AdministrativeUnit.Level.PROVINCE)
    ).values("pk")
    below = [AdministrativeUnit.Level.DISTRICT, AdministrativeUnit.Level.COMMUNE]
    if levels is None:
        return AdministrativeUnit.objects.filter(parent__in=lineage, level__in=below)
    wanted = Q(parent__in=lineage, level__in=[level for level in below if level in levels])
    if AdministrativeUnit.Level.PROVINCE in levels:
        wanted |= Q(pk__in=lineage)
    return AdministrativeUnit.objects.filter(wanted)


def province_units(
    *, province: AdministrativeUnit, year: int | None = None, levels: Sequence[str] | None = None
) -> list[AdministrativeUnit]:
    """The units compared, by name, each with its parent (one query); with `year`, only those that
    report for it (districts to 2024, communes from 2025); with `levels`, only those levels."""
    # Whether the unit's parent is the main province that formed this one (Long An for Tây Ninh):
    # its districts are listed first, without another query for the lineage.
    main_parent = UnitSuccession.objects.filter(predecessor=OuterRef("parent"), successor=province, is_main=True)
    units = (
        province_units_query(province, levels=levels)
        .select_related("parent")
        .annotate(parent_is_main=Exists(main_parent))
    )
    if year is not None:
        units = units.reporting_in(year)
    return list(units.order_by("name", "valid_from"))


# The name kept for the callers written when the province compared its districts only.
province_districts = province_units


_POINT_FIELDS = (
    "indicator_id",
    "unit_id",
    "unit__code",
    "unit__name",
    "year",
    "value",
    "qualifier",
    "source__kind",
    "source__code",
    "source__title",
    "quote",
)


def points_of(values: QuerySet[IndicatorValue], *, union: QuerySet[IndicatorValue] | None = None) -> list[Point]:
    """Figures as chart points, read as plain tuples: building model instances costs three times more.

    `union` adds a second set of figures in the same query (UNION ALL).
    """
    rows = values.values_list(*_POINT_FIELDS)
    if union is not None:  # SQLite refuses ORDER BY inside a UNION, so the parts go unordered
        rows = rows.order_by().union(union.order_by().values_list(*_POINT_FIELDS), all=True)
    return [
        Point(
            indicator_id=indicator_id,
            unit_id=unit_id,
            unit_code=unit_code,
            unit_name=unit_name,
            year=year,
            value=value,
            qualifier=qualifier,
            is_demo=kind == Source.Kind.SYNTHETIC_DEMO,
            source_code=source_code or "",
            source_title=source_title or "",
            quote=quote,
        )
        for (
            indicator_id,
            unit_id,
            unit_code,
            unit_name,
            year,
            value,
            qualifier,
            kind,
            source_code,
            source_title,
            quote,
        ) in rows
    ]


def measure_of(indicator: Indicator) -> Measure:
    return Measure(
        name=localized(indicator, "name"),
        unit_kind=indicator.unit_kind,
        decimals=indicator.decimals,
        higher_is_better=indicator.higher_is_better,
        unit_label=str(UNIT_LABELS.get(indicator.unit_kind, "")),
    )


def localized(obj, field: str) -> str:
    """The English text of a field when the page is in English and one exists, else the Vietnamese."""
    if get_language() == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


def point_text(point: Point, indicator: Indicator) -> str:
    """A figure as a table shows it: "gần 95%". Done here, not in a template tag, for long tables."""
    return format_figure(
        point.value, unit_kind=indicator.unit_kind, decimals=indicator.decimals, qualifier=point.qualifier
    )


def band_by_year(points: Sequence[Point]) -> list[BandYear]:
    """Median and 25th/75th percentiles of all units, year by year."""
    by_year = defaultdict(list)
    for p in points:
        by_year[p.year].append(float(p.value))
    return [
        BandYear(
            year=year,
            p25=stats.percentile(values, 0.25),
            median=stats.percentile(values, 0.5),
            p75=stats.percentile(values, 0.75),
            count=len(values),
        )
        for year, values in sorted(by_year.items())
    ]


def default_line_units(*, points: Sequence[Point], year: int | None, higher_is_better, count: int = 2) -> list:
    """The best and the worst `count` units in `year` (their ids), for a line chart nobody has configured yet."""
    latest = {p.unit_id: p.value for p in points if p.year == year}
    ordered = stats.better_first(latest, higher_is_better)
    if len(ordered) <= 2 * count:
        return ordered
    return ordered[:count] + ordered[-count:]


def successor_units(*, codes: Sequence[str]) -> list[AdministrativeUnit]:
    """The units that took over from the units with `codes`, other than those units themselves, each
    once with `succeeded_on`, the date of its first succession among them (one query)."""
    return list(
        AdministrativeUnit.objects.filter(predecessions__predecessor__code__in=codes)
        .exclude(code__in=codes)
        .annotate(succeeded_on=Min("predecessions__date"))
        .order_by("name")
    )


def successors_of(*, units: Sequence[AdministrativeUnit]) -> list[AdministrativeUnit]:
    """The units that took over from `units` (other than those units themselves), each once with
    `succeeded_on`, the date of its first succession among them, and `is_main_successor`; the main
    successors first (one query)."""
    ids = [unit.pk for unit in units]
    if not ids:
        return []
    main = UnitSuccession.objects.filter(successor=OuterRef("pk"), predecessor__in=ids, is_main=True)
    found = (
        AdministrativeUnit.objects.filter(predecessions__predecessor__in=ids)
        .exclude(pk__in=ids)
        .select_related("parent")
        .annotate(succeeded_on=Min("predecessions__date"), is_main_successor=Exists(main))
        .order_by("-is_main_successor", "name", "valid_from")
    )
    return list(found)


def province_values(*, province: AdministrativeUnit, include_demo: bool) -> IndicatorValueQuerySet:
    return (
        IndicatorValue.objects.published().filter(unit__in=districts_subquery(province)).without_demo(not include_demo)
    )


def districts_subquery(
    province: AdministrativeUnit, *, levels: Sequence[str] | None = None
) -> QuerySet[AdministrativeUnit]:
    """The province's units as a subquery: `unit IN (...)` lets the database use the value indexes
    on unit, where a join on the unit's parent made it scan every value at national scale."""
    return province_units_query(province, levels=levels).values("pk")


def series_start(unit: AdministrativeUnit, years: Sequence[int]) -> date | None:
    """When a unit's series begins inside a chart over `years` (a commune from 01/07/2025 on a
    2019–2026 axis): its start (or, for a unit recorded without one, the date it succeeded another),
    so that the chart draws it apart from the units before it; None when it covers the whole axis."""
    start = unit.valid_from or getattr(unit, "succeeded_on", None)
    if start is None or not years:
        return None
    return start if min(years) < start.year else None


def reports_within(unit: AdministrativeUnit, year_from: int | None, year_to: int | None) -> bool:
    """Whether the unit reports for at least one year of [year_from, year_to] (either end open)."""
    first, last = unit.reporting_years
    low = max(first if first is not None else -(10**6), year_from if year_from is not None else -(10**6))
    high = min(last if last is not None else 10**6, year_to if year_to is not None else 10**6)
    return low <= high


def exists_in(unit: AdministrativeUnit, year: int) -> bool:
    """Whether the unit existed at some time during `year` (its validity dates overlap the year)."""
    return (unit.valid_from is None or unit.valid_from <= date(year, 12, 31)) and (
        unit.valid_to is None or unit.valid_to >= date(year, 1, 1)
    )


def shown_year(year: int | None, years: Sequence[int]) -> int | None:
    """The year a page shows: the one asked for when it has figures, else the latest of `years` (sorted)."""
    if year is None or year not in years:
        return years[-1] if years else None
    return year


# --- Levels and rankings --------------------------------------------------------------------


def level_of_year(year: int) -> str:
    """The level whose units report for `year`: the districts to 2024, the communes from 2025."""
    return AdministrativeUnit.Level.COMMUNE if year >= FIRST_COMMUNE_YEAR else AdministrativeUnit.Level.DISTRICT


def level_plural(level: str) -> str:
    """ "huyện", "xã, phường", "tỉnh": the units of a level as a sentence names them."""
    return {
        AdministrativeUnit.Level.PROVINCE: _("tỉnh"),
        AdministrativeUnit.Level.DISTRICT: _("huyện"),
        AdministrativeUnit.Level.COMMUNE: _("xã, phường"),
    }.get(level, "")


def units_of_year_text(year: int | None) -> str:
    """ "huyện" for 2019–2024, "xã, phường" from 2025: how a heading names the units of a year."""
    return level_plural(level_of_year(year)) if year is not None else _("đơn vị")


def unit_label(unit: AdministrativeUnit) -> str:
    """A unit named without ambiguity: "Tỉnh Long An (80, đến 30/06/2025)", "Xã Cần Giuộc (28159, từ 01/07/2025)"."""
    period = unit.period_text
    return f"{unit.name} ({unit.code}, {period})" if period else f"{unit.name} ({unit.code})"


def display_names(units: Iterable[AdministrativeUnit]) -> dict[int, str]:
    """Each unit's name as a chart's legend writes it: its name, or, where another of `units` has the
    same name (Long An's and the former Tây Ninh's "Huyện Châu Thành"; "Tỉnh Tây Ninh" 72 and 80), its
    name with its code and period."""
    units = list(units)
    seen = defaultdict(int)
    for unit in units:
        seen[unit.name] += 1
    return {unit.pk: unit_label(unit) if seen[unit.name] > 1 else unit.name for unit in units}


@dataclass
class UnitGroup:
    """Units that are ranked together: one parent's units of one level (Long An's 15 districts,
    the former Tây Ninh's 9, the new Tây Ninh's 96 communes)."""

    parent: AdministrativeUnit | None
    level: str
    units: list[AdministrativeUnit] = field(default_factory=list)

    @property
    def key(self) -> tuple[int | None, str]:
        return (self.parent.pk if self.parent else None, self.level)

    @property
    def label(self) -> str:
        """ "15 huyện của Tỉnh Long An (80, đến 30/06/2025)"."""
        words = level_plural(self.level)
        if self.parent is None:
            return f"{len(self.units)} {words}"
        return _("%(count)d %(units)s của %(parent)s") % {
            "count": len(self.units),
            "units": words,
            "parent": unit_label(self.parent),
        }

    @property
    def title(self) -> str:
        """ "15 huyện, Tỉnh Long An": short enough for a chart's title."""
        words = f"{len(self.units)} {level_plural(self.level)}"
        return f"{words}, {self.parent.name}" if self.parent is not None else words

    @property
    def short_label(self) -> str:
        """ "huyện của Tỉnh Long An": the words a rank is followed by ("3/15 huyện của Tỉnh Long An")."""
        words = level_plural(self.level)
        if self.parent is None:
            return words
        return _("%(units)s của %(parent)s") % {"units": words, "parent": self.parent.name}


_LEVEL_ORDER = {AdministrativeUnit.Level.COMMUNE: 0, AdministrativeUnit.Level.DISTRICT: 1}


def group_units(units: Iterable[AdministrativeUnit]) -> list[UnitGroup]:
    """Units by ranking, each group in the order given: the communes first (today's units), then
    each old province's districts, the main one first (Long An, then the former Tây Ninh: units
    from province_units carry `parent_is_main`), then the provinces themselves."""
    groups: dict[tuple, UnitGroup] = {}
    main: dict[tuple, bool] = {}
    # By name as people read it: the database orders "Xã Bến Cầu" after "Xã Bình Đức" (by bytes).
    units = sorted(units, key=lambda unit: (fold(unit.name), unit.name, unit.valid_from or date.min))
    for unit in units:
        key = group_key(unit)
        if key not in groups:
            groups[key] = UnitGroup(parent=unit.parent if unit.parent_id else None, level=unit.level)
            main[key] = bool(getattr(unit, "parent_is_main", False))
        groups[key].units.append(unit)
    return sorted(
        groups.values(),
        key=lambda g: (
            _LEVEL_ORDER.get(g.level, 2),
            not main[g.key],
            g.parent.code if g.parent else "",
            g.key[0] or 0,
        ),
    )


def group_key(unit: AdministrativeUnit) -> tuple[int | None, str]:
    return (unit.parent_id, unit.level)


# --- Naming a unit in a URL -----------------------------------------------------------------


class UnitRefError(Exception):
    """A unit named in a query string that is not among the units a page compares, or is not in
    force in the years it shows. The message says which, in the visitor's language."""


def years_text(year_from: int | None, year_to: int | None) -> str:
    if year_from is not None and year_to is not None:
        return _("các năm %(first)d–%(last)d") % {"first": year_from, "last": year_to}
    if year_from is not None:
        return _("từ năm %(first)d") % {"first": year_from}
    if year_to is not None:
        return _("đến năm %(last)d") % {"last": year_to}
    return _("mọi năm")


def reporting_text(unit: AdministrativeUnit) -> str:
    """The years a unit reports for, as words: "đến năm 2024", "từ năm 2025"."""
    first, last = unit.reporting_years
    if first is not None and last is not None:
        return _("từ năm %(first)d đến năm %(last)d") % {"first": first, "last": last}
    if last is not None:
        return _("đến năm %(last)d") % {"last": last}
    if first is not None:
        return _("từ năm %(first)d") % {"first": first}
    return _("mọi năm")


def _latest_first(unit: AdministrativeUnit):
    return (unit.valid_from is not None, unit.valid_from or date.min)


def resolve_unit_refs(
    refs: Sequence[UnitRef],
    *,
    units: Sequence[AdministrativeUnit],
    year_from: int | None = None,
    year_to: int | None = None,
    year: int | None = None,
) -> list[AdministrativeUnit]:
    """The units among `units` (those a page compares) that `refs` name, in order, each once.

    A bare code is the unit with that code in force in `year` (the page's year), else the latest
    one that reports within [year_from, year_to]; "80@2024" is the one that reported for 2024.
    Raises UnitRefError, naming both periods, for a unit valid only outside the page's years.
    """
    by_code = defaultdict(list)
    for unit in units:
        by_code[unit.code].append(unit)
    found, unknown = [], []
    for ref in refs:
        candidates = by_code.get(ref.code)
        if not candidates:
            unknown.append(str(ref))
            continue
        if ref.year is not None:
            named = [u for u in candidates if u.reports_in(ref.year)]
            if not named:
                raise UnitRefError(
                    _("Mã %(ref)s: không có đơn vị mã %(code)s báo cáo số liệu năm %(year)d. Mã này là: %(units)s.")
                    % {
                        "ref": ref,
                        "code": ref.code,
                        "year": ref.year,
                        "units": "; ".join(
                            _("%(unit)s: số liệu %(span)s") % {"unit": unit_label(u), "span": reporting_text(u)}
                            for u in candidates
                        ),
                    }
                )
            in_span = [u for u in named if reports_within(u, year_from, year_to)]
        else:
            named = candidates
            in_span = [u for u in candidates if reports_within(u, year_from, year_to)]
        if not in_span:
            unit = max(named, key=_latest_first)
            raise UnitRefError(
                _("%(unit)s chỉ có số liệu %(span)s, không có số liệu %(page)s.")
                % {"unit": unit_label(unit), "span": reporting_text(unit), "page": years_text(year_from, year_to)}
            )
        in_year = [u for u in in_span if year is not None and u.reports_in(year)]
        unit = in_year[0] if in_year else max(in_span, key=_latest_first)
        if unit not in found:
            found.append(unit)
    if unknown:
        raise UnitRefError(
            _("Không có đơn vị mang mã %(codes)s trong các đơn vị được so sánh.") % {"codes": ", ".join(unknown[:5])}
        )
    return found


def shared_codes() -> frozenset[str]:
    """The official codes that name more than one unit, in different periods ("80": Long An, then
    Tây Ninh). A link to such a unit names its period too (one query)."""
    return frozenset(
        AdministrativeUnit.objects.order_by()
        .values("code")
        .annotate(units=Count("pk"))
        .filter(units__gt=1)
        .values_list("code", flat=True)
    )


def link_year(unit: AdministrativeUnit) -> int | None:
    """A year the unit reports for, to name it in a URL: its last one, else its first."""
    first, last = unit.reporting_years
    if last is not None and (first is None or first <= last):
        return last
    return first
