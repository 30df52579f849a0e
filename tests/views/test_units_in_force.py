"""The public pages across the 2025 reorganisation (issue 13): the units in force each year (the
districts to 2024, ranked within their own old province; the communes from 2025) on the indicator,
compare, scorecard, home and index pages, and the note that says which level 2025 belongs to.
What a unit came from and became, and one code in two periods: tests/views/test_unit_history.py."""

import csv
import io
import re
from decimal import Decimal

import pytest

from indicators.models import AdministrativeUnit, Indicator, IndicatorValue
from tests.views.test_public import LEVELS_NOTE, chart_json, page_text


def line_traces(html):
    return {t["name"]: t for t in chart_json(html, "line-figure")["data"] if t.get("mode") == "lines+markers"}


def test_before_2025_each_old_province_ranks_its_own_districts(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-tre-han/?year=2022"))
    long_an, former = chart_json(html, "bar-figure"), chart_json(html, "bar-figure-2")
    assert len(long_an["data"][0]["y"]) == 15 and len(former["data"][0]["y"]) == 9
    assert long_an["layout"]["title"]["subtitle"]["text"] == "15 huyện, Tỉnh Long An"
    assert former["layout"]["title"]["subtitle"]["text"] == "9 huyện, Tỉnh Tây Ninh"
    headings = re.findall(r'<h2 id="bar[^"]*">(.*?)</h2>', html, re.S)
    assert "15 huyện của Tỉnh Long An (80, đến 30/06/2025)" in headings[0]
    assert "9 huyện của Tỉnh Tây Ninh (72, đến 30/06/2025)" in headings[1]
    assert "Mỗi tỉnh cũ xếp hạng các huyện của mình" in html
    # Each ranking's table numbers its own units: 1/15 … 15/15, and 1/9 … 9/9.
    tables = re.findall(r'<table class="data ranking-table".*?</table>', html, re.S)
    assert len(tables) == 2
    assert re.search(r"<td>15/15</td>", tables[0]) and not re.search(r"/9</td>", tables[0])
    assert re.search(r"<td>9/9</td>", tables[1]) and not re.search(r"/15</td>", tables[1])


def test_from_2025_the_communes_are_ranked_together(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?year=2025"))
    communes = IndicatorValue.objects.filter(indicator__code="ho-so-truc-tuyen", year=2025).count()
    # The chart draws the top, the bottom and the chosen communes; the full ranking table has them all.
    table = html.split('id="ranking-table"', 1)[1].split("</table>", 1)[0]
    assert communes > 0 and table.count("<tr") == communes + 1
    assert 'id="bar-figure-2"' not in html
    assert re.search(r"\d+ xã, phường của Tỉnh Tây Ninh \(80, từ 01/07/2025\)", html)
    assert LEVELS_NOTE in html


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/indicators/ho-so-truc-tuyen/", True),  # 2019–2025: crosses it
        ("/indicators/ho-so-truc-tuyen/?year_to=2024", False),
        ("/compare/?units=807,28159", True),
        ("/compare/?units=807,805", False),
        ("/scorecard/?year=2025", True),
        ("/scorecard/?year=2023", False),
        ("/", True),  # the latest year is 2025
        ("/?include_demo=0", False),  # the article's 2023 figures only
        ("/areas/tthc/", True),
        ("/units/28159/", True),
        ("/units/807/", False),
    ],
)
def test_every_page_that_shows_2025_says_which_units_its_figures_belong_to(units_in_force, client, url, shown):
    html = page_text(client.get(url))
    assert (LEVELS_NOTE in html) is shown, url
    assert html.count(LEVELS_NOTE) <= 1, url


def test_the_levels_note_is_in_english_too(units_in_force, client):
    client.cookies["django_language"] = "en"
    html = page_text(client.get("/scorecard/?year=2025"))
    assert "From 2025 the figures belong to the communes and wards (two-tier local government since 01/07/2025)" in html
    assert "Scorecard of the communes and wards, 2025" in html


def test_the_scorecard_of_a_district_year_ranks_each_old_provinces_districts_apart(units_in_force, client):
    html = page_text(client.get("/scorecard/?year=2023"))
    assert "<h1>Bảng điểm các huyện năm 2023</h1>" in html
    groups = re.findall(r'<tbody class="score-group">(.*?)</tbody>', html, re.S)
    assert len(groups) == 2
    assert "15 huyện của Tỉnh Long An (80, đến 30/06/2025)" in groups[0]
    assert "9 huyện của Tỉnh Tây Ninh (72, đến 30/06/2025)" in groups[1]
    assert groups[0].count('<th scope="row">') == 15 and groups[1].count('<th scope="row">') == 9
    assert "#1/15" in groups[0] and "/9<" not in groups[0] and "#1/9" in groups[1] and "/15<" not in groups[1]
    assert "Xã " not in html.split('<table class="data scorecard"', 1)[1]
    assert 'href="/units/80/?in=2023"' not in html  # districts' codes are not shared: plain links


