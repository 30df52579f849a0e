"""How the review desk writes a figure's change since its previous approved value. Pure functions."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import pgettext

from indicators.domain.formatting import format_number, rounded


def change_unit(unit_kind: str) -> str:
    """The unit a change is counted in: a share moves in percentage points, never in "%"."""
    return {
        "percent": pgettext("change of a share", "điểm %"),
        "per_day": pgettext("change", "lượt/ngày"),
        "score": pgettext("change", "điểm"),
        "rank": pgettext("change", "bậc"),
    }.get(unit_kind, "")


def format_change(delta: Decimal, *, unit_kind: str, decimals: int, approximate: bool = False) -> str:
    """A signed change in its unit: "+4,5 điểm %", "−1.234", "0 điểm %"; "khoảng …" when either
    figure is qualified ("gần 95%"), so an estimate is never read as an exact difference."""
    size = rounded(abs(delta), decimals)
    sign = "" if size == 0 else ("+" if delta > 0 else "−")
    text = f"{sign}{format_number(size, decimals)}"
    unit = change_unit(unit_kind)
    if unit:
        text = f"{text} {unit}"
    if approximate:
        text = pgettext("change", "khoảng %(change)s") % {"change": text}
    return text
