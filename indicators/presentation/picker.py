"""The searchable unit picker: the units a page compares, as option groups by level and period.

Pure: it reads the groups of units the page has already loaded (no queries), so a page's query count
does not change with it.
The template (templates/includes/unit_select.html) writes a plain <select multiple name="units">
that works without JavaScript; static/js/unit-picker.js turns it into a search box with chips.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter

from indicators.domain.text import search_key


@dataclass(frozen=True)
class PickerOption:
    code: str  # what ?units= carries: "807", or "80@2024" for a code that names two units
    name: str
    search: str  # the folded words a search looks in (domain.text.search_key)
    selected: bool


@dataclass
class PickerGroup:
    label: str
    options: list[PickerOption] = field(default_factory=list)


def picker_groups(
    unit_groups: Iterable, selected: Iterable, *, ref: Callable = attrgetter("code")
) -> list[PickerGroup]:
    """One option group per ranking group of the page (selectors/unit_periods.group_units: the
    communes, then each old province's districts), in its order; `ref` writes a unit's ?units= value."""
    chosen = {unit.pk for unit in selected}
    return [
        PickerGroup(
            label=group.label,
            options=[
                PickerOption(
                    code=ref(unit),
                    name=unit.name,
                    search=search_key(unit.name, unit.code),
                    selected=unit.pk in chosen,
                )
                for unit in group.units
            ],
        )
        for group in unit_groups
    ]
