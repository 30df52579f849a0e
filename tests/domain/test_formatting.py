"""Number and figure formatting, without a database."""

from decimal import Decimal

import pytest
from django.utils import translation

from indicators.domain.formatting import format_change, format_exact, format_figure, format_number, format_plain


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


@pytest.mark.parametrize(
    ("value", "vi", "en"),
    [
        (Decimal("1234.5000"), "1.234,5", "1,234.5"),
        (Decimal("2500"), "2.500", "2,500"),
        (Decimal("0.0125"), "0,0125", "0.0125"),
    ],
)
def test_an_exact_number_keeps_every_decimal_place_it_has_and_no_more(value, vi, en):
    with translation.override("vi"):
        assert format_exact(value) == vi
    with translation.override("en"):
        assert format_exact(value) == en


@pytest.mark.parametrize(
    ("value", "language", "expected"),
    [
        (1234567.0, "vi", "1234567"),
        (12.5, "vi", "12,5"),
        (12.5, "en", "12.5"),
        (Decimal("2500"), None, "2500"),
        (Decimal("95.5000"), None, "95.5"),
        (None, "vi", ""),
    ],
)
def test_a_plain_number_has_no_grouping_no_exponent_and_the_language_decimal_mark(value, language, expected):
    assert format_plain(value, language) == expected


def test_format_number_writes_what_djangos_number_format_writes():
    """format_number formats by itself where digits are grouped by three: the same text, in both languages."""
    import random

    from django.utils import formats

    from indicators.domain.formatting import rounded

    rng = random.Random(13)
    values = [Decimal(0), Decimal("-0"), Decimal("-0.04"), Decimal("999.95"), Decimal("1000"), Decimal("-1234567.5")]
    values += [Decimal(str(round(rng.uniform(-1, 1) * 10 ** rng.randint(0, 9), rng.randint(0, 4)))) for _ in range(400)]
    values += [1234, 0.1 + 0.2, 12.5, -7]
    for language in ("vi", "en"):
        with translation.override(language):
            for value in values:
                for decimals in range(4):
                    number = rounded(value, decimals)
                    places = max(0, -number.as_tuple().exponent)
                    expected = formats.number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)
                    assert format_number(value, decimals) == expected, (language, value, decimals)


def test_a_figure_writer_writes_what_format_figure_writes_in_both_languages():
    """The scorecard writes its 8,000 figures with one writer per indicator (the language's marks and
    qualifier words looked up once): the same text as format_figure, qualifier, grouping and "-0" included."""
    import random

    from indicators.domain.formatting import QUALIFIER_WORDS, figure_writer

    rng = random.Random(14)
    values = [Decimal(0), Decimal("-0"), Decimal("-0.04"), Decimal("999.95"), Decimal("2500.0000"), Decimal("1E+3")]
    values += [Decimal(str(round(rng.uniform(-1, 1) * 10 ** rng.randint(0, 9), rng.randint(0, 4)))) for _ in range(300)]
    values += [1234, 12.5, 0.1 + 0.2]
    checked = 0
    for language in ("vi", "en"):
        with translation.override(language):
            for unit_kind in ("percent", "count", "per_day", "score"):
                for decimals in range(4):
                    write = figure_writer(unit_kind=unit_kind, decimals=decimals)
                    for value in values:  # every qualifier, each decimal place
                        for qualifier in QUALIFIER_WORDS:
                            expected = format_figure(value, unit_kind=unit_kind, decimals=decimals, qualifier=qualifier)
                            assert write(value, qualifier) == expected, (language, unit_kind, value, qualifier)
                            checked += 1
    assert checked > 40_000
    with translation.override("vi"):
        assert figure_writer(unit_kind="percent", decimals=1)(Decimal("1234.25"), "approximately") == "gần 1.234,3%"


# --- Year-on-year changes: a share changes by percentage points ---------------------------------


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [
        ("vi", Decimal("1.5"), "+1,5 điểm %"),
        ("en", Decimal("1.5"), "+1.5 pp"),
        ("vi", Decimal("-0.25"), "−0,3 điểm %"),  # half-up, then the sign
        ("en", Decimal("-2"), "−2 pp"),
        ("vi", Decimal("0"), "0 điểm %"),  # no sign on no change
    ],
)
def test_a_change_of_a_share_is_in_percentage_points(language, value, expected):
    with translation.override(language):
        assert format_change(value, unit_kind="percent", decimals=1) == expected


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_change_of_a_count_keeps_its_own_unit(language):
    with translation.override(language):
        text = format_change(Decimal("-1234"), unit_kind="count", decimals=0)
    assert text == ("−1.234" if language == "vi" else "−1,234")
    assert "%" not in text and "pp" not in text


def test_a_change_shown_beside_an_arrow_has_no_sign():
    with translation.override("en"):
        assert format_change(Decimal("-0.4"), unit_kind="percent", decimals=1, signed=False) == "0.4 pp"


def test_an_unknown_change_is_a_dash():
    assert format_change(None, unit_kind="percent", decimals=1) == "–"
