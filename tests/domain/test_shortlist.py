"""A long ranking cut to the top, the bottom and the chosen units (domain/shortlist.py)."""

from indicators.domain.shortlist import Gap, Shown, is_cut, shortlist


def ranking_of(count):
    return [(index + 1, f"u{index + 1}") for index in range(count)]


def shape(rows):
    return [f"gap {row.hidden}" if isinstance(row, Gap) else row.item for row in rows]


def test_a_short_ranking_is_shown_whole():
    rows = shortlist(ranking_of(15), chosen=["u7"], code_of=str)
    assert shape(rows) == [f"u{n}" for n in range(1, 16)]
    assert not is_cut(rows)
    assert [row.chosen for row in rows].count(True) == 1


def test_96_units_keep_the_top_five_the_bottom_five_and_the_chosen_in_rank_order():
    rows = shortlist(ranking_of(96), chosen=["u50", "u8", "u93"], code_of=str)
    assert shape(rows) == [
        *("u1", "u2", "u3", "u4", "u5"),
        "gap 2",
        "u8",
        "gap 41",
        "u50",
        "gap 41",
        *("u92", "u93", "u94", "u95", "u96"),
    ]
    assert is_cut(rows)
    shown = [row for row in rows if isinstance(row, Shown)]
    assert {row.item for row in shown if row.chosen} == {"u8", "u50", "u93"}
    assert sum(row.hidden for row in rows if isinstance(row, Gap)) + len(shown) == 96


def test_ranks_travel_with_their_units_ties_included():
    ranking = [(1, "a"), (1, "b"), *((3 + n, f"x{n}") for n in range(30)), (None, "unranked")]
    rows = shortlist(ranking, chosen=["x10"], code_of=str, top=2, bottom=1)
    assert [(row.rank, row.item) for row in rows if isinstance(row, Shown)] == [
        (1, "a"),
        (1, "b"),
        (13, "x10"),
        (None, "unranked"),
    ]


def test_choosing_nothing_keeps_the_top_and_bottom_only():
    rows = shortlist(ranking_of(168), chosen=[], code_of=str)
    assert shape(rows) == ["u1", "u2", "u3", "u4", "u5", "gap 158", "u164", "u165", "u166", "u167", "u168"]
