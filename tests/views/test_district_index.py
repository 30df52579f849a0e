"""The district index pages, what-if, targets and events on the charts, freshness and citations."""

import re
from decimal import Decimal

import pytest

from indicators.models import IndicatorValue, Target
from tests.views.test_public import assert_queries_do_not_grow, chart_json, page_text

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
    # Demo figures are not reports (issue 14 §5): shown or hidden, the list is the same.
    assert (
        page_text(client.get("/")).split('id="overdue-heading"', 1)[1].split("</section>", 1)[0]
        == page_text(client.get("/?include_demo=0")).split('id="overdue-heading"', 1)[1].split("</section>", 1)[0]
    )
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


def test_a_bad_successors_flag_is_a_400(units_in_force, client):
    response = client.get("/indicators/ho-so-truc-tuyen/?successors=maybe")
    assert response.status_code == 400
    assert "Chỉ nhận 1 hoặc 0" in response.content.decode()


def test_unit_page_sparklines_mark_the_events_on_their_axis(units_in_force, client):
    html = page_text(client.get("/units/807/"))
    assert 'class="event"' in html
    assert "Vạch chấm trên đường xu hướng: 15/07/2021: Nghị quyết 76/NQ-CP" in html
    assert "01/07/2025" not in html.split("Vạch chấm", 1)[1].split("</p>", 1)[0]  # 2019-2024 only


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
