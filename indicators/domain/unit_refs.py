"""How a URL names one administrative unit when official codes are reused across periods.

"80" was Long An until 30/06/2025 and is Tây Ninh from 01/07/2025. A bare code means the unit in
force in the year in question (else the latest); "80@2024" names the unit that reported for 2024,
whatever the page's year. No two units with one code are in force at once, so a code and a year
always name at most one unit. Pure code: parsing and writing only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REF_RE = re.compile(r"^(?P<code>[0-9A-Za-z_-]{1,80})(?:@(?P<year>[0-9]{4}))?$")


@dataclass(frozen=True)
class UnitRef:
    code: str
    year: int | None = None

    def __str__(self) -> str:
        return f"{self.code}@{self.year}" if self.year is not None else self.code


def parse(text: str) -> UnitRef:
    """ "807" → UnitRef("807"); "80@2024" → UnitRef("80", 2024). Raises ValueError on anything else."""
    match = _REF_RE.match(text.strip())
    if not match:
        raise ValueError(text)
    year = match.group("year")
    return UnitRef(match.group("code"), int(year) if year else None)


def ref_text(code: str, year: int | None) -> str:
    return str(UnitRef(code, year))
