"""Public pages as an anonymous visitor: content, approved figures only, 400s, query counts.

Escaping is tested once, for every page, in tests/views/test_escaping.py."""

import csv
import io
import json
import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import AdministrativeUnit, Indicator, IndicatorValue

# (url, max queries), rendered without the page cache. Each budget is the same with 6 district years
# and 1 commune year or 10 and 3, and with 24 districts and 96 communes or 35 and 107. Pages with a
# "cite this" block also read the data version; pages that link a unit read, once, which official
# codes name more than one unit ("80": Long An, then Tây Ninh), so that those links carry the year.
PAGES = [
    # province, freshness, units reporting for the latest year, headline indicators, their values,
    # areas, quotes, reporting deadlines, units with one conditional count per deadline year
    # (overdue list), reused codes
    ("/", 10),
    ("/indicators/", 1),  # the catalogue with areas
    # indicator, province, units compared, values, table rows, targets, events, data version, reused codes
    ("/indicators/ho-so-truc-tuyen/?units=807,805", 9),
    ("/indicators/ho-so-tre-han/?year=2022&include_demo=1", 9),
    # + the units that took over from the chosen districts in 2025 (communes of the province: their
    # values were read with the others)
    ("/indicators/ho-so-truc-tuyen/?units=807,805&successors=1", 10),
    # the units with the code, successions, predecessions, indicators, own and sibling values,
    # events, whether the province's pages compare it, targets, deadlines, per-year freshness,
    # data version, reused codes, the province
    ("/units/807/", 13),
    ("/units/28159/", 13),  # a commune: the same
    # a province: + its units by level and period; no freshness (none for a province)
    ("/units/80/", 12),
    ("/units/80/?in=2024", 12),  # Long An, the other unit with code 80
    # province, units, indicators, values, catalogue, events, data version, reused codes
    ("/compare/?units=807,805&indicators=ho-so-truc-tuyen,thanh-toan-truc-tuyen", 8),
    ("/compare/?units=807,28159&indicators=ho-so-truc-tuyen", 8),  # a district and a commune
    ("/areas/tthc/", 4),  # area, province, its indicators, values
    # province, years, units reporting for the year, indicators, values, data version, reused codes
    ("/scorecard/?year=2023", 7),
    ("/scorecard/?year=2025", 7),  # the communes
    ("/sources/", 2),  # the sources, then the approved figures citing each, counted by source
    ("/sources/bao-long-an-mot-cua-2024/", 3),  # the source, its values, reused codes
]


# What every page says wherever 2025 shows or a series crosses it (templates/includes/levels.html).
LEVELS_NOTE = "Từ năm 2025 số liệu thuộc các xã, phường (chính quyền hai cấp từ 01/07/2025); đến 2024 thuộc các huyện."


def page_text(response) -> str:
    return response.content.decode()


def chart_json(html: str, chart_id: str) -> dict:
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no json_script {chart_id}"
    return json.loads(match.group(1))


def add_years_and_districts():
    """More of everything, to show that query counts do not grow with the data: 11 more districts of
    Long An (to 30/06/2025) with ten years of figures, and 11 more communes of Tây Ninh (from
    01/07/2025) with three."""
    from indicators.services import demo as demo_services

    long_an = AdministrativeUnit.objects.by_code_in_year("80", 2024)
    tay_ninh = AdministrativeUnit.objects.by_code_in_year("80", 2025)
    for n in range(11):
        AdministrativeUnit.objects.create(
            code=f"9{n:02d}",
            name=f"Huyện thêm {n}",
            slug=f"them-{n}",
            level="district",
            parent=long_an,
            valid_to=date(2025, 6, 30),
        )
    for n in range(11):
        AdministrativeUnit.objects.create(
            code=f"99{n:03d}",
            name=f"Xã thêm {n}",
            slug=f"xa-them-{n}",
            level="commune",
            kind="xa",
            parent=tay_ninh,
            valid_from=date(2025, 7, 1),
        )
    indicators = list(Indicator.objects.all())
    demo_services.generate_demo_values(
        seed=1,
        years=range(2015, 2025),
        units=list(AdministrativeUnit.objects.districts()),  # the extra ones among them
        indicators=indicators,
    )
    demo_services.generate_demo_values(
        seed=1,
        years=range(2025, 2028),
        units=list(AdministrativeUnit.objects.communes()),
        indicators=[i for i in indicators if i.applies_to_commune],
    )


