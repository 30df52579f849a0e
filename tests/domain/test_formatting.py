"""Number and figure formatting, without a database."""

from decimal import Decimal

import pytest
from django.utils import translation

from indicators.domain.formatting import format_figure, format_number


@pytest.mark.parametrize(
    ("value", "decimals", "vi", "en"),
    [
        (Decimal("1234.5"), 1, "1.234,5", "1,234.5"),
        (Decimal("2500"), 0, "2.500", "2,500"),
        (Decimal("95.0000"), 1, "95", "95"),
        (Decimal("1234567.25"), 2, "1.234.567,25", "1,234,567.25"),
        (Decimal("0.05"), 1, "0,1", "0.1"),
    ],
)
def test_numbers_follow_the_language_convention(value, decimals, vi, en):
    with translation.override("vi"):
        assert format_number(value, decimals) == vi
    with translation.override("en"):
        assert format_number(value, decimals) == en


def test_missing_value_is_a_dash_not_zero():
    assert format_number(None) == "–"


def test_qualifier_is_never_rounded_away():
    with translation.override("vi"):
        assert format_figure(Decimal(95), unit_kind="percent", decimals=1, qualifier="approximately") == "gần 95%"
        assert format_figure(Decimal(31), unit_kind="percent", decimals=1, qualifier="more_than") == "hơn 31%"
        assert format_figure(Decimal(100), unit_kind="percent", decimals=1, qualifier="exact") == "100%"
    assert format_figure(Decimal(95), unit_kind="percent", decimals=1, qualifier="approximately", compact=True) == (
        "≈95%"
    )
    assert format_figure(Decimal(31), unit_kind="percent", decimals=1, qualifier="more_than", compact=True) == "> 31%"
