"""Targets and events on charts: pure figure dicts, no database."""

import itertools
from datetime import date
from decimal import Decimal

from indicators.domain.series import EventMark, Measure, Point, Series, TargetLine
from indicators.presentation import charts

MEASURE = Measure(name="Tỷ lệ thanh toán trực tuyến", unit_kind="percent", decimals=1, higher_is_better=True)
REORGANISATION = EventMark(date(2025, 7, 1), "Chấm dứt cấp huyện", "reorganisation")
RESOLUTION_76 = EventMark(date(2021, 7, 15), "Nghị quyết 76/NQ-CP", "document")


def series(years):
    points = {y: Point("805", "Tân Trụ", y, Decimal(30 + y - 2019), "exact", False, "s", "Nguồn") for y in years}
    return [Series("805", "Tân Trụ", points)]


def line(years, **extra):
    return charts.line_chart(title="t", measure=MEASURE, years=years, series=series(years), band=[], **extra)


def test_target_is_a_dashed_horizontal_line_with_its_label():
    figure = line([2022, 2023], target=TargetLine(80.0, "Mục tiêu 2025: 80%"))
    (shape,) = figure["layout"]["shapes"]
    assert (shape["y0"], shape["y1"], shape["xref"], shape["x0"], shape["x1"]) == (80.0, 80.0, "paper", 0, 1)
    assert shape["line"]["dash"] == "dash"
    assert any(a["text"] == "Mục tiêu 2025: 80%" for a in figure["layout"]["annotations"])


def test_no_target_no_line():
    assert "shapes" not in line([2022, 2023])["layout"]


def test_events_appear_only_on_axes_they_fall_within():
    before = line(list(range(2019, 2025)), events=[RESOLUTION_76, REORGANISATION])
    xs = [s["x0"] for s in before["layout"]["shapes"]]
    assert len(xs) == 1 and 2021.0 < xs[0] < 2021.1, "2021 is shown, 2025 is not"
    across = line(list(range(2023, 2027)), events=[RESOLUTION_76, REORGANISATION])
    (shape,) = across["layout"]["shapes"]
    assert 2024.99 < shape["x0"] < 2025.0 and shape["yref"] == "paper"  # mid-2025 is on the 2025 tick
    assert any("Chấm dứt cấp huyện" in a["text"] and "01/07/2025" in a["text"] for a in across["layout"]["annotations"])


def test_event_titles_are_escaped():
    figure = line([2021], events=[EventMark(date(2021, 3, 1), "<img src=x>")])
    assert all("<img" not in a["text"] for a in figure["layout"]["annotations"])


def test_ranking_bar_draws_the_target_as_a_vertical_line():
    points = list(series([2023])[0].points.values())
    figure = charts.ranking_bar(title="t", measure=MEASURE, points=points, target=TargetLine(80.0, "80%"))
    (shape,) = figure["layout"]["shapes"]
    assert (shape["x0"], shape["x1"], shape["yref"]) == (80.0, 80.0, "paper")


def notes_and_numbers(figure):
    """The event notes (in the margin above the plot) and the numbers over the event lines."""
    annotations = [a for a in figure["layout"]["annotations"] if a.get("font", {}).get("color") == charts.EVENT_COLOUR]
    notes = [a for a in annotations if a["xref"] == "paper"]
    numbers = [a for a in annotations if a["xref"] == "x"]
    return notes, numbers


def test_event_notes_sit_above_the_plot_wrapped_never_over_the_lines():
    long_title = (
        "Nghị quyết 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh, cấp xã và tổ chức chính quyền địa phương"
    )
    resolution_202 = EventMark(date(2025, 6, 12), long_title)
    figure = line(list(range(2019, 2027)), events=[RESOLUTION_76, resolution_202, REORGANISATION])
    notes, numbers = notes_and_numbers(figure)
    assert len(notes) == 3
    for note in notes:
        # Horizontal, from the plot's left edge, at or above its top: in the margin, not over the figures.
        assert "textangle" not in note
        assert (note["x"], note["xanchor"], note["y"], note["yanchor"]) == (0, "left", 1, "bottom")
        assert note["yshift"] > 0
        assert all(len(line) <= charts.EVENT_NOTE_CHARS for line in note["text"].split("<br>"))
    # Listed in date order from the top: the first event highest, none over another.
    texts = sorted(notes, key=lambda n: -n["yshift"])
    assert [n["text"].split(" · ")[0] for n in texts] == ["1", "2", "3"]
    bottoms = sorted(n["yshift"] for n in notes)
    heights = {n["yshift"]: charts.EVENT_LINE_PX * (1 + n["text"].count("<br>")) for n in notes}
    assert all(low + heights[low] <= high for low, high in itertools.pairwise(bottoms))
    # The top margin holds the highest note under the title.
    highest = max(bottoms)
    assert figure["layout"]["margin"]["t"] >= 48 + highest + heights[highest]
    # The long title is cut on the chart and whole in the hover.
    long_one = next(n for n in notes if n["text"].startswith("2 · "))
    assert long_one["text"].count("<br>") == charts.EVENT_NOTE_LINES - 1 and long_one["text"].endswith("…")
    assert long_one["hovertext"] == f"12/06/2025: {long_title}"
    # 12 June and 1 July 2025 are a fortnight apart: their lines share one number, "2, 3".
    assert sorted(n["text"] for n in numbers) == ["1", "2, 3"]
    assert all((n["y"], n["yanchor"], n["yref"]) == (1, "bottom", "paper") for n in numbers)


def test_no_event_shown_leaves_the_top_margin_as_it_was():
    plain = line([2022, 2023])
    figure = line([2022, 2023], events=[REORGANISATION])
    assert figure["layout"]["margin"]["t"] == plain["layout"]["margin"]["t"]
    assert notes_and_numbers(figure) == ([], [])
