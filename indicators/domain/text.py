"""Vietnamese text compared as people type it (with or without diacritics, in any Unicode form),
and ordered as the Vietnamese alphabet orders it."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import icu  # PyICU, from the pyicu-wheels wheel (ICU bundled): no system libicu needed

_MARKS = re.compile(r"[\u0300-\u036f]")

# The words a unit's official name begins with, longest first so "Thị xã" is not read as "Thị"…
# A list is ordered by what follows them: "Thành phố Tân An" sorts under T for Tân, not for Thành.
TYPE_WORDS = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")
_TYPE_PREFIX = re.compile(r"^(?:" + "|".join(TYPE_WORDS) + r")\s+", re.IGNORECASE)


def fold(text: str) -> str:
    """ "Cần Giuộc", "CAN GIUOC" and the decomposed (NFD) "Cần Giuộc" all become "can giuoc".

    Diacritics dropped, đ → d, case folded, runs of spaces made one.
    """
    bare = _MARKS.sub("", unicodedata.normalize("NFD", text or ""))
    bare = bare.replace("đ", "d").replace("Đ", "D")
    return " ".join(bare.casefold().split())


def slug(text: str) -> str:
    """An ASCII slug: "Đức Hòa" → "duc-hoa" (Django's slugify drops "Đ", which does not decompose)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")


def search_key(*parts: str) -> str:
    """What a name search looks in: the folded parts, one space apart ("Huyện Cần Giuộc", "807" →
    "huyen can giuoc 807"). The unit picker writes it on each option, so that the browser only folds
    what is typed (static/js/fold.js folds it the same way)."""
    return " ".join(folded for folded in (fold(part) for part in parts) if folded)


def matches(query: str, key: str) -> bool:
    """Whether every word typed begins a word of `key` (a `search_key`), in any order: "giuoc can"
    and "can giu" find "huyen can giuoc 807", "tan an" does not find "xa tan tap"; an empty query
    matches everything."""
    words = key.split(" ")
    return all(any(word.startswith(typed) for word in words) for typed in fold(query).split(" ") if typed)


@cache
def _collator() -> icu.Collator:
    """ICU's Vietnamese collation (CLDR): a < ă < â < b < c < d < đ < e < ê …, then the tones
    (a < à < ả < ã < á < ạ) only where the letters tie. Created once: opening one costs ~1 ms."""
    return icu.Collator.createInstance(icu.Locale("vi"))


def bare_name(name: str) -> str:
    """The name without its type word: "Thị xã Kiến Tường" → "Kiến Tường", "Xã Đức Lập" → "Đức Lập"."""
    text = unicodedata.normalize("NFC", name or "").strip()
    return _TYPE_PREFIX.sub("", text, count=1) or text


# How English writes a unit's type, after its name: "Tỉnh Long An" → "Long An province".
_ENGLISH_TYPES = {
    "thành phố": "city",
    "thị trấn": "township",
    "thị xã": "town",
    "đặc khu": "special zone",
    "phường": "ward",
    "huyện": "district",
    "quận": "urban district",
    "tỉnh": "province",
    "xã": "commune",
}


def english_name(name: str) -> str:
    """A unit's name as an English sentence writes it: the proper name keeps its diacritics and
    the type word follows in English ("Tỉnh Long An" → "Long An province", "Thị xã Kiến Tường" →
    "Kiến Tường town", "Xã Đức Lập" → "Đức Lập commune"); a name with no type word is unchanged."""
    text = unicodedata.normalize("NFC", name or "").strip()
    found = _TYPE_PREFIX.match(text)
    if not found or found.end() == len(text):
        return text
    kind = _ENGLISH_TYPES[" ".join(found.group(0).split()).casefold()]
    rest = text[found.end() :]
    return f"{kind.capitalize()} {rest}" if rest.isdigit() else f"{rest} {kind}"  # "Ward 4", not "4 ward"


def collation_key(name: str) -> tuple[bytes, bytes]:
    """How a list of units is ordered for people: by the Vietnamese alphabet, ignoring the type word
    ("Huyện Bến Lức" < "Huyện Cần Đước" < "Huyện Châu Thành" < "Huyện Đức Hòa" < "Thị xã Kiến
    Tường"); the full name breaks ties ("Huyện Châu Thành" before "Thị xã Châu Thành"). The one
    sort key of every list shown: pickers, tables, rankings' ties, a province's units."""
    collator = _collator()
    return collator.getSortKey(bare_name(name)), collator.getSortKey(unicodedata.normalize("NFC", name or ""))
