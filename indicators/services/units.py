"""Load one province's units from the official registry (indicators/domain/registry.py) into the database.

The registry owns a unit's code, name, level, type, parent and validity, and the successions between
units; the project owns the rest (its slug and note once written, every figure). Loading again updates
what the registry changed and nothing else, in one transaction: a figure is never touched.

Each note is written in Vietnamese and in English (`note_en`, for English pages), built the same way.
A stored note is never rewritten; an empty `note_en` is filled, in both modes, only where the stored
Vietnamese note is still the loader's own sentence, so the English says what the Vietnamese says (a
note someone edited keeps no English, and English pages show it as written).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import transaction

from indicators.domain import registry
from indicators.domain.text import english_name, slug
from indicators.models import AdministrativeUnit, UnitSuccession

PROVINCE_RESOLUTION = (
    "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội về việc sắp xếp đơn vị hành chính cấp tỉnh"
)
# The Standing Committee's resolution on each province's communes, where the project has checked it.
COMMUNE_RESOLUTIONS = {
    "80": "Nghị quyết số 1682/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội",
}
COMMUNE_RESOLUTION_UNKNOWN = "nghị quyết năm 2025 của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã"
PROVINCE_RESOLUTION_EN = (
    "Resolution No. 202/2025/QH15 of the National Assembly of 12 June 2025 on the 2025 reorganisation of "
    "provincial-level administrative units"
)
COMMUNE_RESOLUTIONS_EN = {
    "80": "Resolution No. 1682/NQ-UBTVQH15 of the Standing Committee of the National Assembly of 16 June 2025",
}
COMMUNE_RESOLUTION_UNKNOWN_EN = (
    "the 2025 resolution of the Standing Committee of the National Assembly on the reorganisation of "
    "commune-level administrative units"
)

_REGISTRY_FIELDS = ("name", "level", "kind", "parent_id", "valid_to")


class Note(NamedTuple):
    """A note in Vietnamese (`note`) and in English (`note_en`)."""

    vi: str
    en: str


NO_NOTE = Note("", "")


@dataclass
class LoadResult:
    province: AdministrativeUnit
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    successions_added: int = 0
    successions_updated: int = 0
    successions_removed: int = 0
    notes_translated: int = 0
    changes: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        levels = ", ".join(f"{n} {label}" for label, n in self.counts.items())
        return (
            f"load_units: {self.province.name} ({self.province.code}): {levels}; "
            f"units {self.added} added, {self.updated} updated, {self.unchanged} unchanged; "
            f"successions {self.successions_added} added, {self.successions_updated} updated, "
            f"{self.successions_removed} removed"
            + (f"; {self.notes_translated} English notes added" if self.notes_translated else "")
        )


@transaction.atomic
def load_province(code: str, *, update: bool = True) -> LoadResult:
    """Load a province of the 34 (raises registry.UnknownProvince), the provinces and districts that
    formed it, its communes, and the successions between them. Idempotent.

    With `update` false only what is missing is added, and a stored row that differs from the
    registry is kept and reported (`result.kept`): `make run` never changes what is stored.
    """
    found = registry.province(code)
    loader = _Loader(update=update)
    new = found.province
    continuous = [p for p in found.old_provinces if p.code == new.code and len(found.old_provinces) == 1]
    if continuous:
        # A province the reform left whole (Hà Nội, Huế, ...) is one unit throughout: its districts
        # before 1 July 2025 and its communes after are both its own.
        province = loader.unit(new, valid_from=None, parent=None)
        old_provinces = {new.code: province}
    else:
        province = loader.unit(new, parent=None, note=_new_province_note(found))
        old_provinces = {
            old.code: loader.unit(old, parent=None, note=_old_province_note(old, new)) for old in found.old_provinces
        }
    districts = {d.code: loader.unit(d, parent=old_provinces[d.parent_code]) for d in found.districts}
    communes = {c.code: loader.unit(c, parent=province) for c in found.communes}

    wanted = {}
    if not continuous:
        for old in found.old_provinces:
            wanted[(old_provinces[old.code].pk, province.pk)] = (
                UnitSuccession.Kind.MERGE,
                old.code == new.code,
                _merge_note(old, new),
            )
    old_names = {c.code: c.name for c in found.old_communes}
    for s in found.district_successions:
        wanted[(districts[s.district_code].pk, communes[s.commune_code].pk)] = (
            UnitSuccession.Kind.ABSORBED,
            s.is_main,
            _district_succession_note(s, old_names, communes[s.commune_code], found),
        )
    loader.successions(wanted, predecessors=[*old_provinces.values(), *districts.values()])

    result = loader.result
    result.province = province
    result.counts = {
        "tỉnh (trước 01/07/2025)": 0 if continuous else len(old_provinces),
        "huyện": len(districts),
        "xã": len(communes),
    }
    return result


def load_provinces(codes: list[str] | None = None, *, update: bool = True) -> list[LoadResult]:
    """Load several provinces of the 34, all of them by default (3,321 communes, 696 districts): one
    transaction per province, as `load_province` does. Measured: about 3 s on SQLite, 5 s on
    PostgreSQL for all 34, a row at a time, so no bulk path is needed."""
    return [load_province(code, update=update) for code in (codes or [p.code for p in registry.provinces()])]


class _Loader:
    def __init__(self, *, update: bool):
        self.update = update
        self.result = LoadResult(province=None)  # type: ignore[arg-type]

    def unit(self, found: registry.Unit, *, parent, valid_from=registry.REFORM_DATE, note: Note = NO_NOTE):
        """Insert or update one unit, keyed by (code, start date); the registry's start unless given."""
        start = found.valid_from if valid_from is registry.REFORM_DATE else valid_from
        wanted = {
            "name": found.name,
            "level": found.level,
            "kind": found.kind,
            "parent_id": parent.pk if parent else None,
            "valid_to": found.valid_to,
        }
        stored = AdministrativeUnit.objects.filter(code=found.code, valid_from=start).first()
        if start is None:
            stored = AdministrativeUnit.objects.filter(code=found.code, valid_from__isnull=True).first()
        if stored is None:
            unit = AdministrativeUnit(code=found.code, valid_from=start, slug=slug(found.short_name), **wanted)
            unit.note, unit.note_en = note
            unit.save()
            self.result.added += 1
            return unit
        changed = [name for name in _REGISTRY_FIELDS if getattr(stored, name) != wanted[name]]
        if changed and not self.update:
            self.result.kept.append(
                f"load_units: kept {stored.code} {stored.name} as stored (differs from the registry in: "
                f"{', '.join(name.removesuffix('_id') for name in changed)}); `manage.py load_units` updates it"
            )
            self.result.unchanged += 1
        elif changed:
            for name in changed:
                self.result.changes.append(f"{stored.code} {name}: {getattr(stored, name)!r} → {wanted[name]!r}")
                setattr(stored, name, wanted[name])
            stored.save(update_fields=[name.removesuffix("_id") for name in changed])
            self.result.updated += 1
        else:
            self.result.unchanged += 1
        self._translate(stored, note)
        return stored

    def _translate(self, stored, note: Note) -> None:
        """Fill an empty `note_en` where the stored note is still the loader's sentence: adding what is
        missing, as `make run` may, and never rewriting a word someone wrote."""
        if note.en and not stored.note_en and stored.note == note.vi:
            stored.note_en = note.en
            stored.save(update_fields=["note_en"])
            self.result.notes_translated += 1

    def successions(self, wanted: dict, *, predecessors):
        """Make the successions from `predecessors` exactly `wanted`: {(from pk, to pk): (kind, is_main, Note)}."""
        # The registry's successions are those of the reform's day; a later one (a rename, say) is not its own.
        stored = {
            (s.predecessor_id, s.successor_id): s
            for s in UnitSuccession.objects.filter(
                predecessor__in=[p.pk for p in predecessors], date=registry.REFORM_DATE
            )
        }
        for key, (kind, is_main, note) in wanted.items():
            row = stored.pop(key, None)
            if row is None:
                UnitSuccession.objects.create(
                    predecessor_id=key[0],
                    successor_id=key[1],
                    date=registry.REFORM_DATE,
                    kind=kind,
                    is_main=is_main,
                    note=note.vi,
                    note_en=note.en,
                )
                self.result.successions_added += 1
                continue
            if (row.kind, row.is_main) != (kind, is_main) and self.update:
                row.kind, row.is_main = kind, is_main
                row.save(update_fields=["kind", "is_main"])
                self.result.successions_updated += 1
            self._translate(row, note)
        # What is left came from an older registry or from hand: a 2025 succession the registry no longer has.
        stale = [row.pk for row in stored.values()]
        if stale and not self.update:
            self.result.kept.append(f"load_units: kept {len(stale)} successions the registry does not have")
        elif stale:
            self.result.successions_removed += UnitSuccession.objects.filter(pk__in=stale).delete()[0]


