"""The server-drawn charts (presentation/chart_svg.py): the very figure dict plotly draws, as SVG. Pure."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from indicators.domain.series import BandYear, EventMark, Measure, Point, Series, TargetLine
from indicators.presentation import charts
from indicators.presentation.chart_notes import TARGET_COLOUR
from indicators.presentation.chart_svg import DRAWINGS, chart_picture
from indicators.presentation.svg_geometry import nice_ticks, number_text

MEASURE = Measure(name="Tỷ lệ hồ sơ trực tuyến", unit_kind="percent", decimals=1, higher_is_better=True)
BLUE = charts.PALETTE[0]


def point(year, value, *, demo=False, name="Huyện Cần Giuộc"):
    return Point(unit_code="807", unit_name=name, year=year, value=Decimal(value), qualifier="exact", is_demo=demo)


def line(values: dict, *, years=None, band=(), target=None, events=(), name="Huyện Cần Giuộc", demo=False):
    points = {year: point(year, value, demo=demo, name=name) for year, value in values.items() if value is not None}
    return charts.line_chart(
        title="Tỷ lệ",
        measure=MEASURE,
        years=years or sorted(values),
        series=[Series("807", name, points)],
        band=list(band),
        target=target,
        events=list(events),
    )


def drawing(html: str, name: str = "narrow") -> str:
    match = re.search(rf'<svg class="drawing drawing-{name}".*?</svg>', html, re.S)
    assert match, f"no {name} drawing"
    return match.group(0)


def circles(svg: str, colour: str = BLUE) -> list[tuple[float, float, str]]:
    found = re.findall(r'<circle class="marker [^"]*" cx="([\d.]+)" cy="([\d.]+)" r="[\d.]+" ([^/]*)/>', svg)
    return [(float(x), float(y), paint) for x, y, paint in found if colour in paint]


def test_points_sit_at_their_years_and_values_on_nice_ticks():
    svg = drawing(chart_picture(line({2020: 20, 2021: 40, 2022: 60}), key="line-figure"))
    (_name, width, height) = DRAWINGS[0]
    assert f'viewBox="0 0 {width} {height}"' in svg
    # The value axis runs over round ticks, 20% to 60%: the plot from y=34 (top) to height-22.
    assert re.findall(r">(\d+%)</text>", svg) == ["20%", "30%", "40%", "50%", "60%"]
    (x0, y0, _), (x1, y1, _), (x2, y2, _) = circles(svg)
    assert (y0, y1, y2) == (height - 22, (height - 22 + 34) / 2, 34)
    # Evenly spaced years, and the last one half a year in from the plot's right edge (width - 10).
    assert x1 - x0 == pytest.approx(x2 - x1, abs=0.15)
    assert x2 + (x2 - x1) / 2 == pytest.approx(width - 10, abs=0.15)
    assert re.findall(r">(20\d\d)</text>", svg) == ["2020", "2021", "2022"]


def test_a_missing_year_breaks_the_line():
    svg = drawing(chart_picture(line({2020: 20, 2021: None, 2022: 50, 2023: 60}), key="c"))
    lines = re.findall(rf'<polyline points="([^"]+)" fill="none" stroke="{BLUE}"', svg)
    assert len(lines) == 1, "2020 stands alone: a marker, no line to 2022"
    assert len(lines[0].split()) == 2
    assert len(circles(svg)) == 3


def test_demo_figures_are_drawn_open_and_dotted():
    svg = drawing(chart_picture(line({2020: 20, 2021: 40}, demo=True), key="c"))
    assert all('fill="none"' in paint for _x, _y, paint in circles(svg))
    (polyline,) = re.findall(rf'<polyline [^>]*stroke="{BLUE}"[^>]*>', svg)
    assert "stroke-dasharray" in polyline


def test_the_band_the_median_and_the_target_are_drawn():
    band = [BandYear(2020, 20.0, 30.0, 40.0, 15), BandYear(2021, 30.0, 40.0, 50.0, 15)]
    figure = line({2020: 25, 2021: 45}, band=band, target=TargetLine(value=80, label="Mục tiêu 2025: 80%"))
    html = chart_picture(figure, key="c")
    svg = drawing(html)
    assert '<polygon class="band"' in svg
    assert re.search(r'<polyline [^>]*stroke="#6e7781"[^>]*stroke-dasharray', svg), "the dashed median"
    assert re.search(rf'<line [^>]*stroke="{TARGET_COLOUR}"[^>]*stroke-dasharray', svg), "the dashed target"
    assert "Mục tiêu 2025: 80%" in svg
    assert ">80%</text>" in svg, "the axis reaches the target"
    legend = re.search(r'<ul class="legend chart-legend">.*?</ul>', html).group(0)
    assert "P25–P75" in legend and "Trung vị" in legend and "Huyện Cần Giuộc" in legend


def test_the_events_are_numbered_over_the_plot_and_their_notes_are_a_list_under_it():
    events = [EventMark(date(2021, 7, 15), "Nghị quyết 76/NQ-CP: Chương trình tổng thể CCHC 2021–2030")]
    html = chart_picture(line({2020: 20, 2022: 40}, events=events), key="c")
    assert re.search(r'text-anchor="middle" fill="#444444" class="halo">1</text>', drawing(html))
    assert "<li>1 · 15/07/2021: Nghị quyết 76/NQ-CP: Chương trình tổng thể CCHC 2021–2030</li>" in html


@pytest.mark.parametrize(("language", "tick"), [("vi", "98,5%"), ("en", "98.5%")])
def test_ticks_follow_the_pages_language(language, tick):
    with translation.override(language):
        html = chart_picture(line({2020: 97, 2021: 99}), key="c")
    assert f">{tick}</text>" in drawing(html)


def test_number_text_groups_thousands_from_five_digits_as_plotly_does():
    assert number_text(12500, decimals=0, separators=",.") == "12.500"
    assert number_text(1250, decimals=0, separators=",.") == "1250"
    assert number_text(-0.5, decimals=1, separators=".,") == "−0.5"
    assert nice_ticks(0, 100) == [0, 25, 50, 75, 100]


def test_a_unit_called_script_comes_out_as_text():
    html = chart_picture(line({2020: 20, 2021: 40}, name="<script>alert(1)</script>"), key="c")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp;lt;" not in html, "escaped once, not twice"


def test_a_figure_without_figures_gives_a_notice_not_a_crash():
    html = chart_picture(line({}, years=[2020, 2021]), key="c")
    assert "Chưa có số liệu để vẽ biểu đồ." in html
    assert "<svg" not in html
    assert "Chưa có số liệu" in chart_picture({"data": [], "layout": {}}, key="c")


def test_every_drawing_is_an_image_named_by_its_title_and_the_table_note():
    html = chart_picture(line({2020: 20, 2021: 40}), key="c")
    names = re.findall(r'<svg class="drawing drawing-(\w+)"[^>]* role="img" aria-label="([^"]+)"', html)
    assert [n for n, _label in names] == [name for name, _w, _h in DRAWINGS]
    assert all(label == "Tỷ lệ. Biểu đồ đường; dữ liệu ở bảng ngay dưới" for _n, label in names)
    assert 'class="chart-interactive" hidden>Biểu đồ tương tác</button>' in html


def test_coordinates_are_rounded_to_one_decimal():
    html = chart_picture(line({2020: 21.123, 2021: 40.777, 2022: 33.3}), key="c")
    assert not re.search(r'="[^"]*\d\.\d\d', html.split("<ul")[0])


def test_a_ranking_is_drawn_as_bars_named_best_first_with_demo_bars_hatched():
    ranking = [(1, point(2024, 90, name="Huyện A")), (2, point(2024, 60, demo=True, name="Huyện <B>"))]
    figure = charts.indicator_ranking(measure=MEASURE, year=2024, ranking=ranking, highlighted=["x"], target=None)
    html = chart_picture(figure, key="bar-figure")
    svg = drawing(html)
    assert "Biểu đồ cột xếp hạng" in svg
    bars = re.findall(r'<rect class="bar" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"', svg)
    assert len(bars) == 2
    (x_a, y_a, w_a), (x_b, y_b, w_b) = [tuple(map(float, bar)) for bar in bars]
    assert y_a < y_b, "the best on top"
    assert x_a == x_b, "both from the zero line"
    assert w_a / w_b == pytest.approx(90 / 60, rel=0.01), "bars from zero, in proportion"
    assert svg.count('class="bar demo"') == 1 and 'fill="url(#bar-figure-narrow-hatch)"' in svg
    assert "<title>Huyện &lt;B&gt;</title>Huyện &lt;B&gt;</text>" in svg, "a short name is not cut"
    assert re.search(r'<text x="[\d.]+" y="[\d.]+">60% \*</text>', svg), "the figure after its bar, * for demo"
    assert "* gạch chéo: số liệu minh họa" in html


def test_a_rank_axis_puts_first_place_on_top_and_has_no_rank_zero():
    measure = Measure(name="Xếp hạng", unit_kind="rank", decimals=0, higher_is_better=False)
    points = {2020: point(2020, 1), 2021: point(2021, 12)}
    figure = charts.line_chart(
        title="t", measure=measure, years=[2020, 2021], series=[Series("807", "A", points)], band=[]
    )
    svg = drawing(chart_picture(figure, key="c"))
    (_x0, first, _), (_x1, twelfth, _) = circles(svg)
    assert first < twelfth, "rank 1 above rank 12"
    assert '"#555">0</text>' not in svg and '"#555">1</text>' in svg