def assert_queries_do_not_grow(client, url, budget, django_assert_max_num_queries):
    """Render the page, add districts and years, render it again: both renders stay within the budget.

    Run it with the `uncached_pages` fixture: a cached second render costs one query whatever the page does.
    """
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200
    add_years_and_districts()
    with django_assert_max_num_queries(budget):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(("url", "budget"), PAGES)
def test_page_makes_a_fixed_number_of_queries(
    units_in_force, client, uncached_pages, django_assert_max_num_queries, url, budget
):
    assert_queries_do_not_grow(client, url, budget, django_assert_max_num_queries)


@pytest.mark.parametrize(("url", "budget", "year"), [(*PAGES[2], None), (*PAGES[12], 2023)])
def test_the_query_pin_fails_a_page_that_queries_once_per_district(
    units_in_force, client, uncached_pages, django_assert_max_num_queries, monkeypatch, url, budget, year
):
    """Positive control: a deliberate N+1 over the units compared must fail the pin above."""
    from indicators.selectors import common

    real = common.province_units

    def one_query_per_unit(**kwargs):
        return [AdministrativeUnit.objects.select_related("parent").get(pk=unit.pk) for unit in real(**kwargs)]

    monkeypatch.setattr(common, "province_units", one_query_per_unit)
    # The page's units today (every year's for the indicator page, 2023's for the scorecard): room
    # for them, so the first render passes and the second, with 11 more districts and communes, must not.
    units = len(real(province=common.province(), year=year))
    with pytest.raises(pytest.fail.Exception, match="queries"):
        assert_queries_do_not_grow(client, url, budget + units, django_assert_max_num_queries)


