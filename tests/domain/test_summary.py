"""The home cards' summary rules: a median, a best and a worst need enough units; the best is never
the worst; no change is computed from "gần 95%" as if it were 95. No database."""

from decimal import Decimal

from indicators.domain import summary
from indicators.domain.series import Point


def point(code, value, qualifier="exact"):
    return Point(
        unit_code=code, unit_name=f"Huyện {code}", year=2023, value=Decimal(value), qualifier=qualifier, is_demo=False
    )


def test_one_unit_has_no_median_and_is_not_both_best_and_worst():
    result = summary.summarize([point("807", "95", "approximately")], higher_is_better=True)
    assert result.median is None and result.best is None and result.worst is None
    assert result.reported == 1 and result.too_few


def test_two_units_are_still_too_few_for_a_median():
    result = summary.summarize([point("807", "95"), point("805", "90")], higher_is_better=True)
    assert result.median is None and result.too_few and result.reported == 2


def test_no_figure_at_all_is_not_too_few_but_nothing():
    result = summary.summarize([], higher_is_better=True)
    assert result.median is None and not result.too_few and result.reported == 0


def test_enough_units_give_a_median_and_a_different_best_and_worst():
    result = summary.summarize([point("807", "95"), point("805", "90"), point("806", "97")], higher_is_better=True)
    assert result.median == 95.0 and result.is_exact
    assert (result.best.unit_code, result.worst.unit_code) == ("806", "805")


def test_lower_is_better_puts_the_smallest_figure_first():
    result = summary.summarize([point("1", "5"), point("2", "50"), point("3", "9")], higher_is_better=False)
    assert (result.best.unit_code, result.worst.unit_code) == ("1", "2")


def test_units_with_the_same_figure_have_no_best_or_worst():
    result = summary.summarize([point("1", "100"), point("2", "100"), point("3", "100")], higher_is_better=True)
    assert result.median == 100.0 and result.best is None and result.worst is None


def test_a_neutral_indicator_has_no_best_or_worst():
    result = summary.summarize([point("1", "5"), point("2", "50"), point("3", "9")], higher_is_better=None)
    assert result.median == 9.0 and result.best is None and result.worst is None


def test_a_median_that_rests_on_a_qualified_figure_keeps_its_qualifier():
    result = summary.summarize(
        [point("807", "95", "approximately"), point("805", "90"), point("806", "97")], higher_is_better=True
    )
    assert result.median == 95.0 and result.median_qualifier == "approximately" and not result.is_exact


def test_a_qualified_figure_away_from_the_middle_leaves_the_median_exact():
    result = summary.summarize(
        [point("807", "95", "approximately"), point("805", "96"), point("806", "97")], higher_is_better=True
    )
    assert result.median == 96.0 and result.is_exact


def test_two_different_qualifiers_in_the_middle_make_the_median_approximate():
    points = [point("1", "31", "more_than"), point("2", "30", "approximately"), point("3", "10"), point("4", "50")]
    assert summary.summarize(points, higher_is_better=True).median_qualifier == "approximately"


def test_no_change_is_computed_from_a_qualified_median():
    now = summary.summarize(
        [point("807", "95", "approximately"), point("805", "90"), point("806", "97")], higher_is_better=True
    )
    before = summary.summarize([point("807", "90"), point("805", "80"), point("806", "92")], higher_is_better=True)
    change = summary.median_change(now, before)
    assert change.delta is None and change.not_exact
    assert summary.median_change(before, now).not_exact  # the year before qualified: the same


def test_the_change_of_exact_medians_is_their_difference():
    now = summary.summarize([point("1", "95.5"), point("2", "90"), point("3", "97")], higher_is_better=True)
    before = summary.summarize([point("1", "90.2"), point("2", "80"), point("3", "92")], higher_is_better=True)
    change = summary.median_change(now, before)
    assert change.delta == 5.3 and not change.not_exact


def test_no_change_when_either_year_has_too_few_units():
    now = summary.summarize([point("1", "95"), point("2", "90"), point("3", "97")], higher_is_better=True)
    before = summary.summarize([point("1", "90")], higher_is_better=True)
    change = summary.median_change(now, before)
    assert change.delta is None and not change.not_exact
