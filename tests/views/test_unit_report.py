"""Issue 14 §8: a unit's printable report for the yearly meeting, as a reader of the paper sees it:
every indicator of the unit's level with its figures by year, trend, rank, target and source, and
the demo label on every demo figure."""

import re

import pytest

from indicators.models import Indicator, Source, Target

MH = '<abbr class="demo-tag" title="Dữ liệu minh họa">MH</abbr>'


def text(response) -> str:
    return response.content.decode()


def rows_of(html: str) -> list[str]:
    """The report tables' body rows."""
    return [
        row
        for table in html.split('class="data report-table"')[1:]
        for row in re.findall(r"<tr>(.*?)</tr>", table.split("</table>")[0], re.S)
    ]


@pytest.mark.parametrize(("url", "level"), [("/units/807/report/", "district"), ("/units/28159/report/", "commune")])
def test_the_report_lists_every_indicator_of_the_units_level(units_in_force, client, url, level):
    html = text(client.get(url))
    names = re.findall(r'<th scope="row">(.*?)<br>', html)
    expected = list(Indicator.objects.for_level(level).values_list("name", flat=True))
    assert sorted(names) == sorted(expected)
    assert len(names) == len(expected) > 10


def test_every_demo_figure_is_printed_with_its_label(units_in_force, client):
    html = text(client.get("/units/807/report/"))
    demo_cells = re.findall(r'<td class="num demo-value">(.*?)</td>', html, re.S)
    assert len(demo_cells) > 100
    assert all(MH in cell for cell in demo_cells)
    # The article's figures are not labelled demo: Cần Giuộc's 2023 "gần 95%" online share.
    online = next(r for r in rows_of(html) if "Tỷ lệ hồ sơ trực tuyến" in r)
    cells = re.findall(r'<td class="num[^"]*">(.*?)</td>', online, re.S)
    assert "gần 95%" in cells[4] and "MH" not in cells[4]  # 2019..2024: the fifth is 2023
    # The key says what MH means, in words, and the banner stays.
    assert "MH</abbr> = số liệu minh họa (giả lập), không phải số liệu chính thức." in html
    assert "Dữ liệu minh họa." in html


def test_a_demo_rank_and_target_carry_the_label_too(units_in_force, client):
    Target.objects.create(
        indicator=Indicator.objects.get(code="ho-so-so-hoa"),
        unit=None,
        year=2024,
        value=80,
        source=Source.objects.first(),
    )
    html = text(client.get("/units/807/report/"))
    row = next(r for r in rows_of(html) if "Tỷ lệ hồ sơ được số hóa" in r)
    rank_cell, target_cell = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-3:-1]
    assert re.search(r"\d+/24", rank_cell) or re.search(r"\d+/15", rank_cell)
    assert MH in rank_cell
    assert "Mục tiêu 2024: ≥ 80%" in target_cell and MH in target_cell


def test_the_trend_is_an_inline_svg_sparkline(units_in_force, client):
    html = text(client.get("/units/807/report/"))
    row = next(r for r in rows_of(html) if "Tỷ lệ hồ sơ được số hóa" in r)
    svg = re.search(r"<svg class=\"sparkline\"[^>]*>.*?</svg>", row, re.S).group(0)
    assert "<polyline" in svg and 'stroke-dasharray="5,3"' in svg  # demo: dashed
    assert 'aria-label="2019: ' in svg and "(minh họa)" in svg


def test_sources_are_numbered_and_the_demo_source_is_flagged(units_in_force, client):
    html = text(client.get("/units/807/report/"))
    sources = html.split('id="report-sources-heading"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r'<li value="(\d+)">(.*?)</li>', sources, re.S)
    assert len(items) >= 2
    demo = [body for _n, body in items if "Dữ liệu minh họa (giả lập)" in body]
    assert demo and all(MH in body and "không phải số liệu chính thức" in body for body in demo)
    online = next(r for r in rows_of(html) if "Tỷ lệ hồ sơ trực tuyến" in r)
    numbers = re.findall(r"\[(\d+)\]", online)
    assert len(numbers) == 2  # the demo generator and the article
    assert {n for n, _body in items} >= set(numbers)


def test_with_demo_hidden_the_report_has_no_demo_figure(units_in_force, client):
    client.get("/demo/hide/?next=/")
    html = text(client.get("/units/807/report/"))
    assert "demo-value" not in html and "Dữ liệu minh họa (giả lập)" not in html
    assert "gần 95%" in html  # the real figures stay


def test_the_report_has_a_print_button_and_a_print_stylesheet(units_in_force, client, settings):
    html = text(client.get("/units/807/report/"))
    assert '<button type="button" class="button" data-print>In báo cáo</button>' in html
    assert re.search(r'<link rel="stylesheet" href="/static/css/print\.css', html)
    assert re.search(r'<script src="/static/js/print\.js" defer>', html)
    assert "<script>" not in html  # no inline script


def test_the_print_stylesheet_sets_a4_hides_the_nav_and_keeps_the_demo_label():
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/css/print.css").read_text()
    media = css.split("@media print", 1)[1]
    assert "size: A4" in media
    assert re.search(r"\.site-header[^{]*\{ display: none", media)
    assert ".demo-tag {" in media and "border: 0.75pt solid #000" in media  # no background in print
    assert "break-before: page" in media


def test_the_report_in_english(units_in_force, client):
    client.get("/lang/en/?next=/")
    html = text(client.get("/units/807/report/"))
    assert "Print report" in html and "In báo cáo" not in html


def test_a_reused_code_reports_the_unit_of_the_year_asked(units_in_force, client):
    assert "Tỉnh Long An" in text(client.get("/units/80/report/?in=2024")).split("<h1>", 1)[1].split("</h1>")[0]


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/units/nope/report/", 404, ""),
        ("/units/807/report/?in=abc", 400, "Năm phải là một số nguyên"),
        ("/units/807/report/?in=2030", 400, "không có đơn vị mã 807 báo cáo số liệu năm 2030"),
    ],
)
def test_bad_report_urls_get_a_clear_4xx(units_in_force, client, url, status, message):
    response = client.get(url)
    assert response.status_code == status
    assert message in text(response)