def _new_province_note(found: registry.ProvinceRegistry) -> Note:
    names = " và ".join(p.name for p in found.old_provinces)
    names_en = " and ".join(english_name(p.name) for p in found.old_provinces)
    return Note(
        f"Hình thành từ ngày 01/07/2025 trên cơ sở hợp nhất {names}, theo {PROVINCE_RESOLUTION} năm 2025. "
        "Chính quyền địa phương hai cấp: tỉnh và xã, không còn cấp huyện.",
        f"Formed on 1 July 2025 by merging {names_en}, under {PROVINCE_RESOLUTION_EN}. "
        "Local government has two tiers, province and commune: the district level no longer exists.",
    )


def _old_province_note(old: registry.Unit, new: registry.Unit) -> Note:
    kept = old.code == new.code
    code = " (giữ mã " + new.code + ")" if kept else ""
    code_en = f" (which kept code {new.code})" if kept else ""
    return Note(
        f"Từ ngày 01/07/2025 hợp nhất vào {new.name}{code}, theo {PROVINCE_RESOLUTION} năm 2025.",
        f"Merged into {english_name(new.name)}{code_en} on 1 July 2025, under {PROVINCE_RESOLUTION_EN}.",
    )


def _merge_note(old: registry.Unit, new: registry.Unit) -> Note:
    return Note(
        f"{old.name} hợp nhất vào {new.name} từ ngày 01/07/2025, theo {PROVINCE_RESOLUTION} năm 2025.",
        f"{english_name(old.name)} merged into {english_name(new.name)} on 1 July 2025, "
        f"under {PROVINCE_RESOLUTION_EN}.",
    )


