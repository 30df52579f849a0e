"""Reading numbers that people type or put in a file. Pure functions.

ONE rule, the same for the entry forms and for every import (CSV, XLSX, layout files), whatever the
page's language: numbers are written the Vietnamese way, "." between thousands and "," before the
decimals: 1.234,5.

- "95,5" is 95.5; "1.234" is 1234; "1.234.567,25" is 1234567.25; spaces (also no-break spaces)
  are ignored, so " 12 " and "2 500" read as 12 and 2500.
- A lone "." that cannot be a thousands separator is the decimal mark: "97.5", "0.500", "1234.5"
  and "1.2345" are 97.5, 0.5, 1234.5 and 1.2345. It is a thousands separator only where the text
  is grouped exactly as thousands are ("1.234", "12.345.678": a first group of 1 to 3 digits not
  starting with 0, then groups of 3). So "1.234" is always one thousand two hundred and thirty-four,
  never 1,234, on the form as in a file; a share typed that way is then out of its bounds and refused.
- A "," is always the decimal mark ("1,234" is 1,234), so there is at most one, after the thousands.
  English grouping ("1,234.5", "1,234,567") is refused with a message that shows the Vietnamese way,
  rather than guessed at.
- Refused, each with a message that names the expected style and an example: negative numbers,
  exponents ("1e3"), formulas ("=1+1"), words, more than 4 decimals or 10 whole digits.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

THOUSANDS, DECIMAL = ".", ","
# How each language *shows* numbers (formatting.py). Reading them follows the one rule above.
SEPARATORS = {"vi": (".", ","), "en": (",", ".")}  # language -> (thousands, decimal)
EXAMPLE = "1.234,5"
# Every kind of space a keyboard, a spreadsheet or a copy from a web page puts between digits.
_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2009\u200b\ufeff]+")
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+")  # "1.234", "12.345.678": dots as thousands
_DIGITS = re.compile(r"[0-9]+")
_ENGLISH = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")  # "1,234.5", "1,234,567"
_EXPONENT = re.compile(r"[0-9.,]+[eE][+-]?[0-9]+")
_MINUS = ("-", "\u2212", "\u2013")  # hyphen, minus sign, en dash
_FORMULA = ("=", "+", "@")
MAX_DIGITS = 10  # DecimalField(max_digits=14, decimal_places=4) leaves 10 before the point


class NumberError(ValueError):
    """The text is not a number in the expected style; str(error) says why, translated."""


def separators(language: str | None) -> tuple[str, str]:
    return SEPARATORS.get((language or "vi")[:2], SEPARATORS["vi"])


def parse_number(text: str) -> Decimal:
    """The one parser: "1.234,5" -> Decimal("1234.5"). Raises NumberError with a message for the user.

    The text is NFKC-normalised first, so full-width digits and decomposed (NFD) Vietnamese read the
    same as their usual forms, and the message quotes what was typed in its composed form.
    """
    shown = unicodedata.normalize("NFC", str(text or "")).strip()[:30]
    raw = _SPACES.sub("", unicodedata.normalize("NFKC", str(text or "")))
    if not raw:
        raise NumberError(_("Chưa nhập số."))
    if raw.startswith(_MINUS):
        raise NumberError(_("Số liệu không được âm."))
    if raw.startswith(_FORMULA):
        raise NumberError(
            _("“%(text)s” là công thức, không phải số. Nhập giá trị theo kiểu Việt Nam, ví dụ %(example)s.")
            % {"text": shown, "example": EXAMPLE}
        )
    whole, comma, fraction = raw.partition(DECIMAL)
    if comma:
        # "1.234,5" or "95,5": whatever is before the comma is digits, grouped or not.
        if _GROUPED.fullmatch(whole):
            whole = whole.replace(THOUSANDS, "")
        if _DIGITS.fullmatch(whole) and _DIGITS.fullmatch(fraction):
            return checked_digits(whole, fraction)
    elif _GROUPED.fullmatch(raw):
        return checked_digits(raw.replace(THOUSANDS, ""), "")
    elif _DIGITS.fullmatch(raw):
        return checked_digits(raw, "")
    else:
        # A lone dot that cannot be a thousands separator ("97.5", "0.500") is the decimal mark.
        whole, dot, fraction = raw.partition(THOUSANDS)
        if dot and _DIGITS.fullmatch(whole) and _DIGITS.fullmatch(fraction):
            return checked_digits(whole, fraction)
    raise NumberError(_number_message(raw, shown))


def _number_message(raw: str, shown: str) -> str:
    values = {"text": shown, "example": EXAMPLE}
    if _ENGLISH.fullmatch(raw):
        return (
            _(
                "“%(text)s” viết theo kiểu tiếng Anh. Viết số theo kiểu Việt Nam, ví dụ %(example)s "
                "(dấu chấm ngăn hàng nghìn, dấu phẩy trước phần thập phân)."
            )
            % values
        )
    if _EXPONENT.fullmatch(raw):
        return (
            _("“%(text)s” viết dạng lũy thừa. Viết đủ các chữ số theo kiểu Việt Nam, ví dụ 1.000 hoặc %(example)s.")
            % values
        )
    return (
        _(
            "“%(text)s” không phải là số. Viết số theo kiểu Việt Nam, ví dụ %(example)s "
            "(dấu chấm ngăn hàng nghìn, dấu phẩy trước phần thập phân)."
        )
        % values
    )


def parse_cell(cell) -> Decimal:
    """A spreadsheet cell: a number as the file stores it, or text read by parse_number."""
    if isinstance(cell, bool):
        raise NumberError(_("Không phải là số."))
    if isinstance(cell, int | float | Decimal):
        value = Decimal(str(cell))
        if not value.is_finite():
            raise NumberError(_("Không phải là số."))
        if value < 0:
            raise NumberError(_("Số liệu không được âm."))
        whole, _mark, fraction = f"{value:f}".partition(".")
        return checked_digits(whole, fraction)
    return parse_number("" if cell is None else str(cell))


def checked_digits(whole: str, fraction: str) -> Decimal:
    whole = whole.lstrip("0") or "0"
    if len(whole) > MAX_DIGITS:
        raise NumberError(_("Số quá lớn."))
    if len(fraction.rstrip("0")) > 4:
        raise NumberError(_("Tối đa 4 chữ số thập phân."))
    try:
        # Trailing zeros dropped: Decimal("85.50000") has 5 decimal places to the model's validator.
        return Decimal(f"{whole}.{fraction.rstrip('0') or '0'}")
    except InvalidOperation as error:  # pragma: no cover - the patterns admit only digits
        raise NumberError(_("Số không hợp lệ.")) from error


def format_for_input(value: Decimal | None) -> str:
    """A stored value written back into a form field so that parse_number reads it unchanged:
    Decimal("1234.5") -> "1.234,5", in every language (the rule is the same everywhere)."""
    if value is None:
        return ""
    whole, _sep, fraction = plain_number(value).partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = THOUSANDS.join(groups)
    return f"{out}{DECIMAL}{fraction}" if fraction else out


def plain_number(number: Decimal) -> str:
    """A number as a file or a bound writes it: no grouping, "." before the decimals, no trailing
    zeros (Decimal("1234.5000") -> "1234.5")."""
    return f"{Decimal(number).normalize():f}"


def decimal_places(number: Decimal) -> int:
    """The decimal places a number has once its trailing zeros are dropped (Decimal("95.50") -> 1)."""
    return max(0, -Decimal(number).normalize().as_tuple().exponent)
