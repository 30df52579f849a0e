"""The searchable unit picker: the units a page compares, as option groups by level and period.

Pure: it reads the units it is given (no queries), so a page's query count does not change with it.
The template (templates/includes/unit_select.html) writes a plain <select multiple name="units">
that works without JavaScript; static/js/unit-picker.js turns it into a search box with chips.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from indicators.domain.text import search_key

LEVEL_ORDER = {"province": 0, "district": 1, "commune": 2}
# Open-ended validity sorts before any start date and after any end date.
_EARLIEST, _LATEST = date.min, date.max


@dataclass(frozen=True)
class PickerOption:
    code: str
    name: str
    search: str  # the folded words a search looks in (domain.text.search_key)
    selected: bool


@dataclass
class PickerGroup:
    label: str
    options: list[PickerOption] = field(default_factory=list)


def group_label(unit) -> str:
    """ "Cấp huyện, đến 30/06/2025 (số liệu đến năm 2024)", "Cấp xã, từ 01/07/2025 (số liệu từ năm 2025)"."""
    first, last = unit.reporting_years
    if first and last:
        years = _("số liệu %(first)d–%(last)d") % {"first": first, "last": last}
    elif last:
        years = _("số liệu đến năm %(last)d") % {"last": last}
    elif first:
        years = _("số liệu từ năm %(first)d") % {"first": first}
    else:
        years = ""
    label = unit.get_level_display()
    if unit.period_text:
        label = f"{label}, {unit.period_text}"
    return f"{label} ({years})" if years else str(label)


def picker_groups(units: Iterable, selected_codes: Sequence[str]) -> list[PickerGroup]:
    """The units in groups of one level and one period of validity, the earlier period first
    (the districts to 2024, then the communes from 2025); within a group, in the order given."""
    chosen = set(selected_codes)
    groups: dict[tuple, PickerGroup] = {}
    for unit in units:
        key = (LEVEL_ORDER.get(unit.level, 9), unit.valid_from or _EARLIEST, unit.valid_to or _LATEST, unit.level)
        group = groups.get(key)
        if group is None:
            group = groups[key] = PickerGroup(label=group_label(unit))
        group.options.append(
            PickerOption(
                code=unit.code, name=unit.name, search=search_key(unit.name, unit.code), selected=unit.code in chosen
            )
        )
    return [groups[key] for key in sorted(groups, key=lambda k: (k[1], k[0], k[2]))]
