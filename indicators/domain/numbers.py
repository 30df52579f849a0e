"""Reading numbers that people type, in the conventions of their language. Pure functions.

Vietnamese writes 1.234,5 (dot groups thousands, comma marks decimals); English writes 1,234.5.
A number that only makes sense in the other convention ("95.5" on the Vietnamese form) is refused
with a message that shows the right way, rather than read as 955.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

SEPARATORS = {"vi": (".", ","), "en": (",", ".")}  # language -> (thousands, decimal)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_PLAIN = re.compile(r"^(\d+)(?:[.,](\d+))?$")
MAX_DIGITS = 10  # DecimalField(max_digits=14, decimal_places=4) leaves 10 before the point


class NumberError(ValueError):
    """The text is not a number in the expected convention; str(error) says why, translated."""


def separators(language: str | None) -> tuple[str, str]:
    return SEPARATORS.get((language or "vi")[:2], SEPARATORS["vi"])


def parse_localized(text: str, language: str | None) -> Decimal:
    """ "1.234,5" -> Decimal("1234.5") in Vietnamese; "1,234.5" in English. Raises NumberError."""
    thousands, decimal = separators(language)
    raw = _SPACES.sub("", text or "")
    if not raw:
        raise NumberError(_("Chưa nhập số."))
    if raw.startswith("-"):
        raise NumberError(_("Số liệu không được âm."))
    grouped = re.escape(thousands)
    pattern = rf"^(\d{{1,3}}(?:{grouped}\d{{3}})+|\d+)(?:{re.escape(decimal)}(\d+))?$"
    match = re.match(pattern, raw)
    if not match:
        example = "1.234,5" if decimal == "," else "1,234.5"
        raise NumberError(
            _("“%(text)s” không phải là số hợp lệ. Viết như %(example)s (dấu “%(decimal)s” ngăn phần thập phân).")
            % {"text": text.strip()[:30], "example": example, "decimal": decimal}
        )
    whole, fraction = match.group(1).replace(thousands, ""), match.group(2) or ""
    return checked_digits(whole, fraction)


def parse_plain(text: str) -> Decimal:
    """A number from a file: digits with at most one decimal mark, "." or ",", and no grouping."""
    raw = _SPACES.sub("", text or "")
    if not raw:
        raise NumberError(_("Chưa nhập số."))
    if raw.startswith("-"):
        raise NumberError(_("Số liệu không được âm."))
    match = _PLAIN.match(raw)
    if not match:
        raise NumberError(
            _(
                "“%(text)s” không phải là số hợp lệ: chỉ dùng chữ số và một dấu thập phân, "
                "không dùng dấu phân cách hàng nghìn."
            )
            % {"text": text.strip()[:30]}
        )
    return checked_digits(match.group(1), match.group(2) or "")


def checked_digits(whole: str, fraction: str) -> Decimal:
    whole = whole.lstrip("0") or "0"
    if len(whole) > MAX_DIGITS:
        raise NumberError(_("Số quá lớn."))
    if len(fraction.rstrip("0")) > 4:
        raise NumberError(_("Tối đa 4 chữ số thập phân."))
    try:
        # Trailing zeros dropped: Decimal("85.50000") has 5 decimal places to the model's validator.
        return Decimal(f"{whole}.{fraction.rstrip('0') or '0'}")
    except InvalidOperation as error:  # pragma: no cover - the regex admits only digits
        raise NumberError(_("Số không hợp lệ.")) from error


def format_for_input(value: Decimal | None, language: str | None) -> str:
    """A stored value written back into a form field so that parse_localized reads it unchanged."""
    if value is None:
        return ""
    thousands, decimal = separators(language)
    whole, _sep, fraction = plain_number(value).partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = thousands.join(groups)
    return f"{out}{decimal}{fraction}" if fraction else out


def plain_number(number: Decimal) -> str:
    """A number as a file or a bound writes it: no grouping, "." before the decimals, no trailing
    zeros (Decimal("1234.5000") -> "1234.5")."""
    return f"{Decimal(number).normalize():f}"


def decimal_places(number: Decimal) -> int:
    """The decimal places a number has once its trailing zeros are dropped (Decimal("95.50") -> 1)."""
    return max(0, -Decimal(number).normalize().as_tuple().exponent)
