"""Targets and events on charts: pure figure dicts, no database."""

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


def test_long_event_titles_are_shortened_on_the_chart_whole_in_the_hover_and_close_ones_do_not_overlap():
    resolution_202 = EventMark(date(2025, 6, 12), "Nghị quyết 202/2025/QH15 về sắp xếp đơn vị hành chính cấp tỉnh")
    figure = line([2024, 2025], events=[resolution_202, REORGANISATION])
    first, second = figure["layout"]["annotations"]
    assert first["text"].endswith("…") and len(first["text"]) <= len("12/06/2025: ") + charts.EVENT_LABEL_CHARS
    assert first["hovertext"].endswith("cấp tỉnh")
    assert (first["xanchor"], second["xanchor"]) == ("right", "left")
