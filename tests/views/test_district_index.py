"""The district index pages, what-if, targets and events on the charts, freshness and citations."""

import csv
import io
import re
from decimal import Decimal

import pytest

from indicators.models import IndicatorValue, Target
from tests.views.test_public import LEVELS_NOTE, assert_queries_do_not_grow, chart_json, page_text

# (url, max queries): the same with Long An's 15 districts x 6 years and with 26 x 10 years.
PAGES = [
    # province, the old provinces whose districts are ranked, the chosen one's districts, scheme
    # components, targets, values, data version, reused codes (the links to Long An carry a year)
    ("/index/?year=2023", 8),
    ("/index/", 8),
    ("/index/?year=2023&province=72", 8),  # the former Tây Ninh's 9 districts
    # the same, + the district, looked up among the old provinces' districts
    ("/index/805/?year=2023&thanh-toan-truc-tuyen=80", 9),
    ("/index/807/?year=2023&include_demo=0", 9),
    ("/index/703/?year=2023", 9),
]


@pytest.mark.parametrize(("url", "budget"), PAGES)
def test_index_pages_make_a_fixed_number_of_queries(
    units_in_force, client, uncached_pages, django_assert_max_num_queries, url, budget
):
    assert_queries_do_not_grow(client, url, budget, django_assert_max_num_queries)


def test_index_2023_is_ranked_banded_and_shows_the_official_first_place_beside_the_computed_rank(
    units_in_force, client
):
    html = page_text(client.get("/index/?year=2023"))
    assert "tự tính lại" in html and "không phải Chỉ số CCHC chính thức" in html
    for band in ["Tốt", "Khá", "Trung bình", "Yếu"]:
        assert band in html
    rows = re.findall(r"<tr>\s*<td>(\d+|<span[^>]*>không xếp hạng</span>)</td>\s*<td><a href=\"/index/(\d+)/", html)
    assert len(rows) == 15
    ranks = [int(r) for r, _code in rows if r.isdigit()]
    assert ranks == sorted(ranks) and ranks[0] == 1
    detail = page_text(client.get("/index/807/?year=2023"))
    official = re.search(r'class="num official-rank">(.*?)</td>', detail, re.S).group(1)
    assert official.strip() == "1", "Cần Giuộc's official 2023 rank from the article, not demo data"
    assert re.search(r'class="num computed-rank">(\d+/15|không xếp hạng)</td>', detail)
    assert "Chính thức" in detail and "Tính toán" in detail
    assert "bản tái dựng" in detail


def test_the_index_ranks_each_old_provinces_districts_apart(units_in_force, client):
    html = page_text(client.get("/index/?year=2023&province=72"))
    rows = re.findall(r"<tr>\s*<td>(\d+|<span[^>]*>không xếp hạng</span>)</td>\s*<td><a href=\"/index/(\d+)/", html)
    from indicators.models import AdministrativeUnit

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


def test_district_page_breaks_the_score_down_by_area_and_indicator(units_in_force, client):
    html = page_text(client.get("/index/805/?year=2023"))
    for text in ["Cải cách thủ tục hành chính", "Tỷ lệ hồ sơ giải quyết đúng hạn", "Đóng góp vào điểm", "13/13"]:
        assert text in html


def test_a_missing_indicator_is_shown_as_missing_and_the_score_says_what_it_rests_on(units_in_force, client):
    IndicatorValue.objects.filter(unit__code="805", year=2023, indicator__code="sipas").delete()
    html = page_text(client.get("/index/805/?year=2023"))
    assert "thiếu (không tính)" in html
    assert "12/13" in html


def test_a_district_with_too_few_indicators_is_not_ranked(units_in_force, client):
    codes = ["sipas", "ho-so-dung-han", "ho-so-tre-han", "ho-so-so-hoa"]
    IndicatorValue.objects.filter(unit__code="805", year=2023, indicator__code__in=codes).delete()
    html = page_text(client.get("/index/805/?year=2023"))
    assert "9/13" in html and "cần 10 để được xếp hạng" in html
    assert re.search(r'class="num computed-rank">không xếp hạng</td>', html)


def snapshot():
    return list(IndicatorValue.objects.order_by("pk").values_list("pk", "value", "updated_at", "version", "status"))


def test_what_if_online_payment_at_80_moves_tan_tru_and_saves_nothing(units_in_force, client):
    IndicatorValue.objects.filter(unit__code="805", year=2023, indicator__code="thanh-toan-truc-tuyen").update(
        value=Decimal("20")
    )
    before = snapshot()
    plain = page_text(client.get("/index/805/?year=2023"))
    rank_before = re.search(r'class="num computed-rank">(\d+)/15', plain).group(1)
    html = page_text(client.get("/index/805/?year=2023&thanh-toan-truc-tuyen=80"))
    result = re.search(r'class="notice whatif-result".*?</p>', html, re.S).group(0)
    match = re.search(r"hạng (\d+) → <strong>(\d+)</strong>/15", result)
    assert match, result
    assert match.group(1) == rank_before
    assert int(match.group(2)) <= int(rank_before), "reaching the target cannot make the rank worse"
    assert snapshot() == before, "what-if writes nothing"