def test_the_pins_render_the_page_every_time(units_in_force, client, uncached_pages):
    """With `uncached_pages` a repeat costs what the first render did, not the one query of a cache hit."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.get(PAGES[2][0])
        counts.append(len(queries))
    assert counts[0] == counts[1] > 1


@pytest.mark.parametrize(("url", "budget"), PAGES)
def test_page_never_shows_a_draft_figure(units_in_force, client, url, budget):
    # A draft with a value no approved figure has, so that its absence is certain.
    IndicatorValue.objects.filter(
        unit__code="807", year=2023, indicator__code__in=["ho-so-truc-tuyen", "thanh-toan-truc-tuyen"]
    ).update(status="draft", value=Decimal("0.123"), quote="BẢN NHÁP")
    html = page_text(client.get(url))
    assert "0,123" not in html and "0.123" not in html
    assert "BẢN NHÁP" not in html


def test_indicator_page_shows_both_districts_with_the_qualified_article_figure(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?units=807,805"))
    line = chart_json(html, "line-figure")
    names = [trace.get("name", "") for trace in line["data"]]
    assert any("Cần Giuộc" in n for n in names) and any("Tân Trụ" in n for n in names)
    assert any("P25" in n for n in names), "the provincial band is drawn"
    assert any("Trung vị" in n for n in names), "the provincial median is drawn"
    assert any("minh họa" in n for n in names), "demo series are named in the legend"
    annotation = next(a for a in line["layout"]["annotations"] if "95" in a["text"])
    assert "≈95%" in annotation["text"]
    assert reverse("source-detail", args=["bao-long-an-mot-cua-2024"]) in annotation["text"]
    assert line["layout"]["separators"] == ",."
    can_giuoc = next(t for t in line["data"] if "Cần Giuộc" in t.get("name", ""))
    index = can_giuoc["x"].index(2023)
    assert can_giuoc["y"][index] == 95
    assert can_giuoc["marker"]["symbol"][index] == "circle", "a real figure is drawn filled"
    assert can_giuoc["marker"]["symbol"][0] == "circle-open", "a demo figure is drawn open"
    assert "gần 95%" in html  # the table keeps the qualifier in words
    assert "hồ sơ trực tuyến của huyện đạt gần 95%" in html


def test_a_missing_year_is_a_gap_not_a_zero(units_in_force, client):
    IndicatorValue.objects.filter(unit__code="805", year=2021, indicator__code="ho-so-truc-tuyen").delete()
    line = chart_json(page_text(client.get("/indicators/ho-so-truc-tuyen/?units=805")), "line-figure")
    tan_tru = next(t for t in line["data"] if "Tân Trụ" in t.get("name", ""))
    assert tan_tru["y"][tan_tru["x"].index(2021)] is None
    assert tan_tru["connectgaps"] is False


def test_ranking_is_sorted_the_better_way_and_says_so(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-tre-han/?year=2022"))
    assert "Ít hơn là tốt hơn" in html
    bar = chart_json(html, "bar-figure")["data"][0]
    assert bar["x"] == sorted(bar["x"]), "fewer overdue dossiers first"
    expected = sorted(
        IndicatorValue.objects.filter(
            indicator__code="ho-so-tre-han",
            year=2022,
            unit__parent=AdministrativeUnit.objects.by_code_in_year("80", 2022),
        ).values_list("value", flat=True)
    )
    assert bar["x"] == [float(v) for v in expected], "the first ranking is Long An's 15 districts"


def test_default_line_units_are_the_best_and_worst_performers(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?year=2024"))
    values = dict(
        IndicatorValue.objects.filter(indicator__code="ho-so-truc-tuyen", year=2024).values_list("unit__code", "value")
    )
    ordered = sorted(values, key=lambda code: (-values[code], code))
    expected = [ordered[0], ordered[1], ordered[-2], ordered[-1]]
    names = dict(AdministrativeUnit.objects.filter(code__in=expected).values_list("code", "name"))
    line = chart_json(html, "line-figure")
    shown = sorted(t["name"].split(" (")[0] for t in line["data"] if t.get("mode") == "lines+markers")
    assert shown == sorted(names[code] for code in expected)


def test_indicator_table_export_equals_the_database(units_in_force, client):
    every_district = ",".join(AdministrativeUnit.objects.districts().values_list("code", flat=True))
    # With the communes that took over from them, the table holds every figure of the indicator.
    response = client.get(f"/indicators/ho-so-truc-tuyen/?units={every_district}&successors=1&_export=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    database = {
        (v.unit.code, v.year): v.value
        for v in IndicatorValue.objects.filter(indicator__code="ho-so-truc-tuyen").select_related("unit")
    }
    exported = {(row["Mã đơn vị"], int(row["Năm"])): Decimal(row["Giá trị"]) for row in rows}
    assert exported == database
    assert {row["Cấp"] for row in rows} == {"Cấp huyện", "Cấp xã"}


def test_indicator_table_shows_the_line_chart_units_by_default(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/"))
    traces = [t for t in chart_json(html, "line-figure")["data"] if t.get("mode") == "lines+markers"]
    line_units = {t["name"].split(" (")[0] for t in traces}
    drawn = sum(1 for t in traces for y in t["y"] if y is not None)
    response = client.get("/indicators/ho-so-truc-tuyen/?_export=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["Đơn vị"] for row in rows} == line_units
    assert len(rows) == drawn == len(traces) * 1, "the latest year's best and worst: communes, one year each"


def test_indicator_table_filters_by_units_and_years(units_in_force, client):
    response = client.get("/indicators/ho-so-truc-tuyen/?units=807&year_from=2022&year_to=2023&_export=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted((row["Mã đơn vị"], row["Năm"]) for row in rows) == [("807", "2022"), ("807", "2023")]


def test_hide_demo_shows_only_real_figures(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?include_demo=0"))
    line = chart_json(html, "line-figure")
    assert all("minh họa" not in t.get("name", "") for t in line["data"])
    assert "Dữ liệu minh họa." not in html  # no demo banner


def test_demo_banner_is_on_pages_that_show_demo_figures(units_in_force, client):
    for url in ["/", "/indicators/ho-so-truc-tuyen/", "/units/805/", "/scorecard/", "/compare/"]:
        assert "Dữ liệu minh họa." in page_text(client.get(url)), url


def test_unit_page_groups_indicators_by_area_with_rank(units_in_force, client):
    html = page_text(client.get("/units/805/"))
    for area in ["Cải cách thể chế", "Cải cách thủ tục hành chính", "Tác động"]:
        assert area in html
    assert "<polyline" in html


def test_compare_page_draws_one_chart_per_indicator(units_in_force, client):
    html = page_text(client.get("/compare/?units=807,805&indicators=ho-so-truc-tuyen,thanh-toan-truc-tuyen"))
    assert chart_json(html, "compare-0") and chart_json(html, "compare-1")
    assert 'id="compare-2"' not in html


def test_scorecard_colours_cells_by_rank(units_in_force, client):
    html = page_text(client.get("/scorecard/?year=2023"))
    assert "rank-band band-1" in html and "rank-band band-5" in html


def test_pages_are_in_english_after_the_language_switch(units_in_force, client):
    response = client.get(reverse("switch-language", args=["en"]), {"next": "/indicators/ho-so-truc-tuyen/"})
    assert response.status_code == 302
    assert response["Location"] == "/indicators/ho-so-truc-tuyen/"
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/"))
    assert 'lang="en"' in html
    assert "Share of dossiers submitted online" in html


def test_pages_are_in_vietnamese_whatever_the_browser_asks(units_in_force, client):
    html = page_text(client.get("/", headers={"accept-language": "en-US,en"}))
    assert 'lang="vi"' in html


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/indicators/ho-so-truc-tuyen/?year_from=abc", "Năm phải là một số nguyên"),
        ("/indicators/ho-so-truc-tuyen/?units=999", "Không có đơn vị mang mã 999"),
        ("/indicators/ho-so-truc-tuyen/?units=807@20x4", "Mã không hợp lệ"),
        ("/indicators/ho-so-truc-tuyen/?units=807@1800", "Năm sau @"),
        # A district asked for in the communes' years, and a commune in the districts' years.
        ("/indicators/ho-so-truc-tuyen/?units=807&year_from=2025", "chỉ có số liệu đến năm 2024"),
        ("/compare/?units=28159&year_to=2024", "Xã Cần Giuộc (28159, từ 01/07/2025) chỉ có số liệu từ năm 2025"),
        ("/indicators/ho-so-truc-tuyen/?units=807@2025", "không có đơn vị mã 807 báo cáo số liệu năm 2025"),
        ("/compare/?units=80@2024", "Không có đơn vị mang mã 80@2024 trong các đơn vị được so sánh"),
        ("/indicators/ho-so-truc-tuyen/?year=1700", "Năm xếp hạng"),
        ("/indicators/ho-so-truc-tuyen/?include_demo=yes-please", "Chỉ nhận 1 hoặc 0"),
        ("/indicators/ho-so-truc-tuyen/?_export=pdf", "csv hoặc xlsx"),
        ("/indicators/ho-so-truc-tuyen/?year_from=2024&year_to=2019", "Từ năm"),
        ("/compare/?units=807,<script>", "Mã không hợp lệ"),
        ("/compare/?indicators=khong-co", "Không có chỉ tiêu mang mã khong-co"),
        ("/scorecard/?year=20x3", "Năm phải là một số nguyên"),
        ("/units/807/?include_demo=2", "Chỉ nhận 1 hoặc 0"),
        ("/?include_demo=x", "Chỉ nhận 1 hoặc 0"),
    ],
)
def test_bad_query_strings_get_a_400_with_a_message(units_in_force, client, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert message in page_text(response)
    assert "<script>" not in page_text(response).split("<main", 1)[1]


@pytest.mark.parametrize("url", ["/indicators/khong-co/", "/units/0000/", "/areas/khong-co/", "/sources/khong-co/"])
def test_unknown_codes_in_the_path_are_404(seeded, client, url):
    assert client.get(url).status_code == 404


def test_chart_pages_load_plotly_from_static_with_defer_and_no_inline_script(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/"))
    # charts.js (deferred) fetches plotly.js from our static files when a chart nears the screen.
    assert re.search(r'<script defer src="/static/js/charts\.js" data-plotly="/static/vendor/plotly\.min\.js">', html)
    assert '<script defer src="/static/vendor/plotly' not in html
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert inline == []
    # Nothing from another host ("cdn" as a plain word is no test: JSON writes "chọn" as "ch\u1ecdn").
    assert not re.search(r'<(?:script|link)\b[^>]*(?:src|href)="(?:https?:)?//', html)


def test_language_switch_refuses_to_redirect_off_site(client):
    response = client.get(reverse("switch-language", args=["en"]), {"next": "https://evil.example/"})
    assert response["Location"] == "/"
    assert client.get(reverse("switch-language", args=["xx"])).status_code == 404


def test_indicator_table_export_keeps_every_district_ticked_in_the_form(units_in_force, client):
    # The picker's checkboxes send units=807&units=805 (found by the browser journey: only 805 came out).
    response = client.get("/indicators/ho-so-truc-tuyen/?units=807&units=805&_export=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["Mã đơn vị"] for row in rows} == {"807", "805"}


def test_the_sources_list_counts_published_figures_only(seeded, client):
    IndicatorValue.objects.filter(unit__code="807", year=2023, indicator__code="ho-so-truc-tuyen").update(
        status="draft"
    )
    html = page_text(client.get("/sources/"))
    item = next(li for li in html.split("<li>") if "bao-long-an-mot-cua-2024" in li)
    published = IndicatorValue.objects.filter(source__code="bao-long-an-mot-cua-2024", status="approved").count()
    assert published == 6 and "; 6 số liệu)" in item


def test_a_unit_outside_the_provinces_districts_links_only_to_pages_that_accept_it(units_in_force, client):
    for province in ["/units/80/", "/units/80/?in=2024", "/units/72/"]:
        html = page_text(client.get(province))
        assert "?units=80" not in html and "?units=72" not in html and "/index/80/" not in html, province
        for url in re.findall(r'href="(/indicators/[^"]+)"', html):
            assert client.get(url.replace("&amp;", "&")).status_code == 200, url
    html = page_text(client.get("/units/807/"))
    assert "?units=807" in html and "/index/807/" in html
    html = page_text(client.get("/units/28159/"))
    assert "?units=28159" in html and "/index/28159/" not in html
    for url in re.findall(r'href="(/indicators/[^"]+)"', html):
        assert client.get(url.replace("&amp;", "&")).status_code == 200, url


def test_the_most_improved_list_labels_demo_figures(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?year=2024"))
    improved = html.split('class="improved"', 1)[1].split("</ol>", 1)[0]
    assert improved.count("<li>") == improved.count('class="demo-tag"') > 0


def test_open_data_links_keep_demo_data_hidden_when_the_page_hides_it(units_in_force, client):
    for url, link in [
        ("/units/807/?include_demo=0", "/api/values.csv?unit=807&amp;include_demo=0"),
        ("/indicators/sipas/?include_demo=0", "/api/values.csv?indicator=sipas&amp;include_demo=0"),
    ]:
        assert link in page_text(client.get(url)), url
    assert "/api/values.csv?unit=807&amp;include_demo=0" not in page_text(client.get("/units/807/"))
