"""The one rule for typed numbers (indicators.domain.numbers.parse_number), the same for the entry
forms and every import. Pure functions, no database."""

import unicodedata
from decimal import Decimal

import pytest
from django.utils import translation

from indicators.domain.numbers import (
    NumberError,
    decimal_places,
    format_for_input,
    parse_cell,
    parse_number,
    plain_number,
)

NFD_WORDS = unicodedata.normalize("NFD", "mười hai")  # "twelve" in words, decomposed as macOS writes it

# (typed, what it reads as) for every text the rule accepts.
ACCEPTED = [
    ("95,5", "95.5"),  # the Vietnamese decimal comma
    ("1.234", "1234"),  # the Vietnamese thousands dot
    ("1.234,5", "1234.5"),
    ("12.345.678,25", "12345678.25"),
    ("97.5", "97.5"),  # a lone dot that cannot group thousands is the decimal mark
    ("0.500", "0.5"),  # a group never starts with 0: decimal
    ("1234.567", "1234.567"),  # a first group of 4 digits: decimal
    ("1.2345", "1.2345"),  # 4 digits after the dot: decimal
    ("1,234", "1.234"),  # the comma is always the decimal mark
    (" 12 ", "12"),
    ("2 500", "2500"),
    ("1\u00a0234,5", "1234.5"),  # a no-break space, as a copy from a web page or Excel has it
    ("1\u202f234", "1234"),  # a narrow no-break space
    ("\uff19\uff15\uff0c\uff15", "95.5"),  # full-width digits and comma (a Vietnamese IME)
    ("0", "0"),
    ("100", "100"),
    ("007", "7"),
    ("85,50000", "85.5"),  # trailing zeros are no decimal places
]

# (typed, words the message must contain) for every text it refuses; the message names the style.
REFUSED = [
    ("abc", "kiểu Việt Nam, ví dụ 1.234,5"),
    ("", "Chưa nhập số"),
    ("   ", "Chưa nhập số"),
    ("-1", "không được âm"),
    ("\u22121", "không được âm"),  # the minus sign
    ("1e3", "lũy thừa"),
    ("2.5E+3", "lũy thừa"),
    ("=1+1", "công thức"),
    ("+5", "công thức"),
    ("@SUM(A1)", "công thức"),
    ("1,234.5", "kiểu tiếng Anh"),
    ("1,234,567", "kiểu tiếng Anh"),
    ("1.23.4", "kiểu Việt Nam"),
    ("1.23,5", "kiểu Việt Nam"),  # a dot before the comma must group thousands
    ("1,2,3", "kiểu Việt Nam"),
    ("95,5%", "kiểu Việt Nam"),
    ("1..2", "kiểu Việt Nam"),
    (",5", "kiểu Việt Nam"),
    ("5,", "kiểu Việt Nam"),
    ("\u0661\u0662", "kiểu Việt Nam"),  # Arabic-Indic digits are not ours
    (NFD_WORDS, "kiểu Việt Nam"),
    ("9" * 11, "quá lớn"),
    ("1,23456", "4 chữ số thập phân"),
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_the_one_rule_reads_vietnamese_style_numbers(text, expected):
    assert parse_number(text) == Decimal(expected)


@pytest.mark.parametrize(("text", "words"), REFUSED)
def test_the_one_rule_refuses_with_a_message_that_names_the_style(text, words):
    with translation.override("vi"), pytest.raises(NumberError) as refused:
        parse_number(text)
    assert words in str(refused.value)


def test_the_message_quotes_decomposed_text_as_it_was_meant():
    with translation.override("vi"), pytest.raises(NumberError) as refused:
        parse_number(NFD_WORDS)
    assert "“mười hai”" in str(refused.value)  # composed (NFC), so it reads and searches as typed


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("abc", "Vietnamese style, e.g. 1.234,5"),
        ("1,234.5", "English style"),
        ("=1+1", "formula"),
        ("1e3", "exponent"),
        ("-1", "negative"),
    ],
)
def test_the_message_is_in_the_users_language(text, words):
    with translation.override("en"), pytest.raises(NumberError) as refused:
        parse_number(text)
    assert words in str(refused.value)


@pytest.mark.parametrize(
    ("cell", "expected"), [(95.5, "95.5"), (1234, "1234"), (Decimal("12.50"), "12.5"), ("1.234,5", "1234.5")]
)
def test_a_spreadsheet_cell_is_a_number_as_stored_or_text_by_the_same_rule(cell, expected):
    assert parse_cell(cell) == Decimal(expected)


@pytest.mark.parametrize("cell", [True, -1, float("nan"), float("inf"), None, "abc", 1e12])
def test_a_spreadsheet_cell_that_is_no_figure_is_refused(cell):
    with pytest.raises(NumberError):
        parse_cell(cell)


@pytest.mark.parametrize(
    ("value", "written"),
    [("1234.5000", "1.234,5"), ("95", "95"), ("2500", "2.500"), ("97.5", "97,5"), ("0.125", "0,125")],
)
def test_stored_values_are_written_back_so_that_they_read_unchanged(value, written):
    assert format_for_input(Decimal(value)) == written
    assert parse_number(written) == Decimal(value)


def test_an_empty_value_is_written_as_an_empty_box():
    assert format_for_input(None) == ""


@pytest.mark.parametrize(
    ("value", "plain", "places"),
    [
        ("1234.5000", "1234.5", 1),
        ("2500", "2500", 0),
        ("2.5E+3", "2500", 0),
        ("0.0001", "0.0001", 4),
        ("100.00", "100", 0),
    ],
)
def test_plain_numbers_drop_trailing_zeros_and_never_use_an_exponent(value, plain, places):
    assert plain_number(Decimal(value)) == plain
    assert decimal_places(Decimal(value)) == places
