"""Unit names matched as files write them; no database."""

import re
import sqlite3

import pytest

from indicators.domain import registry
from indicators.domain.text import fold
from indicators.imports.layouts import key
from indicators.imports.matching import Candidate, Matcher, split_name

TAY_NINH = registry.province("80")


def commune_candidates(province=TAY_NINH):
    return [Candidate(i, u.code, u.name, u.kind, province.province.name) for i, u in enumerate(province.communes, 1)]


def test_the_keys_are_the_registry_packages_own_for_every_commune():
    """vietnamadminunits' key_normalize (parser/utils.py) cannot be imported without its geocoder; its
    rule is the same as ours, and so is its answer to names that fold alike: of 3,321 communes, the 16
    whose folded key another commune of the province shares keep their diacritics in the package's key,
    as in the matcher's first tier ("Xã Tân Thành" and "Xã Tân Thạnh" of Tây Ninh)."""
    with sqlite3.connect(registry.data_dir() / "dataset.db") as db:
        rows = db.execute("SELECT ward, wardKey FROM admin_units").fetchall()
    assert len(rows) == 3321
    folded = [(ward, ward_key) for ward, ward_key in rows if key(ward) != ward_key]
    assert len(folded) == 16
    assert all(re.sub(r"[^\w]+", "", ward.casefold()) == ward_key for ward, ward_key in folded)
    assert ("Xã Tân Thạnh", "xãtânthạnh") in folded


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("UBND xã Cần Giuộc", ("xa", "cangiuoc", "cầngiuộc")),
        ("Ủy ban nhân dân Xã Cần Giuộc", ("xa", "cangiuoc", "cầngiuộc")),
        ("TT. Cần Giuộc", ("thi-tran", "cangiuoc", "cầngiuộc")),
        ("CẦN GIUỘC", (None, "cangiuoc", "cầngiuộc")),
        ("Phường 4", ("phuong", "4", "4")),
        ("Xã Ea H’Leo", ("xa", "eahleo", "eahleo")),
        ("Xã", (None, "xa", "xã")),  # a type alone is a name, not an empty one
    ],
)
def test_split_name(text, expected):
    assert split_name(text) == expected


@pytest.mark.parametrize(
    ("written", "how"),
    [
        ("UBND xã Cần Giuộc", "name"),
        ("Xã Cần Giuộc", "name"),
        ("XÃ CẦN GIUỘC", "name"),
        ("Xa Can Giuoc", "name"),
        ("CẦN GIUỘC", "short_name"),
        ("can giuoc", "short_name"),
        ("Cần  Giuộc ", "short_name"),
        ("Cần Giuộc", "short_name"),  # decomposed (NFD), as some Mac tools write it
    ],
)
def test_every_way_a_file_writes_a_name_matches_the_commune(written, how):
    match = Matcher(commune_candidates()).match(7, written)
    assert (match.unit.code, match.how, match.problem) == ("28159", how, "")


def test_diacritics_tell_apart_what_folding_cannot_and_without_them_the_name_is_ambiguous():
    matcher = Matcher(commune_candidates())
    assert matcher.match(1, "Tân Thành").unit.name == "Xã Tân Thành"
    assert matcher.match(1, "Xã Tân Thạnh").unit.name == "Xã Tân Thạnh"
    ambiguous = matcher.match(1, "Tan Thanh")
    assert ambiguous.unit is None and "khớp với 2 đơn vị" in ambiguous.problem
    assert [c.name for c in ambiguous.candidates] == sorted(
        (c.name for c in commune_candidates() if fold(c.name).endswith("tan thanh")),
        key=lambda name: next(c.code for c in commune_candidates() if c.name == name),
    )


def test_an_unknown_name_and_a_name_of_another_type_are_refused():
    matcher = Matcher(commune_candidates())
    assert "Không có đơn vị nào tên" in matcher.match(1, "Xã Không Có").problem
    # Cần Giuộc is a xã since 2025; the thị trấn is history: not silently taken for it.
    wrong_type = matcher.match(1, "Thị trấn Cần Giuộc")
    assert wrong_type.unit is None and [c.code for c in wrong_type.candidates] == ["28159"]


def test_a_code_matches_and_must_agree_with_the_name():
    matcher = Matcher(commune_candidates())
    assert matcher.match(1, "", "28159").unit.name == "Xã Cần Giuộc"
    assert matcher.match(1, "Xã Cần Giuộc", "28159").how == "code"
    assert "nhưng tên" in matcher.match(1, "Xã Phước Lý", "28159").problem
    assert matcher.match(1, "Xã Cần Giuộc", "001").how == "name"  # the portal's own row id, not a code


def test_a_saved_mapping_comes_first():
    candidates = commune_candidates()
    can_giuoc = next(c for c in candidates if c.code == "28159")
    matcher = Matcher(candidates, {key("UBND TT Cần Giuộc cũ"): {can_giuoc.pk}})
    match = matcher.match(1, "UBND TT Cần Giuộc cũ")
    assert (match.unit, match.how) == (can_giuoc, "mapping")


def test_a_national_table_names_the_province_to_tell_same_named_communes_apart():
    everywhere = []
    for code in ("80", "01", "79"):
        everywhere.extend(commune_candidates(registry.province(code)))
    everywhere = [Candidate(i, c.code, c.name, c.kind, c.province) for i, c in enumerate(everywhere, 1)]
    matcher = Matcher(everywhere)
    names = [c.name for c in everywhere]
    shared = next(name for name in names if names.count(name) > 1)
    assert matcher.match(1, shared).unit is None
    provinces = {c.province for c in everywhere if c.name == shared}
    for province in provinces:
        assert matcher.match(1, shared, province=province).unit.province == province


def test_the_districts_before_2025_need_their_province_when_two_share_a_name():
    districts = [
        Candidate(i, u.code, u.name, "", "Tỉnh Long An" if u.code >= "794" else "Tỉnh Tây Ninh")
        for i, u in enumerate(TAY_NINH.districts, 1)
    ]
    matcher = Matcher(districts)
    assert "khớp với 2 đơn vị" in matcher.match(1, "Huyện Châu Thành").problem
    assert matcher.match(1, "Huyện Châu Thành", province="Long An").unit.code == "808"
