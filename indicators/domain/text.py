"""Vietnamese text compared as people type it: with or without diacritics, in any Unicode form."""

from __future__ import annotations

import re
import unicodedata

_MARKS = re.compile(r"[\u0300-\u036f]")


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
