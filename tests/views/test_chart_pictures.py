"""The chart pages carry each chart drawn on the server (presentation/chart_svg.py) inside its
data-chart box, so a first visit needs no plotly.js and a reader without JavaScript gets the chart."""

import re

from tests.views.test_public import page_text


def box(html: str, chart_id: str) -> str:
    """The markup inside <div ... data-chart="chart_id" ...>, up to its json_script."""
    match = re.search(rf'data-chart="{chart_id}"[^>]*>(.*?)</div>\s*<script id="{chart_id}"', html, re.S)
    assert match, f"no chart box {chart_id}"
    return match.group(1)


def test_the_indicator_page_draws_its_line_and_ranking_on_the_server(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?units=807,805&year=2023"))
    line = box(html, "line-figure")
    assert line.count('role="img"') == 3, "a narrow, a medium and a wide drawing"
    assert "<polyline" in line and "<circle" in line
    legend = re.search(r'<ul class="legend chart-legend">(.*?)</ul>', line, re.S).group(1)
    assert "Huyện Cần Giuộc" in legend and "Huyện Tân Trụ" in legend and "P25–P75" in legend
    assert ">≈95%</text>" in line, "the qualified article figure keeps its ≈"
    ranking = box(html, "bar-figure")
    assert ranking.count('<rect class="bar"') >= 3 * 15, "Long An's 15 districts in each drawing"
    assert "Biểu đồ cột xếp hạng; dữ liệu ở bảng ngay dưới" in ranking


def test_the_pictures_speak_the_pages_language(units_in_force, client):
    client.cookies["django_language"] = "en"
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?units=807"))
    line = box(html, "line-figure")
    assert ">Interactive chart</button>" in line
    assert "Line chart; the data is in the table just below" in line


def test_the_compare_page_draws_each_chart_on_the_server(units_in_force, client):
    html = page_text(client.get("/compare/?units=807,805&indicators=ho-so-truc-tuyen,thanh-toan-truc-tuyen"))
    for chart_id in ("compare-0", "compare-1"):
        picture = box(html, chart_id)
        assert picture.count('<svg class="drawing') == 3
        assert "Huyện Cần Giuộc" in picture
