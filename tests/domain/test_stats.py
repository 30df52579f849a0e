"""Pure calculations, without a database."""

from decimal import Decimal

from indicators.domain import stats
from indicators.domain.text import collation_key
from indicators.presentation.sparklines import sparkline_points


def test_percentile_interpolates_like_numpy():
    assert stats.percentile([1, 2, 3, 4], 0.5) == 2.5
    assert stats.percentile([1, 2, 3, 4], 0.25) == 1.75
    assert stats.percentile([7], 0.75) == 7
    assert stats.percentile([], 0.5) is None


def test_competition_ranks_respect_direction_and_ties():
    values = {"a": Decimal(10), "b": Decimal(30), "c": Decimal(30), "d": Decimal(5)}
    assert stats.competition_ranks(values, True) == {"b": 1, "c": 1, "a": 3, "d": 4}
    assert stats.competition_ranks(values, False) == {"d": 1, "a": 2, "b": 3, "c": 3}
    assert stats.competition_ranks(values, None) == {}


def test_fewer_overdue_dossiers_is_an_improvement():
    assert stats.is_improvement(Decimal(-5), False) is True
    assert stats.is_improvement(Decimal(5), False) is False
    assert stats.is_improvement(Decimal(5), True) is True
    assert stats.is_improvement(Decimal(5), None) is None
    assert stats.is_improvement(None, True) is None


def test_change_is_unknown_when_a_year_is_missing():
    assert stats.change(Decimal(5), None) is None
    assert stats.change(Decimal(5), Decimal(3)) == 2


def test_rank_class_splits_into_fifths():
    assert [stats.rank_class(r, 15) for r in (1, 3, 4, 8, 13, 15)] == [1, 1, 2, 3, 5, 5]
    assert stats.rank_class(None, 15) is None


def test_sparkline_breaks_at_a_gap():
    points = sparkline_points([1.0, None, 3.0, 4.0])
    first, second = points.split("|")
    assert first.count(",") == 1 and second.count(",") == 2
    assert sparkline_points([None, None]) == ""


def test_equal_values_follow_the_tie_key_then_the_key():
    values = {"b": Decimal("90"), "a": Decimal("90"), "c": Decimal("95")}
    assert stats.better_first(values, True) == ["c", "a", "b"]
    names = {"a": "Vĩnh Hưng", "b": "Đức Hòa", "c": "Bến Lức"}
    assert stats.better_first(values, True, tie=lambda key: collation_key(names[key])) == ["c", "b", "a"]