def _district_succession_note(s, old_names, commune, found) -> Note:
    resolution = COMMUNE_RESOLUTIONS.get(found.province.code, COMMUNE_RESOLUTION_UNKNOWN)
    resolution_en = COMMUNE_RESOLUTIONS_EN.get(found.province.code, COMMUNE_RESOLUTION_UNKNOWN_EN)
    parts, parts_en = [], []
    if s.old_communes:
        parts.append(", ".join(old_names[c] for c in s.old_communes))
        parts_en.append(", ".join(english_name(old_names[c]) for c in s.old_communes))
    if s.part_of:
        parts.append("một phần " + ", ".join(old_names[c] for c in s.part_of))
        parts_en.append("part of " + ", ".join(english_name(old_names[c]) for c in s.part_of))
    formed = "; ".join(parts) if parts else "toàn bộ địa bàn"
    formed_en = "; ".join(parts_en) if parts_en else "the whole area"
    main = " Đây là đơn vị kế thừa chính của huyện." if s.is_main else ""
    main_en = " It is the district's main successor." if s.is_main else ""
    return Note(
        f"{formed} nhập vào {commune.name} từ ngày 01/07/2025, theo {resolution}.{main}",
        f"{formed_en[:1].upper()}{formed_en[1:]} merged into {english_name(commune.name)} on 1 July 2025, "
        f"under {resolution_en}.{main_en}",
    )
