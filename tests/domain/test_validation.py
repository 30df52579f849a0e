"""Cross-field checks and the outlier warning. Pure functions, no database."""

from decimal import Decimal as D

from indicators.domain import roles
from indicators.domain.validation import cross_field_problems, outlier_warnings, ranking_problems

# The relations key on each indicator's role, not on its code.
RECEIVED, OVERDUE, ON_TIME_SHARE = "ho-so-tiep-nhan", "ho-so-tre-han", "ho-so-dung-han"
ROLES = {RECEIVED: roles.RECEIVED, OVERDUE: roles.OVERDUE, ON_TIME_SHARE: roles.ON_TIME_SHARE}


def test_overdue_above_received_is_an_error():
    problems = cross_field_problems({RECEIVED: D(100), OVERDUE: D(101)}, ROLES)
    assert problems.has_errors
    assert OVERDUE in problems.errors


def test_overdue_equal_to_received_is_fine():
    assert not cross_field_problems({RECEIVED: D(100), OVERDUE: D(100)}, ROLES).has_errors


def test_full_on_time_share_with_overdue_dossiers_is_a_warning_not_an_error():
    problems = cross_field_problems({RECEIVED: D(100), OVERDUE: D(3), ON_TIME_SHARE: D(100)}, ROLES)
    assert not problems.has_errors
    assert ON_TIME_SHARE in problems.warnings


def test_on_time_share_above_what_received_and_overdue_allow_is_a_warning():
    problems = cross_field_problems({RECEIVED: D(100), OVERDUE: D(10), ON_TIME_SHARE: D(95)}, ROLES)
    assert ON_TIME_SHARE in problems.warnings


def test_consistent_on_time_share_gives_no_warning():
    assert not cross_field_problems({RECEIVED: D(100), OVERDUE: D(10), ON_TIME_SHARE: D(90)}, ROLES).has_warnings


def test_missing_figures_are_not_checked():
    assert not cross_field_problems({OVERDUE: D(5)}, ROLES).has_errors


def test_a_value_more_than_three_times_last_years_is_an_outlier():
    assert outlier_warnings({"x": D(31)}, {"x": D(10)}).has_warnings
    assert outlier_warnings({"x": D(3)}, {"x": D(10)}).has_warnings


def test_a_value_within_three_times_last_years_is_not_an_outlier():
    assert not outlier_warnings({"x": D(30)}, {"x": D(10)}).has_warnings
    assert not outlier_warnings({"x": D(5)}, {"x": D(0)}).has_warnings  # no ratio from zero


def test_ranks_are_never_outliers():
    assert not outlier_warnings({"rank": D(12)}, {"rank": D(1)}, {"rank": "rank"}).has_warnings


def test_a_ranking_may_publish_only_its_first_and_last_places():
    """The former Tây Ninh's 2019 index: first and ninth of its 9 districts are known, the rest not."""
    assert ranking_problems({"706": D(1), "712": D(9)}, size=9) == []
    assert ranking_problems({str(code): D(rank) for rank, code in enumerate(range(703, 712), 1)}, size=9) == []


def test_a_rank_beyond_the_rankings_units_is_a_problem():
    """Tenth place among the former Tây Ninh's 9 districts cannot be; nor can place 0 or 1.5."""
    assert ranking_problems({"712": D(10)}, size=9) == ["712: hạng 10 nằm ngoài 1…9."]
    assert ranking_problems({"712": D(0)}, size=9) and ranking_problems({"712": D("1.5")}, size=9)


def test_two_units_sharing_a_place_in_one_ranking_is_a_problem():
    """Cần Giuộc and Hòa Thành were both first in 2023, each in its own province: one ranking of both is wrong."""
    assert ranking_problems({"807": D(1), "709": D(1)}, size=24) == ["Hạng 1 trùng giữa 709, 807."]
