"""Chart builders are pure: plain data in, a plotly figure dict out. No database here."""

import json
from decimal import Decimal

import pytest
from django.utils import translation

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
    band = [BandYear(2022, p25=30.0, median=45.0, p75=55.0, count=15), BandYear(2023, 40.0, 50.0, 60.0, 15)]
    series = [Series("807", "Cần Giuộc", {2023: point("807", 2023, 70)})]
    figure = charts.line_chart(title="t", measure=MEASURE, years=[2022, 2023], series=series, band=band)
    lower, upper, median, line = figure["data"]
    assert (lower["y"], upper["y"], median["y"]) == ([30.0, 40.0], [55.0, 60.0], [45.0, 50.0])
    assert upper["fill"] == "tonexty"
    assert line["name"] == "Cần Giuộc", "the chosen units' lines are drawn last, on top"
    assert median["text"][1] == "Năm 2023, 15 đơn vị: trung vị 50%; nửa giữa 40%–60%"


def test_the_band_is_broken_where_the_communes_take_over_from_the_districts():
    """2019–2024 compare 24 districts, 2025 compares 96 communes: two distributions, never joined."""
    band = [BandYear(year, 40.0 + year - 2023, 50.0, 60.0, 24) for year in (2023, 2024)]
    band.append(BandYear(2025, 88.0, 93.5, 95.0, 96))
    figure = charts.line_chart(
        title="t", measure=MEASURE, years=[2023, 2024, 2025], series=[], band=band, band_breaks=[2025]
    )
    _lower, upper, median, alone = figure["data"]
    assert upper["x"] == median["x"] == [2023, 2024], "the districts' band ends in 2024"
    # 2025 alone: a bar from P25 to P75 with the median marked, like a box without whiskers.
    assert alone["x"] == [2025] and alone["y"] == [93.5]
    assert (alone["error_y"]["arrayminus"], alone["error_y"]["array"]) == ([5.5], [1.5])
    assert "96 đơn vị" in alone["text"][0]
    # The legend names the band and the median once; the 2025 box toggles with the band.
    assert [t["name"] for t in figure["data"] if t.get("showlegend", True)] == [upper["name"], median["name"]]
    assert alone["legendgroup"] == upper["legendgroup"] == "band" and alone["showlegend"] is False


def test_the_band_is_broken_at_a_year_without_figures():
    band = [BandYear(2019, 1.0, 2.0, 3.0, 15), BandYear(2020, 1.0, 2.0, 3.0, 15), BandYear(2022, 1.0, 2.0, 3.0, 15)]
    figure = charts.line_chart(title="t", measure=MEASURE, years=[2019, 2020, 2021, 2022], series=[], band=band)
    assert [t["x"] for t in figure["data"] if t.get("fill")] == [[2019, 2020]]
    assert [t["x"] for t in figure["data"] if "error_y" in t] == [[2022]]


def test_the_indicator_page_breaks_its_band_in_the_first_commune_year_by_default():
    band = [BandYear(2024, 1.0, 2.0, 3.0, 24), BandYear(2025, 1.0, 2.0, 3.0, 96)]
    figure = charts.indicator_line(
        measure=MEASURE, years=[2024, 2025], series=[], band=band, target=None, source_url="", events=[]
    )
    assert charts.FIRST_COMMUNE_YEAR == 2025
    assert [t["x"] for t in figure["data"] if "error_y" in t] == [[2024], [2025]]


# --- Rankings of many units: the top, the bottom and the chosen ones --------------------------


def ranking_of(count, year=2025):
    return [(n, point(f"c{n}", year, 100 - n / 2, name=f"Xã {n}")) for n in range(1, count + 1)]


def test_a_ranking_of_fifteen_districts_is_drawn_whole():
    figure = charts.indicator_ranking(
        measure=MEASURE, year=2023, ranking=ranking_of(15, 2023), highlighted=["c3"], target=None
    )
    bar = figure["data"][0]
    assert bar["y"] == [f"Xã {n}" for n in range(1, 16)]
    assert "đầu" not in figure["layout"]["title"]["text"]


def test_a_ranking_of_96_communes_shows_the_top_the_bottom_and_the_chosen_with_their_ranks():
    figure = charts.indicator_ranking(
        measure=MEASURE, year=2025, ranking=ranking_of(96), highlighted=["c40"], target=None
    )
    bar = figure["data"][0]
    assert bar["y"] == [
        *(f"{n}. Xã {n}" for n in range(1, 6)),
        "⋯ 34 đơn vị khác",
        "40. Xã 40",
        "⋯ 51 đơn vị khác",
        *(f"{n}. Xã {n}" for n in range(92, 97)),
    ]
    assert bar["x"][5] is None and bar["text"][5] == "", "a gap row has no bar"
    assert bar["marker"]["color"][6] == charts.PALETTE[0], "the chosen unit stands out"
    assert bar["marker"]["color"][0] == charts.GREY
    assert "5 đầu, 5 cuối" in figure["layout"]["title"]["text"]
    assert figure["layout"]["height"] < 28 * 14 + 100, "13 rows, not 96"
    json.dumps(figure)