def test_what_if_accepts_a_vietnamese_decimal_and_several_figures(units_in_force, client):
    before = snapshot()
    response = client.get("/index/805/?year=2023&thanh-toan-truc-tuyen=80,5&sipas=99")
    assert response.status_code == 200
    assert "Kết quả giả định" in page_text(response)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/index/?year=abc", "Năm phải là một số nguyên"),
        ("/index/?year=1999", "Không có số liệu năm 1999"),
        ("/index/?include_demo=maybe", "Chỉ nhận 1 hoặc 0"),
        ("/index/805/?year=2023&thanh-toan-truc-tuyen=abc", "Phải là một số"),
        ("/index/805/?year=2023&thanh-toan-truc-tuyen=180", "100"),
    ],
)
def test_bad_index_query_strings_get_a_400_with_a_message(units_in_force, client, url, message):
    response = client.get(url)
    assert response.status_code == 400
    assert message in page_text(response)


@pytest.mark.parametrize("url", ["/index/0000/", "/index/80/", "/index/72/"])
def test_index_of_an_unknown_or_non_district_unit_is_404(seeded, client, url):
    assert client.get(url).status_code == 404


def test_rank_change_and_most_improved_are_listed(units_in_force, client):
    html = page_text(client.get("/index/?year=2022"))
    assert "Tiến bộ nhất so với năm trước" in html
    assert "lên " in html and "bậc" in html


def test_every_index_page_has_a_citation_with_the_data_version(units_in_force, client):
    from indicators.caching import current_data_version

    version = current_data_version()[0]
    for url in ["/index/?year=2023", "/index/805/?year=2023"]:
        html = page_text(client.get(url))
        assert "Trích dẫn biểu đồ/bảng này" in html
        assert f"v={version}" in html and f"phiên bản dữ liệu {version}" in html


def test_data_version_changes_when_published_figures_change(units_in_force, client, django_capture_on_commit_callbacks):
    from indicators.caching import current_data_version

    before = current_data_version()[0]
    value = IndicatorValue.objects.get(unit__code="805", year=2023, indicator__code="sipas")
    value.value += 1
    with django_capture_on_commit_callbacks(execute=True):
        value.save()
    assert current_data_version()[0] != before
    html = page_text(client.get(f"/index/?year=2023&v={before}"))
    assert "Số liệu đã thay đổi kể từ phiên bản trong đường dẫn này" in html


# --- Targets, events, freshness on the existing pages ----------------------------------------


def test_indicator_page_draws_the_target_and_states_met_close_far(units_in_force, client):
    values = IndicatorValue.objects.filter(indicator__code="thanh-toan-truc-tuyen", year=2024)
    values.filter(unit__code="805").update(value=Decimal("85"))
    values.filter(unit__code="806").update(value=Decimal("75"))
    values.filter(unit__code="807").update(value=Decimal("40"))
    html = page_text(client.get("/indicators/thanh-toan-truc-tuyen/?year=2024&units=805,806,807"))
    line = chart_json(html, "line-figure")
    target_shapes = [s for s in line["layout"]["shapes"] if s.get("y0") == 80.0]
    assert target_shapes and target_shapes[0]["line"]["dash"] == "dash"
    assert any("Mục tiêu 2025: ≥ 80%" in a["text"] for a in line["layout"]["annotations"])
    bar = chart_json(html, "bar-figure")
    assert any(s.get("x0") == 80.0 for s in bar["layout"]["shapes"])
    table = html.split('id="ranking-table"', 1)[1].split("</table>", 1)[0]
    for unit, status, word in [
        ("Tân Trụ", "met", "Đạt"),
        ("Cần Đước", "close", "Gần đạt"),
        ("Cần Giuộc", "far", "Còn xa"),
    ]:
        row = next(r for r in table.split("<tr>") if unit in r)
        assert f"status-{status}" in row and word in row, (unit, row)
    assert "Gần đạt: chưa đạt nhưng cách mục tiêu không quá 10%" in html


