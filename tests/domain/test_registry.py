"""The official registry read from the vietnamadminunits package: the real data, no database."""

from collections import Counter
from datetime import date

import pytest

from indicators.domain import registry


@pytest.fixture(scope="module")
def tay_ninh():
    return registry.province("80")


def test_the_country_has_34_provinces_and_3321_communes_after_the_reform():
    provinces = registry.provinces()
    assert len(provinces) == 34
    communes = [c for p in provinces for c in registry.province(p.code).communes]
    assert len(communes) == 3321
    assert registry.kind_counts(communes) == Counter({"xa": 2621, "phuong": 687, "dac-khu": 13})
    sizes = {p.code: len(registry.province(p.code).communes) for p in provinces}
    assert (sizes["79"], sizes["38"], sizes["01"]) == (168, 166, 126)
    assert max(sizes.values()) == 168


def test_before_the_reform_63_provinces_696_districts_and_10040_communes():
    assert len(registry.legacy_provinces()) == 63
    regions = [registry.province(p.code) for p in registry.provinces()]
    assert sum(len(r.old_provinces) for r in regions) == 63
    assert sum(len(r.districts) for r in regions) == 696
    # 10,040 rows in the package: 10,035 communes and 5 island districts that had none.
    assert sum(len(r.old_communes) for r in regions) == 10035


def test_new_tay_ninh_is_code_80_with_96_communes(tay_ninh):
    p = tay_ninh.province
    assert (p.code, p.name, p.short_name, p.level, p.kind) == ("80", "Tỉnh Tây Ninh", "Tây Ninh", "province", "tinh")
    assert (p.valid_from, p.valid_to) == (date(2025, 7, 1), None)
    assert len(tay_ninh.communes) == 96
    assert registry.kind_counts(tay_ninh.communes) == Counter({"xa": 82, "phuong": 14})
    assert all(c.parent_code == "80" and c.valid_from == date(2025, 7, 1) for c in tay_ninh.communes)


def test_new_tay_ninh_was_formed_from_long_an_80_and_the_former_tay_ninh_72(tay_ninh):
    old = {p.code: (p.name, p.valid_to) for p in tay_ninh.old_provinces}
    assert old == {"72": ("Tỉnh Tây Ninh", date(2025, 6, 30)), "80": ("Tỉnh Long An", date(2025, 6, 30))}
    long_an = [d for d in tay_ninh.districts if d.parent_code == "80"]
    assert len(long_an) == 15
    assert [d.code for d in long_an] == [str(c) for c in range(794, 809)]
    assert len([d for d in tay_ninh.districts if d.parent_code == "72"]) == 9


def test_can_giuoc_district_went_to_five_named_communes(tay_ninh):
    successors = tay_ninh.successors_of_district("807")
    assert [s.commune_code for s in successors] == ["28159", "28165", "28177", "28201", "28207"]
    names = {c.code: c.name for c in tay_ninh.communes}
    assert [names[s.commune_code] for s in successors] == [
        "Xã Cần Giuộc",
        "Xã Phước Lý",
        "Xã Mỹ Lộc",
        "Xã Phước Vĩnh Tây",
        "Xã Tân Tập",
    ]
    assert sum(len(s.old_communes) for s in successors) == 15  # all of the district's communes
    # Five equal shares of three communes: the main one took the district's seat, Thị trấn Cần Giuộc.
    assert [s.commune_code for s in successors if s.is_main] == ["28159"]
    assert "28159" in next(s for s in successors if s.is_main).old_communes


def test_tan_tru_district_went_mainly_to_tan_tru(tay_ninh):
    successors = {s.commune_code: s for s in tay_ninh.successors_of_district("805")}
    assert set(successors) == {"28075", "28087", "28093"}  # Tân Trụ, Nhựt Tảo, Vàm Cỏ
    assert [code for code, s in successors.items() if s.is_main] == ["28075"]
    assert len(successors["28075"].old_communes) == 4


