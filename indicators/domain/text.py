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
