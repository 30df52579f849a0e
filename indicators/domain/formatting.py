"""How numbers and figures are written for people. Pure functions, tested without a database."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from django.utils import formats
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from indicators.domain.numbers import decimal_places, plain_number, separators

# Words put before a figure, so "gần 95%" is never shown as an exact 95%.
QUALIFIER_WORDS = {
    "exact": "",
    "approximately": pgettext_lazy("qualifier", "gần"),
    "more_than": pgettext_lazy("qualifier", "hơn"),
    "less_than": pgettext_lazy("qualifier", "dưới"),
    "average": pgettext_lazy("qualifier", "trung bình"),
}
# Compact marks for chart hovers and labels.
QUALIFIER_SYMBOLS = {"exact": "", "approximately": "≈", "more_than": "> ", "less_than": "< ", "average": "~"}

UNIT_SUFFIXES = {"percent": "%", "per_day": "", "count": "", "rank": "", "score": ""}
UNIT_LABELS = {
    "percent": _("%"),
    "per_day": _("lượt/ngày"),
    "count": _("số lượng"),
    "rank": _("hạng"),
    "score": _("điểm/100"),
}


_QUANTA = tuple(Decimal(1).scaleb(-places) for places in range(8))  # 1, 0.1, 0.01 …


def rounded(value: Decimal | float | int, decimals: int) -> Decimal:
    """The value rounded half-up to `decimals` places, without trailing zeros (95.0 -> 95)."""
    quantum = _QUANTA[decimals] if 0 <= decimals < len(_QUANTA) else Decimal(1).scaleb(-decimals)
    # A Decimal as it is (str() and back gives the same one, in five times the time: a scorecard
    # rounds 7,000 figures); a float through its shortest text, so 0.1 stays 0.1.
    number = (value if isinstance(value, Decimal) else Decimal(str(value))).quantize(quantum, rounding=ROUND_HALF_UP)
    normal = number.normalize()
    # normalize() writes 2500 as 2.5E+3; keep it whole.
    return normal if normal.as_tuple().exponent <= 0 else number.quantize(Decimal(1))


def format_number(value: Decimal | float | int | None, decimals: int = 0) -> str:
    """A number in the active language's convention: 1.234,5 in Vietnamese, 1,234.5 in English.

    What Django's number_format writes, in a fifth of the time where digits are grouped by three
    (both languages): a scorecard of 168 communes writes 6,000 figures, and number_format was half
    of its selector's time. A test checks the two agree.
    """
    if value is None:
        return "–"
    number = rounded(value, decimals)
    places = max(0, -number.as_tuple().exponent)
    language = get_language()
    if formats.get_format("NUMBER_GROUPING", language, use_l10n=True) != 3:
        return formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
    marks = _marks(
        formats.get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
        formats.get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
    )
    return marks(f"{number if number else abs(number):,.{places}f}")  # never "-0"


@cache
def _marks(thousands: str, decimal: str) -> Callable[[str], str]:
    """Python's "1,234.5" marks → the language's (by str.replace: str.translate takes ten times as long)."""
    if (thousands, decimal) == (",", "."):
        return str
    return lambda text: text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def format_figure(value, *, unit_kind: str, decimals: int, qualifier: str = "exact", compact: bool = False) -> str:
    """A figure with its qualifier and unit: "gần 95%", "hơn 31%", or "≈95%" when compact."""
    text = format_number(value, decimals) + UNIT_SUFFIXES.get(unit_kind, "")
    if compact:
        return f"{QUALIFIER_SYMBOLS.get(qualifier, '')}{text}"
    word = str(QUALIFIER_WORDS.get(qualifier, ""))
    return f"{word} {text}" if word else text


def figure_writer(*, unit_kind: str, decimals: int) -> Callable[[Decimal, str], str]:
    """format_figure(value, unit_kind=..., decimals=..., qualifier=...) for many figures of one
    indicator in the active language: the language's marks and qualifier words are looked up once,
    not per figure (those look-ups cost more than writing the digits; a scorecard of 168 communes
    writes 6,000 figures). A test checks it writes what format_figure writes."""
    language = get_language()
    suffix = UNIT_SUFFIXES.get(unit_kind, "")
    words = {qualifier: f"{word} " if (word := str(text)) else "" for qualifier, text in QUALIFIER_WORDS.items()}
    if formats.get_format("NUMBER_GROUPING", language, use_l10n=True) != 3:
        return lambda value, qualifier: words.get(qualifier, "") + format_number(value, decimals) + suffix
    marks = _marks(
        formats.get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
        formats.get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
    )

    quantum = _QUANTA[decimals] if 0 <= decimals < len(_QUANTA) else Decimal(1).scaleb(-decimals)

    def write(value: Decimal, qualifier: str) -> str:
        # rounded(), inlined: the "f" format writes a normalized 2.5E+3 as 2,500 by itself.
        number = (value if isinstance(value, Decimal) else Decimal(str(value))).quantize(
            quantum, rounding=ROUND_HALF_UP
        )
        number = number.normalize()
        return f"{words.get(qualifier, '')}{marks(f'{number if number else abs(number):,f}')}{suffix}"  # never "-0"

    return write


# A year-on-year change of a share is a difference of percentages, not a percentage of the figure:
# 90% → 92% is "+2 điểm %" ("+2 pp"), never "+2%". Counts and scores keep their own unit.
CHANGE_SUFFIXES = {"percent": pgettext_lazy("change of a share", "điểm %")}


def format_change(value: Decimal | float | int | None, *, unit_kind: str, decimals: int, signed: bool = True) -> str:
    """A year-on-year change written with its sign and unit: "+1,5 điểm %" / "+1.5 pp" for a share,
    "−120" for a count; "–" when unknown. With `signed=False` the sign is left to an arrow (▲▼)."""
    if value is None:
        return "–"
    number = rounded(value, decimals)
    text = format_number(abs(number), decimals)
    if signed and number:
        text = ("+" if number > 0 else "−") + text
    suffix = str(CHANGE_SUFFIXES.get(unit_kind, "")) or UNIT_SUFFIXES.get(unit_kind, "")
    return f"{text} {suffix}" if suffix else text


def format_exact(value: Decimal | float | int) -> str:
    """A number with exactly the decimal places it has, in the active language's convention:
    "1.234,5" in Vietnamese. For messages and history, where a rounded figure would mislead."""
    return format_number(Decimal(value), decimal_places(Decimal(value)))


def format_plain(value: Decimal | float | int | None, language: str | None = None) -> str:
    """A number with exactly its own decimal places, no grouping and never an exponent, so that a
    form reads it back unchanged: "1234567", "12,5" in Vietnamese. Without `language`, a "." mark."""
    if value is None:
        return ""
    text = plain_number(Decimal(str(value)))
    return text if language is None else text.replace(".", separators(language)[1])