def test_a_new_commune_names_the_districts_it_came_from(tay_ninh):
    assert [s.district_code for s in tay_ninh.districts_of_commune("28159")] == ["807"]
    # Nhựt Tảo: three communes of Tân Trụ and part of Nhị Thành (Thủ Thừa district).
    came_from = {s.district_code: s for s in tay_ninh.districts_of_commune("28087")}
    assert set(came_from) == {"804", "805"}
    assert came_from["804"].part_of == ("28057",)
    assert came_from["804"].old_communes == ()


def test_a_divided_commune_has_exactly_one_main_part():
    by_old = {}
    for s in registry.province("80").commune_successions:
        by_old.setdefault(s.old_code, []).append(s)
    assert all(sum(s.is_main for s in parts) == 1 for parts in by_old.values())
    divided = {old: parts for old, parts in by_old.items() if len(parts) > 1}
    assert all(s.divided for parts in divided.values() for s in parts)
    # Đức Hòa Thượng was divided: mainly to Mỹ Hạnh (27976), partly to Đức Lập.
    assert [(s.new_code, s.is_main) for s in by_old["27967"]] == [("27976", True), ("27964", False)]


def test_every_old_commune_has_a_successor_in_its_new_province(tay_ninh):
    new_codes = {c.code for c in tay_ninh.communes}
    assert {s.old_code for s in tay_ninh.commune_successions} == {c.code for c in tay_ninh.old_communes}
    assert {s.new_code for s in tay_ninh.commune_successions} <= new_codes


def test_the_corrections_still_apply_to_this_package_release():
    """When a release no longer has one of these wrong minor parts, drop it from CORRECTIONS."""
    raw = registry.raw_commune_successions()
    for old, new, _why in registry.CORRECTIONS:
        assert any(s.old_code == old and s.new_code == new and not s.is_main for s in raw), (old, new)
    corrected = {(s.old_code, s.new_code) for s in registry.province("80").commune_successions}
    assert not corrected & {(old, new) for old, new, _why in registry.CORRECTIONS}
    assert [s for s in registry.province("80").commune_successions if s.old_code == "27691"] == [
        registry.CommuneSuccession("27691", "27694", is_main=True, divided=False)
    ]


def test_island_districts_without_communes_go_whole_to_a_special_zone():
    con_dao = registry.province("79").successors_of_district("755")
    assert [(s.commune_code, s.is_main, s.old_communes) for s in con_dao] == [("26732", True, ())]
    assert {c.code: c.kind for c in registry.province("79").communes}["26732"] == "dac-khu"


def test_unit_types_come_from_the_official_names():
    assert registry.province("31").communes  # Hải Phòng
    kinds = {c.code: (c.name, c.kind) for c in registry.province("31").communes}
    # The package's type column says Xã for this phường.
    assert kinds["10543"] == ("Phường Việt Hòa", "phuong")
    old = {c.code: c for c in registry.province("80").old_communes}
    seat = old["28159"]
    assert (seat.name, seat.kind, seat.kind_label) == ("Thị trấn Cần Giuộc", "thi-tran", "Thị trấn")
    # The package spells it "Thị Trấn Ái Tử": the type's capitalisation is made official.
    assert {c.code: c.name for c in registry.province("44").old_communes}["19624"] == "Thị trấn Ái Tử"


def test_an_unknown_province_is_refused_with_the_valid_codes():
    with pytest.raises(registry.UnknownProvince) as error:
        registry.province("72")  # the former Tây Ninh: a code of the old period only
    assert error.value.code == "72"
    assert len(error.value.valid) == 34
    assert "80" in str(error.value)
    assert registry.province("1").province.name == "Thành phố Hà Nội"  # "1" means "01"


def test_the_package_data_is_found():
    assert registry.package_version().startswith("1.")
    assert (registry.data_dir() / "dataset.db").is_file()


def test_every_suspect_minor_part_has_been_reviewed():
    """A new package release with a new name collision shows here, before load_units trusts it."""
    assert registry.suspect_minor_parts() == ()
    assert len(registry.NAME_COLLISIONS) == 26


def test_a_corrected_commune_keeps_exactly_one_main_part():
    corrected = {old for old, _new, _why in registry.CORRECTIONS}
    mains = [s.old_code for s in registry.raw_commune_successions() if s.is_main and s.old_code in corrected]
    assert sorted(mains) == sorted(corrected)
