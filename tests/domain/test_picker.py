"""The unit picker's option groups (presentation/picker.py): pure, from unsaved units, no database."""

from dataclasses import dataclass, field
from datetime import date

from indicators.models import AdministrativeUnit
from indicators.presentation.picker import picker_groups

REFORM = date(2025, 7, 1)


def unit(pk, code, name, level, *, valid_from=None, valid_to=None):
    return AdministrativeUnit(pk=pk, code=code, name=name, level=level, valid_from=valid_from, valid_to=valid_to)


@dataclass
class Group:  # what selectors.unit_periods.group_units gives: a label and its units
    label: str
    units: list = field(default_factory=list)


COMMUNES = Group("96 xã, phường", [unit(1, "28159", "Xã Cần Giuộc", "commune", valid_from=REFORM)])
DISTRICTS = Group(
    "15 huyện của Tỉnh Long An (80, đến 30/06/2025)",
    [
        unit(2, "807", "Huyện Cần Giuộc", "district", valid_to=date(2025, 6, 30)),
        unit(3, "805", "Huyện Tân Trụ", "district", valid_to=date(2025, 6, 30)),
    ],
)


def test_the_pages_groups_keep_their_order_labels_and_units():
    groups = picker_groups([COMMUNES, DISTRICTS], [DISTRICTS.units[0]])
    assert [g.label for g in groups] == ["96 xã, phường", "15 huyện của Tỉnh Long An (80, đến 30/06/2025)"]
    assert [[o.code for o in g.options] for g in groups] == [["28159"], ["807", "805"]]
    assert [o.code for g in groups for o in g.options if o.selected] == ["807"]


def test_each_option_carries_its_folded_search_key():
    (communes, districts) = picker_groups([COMMUNES, DISTRICTS], [])
    assert districts.options[0].search == "huyen can giuoc 807"
    assert communes.options[0].search == "xa can giuoc 28159"


def test_an_option_is_named_as_the_query_string_names_its_unit():
    (group,) = picker_groups([DISTRICTS], [], ref=lambda u: f"{u.code}@2024")
    assert [o.code for o in group.options] == ["807@2024", "805@2024"]
