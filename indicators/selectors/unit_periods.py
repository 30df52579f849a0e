"""The units of a province in their periods: which level reports for a year, the groups units are
ranked in, how a unit is named without ambiguity, and which unit a URL's code names.

A year's figures belong to the units in force on its last day (AdministrativeUnit.reporting_in): for
2019–2024 the districts of the provinces that formed the province, from 2025 its communes. Ranks
are always among the units of one group, a unit's siblings (same parent, same level) that report
for the same year: before 2025 a district is ranked among its own old province's districts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators.domain import registry
from indicators.domain.text import collation_key, english_name
from indicators.domain.unit_refs import UnitRef
from indicators.models import AdministrativeUnit

# The first year whose figures belong to the communes: local government has two tiers from
# 01/07/2025, and a year's figures belong to the units in force on its last day.
TWO_TIER_FROM = registry.REFORM_DATE
FIRST_COMMUNE_YEAR = TWO_TIER_FROM.year


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


def sentence_name(unit: AdministrativeUnit) -> str:
    """A unit's name inside a sentence of the page's language: "Tỉnh Long An" in Vietnamese, "Long
    An province" in English ("the districts of Long An province", not "of Tỉnh Long An")."""
    return english_name(unit.name) if (get_language() or "").startswith("en") else unit.name


def unit_label(unit: AdministrativeUnit, *, in_sentence: bool = False) -> str:
    """A unit named without ambiguity: "Tỉnh Long An (80, đến 30/06/2025)", "Xã Cần Giuộc (28159, từ
    01/07/2025)"; `in_sentence`: its name as the page's language writes it in a sentence."""
    period = unit.period_text
    name = sentence_name(unit) if in_sentence else unit.name
    return f"{name} ({unit.code}, {period})" if period else f"{name} ({unit.code})"


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
            "parent": unit_label(self.parent, in_sentence=True),
        }

    @property
    def title(self) -> str:
        """ "15 huyện, Tỉnh Long An": short enough for a chart's title."""
        words = f"{len(self.units)} {level_plural(self.level)}"
        return f"{words}, {sentence_name(self.parent)}" if self.parent is not None else words

    @property
    def short_label(self) -> str:
        """ "huyện của Tỉnh Long An": the words a rank is followed by ("3/15 huyện của Tỉnh Long An")."""
        words = level_plural(self.level)
        if self.parent is None:
            return words
        return _("%(units)s của %(parent)s") % {"units": words, "parent": sentence_name(self.parent)}


_LEVEL_ORDER = {AdministrativeUnit.Level.COMMUNE: 0, AdministrativeUnit.Level.DISTRICT: 1}


def group_units(units: Iterable[AdministrativeUnit]) -> list[UnitGroup]:
    """Units by ranking, each group in the order given: the communes first (today's units), then
    each old province's districts, the main one first (Long An, then the former Tây Ninh: units
    from province_units carry `parent_is_main`), then the provinces themselves."""
    groups: dict[tuple, UnitGroup] = {}
    main: dict[tuple, bool] = {}
    # By name as people read it: the database orders "Xã Bến Cầu" after "Xã Bình Đức" (by bytes).
    units = sorted(units, key=lambda unit: (collation_key(unit.name), unit.valid_from or date.min))
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
