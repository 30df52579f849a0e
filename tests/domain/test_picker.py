"""The unit picker's option groups (presentation/picker.py): pure, from unsaved units, no database."""

from datetime import date

from indicators.models import AdministrativeUnit
from indicators.presentation.picker import picker_groups

REFORM = date(2025, 7, 1)


def unit(code, name, level, *, valid_from=None, valid_to=None):
    return AdministrativeUnit(code=code, name=name, level=level, valid_from=valid_from, valid_to=valid_to)


UNITS = [
    unit("28159", "Xã Cần Giuộc", "commune", valid_from=REFORM),
    unit("807", "Huyện Cần Giuộc", "district", valid_to=date(2025, 6, 30)),
    unit("27694", "Phường Tân An", "commune", valid_from=REFORM),
    unit("805", "Huyện Tân Trụ", "district", valid_to=date(2025, 6, 30)),
]


def test_units_are_grouped_by_level_and_period_the_districts_first():
    groups = picker_groups(UNITS, ["807", "27694"])
    assert [g.label for g in groups] == [
        "Cấp huyện, đến 30/06/2025 (số liệu đến năm 2024)",
        "Cấp xã, từ 01/07/2025 (số liệu từ năm 2025)",
    ]
    assert [[o.code for o in g.options] for g in groups] == [["807", "805"], ["28159", "27694"]]
    assert [o.code for g in groups for o in g.options if o.selected] == ["807", "27694"]


def test_each_option_carries_its_folded_search_key():
    (districts, communes) = picker_groups(UNITS, [])
    assert districts.options[0].search == "huyen can giuoc 807"
    assert communes.options[1].search == "phuong tan an 27694"


def test_a_unit_valid_throughout_has_a_group_without_dates():
    (group,) = picker_groups([unit("01", "Thành phố Hà Nội", "province")], [])
    assert group.label == "Tỉnh / thành phố"