def test_two_units_of_the_same_name_keep_two_bars():
    """Long An and the former Tây Ninh each had a Huyện Châu Thành."""
    points = [point("a", 2023, 90, name="Huyện Châu Thành"), point("b", 2023, 80, name="Huyện Châu Thành")]
    bar = charts.ranking_bar(title="t", measure=MEASURE, points=points)["data"][0]
    assert len(set(bar["y"])) == 2
    assert bar["y"][0] == "Huyện Châu Thành" and bar["y"][1].rstrip("\u200b") == "Huyện Châu Thành"


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


@pytest.mark.parametrize(("language", "expected"), [("vi", ",."), ("en", ".,")])
def test_charts_write_numbers_in_the_pages_language(language, expected):
    """98,5% and 1.234 on a Vietnamese page; 98.5% and 1,234 on an English one (plotly's
    `separators`: the decimal mark, then the thousands mark)."""
    series = [Series("807", "Cần Giuộc", {2023: point("807", 2023, "98.5")})]
    with translation.override(language):
        line = charts.line_chart(title="t", measure=MEASURE, years=[2023], series=series, band=[])
        bar = charts.ranking_bar(title="t", measure=MEASURE, points=list(series[0].points.values()))
        compare = charts.compare_line(measure=MEASURE, years=[2023], series=series, events=[])
    assert line["layout"]["separators"] == bar["layout"]["separators"] == compare["layout"]["separators"] == expected


def test_the_legend_sits_at_the_foot_of_the_figure_below_the_year_axis_title():
    """Placed at a fraction of the plot's height, the legend landed on the axis title "Năm"; at the
    foot of the figure (its container), with the axis making room for its title, the two never meet."""
    series = [Series("807", "Cần Giuộc", {2023: point("807", 2023, 70)})]
    layout = charts.line_chart(title="t", measure=MEASURE, years=[2022, 2023], series=series, band=[])["layout"]
    assert (layout["legend"]["yref"], layout["legend"]["y"], layout["legend"]["yanchor"]) == ("container", 0, "bottom")
    assert layout["legend"]["orientation"] == "h"
    assert layout["xaxis"]["automargin"] is True and layout["xaxis"]["title"]["text"]


def test_more_units_make_a_taller_chart_so_the_plot_keeps_its_size():
    def chart(count):
        series = [Series(str(n), f"Huyện {n}", {2023: point(str(n), 2023, 70)}) for n in range(count)]
        return charts.line_chart(title="t", measure=MEASURE, years=[2023], series=series, band=[])["layout"]

    assert chart(10)["height"] - chart(2)["height"] == 8 * charts.LEGEND_ENTRY_PX


def test_a_long_demo_name_puts_the_demo_words_on_a_second_legend_line():
    name = "Xã Phước Vĩnh Tây (đơn vị mới từ 01/07/2025)"
    long = [Series("1", name, {2025: point("1", 2025, 90, demo=True, name=name)})]
    short = [Series("2", "Huyện Tân Trụ", {2024: point("2", 2024, 90, demo=True, name="Huyện Tân Trụ")})]
    (long_trace,) = charts.line_chart(title="t", measure=MEASURE, years=[2025], series=long, band=[])["data"]
    (short_trace,) = charts.line_chart(title="t", measure=MEASURE, years=[2024], series=short, band=[])["data"]
    assert long_trace["name"] == f"{name}<br>(có số liệu minh họa)"
    assert short_trace["name"] == "Huyện Tân Trụ (có số liệu minh họa)"


def test_a_long_title_is_wrapped_and_the_figure_grows_by_its_extra_lines():
    short = charts.line_chart(title="Tỷ lệ", measure=MEASURE, years=[2023], series=[], band=[])["layout"]
    title = "Tỷ lệ hồ sơ CBCC, viên chức đồng bộ trên phần mềm Bộ Nội vụ: các đơn vị qua các năm"
    layout = charts.line_chart(title=title, measure=MEASURE, years=[2023], series=[], band=[])["layout"]
    lines = layout["title"]["text"].split("<br>")
    assert " ".join(lines) == title and len(lines) == 3
    assert all(len(line) <= charts.TITLE_CHARS for line in lines)
    grown = 2 * charts.TITLE_LINE_PX
    assert layout["height"] - short["height"] == layout["margin"]["t"] - short["margin"]["t"] == grown