def test_the_2021_resolution_is_marked_on_a_2019_2024_axis_but_the_2025_reorganisation_is_not(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?year_to=2024"))
    line = chart_json(html, "line-figure")
    texts = [a["text"] for a in line["layout"]["annotations"]]
    assert any("15/07/2021" in t and "76/NQ-CP" in t for t in texts)
    assert not any("01/07/2025" in t for t in texts)
    assert "cả hai phía của một lần sắp xếp" not in html
    assert "Từ năm 2025 số liệu thuộc các xã, phường" not in html


def test_a_chart_of_2025_and_after_is_the_communes_and_crosses_nothing(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?year_from=2025"))
    assert "cả hai phía của một lần sắp xếp" not in html
    assert LEVELS_NOTE in html
    for name in line_traces(html):
        assert name.startswith(("Xã", "Phường")), name


def test_a_chart_crossing_1_july_2025_is_marked_and_warned(units_in_force, client):
    from indicators.models import AdministrativeUnit, Indicator, Source

    IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code="ho-so-truc-tuyen"),
        unit=AdministrativeUnit.objects.get(code="807"),
        year=2025,
        value=Decimal("97"),
        status="approved",
        source=Source.objects.get(code="du-lieu-minh-hoa"),
    )
    for url in ["/indicators/ho-so-truc-tuyen/?units=807", "/compare/?units=807&indicators=ho-so-truc-tuyen"]:
        html = page_text(client.get(url))
        assert "cả hai phía của một lần sắp xếp đơn vị hành chính" in html, url
        chart = chart_json(html, "line-figure" if url.startswith("/indicators") else "compare-0")
        assert any("01/07/2025" in a["text"] for a in chart["layout"]["annotations"]), url
    assert "cả hai phía" in page_text(client.get("/units/807/"))
    html = page_text(client.get("/compare/?units=807&indicators=ho-so-truc-tuyen&year_to=2024"))
    assert "cả hai phía" not in html


def test_unit_page_shows_progress_against_the_target_and_freshness(frozen_today, units_in_force, client):
    html = page_text(client.get("/units/807/?include_demo=0"))
    # Cần Giuộc 2023: "hơn 31%" paid online, against the 2025 target of 80%.
    row = next(r for r in html.split("<tr>") if "thanh-toan-truc-tuyen" in r)
    assert "status-far" in row and "Còn xa" in row and "Mục tiêu 2025: ≥ 80%" in row
    freshness = html.split('id="freshness"', 1)[1].split("</table>", 1)[0]
    assert "Quá hạn, chưa có số liệu" in freshness  # 2019-2022 and 2024 without demo data
    assert "31/01/2024" in freshness and "Cập nhật sau hạn" in freshness  # 2023 figures dated 01/03/2024
    assert "/index/807/" in html


def test_home_page_lists_overdue_reports(frozen_today, units_in_force, client):
    assert "Không có báo cáo quá hạn." in page_text(client.get("/"))
    html = page_text(client.get("/?include_demo=0"))
    overdue = html.split('id="overdue-heading"', 1)[1].split("</section>", 1)[0]
    assert "2024" in overdue and "Huyện Cần Giuộc" in overdue
    line_2023 = next(li for li in overdue.split("<li>") if "<strong>2023</strong>" in li)
    assert "Huyện Cần Giuộc" not in line_2023 and "Huyện Tân Trụ" not in line_2023  # both have 2023 figures


def test_a_report_is_overdue_from_the_first_day_after_its_deadline_in_vietnam(units_in_force, client, time_machine):
    from datetime import UTC, datetime

    def overdue_years():
        html = page_text(client.get("/?include_demo=0"))
        return set(
            re.findall(r"<strong>(\d{4})</strong>", html.split('id="overdue-heading"', 1)[1].split("</section>")[0])
        )

    time_machine.move_to(datetime(2025, 1, 31, 16, 59, tzinfo=UTC), tick=False)  # 23:59 on 31/01/2025, the deadline
    assert "2024" not in overdue_years() and "2023" in overdue_years()
    time_machine.move_to(datetime(2025, 1, 31, 17, 1, tzinfo=UTC), tick=False)  # 00:01 on 01/02/2025 in Hà Nội
    assert "2024" in overdue_years()


def test_the_citation_is_dated_by_the_day_in_vietnam(units_in_force, client, time_machine):
    from datetime import UTC, datetime

    time_machine.move_to(datetime(2026, 12, 31, 17, 30, tzinfo=UTC), tick=False)  # 00:30 on 1/1/2027 in Hà Nội
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/"))
    assert "truy cập ngày 01/01/2027" in html


def test_every_chart_page_has_a_citation(units_in_force, client):
    for url in ["/indicators/ho-so-truc-tuyen/", "/compare/", "/units/807/", "/scorecard/?year=2023"]:
        html = page_text(client.get(url))
        assert "Trích dẫn biểu đồ/bảng này" in html and "phiên bản dữ liệu" in html, url


def test_fixtures_load_twice_without_duplicates(seeded):
    from django.core.management import call_command

    from indicators.models import Event, ReportingDeadline, ScoringComponent

    def counts():
        models = (Target, ScoringComponent, Event, ReportingDeadline)
        return [m.objects.count() for m in models]

    before = counts()
    call_command("seed", verbosity=0)
    assert counts() == before == [2, 23, 3, 6]
    target = Target.objects.get(indicator__code="thanh-toan-truc-tuyen", year=2025)
    assert target.source.code == "nq-76-cp-2021" and "CHƯA đối chiếu" in target.note


