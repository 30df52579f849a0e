"""Reading typed numbers in the page's language. Pure functions, no database."""

from decimal import Decimal

import pytest

from indicators.domain.numbers import (
    NumberError,
    decimal_places,
    format_for_input,
    parse_localized,
    parse_plain,
    plain_number,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("95,5", "95.5"), ("1.234", "1234"), ("1.234,5", "1234.5"), ("0", "0"), (" 2 500 ", "2500"), ("100", "100")],
)
def test_vietnamese_input_uses_comma_for_decimals_and_dot_for_thousands(text, expected):
    assert parse_localized(text, "vi") == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "expected"), [("95.5", "95.5"), ("1,234", "1234"), ("1,234.5", "1234.5"), ("12", "12")]
)
def test_english_input_uses_dot_for_decimals_and_comma_for_thousands(text, expected):
    assert parse_localized(text, "en") == Decimal(expected)


@pytest.mark.parametrize("text", ["95.5", "1,234.5", "1.23.4", "abc", "1,2,3", "--1", "1e5", "9" * 12])
def test_vietnamese_input_refuses_the_other_convention_and_junk(text):
    with pytest.raises(NumberError):
        parse_localized(text, "vi")


def test_negative_numbers_are_refused_with_a_clear_message():
    with pytest.raises(NumberError, match="âm"):
        parse_localized("-5", "vi")


def test_empty_input_is_an_error_only_when_parsed():
    with pytest.raises(NumberError):
        parse_localized("  ", "vi")


@pytest.mark.parametrize(
    ("value", "vi", "en"), [("1234.5000", "1.234,5", "1,234.5"), ("95", "95", "95"), ("2500", "2.500", "2,500")]
)
def test_stored_values_are_written_back_so_that_they_read_unchanged(value, vi, en):
    assert format_for_input(Decimal(value), "vi") == vi
    assert format_for_input(Decimal(value), "en") == en
    assert parse_localized(vi, "vi") == Decimal(value)
    assert parse_localized(en, "en") == Decimal(value)


@pytest.mark.parametrize(("text", "expected"), [("95,5", "95.5"), ("95.5", "95.5"), ("1234", "1234")])
def test_file_numbers_take_either_decimal_mark_without_grouping(text, expected):
    assert parse_plain(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["1.234,5", "1,234.5", "x", ""])
def test_file_numbers_with_grouping_or_junk_are_refused(text):
    with pytest.raises(NumberError):
        parse_plain(text)


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
