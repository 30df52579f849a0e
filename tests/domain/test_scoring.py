"""The district index and target progress, by hand, without a database.

The small dataset: three districts A, B, C and three indicators.
    x  higher is better, area a1, weight 2, min-max:   A 50   B 100  C 75  -> scaled A 0,   B 100, C 50
    y  lower is better,  area a2, weight 1, min-max:   A 10   B 30   C 20  -> scaled A 100, B 0,   C 50
    z  higher is better, area a2, weight 1, target 80: A 80   B 40   C --  -> scaled A 100, B 50,  C missing
Scores (weighted mean of what each district has):
    A (2*0 + 100 + 100) / 4 = 50       B (2*100 + 0 + 50) / 4 = 62.5
    C (2*50 + 50) / 3 = 50             (not (100 + 50 + 0) / 4 = 37.5: a gap is not a zero)
"""

from datetime import date

import pytest

from indicators.domain import scoring

X = scoring.Component("x", "a1", 2, scoring.MINMAX, True)
Y = scoring.Component("y", "a2", 1, scoring.MINMAX, False)
Z = scoring.Component("z", "a2", 1, scoring.TARGET, True, target=80)
VALUES = {"x": {"A": 50, "B": 100, "C": 75}, "y": {"A": 10, "B": 30, "C": 20}, "z": {"A": 80, "B": 40}}
UNITS = ["A", "B", "C"]


def scheme(*components, year=2023, min_to_rank=2):
    return scoring.Scheme(year, f"scheme {year}", min_to_rank, 80, 65, 50, tuple(components))


def test_scores_are_weighted_means_of_the_figures_a_district_has():
    scores = scoring.score_year(scheme(X, Y, Z), VALUES, UNITS)
    assert scores["A"].score == pytest.approx(50)
    assert scores["B"].score == pytest.approx(62.5)
    assert scores["C"].score == pytest.approx(50)


def test_a_missing_indicator_is_left_out_not_counted_as_zero():
    c = scoring.score_year(scheme(X, Y, Z), VALUES, UNITS)["C"]
    assert (c.used, c.total) == (2, 3)
    assert c.score == pytest.approx(50)
    missing = next(p for p in c.parts if p.indicator == "z")
    assert missing.value is None and missing.scaled is None and missing.share is None


def test_ties_share_a_rank():
    scores = scoring.score_year(scheme(X, Y, Z), VALUES, UNITS)
    assert {u: s.rank for u, s in scores.items()} == {"B": 1, "A": 2, "C": 2}
    assert [s.unit for s in scoring.ranking(scores)] == ["B", "A", "C"]


def test_the_schemes_rule_decides_whether_a_district_with_gaps_is_ranked():
    scores = scoring.score_year(scheme(X, Y, Z, min_to_rank=3), VALUES, UNITS)
    assert scores["C"].ranked is False and scores["C"].rank is None and scores["C"].band is None
    assert scores["C"].score == pytest.approx(50), "it still has a score, with what it rests on"
    assert {u: s.rank for u, s in scores.items() if s.ranked} == {"B": 1, "A": 2}
    assert [s.unit for s in scoring.ranking(scores)] == ["B", "A", "C"]


def test_bands_follow_the_schemes_thresholds():
    scores = scoring.score_year(scheme(X, Y, Z), VALUES, UNITS)
    assert scores["B"].band == scoring.AVERAGE  # 62.5: at least 50, under 65
    assert scores["A"].band == scoring.AVERAGE  # exactly 50 reaches the lower bound
    assert scoring.band_of(scheme(X), 80) == scoring.GOOD
    assert scoring.band_of(scheme(X), 79.99) == scoring.FAIR
    assert scoring.band_of(scheme(X), 49.9) == scoring.WEAK


def test_breakdown_by_area_and_indicator():
    a = scoring.score_year(scheme(X, Y, Z), VALUES, UNITS)["A"]
    assert a.areas == {"a1": pytest.approx(0), "a2": pytest.approx(100)}
    shares = {p.indicator: p.share for p in a.parts}
    assert shares == {"x": pytest.approx(0), "y": pytest.approx(25), "z": pytest.approx(25)}
    assert sum(shares.values()) == pytest.approx(a.score)
    b = scoring.score_year(scheme(X, Y, Z), VALUES, UNITS)["B"]
    assert b.areas == {"a1": pytest.approx(100), "a2": pytest.approx(25)}


def test_past_years_are_scored_under_the_scheme_in_force_for_them():
    old, new = scheme(X, year=2019, min_to_rank=1), scheme(X, Y, Z, year=2023)
    assert scoring.scheme_for_year([new, old], 2018) is None
    assert scoring.scheme_for_year([new, old], 2022) is old
    assert scoring.scheme_for_year([new, old], 2023) is new
    assert scoring.scheme_for_year([new, old], 2030) is new
    # Under the old scheme only x counts: A 0, C 50, B 100.
    scores = scoring.score_year(scoring.scheme_for_year([new, old], 2022), VALUES, UNITS)
    assert {u: s.score for u, s in scores.items()} == {"A": 0, "B": 100, "C": 50}
    assert {u: s.rank for u, s in scores.items()} == {"B": 1, "C": 2, "A": 3}


