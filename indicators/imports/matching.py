"""Unit names as other systems write them, matched to the units in force in the file's period.

A file may write "UBND xã Cần Giuộc", "Xã Cần Giuộc", "CẦN GIUỘC", "X. Cần Giuộc" or "Can Giuoc".
Names are compared as keys: `domain.text.fold` (diacritics, đ, case, Unicode form), then the rules of
the registry package's own key normalisation (vietnamadminunits `parser.utils.key_normalize`: every
character that is not a letter or a digit dropped, so "Ea H’Leo" and "Ea H'Leo" meet). That function
cannot be imported without the package's geocoder (its module imports shapely and geopy and builds an
ArcGIS client), so its rule is applied here, tested against the package's own keys
(tests/importers/test_matching.py). The package's tone-placement fixes ("Hoà" → "Hòa") need nothing:
folding drops the marks.

A match is found, in this order: a mapping staff saved for this layout; the official code; the name
with its type ("Xã Cần Giuộc"); the bare name ("Cần Giuộc") when only one unit of the period has it.
Anything else is a row error: an unknown name, or one that several units share. No queries here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from indicators.domain.registry import KIND_LABELS
from indicators.domain.text import fold
from indicators.imports.layouts import key

# Words before a unit's name that say who or what it is, folded; the longest are tried first.
_AUTHORITY = ("uy ban nhan dan", "ubnd")
_TYPE_WORDS = {fold(label): kind for kind, label in KIND_LABELS.items()}
_TYPE_WORDS.update({"tp": "thanh-pho", "tt": "thi-tran", "tx": "thi-xa", "p": "phuong", "x": "xa", "h": "huyen"})
_TYPES_LONGEST = sorted(_TYPE_WORDS, key=len, reverse=True)
_PUNCTUATION = re.compile(r"[.,;:()\[\]\"“”]+")
_EXACT = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Candidate:
    """A unit a file of the period may name."""

    pk: int
    code: str
    name: str
    kind: str
    province: str = ""  # the name of its province, for tables that name it in a column


@dataclass
class Match:
    row: int
    name: str  # as the file writes it
    code: str  # as the file writes it ("" when the layout has no code column)
    unit: Candidate | None = None
    how: str = ""  # "mapping", "code", "name", "short_name"
    problem: str = ""
    candidates: list[Candidate] = field(default_factory=list)  # the units an ambiguous name fits

    def to_json(self) -> list:
        unit = self.unit
        return [
            self.row,
            self.name,
            self.code,
            [unit.pk, unit.code, unit.name] if unit else None,
            self.how,
            self.problem,
            [[c.pk, c.code, c.name] for c in self.candidates],
        ]

    @classmethod
    def from_json(cls, data: list) -> Match:
        row, name, code, unit, how, problem, candidates = data
        return cls(
            row,
            name,
            code,
            Candidate(unit[0], unit[1], unit[2], "") if unit else None,
            how,
            problem,
            [Candidate(pk, c, n, "") for pk, c, n in candidates],
        )


@functools.lru_cache(maxsize=20_000)
def split_name(text: str) -> tuple[str | None, str, str]:
    """(the unit type the name starts with, or None; the bare name as a key; the bare name as a key that
    keeps its diacritics): "UBND xã Cần Giuộc" → ("xa", "cangiuoc", "cầngiuộc")."""
    original = _PUNCTUATION.sub(" ", unicodedata.normalize("NFC", str(text or ""))).casefold().split()
    words = [fold(word) for word in original]
    start = 0
    for authority in _AUTHORITY:
        size = len(authority.split())
        if words[:size] == authority.split():
            start = size
            break
    kind = None
    for word in _TYPES_LONGEST:
        size = len(word.split())
        if words[start : start + size] == word.split() and len(words) > start + size:
            kind, start = _TYPE_WORDS[word], start + size
            break
    bare = " ".join(original[start:])
    return kind, key(bare), _EXACT.sub("", bare)


class Matcher:
    """The units of one period, indexed by code and by name, and the mappings staff saved."""

    def __init__(self, candidates: list[Candidate], mappings: dict[str, set[int]] | None = None):
        self.by_pk = {c.pk: c for c in candidates}
        self.by_code: dict[str, list[Candidate]] = defaultdict(list)
        self.by_name: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
        self.by_bare: dict[str, list[Candidate]] = defaultdict(list)
        self.by_exact: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
        self.by_exact_bare: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in candidates:
            self.by_code[candidate.code].append(candidate)
            kind, bare, exact = split_name(candidate.name)
            kind = candidate.kind or kind or ""
            self.by_name[(kind, bare)].append(candidate)
            self.by_bare[bare].append(candidate)
            self.by_exact[(kind, exact)].append(candidate)
            self.by_exact_bare[exact].append(candidate)
        self.mappings = mappings or {}

    def match(self, row: int, name: str, code: str = "", province: str = "") -> Match:
        found = Match(row, name, code)
        in_province = self._province_filter(province)
        mapped = [self.by_pk[pk] for pk in self.mappings.get(key(name), ()) if pk in self.by_pk]
        mapped = [c for c in mapped if in_province(c)]
        if name and len(mapped) == 1:
            found.unit, found.how = mapped[0], "mapping"
            return found
        by_name = self._by_name(name, in_province, found) if name else None
        if code:
            by_code = [c for c in self.by_code.get(code, ()) if in_province(c)]
            if len(by_code) == 1:
                if name and by_name is not None and by_name.pk != by_code[0].pk:
                    found.problem = _("Mã “%(code)s” là %(unit)s, nhưng tên “%(name)s” là %(other)s.") % {
                        "code": code,
                        "unit": by_code[0].name,
                        "name": name,
                        "other": by_name.name,
                    }
                    found.candidates = []
                    return found
                found.unit, found.how, found.problem, found.candidates = by_code[0], "code", "", []
                return found
            if not name:
                found.problem = _("Không có đơn vị mã “%(code)s” trong kỳ này.") % {"code": code[:40]}
                return found
        if not name:
            found.problem = _("Thiếu tên đơn vị.")
        elif by_name is not None:
            found.unit = by_name
        return found

    def _by_name(self, name: str, in_province, found: Match) -> Candidate | None:
        kind, bare, exact = split_name(name)
        # Written with its diacritics, a name tells "Tân Thành" from "Tân Thạnh"; folded, it cannot.
        if kind is not None:
            tiers = ((self.by_exact, (kind, exact)), (self.by_name, (kind, bare)))
            how = "name"
        else:
            tiers = ((self.by_exact_bare, exact), (self.by_bare, bare))
            how = "short_name"
        hits: list[Candidate] = []
        for index, lookup in tiers:
            hits = [c for c in index.get(lookup, ()) if in_province(c)]
            if hits:
                break
        if len(hits) == 1:
            found.how = how
            return hits[0]
        if hits:
            found.problem = _("Tên “%(name)s” khớp với %(n)d đơn vị trong kỳ này; hãy ghi rõ loại đơn vị hoặc mã.") % {
                "name": name[:80],
                "n": len(hits),
            }
            found.candidates = sorted(hits, key=lambda c: c.code)
            return None
        nearby = [c for c in self.by_bare.get(bare, ()) if in_province(c)]
        found.problem = _("Không có đơn vị nào tên “%(name)s” trong kỳ này.") % {"name": name[:80]}
        found.candidates = sorted(nearby, key=lambda c: c.code)
        return None

    @staticmethod
    def _province_filter(province: str):
        if not province:
            return lambda candidate: True
        wanted = split_name(province)[1]
        return lambda candidate: split_name(candidate.province)[1] == wanted