def test_province_unit_page_has_no_district_freshness_table(units_in_force, client):
    assert 'id="freshness"' not in page_text(client.get("/units/80/"))


def test_what_if_inputs_show_plain_numbers(units_in_force, client):
    IndicatorValue.objects.filter(unit__code="805", year=2023, indicator__code="ho-so-tre-han").update(
        value=Decimal("1234567")
    )
    html = page_text(client.get("/index/805/?year=2023"))
    assert 'name="ho-so-tre-han" value="1234567"' in html


def line_traces(html):
    return {t["name"]: t for t in chart_json(html, "line-figure")["data"] if t.get("mode") == "lines+markers"}


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


def test_the_communes_are_ranked_among_the_communes_and_never_in_a_district_ranking(units_in_force, client):
    without = chart_json(page_text(client.get("/indicators/ho-so-truc-tuyen/?units=807")), "line-figure")
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?units=807&successors=1&year=2024"))
    with_new = chart_json(html, "line-figure")
    band = [t for t in with_new["data"] if t.get("mode") == "lines"]
    assert [t["y"] for t in band] == [t["y"] for t in without["data"] if t.get("mode") == "lines"]
    for figure in ("bar-figure", "bar-figure-2"):  # 2024: Long An's and the former Tây Ninh's districts
        assert not any(name.startswith(("Xã", "Phường")) for name in chart_json(html, figure)["data"][0]["y"])
    # The ranking year picker offers every year with figures, 2025 (the communes') included.
    ranking_picker = html.split('name="year"', 1)[1].split("</select>", 1)[0]
    assert 'value="2025"' in ranking_picker and 'value="2024" selected' in ranking_picker
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?units=807&successors=1&year=2025"))
    names = chart_json(html, "bar-figure")["data"][0]["y"]
    assert names and all(name.startswith(("Xã", "Phường")) for name in names)


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


def test_a_bad_successors_flag_is_a_400(units_in_force, client):
    response = client.get("/indicators/ho-so-truc-tuyen/?successors=maybe")
    assert response.status_code == 400
    assert "Chỉ nhận 1 hoặc 0" in response.content.decode()


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


def test_unit_page_sparklines_mark_the_events_on_their_axis(units_in_force, client):
    html = page_text(client.get("/units/807/"))
    assert 'class="event"' in html
    assert "Vạch chấm trên đường xu hướng: 15/07/2021: Nghị quyết 76/NQ-CP" in html
    assert "01/07/2025" not in html.split("Vạch chấm", 1)[1].split("</p>", 1)[0]  # 2019-2024 only


def test_new_units_are_dated_by_their_succession_and_a_chosen_district_is_never_drawn_twice(units_in_force, client):
    from datetime import date

    from indicators.models import AdministrativeUnit, Indicator, Source, UnitSuccession

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


def test_what_if_reads_figures_as_the_entry_form_does(units_in_force, client):
    # "1.234" is one thousand two hundred and thirty-four on a Vietnamese page, as everywhere else.
    html = page_text(client.get("/index/805/?year=2023&ho-so-tre-han=1.234"))
    assert 'name="ho-so-tre-han" value="1.234"' in html and "Kết quả giả định" in html
    for bad, message in [("ho-so-tre-han=12,5", "số nguyên"), ("sipas=1,234.5", "Phải là một số"), ("sipas=-5", "")]:
        response = client.get(f"/index/805/?year=2023&{bad}")
        assert response.status_code == 400, bad
        assert message in page_text(response), bad
    # A share shown with a decimal is shown the Vietnamese way, and reads back unchanged.
    IndicatorValue.objects.filter(unit__code="805", year=2023, indicator__code="sipas").update(value=Decimal("85.5"))
    html = page_text(client.get("/index/805/?year=2023"))
    assert 'name="sipas" value="85,5"' in html
    assert client.get("/index/805/?year=2023&sipas=85,5").status_code == 200


def test_a_range_after_2025_shows_and_ranks_the_communes(units_in_force, client):
    html = page_text(client.get("/indicators/ho-so-truc-tuyen/?successors=1&year_from=2025"))
    assert line_traces(html) and all(name.startswith(("Xã", "Phường")) for name in line_traces(html))
    assert 'value="2025" selected' in html.split('name="year_from"', 1)[1].split("</select>", 1)[0]
    assert "Xếp hạng năm 2025" in html.split('id="bar-heading"', 1)[1].split("</h2>", 1)[0]
    response = client.get("/indicators/ho-so-truc-tuyen/?successors=1&year_from=2025&_export=csv")
    years = {row["Năm"] for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}
    assert years == {"2025"}