def test_the_scorecard_of_2025_lists_only_the_communes_and_their_indicators(units_in_force, client):
    html = page_text(client.get("/scorecard/?year=2025"))
    assert "<h1>Bảng điểm các xã, phường năm 2025</h1>" in html
    table = html.split('<table class="data scorecard"', 1)[1].split("</table>", 1)[0]
    assert table.count('<th scope="row">') == 96 and "Huyện " not in table
    assert "96 xã, phường của Tỉnh Tây Ninh (80, từ 01/07/2025)" in table
    assert "/indicators/diem-chi-so-cchc/" not in table, "the district index score does not apply to a commune"
    assert "/indicators/ho-so-truc-tuyen/" in table


def test_the_home_page_counts_the_units_of_the_latest_year_and_keeps_the_articles_quotes(units_in_force, client):
    html = page_text(client.get("/"))
    assert "<h1>Cải cách hành chính: Tỉnh Tây Ninh</h1>" in html
    assert re.search(r"\b\d+/96 xã, phường đã báo cáo", html)
    assert "không so với năm trước: năm trước là số liệu của các huyện" in html
    assert (
        "Chỉ tiêu chính năm 2025" in html
        and "/indicators/diem-chi-so-cchc/" not in html.split("cards", 1)[1].split("</section>", 1)[0]
    )
    # The article's figures are Long An's districts': still quoted on today's province's home page.
    assert "hồ sơ trực tuyến của huyện đạt gần 95%" in html
    assert 'href="/units/80/?in=2025"' in html  # the province page, named with its period
    real = page_text(client.get("/?include_demo=0"))
    # 2023: the article's two districts and the six of the former Tây Ninh's published index, of the 24.
    assert re.search(r"\b8/24 huyện đã báo cáo", real)


def test_compare_draws_a_districts_line_to_2024_and_a_communes_from_2025(units_in_force, client):
    html = page_text(client.get("/compare/?units=807,28159&indicators=ho-so-truc-tuyen,diem-chi-so-cchc"))
    block = next(
        b for b in ("compare-0", "compare-1") if "ho-so-truc-tuyen" in html.split(f'id="{b}-heading"')[1][:300]
    )
    traces = {t["name"].split(" (")[0]: t for t in chart_json(html, block)["data"]}
    district, commune = traces["Huyện Cần Giuộc"], traces["Xã Cần Giuộc"]
    assert district["x"] == commune["x"] and district["x"][-1] == 2025
    assert district["y"][-1] is None and commune["y"][-1] is not None and all(y is None for y in commune["y"][:-1])
    assert "Không áp dụng cho: Xã Cần Giuộc." in html, "the district index score is no commune's"
    assert "cả hai phía của một lần sắp xếp" in html
    assert '?units=807,28159"' in html  # the indicator links keep both units


# --- The indicator pages and the index across 2025 ------------------------------------------


def test_the_index_ranks_each_old_provinces_districts_apart(units_in_force, client):
    html = page_text(client.get("/index/?year=2023&province=72"))
    rows = re.findall(r"<tr>\s*<td>(\d+|<span[^>]*>không xếp hạng</span>)</td>\s*<td><a href=\"/index/(\d+)/", html)

    former = AdministrativeUnit.objects.districts().filter(parent__code="72").values_list("code", flat=True)
    assert len(rows) == 9 and {code for _rank, code in rows} == set(former)
    assert "các huyện, Tỉnh Tây Ninh (72, đến 30/06/2025), năm 2023" in html
    assert "huyện của Tỉnh Tây Ninh được xếp hạng" in html
    assert "Mỗi tỉnh cũ xếp hạng các huyện của mình" in html
    # Long An is one click away, named with its period (its code is Tây Ninh's today).
    assert 'href="?province=80@2024&amp;year=2023">Tỉnh Long An (80, đến 30/06/2025)</a>' in html
    long_an = page_text(client.get("/index/?year=2023&province=80@2024"))
    assert len(re.findall(r'<td><a href="/index/(\d+)/', long_an)) == 15
    bare = page_text(client.get("/index/?year=2023&province=80"))
    table = 'id="index-table"'
    assert bare.split(table)[1].split("</table>")[0] == long_an.split(table)[1].split("</table>")[0], "80 is Long An"
    detail = page_text(client.get("/index/703/?year=2023"))
    assert re.search(r'class="num computed-rank">(\d+/9|không xếp hạng)</td>', detail)
    assert "9 huyện của Tỉnh Tây Ninh" in detail


