"""What a unit came from and what it became, both ways (a district's communes, a commune's districts,
a province's units by level and period), and one official code in two periods ("80": Long An to
30/06/2025, Tây Ninh from 01/07/2025) in pages, links, ?units=, ?in= and exports (issue 13)."""

import csv
import io
import re
from decimal import Decimal

from indicators.models import AdministrativeUnit, Indicator, IndicatorValue
from tests.views.test_public import chart_json, page_text


def test_indicator_table_export_carries_each_units_validity(units_in_force, client):
    response = client.get("/indicators/ho-so-truc-tuyen/?units=807,28159&_export=csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    validity = {row["Mã đơn vị"]: (row["Hiệu lực từ"], row["Hiệu lực đến"], row["Cấp"]) for row in rows}
    assert validity == {"807": ("", "2025-06-30", "Cấp huyện"), "28159": ("2025-07-01", "", "Cấp xã")}
    years = {(row["Mã đơn vị"], int(row["Năm"])) for row in rows}
    assert max(y for code, y in years if code == "807") == 2024
    assert min(y for code, y in years if code == "28159") == 2025


def test_unit_page_says_when_the_district_ended_and_its_successor(units_in_force, client):
    html = page_text(client.get("/units/807/"))
    assert "tồn tại đến 30/06/2025" in html
    became = html.split('class="successions"', 1)[1].split("</ul>", 1)[0]
    for code, name in [
        ("28159", "Xã Cần Giuộc"),
        ("28165", "Xã Phước Lý"),
        ("28177", "Xã Mỹ Lộc"),
        ("28201", "Xã Phước Vĩnh Tây"),
        ("28207", "Xã Tân Tập"),
    ]:
        assert f'href="/units/{code}/"' in became and name in became, name
    assert became.count("<li>") == 5
    main = became.split("<li>")[1]  # the main successor first, and marked
    assert "Xã Cần Giuộc" in main and "đơn vị kế thừa chính" in main
    assert "Thị trấn Cần Giuộc, Xã Long Hậu, Xã Phước Lại" in main  # the old communes, in the note
    assert re.search(r"\b\d+/15\b", html), "ranks are out of Long An's 15 districts"
    assert "Thứ hạng trong các huyện của Tỉnh Long An" in html
    assert 'href="/units/80/?in=2024"' in html  # its province, Long An, named with its period


def test_a_communes_page_names_the_districts_it_came_from(units_in_force, client):
    html = page_text(client.get("/units/28159/"))
    came = html.split('class="predecessions"', 1)[1].split("</ul>", 1)[0]
    assert 'href="/units/807/"' in came and "Huyện Cần Giuộc (807)" in came
    assert "Thị trấn Cần Giuộc, Xã Long Hậu, Xã Phước Lại" in came
    assert "đơn vị kế thừa chính của huyện" in came
    assert 'href="/units/80/?in=2025"' in html  # its province, the new Tây Ninh
    assert "Chưa có chỉ số CCHC cấp xã" in html and "/index/28159/" not in html
    assert re.search(r"\b\d+/96\b", html), "ranks are out of the 96 communes"
    assert "Từ năm 2025 số liệu thuộc các xã, phường" in html
    # A commune has no district index: its level's indicators only.
    assert "Xếp hạng chỉ số CCHC cấp huyện" not in html


def test_a_commune_from_two_districts_names_both(units_in_force, client):
    # Nhựt Tảo: from Tân Trụ (805) and part of Nhị Thành in Thủ Thừa (804).
    came = page_text(client.get("/units/28087/")).split('class="predecessions"', 1)[1].split("</ul>", 1)[0]
    assert 'href="/units/805/"' in came and 'href="/units/804/"' in came


def test_the_province_page_lists_its_units_by_level_and_period(units_in_force, client):
    html = page_text(client.get("/units/80/"))
    assert "<h1>Tỉnh Tây Ninh" in html
    members = html.split('class="members"', 1)[1].split("</section>", 1)[0]
    summaries = re.findall(r"<summary>(.*?)</summary>", members)
    assert summaries == [
        "96 xã, phường của Tỉnh Tây Ninh (80, từ 01/07/2025)",
        "15 huyện của Tỉnh Long An (80, đến 30/06/2025)",
        "9 huyện của Tỉnh Tây Ninh (72, đến 30/06/2025)",
    ]
    links = re.findall(r'<li><a href="(/units/[^"]+)">', members)
    assert len(links) == 96 + 15 + 9 and "/units/28159/" in links and "/units/807/" in links and "/units/703/" in links
    # What it came from, both provinces, each one click away; the code's other unit too.
    came = html.split('class="predecessions"', 1)[1].split("</ul>", 1)[0]
    assert came.index("Tỉnh Long An (80, đến 30/06/2025)") < came.index("Tỉnh Tây Ninh (72, đến 30/06/2025)")
    assert 'href="/units/80/?in=2024"' in came and 'href="/units/72/"' in came
    assert "Mã 80 cũng là mã của" in html and 'href="/units/80/?in=2024">Tỉnh Long An (80, đến 30/06/2025)' in html
    for url in ["/indicators/", "/scorecard/", "/compare/", "/index/"]:  # no longer a dead end
        assert f'href="{url}"' in members, url


def test_long_an_is_one_click_from_the_code_it_shares_with_tay_ninh(units_in_force, client):
    html = page_text(client.get("/units/80/?in=2024"))
    assert "<h1>Tỉnh Long An" in html and "tồn tại đến 30/06/2025" in html
    members = html.split('class="members"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r"<summary>(.*?)</summary>", members) == ["15 huyện của Tỉnh Long An (80, đến 30/06/2025)"]
    became = html.split('class="successions"', 1)[1].split("</ul>", 1)[0]
    assert 'href="/units/80/?in=2025">Tỉnh Tây Ninh (80, từ 01/07/2025)' in became
    assert "/api/values.csv?unit=80@2024" in html
    assert "<h1>Tỉnh Long An" in page_text(client.get("/units/80/?in=2019"))  # any year of its period names it


def test_a_unit_page_for_a_year_its_code_has_no_unit_is_a_400_naming_the_periods(units_in_force, client):
    response = client.get("/units/807/?in=2026")
    assert response.status_code == 400
    text = page_text(response)
    assert "807@2026" in text and "Huyện Cần Giuộc (807, đến 30/06/2025): số liệu đến năm 2024" in text
    assert client.get("/units/80/?in=1800").status_code == 400
    assert client.get("/units/80/?in=abc").status_code == 400


def test_no_page_links_a_reused_code_without_its_period(units_in_force, client):
    """Every link to a unit whose code names another unit too carries the year that names it."""
    for url in ["/", "/units/80/", "/units/80/?in=2024", "/units/807/", "/units/72/", "/index/?year=2023"]:
        html = page_text(client.get(url))
        assert not re.search(r'href="/units/80/"', html), url
        for target in re.findall(r'href="(/units/80/\?in=\d{4})"', html):
            assert client.get(target.replace("&amp;", "&")).status_code == 200, (url, target)


def test_no_page_or_export_says_the_old_placeholder_code(units_in_force, client):
    from tests.site_urls import all_routes, expectation_for

    urls = [*EXTRA_PAGES, "/api/values.csv", "/api/values.json"]
    for route in all_routes():
        if route.pattern.startswith(("admin/", "lang/")):
            continue
        expect = expectation_for(route)
        if expect and expect.outcomes.get("anonymous") == 200:
            urls.append(route.url(**expect.params) + (f"?{expect.query}" if expect.query else ""))
    for url in urls:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert b"TN2025" not in body, url


def test_an_indicator_a_province_reports_compares_the_provinces_of_each_period(units_in_force, client):
    from indicators.models import Source

    indicator = Indicator.objects.get(code="sipas")
    Indicator.objects.filter(pk=indicator.pk).update(
        applies_to_province=True, applies_to_district=False, applies_to_commune=False
    )
    source = Source.objects.get(code="bao-long-an-mot-cua-2024")
    IndicatorValue.objects.filter(indicator=indicator).delete()
    for code, year, value in [("80", 2024, 85), ("72", 2024, 88), ("80", 2025, 90)]:
        IndicatorValue.objects.create(
            indicator=indicator,
            unit=AdministrativeUnit.objects.by_code_in_year(code, year),
            year=year,
            value=value,
            status="approved",
            source=source,
        )
    html = page_text(client.get("/indicators/sipas/?units=80@2024,72,80@2025"))
    traces = {
        t["name"].split(" (")[0]: t for t in chart_json(html, "line-figure")["data"] if t.get("mode") == "lines+markers"
    }
    assert (
        set(traces) == {"Tỉnh Long An", "Tỉnh Tây Ninh"}
        and len([t for t in chart_json(html, "line-figure")["data"] if t.get("mode") == "lines+markers"]) == 3
    )
    # Two provinces named Tây Ninh: the legend tells them apart by code and period.
    legend = [t["name"] for t in chart_json(html, "line-figure")["data"] if t.get("mode") == "lines+markers"]
    assert any(n.startswith("Tỉnh Tây Ninh (72, đến 30/06/2025)") for n in legend)
    assert any(n.startswith("Tỉnh Tây Ninh (80, từ 01/07/2025)") for n in legend)
    # The picker names the two units with code 80 by their period, so that a tick sends the right one.
    assert 'value="80@2024"' in html and 'value="80@2025"' in html and 'value="72"' in html
    assert 'href="/units/80/?in=2025"' in html
    # A bare 80 on a 2024 page is Long An; on a 2025 one, Tây Ninh.
    assert "Tỉnh Long An" in page_text(client.get("/indicators/sipas/?units=80&year=2024&year_to=2024"))
    response = client.get("/indicators/sipas/?units=80@2024&year_from=2025")
    assert response.status_code == 400
    assert "Tỉnh Long An (80, đến 30/06/2025) chỉ có số liệu đến năm 2024" in page_text(response)


EXTRA_PAGES = [
    "/units/80/",
    "/units/80/?in=2024",
    "/units/28159/",
    "/scorecard/?year=2025",
    "/indicators/ho-so-truc-tuyen/?units=807,805&successors=1",
    "/indicators/ho-so-truc-tuyen/?units=807,805&successors=1&_export=csv",
    "/index/?year=2023&province=72",
]


def test_the_new_provinces_page_lists_the_merged_provinces_first_and_ranks_nothing_alone(units_in_force, client):
    from indicators.models import AdministrativeUnit, Indicator, Source

    # A figure the province reports as one number (an indicator of the province level).
    indicator = Indicator.objects.get(code="sipas")
    Indicator.objects.filter(pk=indicator.pk).update(applies_to_province=True)
    IndicatorValue.objects.create(
        indicator=indicator,
        unit=AdministrativeUnit.objects.by_code_in_year("80", 2025),
        year=2025,
        value=Decimal("91"),
        status="approved",
        source=Source.objects.get(code="du-lieu-minh-hoa"),
    )
    html = page_text(client.get("/units/80/"))
    assert html.index("Tỉnh Long An") < html.index("Huyện Bến Lức")
    assert html.index("Tỉnh Tây Ninh (72, đến 30/06/2025)") < html.index("Huyện Bến Lức")
    assert "Chỉ số hài lòng" in html and "MH" in html  # its 2025 figure, labelled demo
    assert "Tỷ lệ hồ sơ trực tuyến" not in html, "a district and commune indicator is not a province's"
    rank_cells = [
        re.sub(r"<[^>]+>", "", cells[4]).strip()
        for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
        if len(cells := re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)) == 6
    ]
    assert rank_cells and set(rank_cells) == {"–"}  # no sibling reported, so nothing is ranked
