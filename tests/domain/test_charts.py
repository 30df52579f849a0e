"""Chart builders are pure: plain data in, a plotly figure dict out. No database here."""

import json
from decimal import Decimal

from indicators.domain.series import BandYear, Measure, Point, Series
from indicators.presentation import charts

MEASURE = Measure(name="Tỷ lệ hồ sơ trực tuyến", unit_kind="percent", decimals=1, higher_is_better=True)


def point(unit, year, value, *, qualifier="exact", demo=False, name=None):
    return Point(
        unit_code=unit,
        unit_name=name or f"Huyện {unit}",
        year=year,
        value=Decimal(value),
        qualifier=qualifier,
        is_demo=demo,
        source_code="" if demo else "bai-bao",
        source_title="" if demo else "Bài báo",
        quote="" if demo else "đạt gần 95%",
    )


def test_line_chart_leaves_a_gap_for_a_missing_year():
    series = [Series("807", "Cần Giuộc", {2021: point("807", 2021, 50), 2023: point("807", 2023, 70)})]
    figure = charts.line_chart(title="t", measure=MEASURE, years=[2021, 2022, 2023], series=series, band=[])
    trace = figure["data"][0]
    assert trace["y"] == [50.0, None, 70.0]
    assert trace["connectgaps"] is False


def test_line_chart_marks_a_qualified_figure_and_links_its_source():
    series = [Series("807", "Cần Giuộc", {2023: point("807", 2023, 95, qualifier="approximately")})]
    figure = charts.line_chart(title="t", measure=MEASURE, years=[2023], series=series, band=[], source_url="/sources/")
    (annotation,) = figure["layout"]["annotations"]
    assert annotation["text"] == '<a href="/sources/bai-bao/">≈95%</a>'
    assert "≈95%" in figure["data"][0]["text"][0]
    assert "gần" in figure["data"][0]["text"][0]


def test_line_chart_draws_demo_figures_open_dotted_and_named():
    series = [Series("805", "Tân Trụ", {2022: point("805", 2022, 40, demo=True), 2023: point("805", 2023, 45)})]
    figure = charts.line_chart(title="t", measure=MEASURE, years=[2022, 2023], series=series, band=[])
    trace = figure["data"][0]
    assert trace["marker"]["symbol"] == ["circle-open", "circle"]
    assert trace["line"]["dash"] == "dot"
    assert "minh họa" in trace["name"]
    assert "minh họa" in trace["text"][0]
    assert figure["layout"]["annotations"] == []


def test_line_chart_draws_the_band_behind_the_lines():
    band = [BandYear(2023, p25=40.0, median=50.0, p75=60.0, count=15)]
    series = [Series("807", "Cần Giuộc", {2023: point("807", 2023, 70)})]
    figure = charts.line_chart(title="t", measure=MEASURE, years=[2023], series=series, band=band)
    lower, upper, median, line = figure["data"]
    assert (lower["y"], upper["y"], median["y"]) == ([40.0], [60.0], [50.0])
    assert upper["fill"] == "tonexty"
    assert line["name"] == "Cần Giuộc"


def test_ranking_bar_keeps_the_given_order_and_patterns_demo_bars():
    points = [point("a", 2023, 90), point("b", 2023, 80, demo=True)]
    figure = charts.ranking_bar(title="t", measure=MEASURE, points=points, highlighted=["b"])
    bar = figure["data"][0]
    assert bar["x"] == [90.0, 80.0]
    assert bar["marker"]["pattern"]["shape"] == ["", "/"]
    assert bar["marker"]["color"][1] == charts.PALETTE[0]
    assert figure["layout"]["yaxis"]["autorange"] == "reversed"


def test_text_from_the_database_is_escaped_in_the_figure():
    hostile = "</script><img src=x onerror=alert(1)>"
    series = [Series("807", hostile, {2023: point("807", 2023, 70, name=hostile)})]
    figure = charts.line_chart(title=hostile, measure=MEASURE, years=[2023], series=series, band=[])
    text = json.dumps(figure)
    assert "<img" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text


def test_rank_axis_puts_first_place_on_top():
    measure = Measure(name="Xếp hạng", unit_kind="rank", decimals=0, higher_is_better=False)
    figure = charts.line_chart(title="t", measure=measure, years=[2023], series=[], band=[])
    assert figure["layout"]["yaxis"]["autorange"] == "reversed"


def test_figure_is_json_serialisable_with_floats_not_decimals():
    series = [Series("807", "Cần Giuộc", {2023: point("807", 2023, "95.5")})]
    figure = charts.line_chart(title="t", measure=MEASURE, years=[2023], series=series, band=[])
    assert json.loads(json.dumps(figure))["data"][0]["y"] == [95.5]


def test_a_new_units_series_is_drawn_apart_and_says_it_is_not_a_continuation():
    from datetime import date

    series = [
        Series("807", "Cần Giuộc", {2024: point("807", 2024, 90)}),
        Series("TN", "Tây Ninh", {2025: point("TN", 2025, 93, demo=True)}, began=date(2025, 7, 1)),
    ]
    figure = charts.line_chart(title="t", measure=MEASURE, years=[2024, 2025], series=series, band=[])
    district, new = figure["data"]
    assert district["y"] == [90.0, None] and new["y"] == [None, 93.0]  # never one joined line
    assert new["legendgroup"] == "successors" and "legendgroup" not in district
    assert new["line"]["dash"] == "dashdot" and new["marker"]["symbol"] == ["diamond", "diamond-open"]
    assert "đơn vị mới từ 01/07/2025" in new["name"] and "minh họa" in new["name"]
    assert "không nối tiếp" in new["text"][1] and new["text"][0] == ""