def test_there_is_no_commune_index_and_the_pages_say_so(units_in_force, client):
    message = "Chưa có chỉ số CCHC cấp xã"
    response = client.get("/index/?year=2025")
    assert response.status_code == 400 and message in page_text(response)
    response = client.get("/index/28159/")
    assert response.status_code == 404 and message in page_text(response)
    assert message in page_text(client.get("/index/"))
    assert client.get("/index/?province=28159").status_code == 400


def test_a_chart_of_2025_and_after_is_the_communes_and_crosses_nothing(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?year_from=2025"))
    assert "cả hai phía của một lần sắp xếp" not in html
    assert LEVELS_NOTE in html
    for name in line_traces(html):
        assert name.startswith(("Xã", "Phường")), name


def test_indicator_page_spans_the_districts_years_and_the_communes_years(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?units=807,28159"))
    traces = line_traces(html)
    district = next(t for name, t in traces.items() if name.startswith("Huyện Cần Giuộc"))
    commune = next(t for name, t in traces.items() if name.startswith("Xã Cần Giuộc"))
    assert district["x"] == commune["x"] and district["x"][0] == 2019 and district["x"][-1] == 2025
    assert district["y"][-1] is None and district["y"][-2] is not None, "the district's line ends in 2024"
    assert all(y is None for y in commune["y"][:-1]) and commune["y"][-1] is not None, "the commune's begins in 2025"
    assert "đơn vị mới từ 01/07/2025" in next(n for n in traces if n.startswith("Xã Cần Giuộc"))
    assert "cả hai phía của một lần sắp xếp" in html
    assert LEVELS_NOTE in html
    # The band is drawn over the units of each year: the districts to 2024, the communes in 2025.
    line_table = html.split('id="line-table"', 1)[1].split("</table>", 1)[0]
    assert '<th scope="row">2019</th>' in line_table and '<th scope="row">2025</th>' in line_table


def test_indicator_page_offers_the_communes_that_took_over_beside_the_districts(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?units=807,805"))
    assert not any(name.startswith("Xã") for name in line_traces(html))
    assert "chấm dứt hoạt động khi không còn cấp huyện" in html
    assert "successors=1" in html  # the link that shows the communes

    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?units=807,805&successors=1"))
    traces = line_traces(html)
    new = {name.split(" (")[0]: t for name, t in traces.items() if name.startswith(("Xã", "Phường"))}
    # Cần Giuộc's five communes and Tân Trụ's three, each drawn from 2025.
    assert {"Xã Cần Giuộc", "Xã Phước Lý", "Xã Mỹ Lộc", "Xã Phước Vĩnh Tây", "Xã Tân Tập"} <= set(new)
    assert {"Xã Tân Trụ", "Xã Nhựt Tảo", "Xã Vàm Cỏ"} <= set(new)
    for name, trace in new.items():
        assert trace["legendgroup"] == "successors" and trace["line"]["dash"] == "dashdot", name
        assert trace["x"][-1] == 2025 and all(y is None for y in trace["y"][:-1]), name
    for name, trace in traces.items():
        if name.startswith("Huyện"):
            assert trace["y"][-1] is None, name  # no district figure is drawn for 2025
    assert "cả hai phía của một lần sắp xếp" in html
    assert any("01/07/2025" in a["text"] for a in chart_json(html, "line-figure")["layout"]["annotations"])
    assert "không nối tiếp chuỗi của huyện" in html and 'href="/units/28159/"' in html
    notice = html.split('class="notice successors"', 1)[1].split("</div>", 1)[0]
    assert notice.index("Xã Cần Giuộc") < notice.index("Xã Mỹ Lộc"), "the main successors first"
    line_table = html.split('id="line-table"', 1)[1].split("</table>", 1)[0]
    assert "Xã Cần Giuộc (đơn vị mới, chuỗi riêng)" in line_table


def unit_names(bar: dict) -> set[str]:
    """The type words of the units a ranking chart draws: "3. Xã Mỹ Lệ" → "Xã"; not its "⋯ 86 đơn vị khác" rows."""
    labels = [re.sub(r"^\d+\. ", "", name) for name in bar["data"][0]["y"] if not name.startswith("⋯")]
    return {label.split(" ", 1)[0] for label in labels}


def test_the_communes_are_ranked_among_the_communes_and_never_in_a_district_ranking(units_in_force, client):
    without = chart_json(page_text(client.get("/indicators/ho-so-truc-tuyen/?units=807")), "line-figure")
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?units=807&successors=1&year=2024"))
    with_new = chart_json(html, "line-figure")
    band = [t for t in with_new["data"] if t.get("mode") == "lines"]
    assert [t["y"] for t in band] == [t["y"] for t in without["data"] if t.get("mode") == "lines"]
    for figure in ("bar-figure", "bar-figure-2"):  # 2024: Long An's and the former Tây Ninh's districts
        assert not any(unit_names(chart_json(html, figure)) & {"Xã", "Phường"})
    # The ranking year picker offers every year with figures, 2025 (the communes') included.
    ranking_picker = html.split('name="year"', 1)[1].split("</select>", 1)[0]
    assert 'value="2025"' in ranking_picker and 'value="2024" selected' in ranking_picker
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?units=807&successors=1&year=2025"))
    kinds = unit_names(chart_json(html, "bar-figure"))
    assert kinds and kinds <= {"Xã", "Phường"}


def test_the_indicator_table_and_its_export_carry_the_communes_rows(units_in_force, client):
    response = client.get("/indicators/ho-so-truc-tuyen/?units=807&successors=1&_export=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    communes = {"28159", "28165", "28177", "28201", "28207"}
    assert {(row["Mã đơn vị"], row["Năm"]) for row in rows if row["Mã đơn vị"] in communes} == {
        (code, "2025") for code in communes
    }
    assert len(rows) == 6 + 5
    assert not communes & {
        row["Mã đơn vị"]
        for row in csv.DictReader(
            io.StringIO(client.get("/indicators/ho-so-truc-tuyen/?units=807&_export=csv").content.decode("utf-8-sig"))
        )
    }


def test_new_units_without_figures_are_named_not_drawn(units_in_force, client):
    # The communes have demo figures only; and none of Cần Giuộc's five has an overdue count.
    IndicatorValue.objects.filter(
        indicator__code="ho-so-tre-han", unit__code__in=["28159", "28165", "28177", "28201", "28207"]
    ).delete()
    for url in [
        "/indicators/ho-so-truc-tuyen/?units=807&successors=1&include_demo=0",
        "/indicators/ho-so-tre-han/?units=807&successors=1",
    ]:
        html = page_text(client.get(url))
        assert "Chưa có số liệu đã duyệt của Xã Cần Giuộc" in html, url
        assert not any(name.startswith("Xã") for name in line_traces(html)), url


def test_new_units_are_dated_by_their_succession_and_a_chosen_district_is_never_drawn_twice(units_in_force, client):
    from datetime import date

    from indicators.models import Source, UnitSuccession

    tan_tru, can_giuoc = AdministrativeUnit.objects.get(code="805"), AdministrativeUnit.objects.get(code="807")
    # A commune outside the province, recorded without validity dates: its succession's date says when it began.
    commune = AdministrativeUnit.objects.create(code="99999", name="Xã Thử Nghiệm", slug="xa-thu", level="commune")
    UnitSuccession.objects.create(predecessor=tan_tru, successor=commune, date=date(2025, 7, 1), kind="split")
    UnitSuccession.objects.create(predecessor=tan_tru, successor=can_giuoc, date=date(2020, 1, 1), kind="merge")
    IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code="ho-so-truc-tuyen"),
        unit=commune,
        year=2025,
        value=Decimal("70"),
        status="approved",
        source=Source.objects.get(code="bao-long-an-mot-cua-2024"),
    )
    traces = line_traces(page_text(client.get("/indicators/ho-so-truc-tuyen/?units=807,805&successors=1")))
    names = sorted(traces)
    assert sum(name.startswith("Huyện Cần Giuộc") for name in names) == 1
    assert "Xã Thử Nghiệm (đơn vị mới từ 01/07/2025)" in names
    assert any(name.startswith("Xã Tân Trụ (đơn vị mới từ 01/07/2025)") for name in names)


def test_a_range_after_2025_shows_and_ranks_the_communes(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?successors=1&year_from=2025"))
    assert line_traces(html) and all(name.startswith(("Xã", "Phường")) for name in line_traces(html))
    assert 'value="2025" selected' in html.split('name="year_from"', 1)[1].split("</select>", 1)[0]
    assert "Xếp hạng năm 2025" in html.split('id="bar-heading"', 1)[1].split("</h2>", 1)[0]
    response = client.get("/indicators/ho-so-truc-tuyen/?successors=1&year_from=2025&_export=csv")
    years = {row["Năm"] for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert years == {"2025"}