def test_rank_change_since_last_year():
    last_year = scoring.score_year(scheme(X, year=2019, min_to_rank=1), VALUES, UNITS)  # B 1, C 2, A 3
    this_year = scoring.score_year(scheme(X, Y, Z), VALUES, UNITS)  # B 1, A 2, C 2
    assert scoring.rank_changes(this_year, last_year) == {"A": 1, "B": 0, "C": 0}
    assert scoring.rank_changes(this_year, {})["A"] is None


def test_what_if_moves_the_district_and_rescales_the_others():
    # C reaches 80 on z (target met: 100) and 100 on x (now tied best: 100, and B stays 100).
    after = scoring.what_if(scheme(X, Y, Z), VALUES, UNITS, unit="C", changes={"z": 80, "x": 100})
    assert after["C"].score == pytest.approx((2 * 100 + 50 + 100) / 4)
    assert after["C"].rank == 1 and after["B"].rank == 2
    assert VALUES["z"] == {"A": 80, "B": 40}, "the input is not changed"


def test_target_scaling_is_capped_and_respects_direction():
    assert scoring.scale(Z, 100, None, None) == 100
    assert scoring.scale(Z, 40, None, None) == 50
    lower = scoring.Component("late", "a", 1, scoring.TARGET, False, target=10)
    assert scoring.scale(lower, 5, None, None) == 100
    assert scoring.scale(lower, 20, None, None) == 50
    assert scoring.scale(scoring.Component("n", "a", 1, scoring.TARGET, True), 40, None, None) is None


def test_all_equal_figures_give_every_district_full_marks():
    assert scoring.scale(X, 70, 70, 70) == 100


def test_most_improved_respects_direction():
    now, before = {"A": 10, "B": 30, "C": 20, "D": 5}, {"A": 20, "B": 25, "C": 20}
    # Fewer overdue dossiers is better: A improved by 10, B got worse, C unchanged, D has no past.
    (a,) = scoring.most_improved(now, before, False)
    assert (a.unit, a.change, a.gain) == ("A", -10, 10)
    (b,) = scoring.most_improved(now, before, True)
    assert (b.unit, b.gain) == ("B", 5)
    assert scoring.most_improved(now, before, None) == []


@pytest.mark.parametrize(
    ("value", "target", "higher", "qualifier", "expected"),
    [
        (85, 80, True, "exact", scoring.MET),
        (80, 80, True, "exact", scoring.MET),
        (80, 80, True, "approximately", scoring.CLOSE),  # "gần 80%" is just under
        (80, 80, True, "more_than", scoring.MET),
        (72, 80, True, "exact", scoring.CLOSE),  # within 10% of the target
        (71.9, 80, True, "exact", scoring.FAR),
        (31, 80, True, "more_than", scoring.FAR),
        (5, 10, False, "exact", scoring.MET),
        (11, 10, False, "exact", scoring.CLOSE),
        (12, 10, False, "exact", scoring.FAR),
        (None, 80, True, "exact", None),
        (50, 80, None, "exact", None),
    ],
)
def test_target_status_met_close_far(value, target, higher, qualifier, expected):
    assert scoring.target_status(value, target, higher, qualifier) == expected


def test_crossing_the_reorganisation():
    cutoff = date(2025, 7, 1)
    assert scoring.crosses(cutoff, [2023, 2024, 2025]) is True
    # 2025's figures are the communes' (the units in force on 31/12/2025): all after the cut-off.
    assert scoring.crosses(cutoff, [2025]) is False
    assert scoring.crosses(cutoff, [2025, 2026]) is False
    assert scoring.crosses(cutoff, [2024, 2026]) is True
    assert scoring.crosses(cutoff, [2019, 2024]) is False
    assert scoring.crosses(cutoff, [2026, 2027]) is False
    assert scoring.crosses(date(2025, 1, 1), [2025, 2026]) is False
    assert scoring.crosses(cutoff, []) is False
    # A tick stands for the whole year: 1 July is (almost) on the 2025 tick, 1 January half a tick before.
    assert 2024.99 < scoring.year_position(cutoff) < 2025.0
    assert scoring.year_position(date(2025, 1, 1)) == 2024.5
    assert scoring.year_position(date(2024, 12, 31)) == 2024.497


def test_scores_are_rounded_to_two_decimals_and_banded_on_that_number():
    # 49.9985% of a target of 100 scales to 49.9985, shown and banded as 50.00 (Trung bình, not Yếu).
    w = scoring.Component("w", "a1", 1, scoring.TARGET, True, target=100)
    scores = scoring.score_year(scheme(w, min_to_rank=1), {"w": {"A": 49.9985}}, ["A"])
    assert scores["A"].score == 50.0
    assert scores["A"].band == scoring.AVERAGE
