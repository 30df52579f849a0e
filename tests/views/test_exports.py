"""The open-data export: filters, demo flag and clear 400s (formula escaping: tests/views/test_escaping.py)."""

import csv
import io
import json

import pytest
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue, Source
from indicators.presentation import exports


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "a BOM, so that Excel reads the Vietnamese as UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_csv_lists_can_giuoc_article_figures_with_qualifier_and_quote(seeded, client):
    rows = read_csv(client.get(reverse("values-csv"), {"unit": "807"}))
    by_indicator = {row["indicator_code"]: row for row in rows}
    assert len(rows) == 6
    online = by_indicator["ho-so-truc-tuyen"]
    assert (online["unit_name"], online["year"], online["value"], online["qualifier"]) == (
        "Huyện Cần Giuộc",
        "2023",
        "95",
        "approximately",
    )
    assert online["quote"] == "hồ sơ trực tuyến của huyện đạt gần 95%"
    assert by_indicator["thanh-toan-truc-tuyen"]["qualifier"] == "more_than"
    assert {row["is_demo"] for row in rows} == {"0"}


def test_export_filters_by_indicator_and_years_and_can_hide_demo(units_in_force, client):
    url = reverse("values-json")
    data = client.get(url, {"indicator": "ho-so-truc-tuyen", "year_from": 2022, "year_to": 2023}).json()
    # Long An's 15 districts and the former Tây Ninh's 9, two years each.
    assert data["count"] == (15 + 9) * 2
    assert {row["year"] for row in data["values"]} == {2022, 2023}
    assert {row["indicator_code"] for row in data["values"]} == {"ho-so-truc-tuyen"}
    flagged = {(row["unit_code"], row["year"]): row["is_demo"] for row in data["values"]}
    assert flagged[("807", 2023)] is False
    assert flagged[("805", 2023)] is True

    real_only = client.get(url, {"indicator": "ho-so-truc-tuyen", "include_demo": "0"}).json()
    assert [(row["unit_code"], row["year"]) for row in real_only["values"]] == [("807", 2023)]


def test_exports_carry_each_units_code_with_its_validity(units_in_force, client):
    rows = client.get(reverse("values-json"), {"unit": "807,28159", "indicator": "ho-so-truc-tuyen"}).json()["values"]
    by_code = {(row["unit_code"], row["unit_valid_from"], row["unit_valid_to"], row["unit_level"]) for row in rows}
    assert by_code == {("807", None, "2025-06-30", "district"), ("28159", "2025-07-01", None, "commune")}
    text = read_csv(client.get(reverse("values-csv"), {"unit": "807", "indicator": "ho-so-truc-tuyen"}))
    assert {(row["unit_valid_from"], row["unit_valid_to"], row["unit_level"]) for row in text} == {
        ("", "2025-06-30", "district")
    }
    assert list(text[0])[:5] == ["unit_code", "unit_valid_from", "unit_valid_to", "unit_level", "unit_name"]


def test_a_code_with_a_year_names_one_of_the_units_that_shared_it(seeded, client):
    from indicators.models import AdministrativeUnit, Indicator, Source

    # One figure for each unit with code 80: Long An (2024) and Tây Ninh (2025), of an indicator the
    # published provincial figures do not have.
    indicator, source = (
        Indicator.objects.get(code="ho-so-truc-tuyen"),
        Source.objects.get(code="bao-long-an-mot-cua-2024"),
    )
    Indicator.objects.filter(pk=indicator.pk).update(applies_to_province=True)
    for year, value in [(2024, 88), (2025, 91)]:
        IndicatorValue.objects.create(
            indicator=indicator,
            unit=AdministrativeUnit.objects.by_code_in_year("80", year),
            year=year,
            value=value,
            status="approved",
            source=source,
        )

    def names(**params):
        rows = client.get(reverse("values-json"), {"indicator": indicator.code, **params}).json()["values"]
        return [(row["unit_name"], row["year"], row["unit_valid_to"]) for row in rows]

    assert names(unit="80@2024") == [("Tỉnh Long An", 2024, "2025-06-30")]
    assert names(unit="80@2025") == [("Tỉnh Tây Ninh", 2025, None)]
    # A bare code names each year's unit: Long An's figures to 2024, Tây Ninh's from 2025.
    assert sorted(names(unit="80")) == [("Tỉnh Long An", 2024, "2025-06-30"), ("Tỉnh Tây Ninh", 2025, None)]
    assert names(unit="80", year_to=2024) == [("Tỉnh Long An", 2024, "2025-06-30")]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"unit": "807", "year_from": "2025"}, "Huyện Cần Giuộc (807, đến 30/06/2025) chỉ có số liệu đến năm 2024"),
        ({"unit": "28159", "year_to": "2024"}, "chỉ có số liệu từ năm 2025, không có số liệu đến năm 2024"),
        ({"unit": "807@2026"}, "không có đơn vị mã 807 báo cáo số liệu năm 2026"),
        ({"unit": "80@2024", "year_from": "2025"}, "Tỉnh Long An (80, đến 30/06/2025)"),
    ],
)
def test_a_unit_outside_the_years_asked_for_is_a_400_naming_both_periods(seeded, client, params, message):
    for name in ("values-csv", "values-json"):
        response = client.get(reverse(name), params)
        assert response.status_code == 400
        assert message in response.content.decode("utf-8")


def test_export_has_only_approved_values(units_in_force, client):
    IndicatorValue.objects.filter(unit__code="805", year=2024).update(status="draft")
    data = client.get(reverse("values-json"), {"unit": "805"}).json()
    assert data["count"] == Indicator.objects.filter(applies_to_district=True).count() * 5
    assert 2024 not in {row["year"] for row in data["values"]}


def test_numbers_stay_numbers_in_json(seeded, client):
    data = client.get(reverse("values-json"), {"unit": "807", "indicator": "ho-so-truc-tuyen"}).json()
    assert data["values"][0]["value"] == 95
    assert isinstance(data["values"][0]["value"], int)


def test_escape_formula_leaves_ordinary_text_alone():
    assert exports.escape_formula("Huyện Cần Giuộc") == "Huyện Cần Giuộc"
    assert exports.escape_formula("") == ""
    assert exports.escape_formula("=1+1") == "'=1+1"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"year_from": "abc"}, "Năm phải là một số nguyên"),
        ({"year_from": "1800"}, "Từ năm"),
        ({"year_from": "2024", "year_to": "2020"}, "Từ năm"),
        ({"unit": "999"}, "không có mã 999"),
        ({"indicator": "khong-co"}, "không có mã khong-co"),
        ({"unit": "<script>"}, "Mã không hợp lệ"),
        ({"include_demo": "maybe"}, "Chỉ nhận 1 hoặc 0"),
        # Misspelt filters would otherwise return every row, unfiltered.
        ({"year": "2023"}, "Không có tham số year"),
        ({"units": "807", "unit": "807"}, "Không có tham số units"),
    ],
)
def test_bad_parameters_get_a_400_with_a_message(seeded, client, params, message):
    for name in ("values-csv", "values-json"):
        response = client.get(reverse(name), params)
        assert response.status_code == 400
        assert message in response.content.decode("utf-8")
        assert "<script>" not in response.content.decode("utf-8") or response["Content-Type"].startswith("text/plain")


def test_bad_parameter_message_is_in_english_when_asked(seeded, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("values-csv"), {"year_from": "abc"})
    assert response.status_code == 400
    assert "Year must be a whole number" in response.content.decode()


def test_export_query_count_does_not_grow_with_units_and_years(units_in_force, client, django_assert_max_num_queries):
    # The data version (cache key), two queries to check the codes asked for, one for the values.
    with django_assert_max_num_queries(4):
        read_csv(client.get(reverse("values-csv"), {"unit": "807,805,806", "indicator": "ho-so-truc-tuyen"}))
    with django_assert_max_num_queries(2):
        read_csv(client.get(reverse("values-csv")))


# --- Every download says what it holds (issue 14 §6) ----------------------------------------------
# The clock is pinned (frozen_today: 1 December 2026, 10:00 in Vietnam) wherever a file states its date.

INDICATOR_PAGE = "/indicators/ho-so-truc-tuyen/?units=807,805&year_from=2022&year_to=2023"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_every_csv_download_starts_with_a_byte_order_mark(frozen_today, units_in_force, client, admin_a):
    urls = [
        INDICATOR_PAGE + "&_export=csv",
        INDICATOR_PAGE + "&_export=about",
        reverse("values-csv") + "?unit=807",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"] == "text/csv; charset=utf-8", url
        assert body(response)[:3] == b"\xef\xbb\xbf", url
    client.force_login(admin_a)
    assert body(client.get(reverse("entry:import-template", args=["csv"])))[:3] == b"\xef\xbb\xbf"


def test_the_open_data_csv_points_to_its_description(units_in_force, client):
    response = client.get(reverse("values-csv"), {"unit": "807"})
    assert response["Link"] == '<http://testserver/api/datapackage.zip>; rel="describedby"'
    rows = read_csv(response)
    assert {(row["indicator_code"], row["unit_of_measure"]) for row in rows if row["indicator_code"] == "sipas"} == {
        ("sipas", "percent")
    }


def test_indicator_page_csv_names_the_indicator_its_unit_and_demo_on_every_row(frozen_today, units_in_force, client):
    text = body(client.get(INDICATOR_PAGE + "&_export=csv")).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(text.splitlines()) == len(rows) + 1, "one header row, then the figures: nothing else"
    assert {(row["Mã chỉ tiêu"], row["Chỉ tiêu"], row["Đơn vị tính"]) for row in rows} == {
        ("ho-so-truc-tuyen", "Tỷ lệ hồ sơ trực tuyến", "tỷ lệ %")
    }
    by_key = {(row["Mã đơn vị"], row["Năm"]): row for row in rows}
    assert set(by_key) == {("807", "2022"), ("807", "2023"), ("805", "2022"), ("805", "2023")}
    article = by_key[("807", "2023")]
    assert (article["Giá trị"], article["Mức chính xác"], article["Minh họa"]) == ("95", "gần (xấp xỉ, dưới)", "0")
    assert article["Trích dẫn"] == "hồ sơ trực tuyến của huyện đạt gần 95%"
    assert by_key[("805", "2023")]["Minh họa"] == "1"


def test_indicator_page_about_file_says_what_the_figures_are(frozen_today, units_in_force, client):
    rows = list(csv.reader(io.StringIO(body(client.get(INDICATOR_PAGE + "&_export=about")).decode("utf-8-sig"))))
    about = {}
    for field, value in rows[1:]:
        about.setdefault(field, []).append(value)
    assert rows[0] == ["Mục", "Nội dung thông tin"]
    assert about["Chỉ tiêu"] == ["Tỷ lệ hồ sơ trực tuyến"]
    assert about["Mã chỉ tiêu"] == ["ho-so-truc-tuyen"]
    assert about["Định nghĩa"][0].startswith("Số hồ sơ thủ tục hành chính tiếp nhận qua dịch vụ công trực tuyến")
    assert about["Đơn vị tính"] == ["tỷ lệ %"]
    assert about["Hướng tốt hơn"] == ["Cao hơn là tốt hơn"]
    assert about["Nguồn"] == ["Không ngừng nâng cao chất lượng đội ngũ cán bộ, công chức tại bộ phận “một cửa”"]
    assert "CC-BY-4.0" in about["Giấy phép"][0]
    assert about["Dữ liệu minh họa"][0].startswith("Có: 3 trên 4 dòng là số liệu minh họa")
    assert about["Ngày tải xuống"] == ["2026-12-01"]
    assert about["Địa chỉ"] == [
        "http://testserver/indicators/ho-so-truc-tuyen/?units=807%2C805&year_from=2022&year_to=2023"
    ]

    real_only = list(
        csv.reader(io.StringIO(body(client.get(INDICATOR_PAGE + "&include_demo=0&_export=about")).decode("utf-8-sig")))
    )
    assert ["Dữ liệu minh họa", "Không: mọi dòng là số liệu đã duyệt từ nguồn thật."] in real_only


@pytest.mark.parametrize(
    ("language", "data_sheet", "about_sheet", "first_header", "demo_label"),
    [
        ("vi", "ho-so-truc-tuyen", "Thông tin", "Mã chỉ tiêu", "Dữ liệu minh họa"),
        ("en", "ho-so-truc-tuyen", "About", "Indicator code", "Demo data"),
    ],
)
def test_indicator_page_xlsx_has_a_named_data_sheet_and_an_about_sheet(
    frozen_today, units_in_force, client, settings, language, data_sheet, about_sheet, first_header, demo_label
):
    from openpyxl import load_workbook

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    workbook = load_workbook(io.BytesIO(body(client.get(INDICATOR_PAGE + "&_export=xlsx"))))
    assert workbook.sheetnames == [data_sheet, about_sheet]
    data = [[cell.value for cell in row] for row in workbook[data_sheet].iter_rows()]
    assert data[0][0] == first_header and len(data) == 1 + 4
    assert {row[7] for row in data[1:]} == {2022, 2023}, "years stay numbers"
    about = {row[0].value: row[1].value for row in workbook[about_sheet].iter_rows(min_row=2)}
    assert about[demo_label].startswith(("Có: 3 trên 4", "Yes: 3 of 4"))
    assert "2026-12-01" in about.values()
    assert "CC-BY-4.0" in " ".join(str(v) for v in about.values())


def test_an_unknown_download_format_is_a_400_naming_the_formats(units_in_force, client):
    response = client.get(INDICATOR_PAGE + "&_export=pdf")
    assert response.status_code == 400
    assert "csv hoặc xlsx" in response.content.decode()


def test_json_export_is_exactly_the_rows_with_their_metadata(frozen_today, units_in_force, client):
    from indicators.selectors import open_data

    data = client.get(reverse("values-json"), {"unit": "807,805,28159"}).json()
    expected = [
        exports.value_row(v) for v in open_data.export_values(units=[]).filter(unit__code__in=["807", "805", "28159"])
    ]
    assert data["values"] == expected, "the hand-written JSON says exactly what the row builder says"
    assert data["count"] == len(expected) and data["columns"] == exports.EXPORT_COLUMNS
    meta = data["meta"]
    assert meta["license"]["name"] == "CC-BY-4.0"
    assert meta["downloaded_at"] == "2026-12-01T03:00:00+00:00"
    assert meta["contains_demo"] is True
    assert meta["demo_rows"] == sum(row["is_demo"] for row in expected) > 0
    online = next(i for i in meta["indicators"] if i["code"] == "ho-so-truc-tuyen")
    assert (online["unit_of_measure"], online["higher_is_better"]) == ("percent", True)
    assert online["definition"].startswith("Số hồ sơ thủ tục hành chính")
    assert {row["unit_of_measure"] for row in expected if row["indicator_code"] == "ho-so-truc-tuyen"} == {"percent"}
    assert meta["datapackage"] == "http://testserver/api/datapackage.zip"

    real = client.get(reverse("values-json"), {"unit": "807", "include_demo": "0"}).json()["meta"]
    assert (real["contains_demo"], real["demo_rows"]) == (False, 0)
    assert [s["title"] for s in real["sources"]] == [
        "Không ngừng nâng cao chất lượng đội ngũ cán bộ, công chức tại bộ phận “một cửa”"
    ]


# --- The data package ------------------------------------------------------------------------------


def unpack(response, folder):
    import zipfile

    assert response.streaming, "written as it is read, not built in memory"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    archive.extractall(folder)
    return archive


def test_the_data_package_is_valid_frictionless(frozen_today, units_in_force, client, tmp_path):
    import frictionless

    archive = unpack(client.get(reverse("datapackage")), tmp_path)
    assert archive.namelist() == [
        "datapackage.json",
        "indicators.csv",
        "units.csv",
        "sources.csv",
        "successions.csv",
        "values.csv",
    ]
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]
    package = json.loads((tmp_path / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["created"].startswith("2026-12-01T10:00:00")
    assert package["contains_demo"] is True
    values = next(r for r in package["resources"] if r["name"] == "values")
    types = {f["name"]: f["type"] for f in values["schema"]["fields"]}
    assert (types["year"], types["value"], types["is_demo"]) == ("integer", "number", "boolean")


def test_the_data_package_holds_every_published_figure_with_its_qualifier_quote_and_demo_flag(
    units_in_force, client, tmp_path
):
    IndicatorValue.objects.filter(unit__code="805", year=2024).update(status="draft")
    unpack(client.get(reverse("datapackage")), tmp_path)
    values = list(csv.DictReader((tmp_path / "values.csv").open(encoding="utf-8")))
    assert len(values) == IndicatorValue.objects.published().count()
    assert not [v for v in values if v["unit_code"] == "805" and v["year"] == "2024"], "drafts stay out"
    article = next(
        v for v in values if (v["unit_code"], v["year"], v["indicator_code"]) == ("807", "2023", "ho-so-truc-tuyen")
    )
    assert (article["value"], article["qualifier"], article["is_demo"], article["source_code"]) == (
        "95",
        "approximately",
        "false",
        "bao-long-an-mot-cua-2024",
    )
    assert article["quote"] == "hồ sơ trực tuyến của huyện đạt gần 95%"
    demo = next(
        v for v in values if (v["unit_code"], v["year"], v["indicator_code"]) == ("805", "2022", "ho-so-truc-tuyen")
    )
    assert (demo["is_demo"], demo["source_code"]) == ("true", Source.objects.get(kind=Source.Kind.SYNTHETIC_DEMO).code)
    units = {u["id"]: u for u in csv.DictReader((tmp_path / "units.csv").open(encoding="utf-8"))}
    can_giuoc = units[article["unit_id"]]
    assert (can_giuoc["code"], can_giuoc["valid_from"], can_giuoc["valid_to"]) == ("807", "", "2025-06-30")
    successions = list(csv.DictReader((tmp_path / "successions.csv").open(encoding="utf-8")))
    assert {units[s["successor_id"]]["code"] for s in successions if s["predecessor_id"] == article["unit_id"]} >= {
        "28159",
        "28165",
    }


def test_the_data_package_escapes_formula_text_but_not_numbers(units_in_force, client, tmp_path):
    from indicators.models import AdministrativeUnit

    AdministrativeUnit.objects.filter(code="807").update(name='=HYPERLINK("http://evil")')
    IndicatorValue.objects.filter(unit__code="807").update(note="@SUM(A1)", quote="-1+1")
    unpack(client.get(reverse("datapackage")), tmp_path)
    units = list(csv.DictReader((tmp_path / "units.csv").open(encoding="utf-8")))
    assert '\'=HYPERLINK("http://evil")' in {u["name"] for u in units}
    values = [v for v in csv.DictReader((tmp_path / "values.csv").open(encoding="utf-8")) if v["unit_code"] == "807"]
    assert {(v["note"], v["quote"]) for v in values} == {("'@SUM(A1)", "'-1+1")}
    assert all(v["value"].replace(".", "").isdigit() for v in values)


def test_the_data_package_reads_values_in_bounded_chunks(units_in_force):
    from indicators.selectors import open_data

    every = list(IndicatorValue.objects.published().order_by("pk").values_list("pk", flat=True))
    assert [row[0] for row in open_data.package_values(chunk=7)] == every
    assert [row[0] for row in open_data.package_values(chunk=len(every))] == every


def test_the_open_data_page_links_the_package_and_the_licence(client, seeded, settings):
    page = client.get(reverse("open-data")).content.decode()
    assert f'href="{reverse("datapackage")}"' in page
    assert 'rel="license"' in page and "creativecommons.org/licenses/by/4.0/" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Download the data package (ZIP)" in client.get(reverse("open-data")).content.decode()


def test_data_package_query_count_does_not_grow_with_the_values(units_in_force, client, django_assert_max_num_queries):
    # The data version, then sources, indicators, units, successions, and the values (one chunk here).
    with django_assert_max_num_queries(6):
        b"".join(client.get(reverse("datapackage")).streaming_content)


# --- The indicator page's table (built by presentation/tables.py, no longer by django-tables2) --------


def table_cells(html: str) -> tuple[list[str], list[list[str]]]:
    """The headers and the rows of the page's table of figures, as raw cell HTML."""
    import re

    table = html.split('id="table-heading"', 1)[1].split("</table>", 1)[0]
    headers = re.findall(r"<th(?:\s[^>]*)?>(.*?)</th>", table, re.S)
    body_html = table.split("<tbody>", 1)[1]
    rows = [
        re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body_html, re.S)
    ]
    return headers, rows


def test_indicator_table_shows_each_figure_with_its_unit_qualifier_source_and_demo_tag(units_in_force, client):
    # The same cells as the django-tables2 table had (compared with its HTML when it was replaced).
    headers, rows = table_cells(client.get(INDICATOR_PAGE).content.decode())
    assert headers == [
        '<a href="?units=807%2C805&amp;year_from=2022&amp;year_to=2023&amp;sort=-unit">Đơn vị</a>',
        '<a href="?units=807%2C805&amp;year_from=2022&amp;year_to=2023&amp;sort=-year">Năm</a>',
        '<a href="?units=807%2C805&amp;year_from=2022&amp;year_to=2023&amp;sort=value">Giá trị</a>',
        '<a href="?units=807%2C805&amp;year_from=2022&amp;year_to=2023&amp;sort=source">Nguồn</a>',
        "Minh họa",
    ]
    demo, tag = "Dữ liệu minh họa", '<span class="demo-tag">minh họa</span>'
    can_giuoc, tan_tru = '<a href="/units/807/">Huyện Cần Giuộc</a>', '<a href="/units/805/">Huyện Tân Trụ</a>'
    article = (
        '<a href="/sources/bao-long-an-mot-cua-2024/">'
        "Không ngừng nâng cao chất lượng đội ngũ cán bộ, công chức tại bộ phận “một cửa”</a>"
    )
    assert rows == [
        [can_giuoc, "2022", "66%", demo, tag],
        [can_giuoc, "2023", '<span title="gần (xấp xỉ, dưới)">gần 95%</span>', article, ""],
        [tan_tru, "2022", "72,2%", demo, tag],
        [tan_tru, "2023", "82,2%", demo, tag],
    ]


def test_indicator_table_sorts_by_a_column_and_says_so(units_in_force, client):
    html = client.get(INDICATOR_PAGE + "&sort=-year").content.decode()
    headers, rows = table_cells(html)
    assert [row[1] for row in rows] == ["2023", "2023", "2022", "2022"]
    assert [row[0].split(">")[1].split("<")[0] for row in rows[:2]] == ["Huyện Cần Giuộc", "Huyện Tân Trụ"], (
        "ties keep the unit order"
    )
    year = next(h for h in headers if "Năm" in h)
    assert "sort=year" in year, "the year column's link sorts the other way"
    head = html.split('id="table-heading"', 1)[1].split("</thead>", 1)[0]
    import re

    assert re.findall(r'<th [^>]*aria-sort="(\w+)"[^>]*><a [^>]*>([^<]*)</a>', head) == [("descending", "Năm")]
    # A sort the table does not know keeps the default order, as tables2 did.
    default = table_cells(client.get(INDICATOR_PAGE).content.decode())[1]
    assert table_cells(client.get(INDICATOR_PAGE + "&sort=nonsense").content.decode())[1] == default


def test_an_empty_table_says_so(units_in_force, client):
    # Tân Trụ's 2022 figure is a demo one: without demo data the table has no row.
    response = client.get("/indicators/ho-so-truc-tuyen/?units=805&year_from=2022&year_to=2022&include_demo=0")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Không có số liệu phù hợp." in html.split('id="table-heading"', 1)[1].split("</table>", 1)[0]


# --- The import template ------------------------------------------------------------------------


def test_the_import_template_has_a_named_sheet_for_the_reporting_year_and_instructions(frozen_today, client_a):
    from openpyxl import load_workbook

    from indicators import imports

    response = client_a.get(reverse("entry:import-template", args=["xlsx"]))
    assert response["Content-Disposition"] == 'attachment; filename="cchc-mau-nhap-lieu-2025.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Số liệu năm 2025", "Hướng dẫn"]
    help_rows = {row[0].value: row[1].value for row in workbook["Hướng dẫn"].iter_rows(min_row=2)}
    assert "approximately" in help_rows["qualifier"] and "2025" in help_rows["Năm"]
    # Tân Trụ is a district: its last year is 2024, the nearest to the reporting year 2025.
    table = imports.read_table(response.content, "template.xlsx")
    assert {imports.cell_text(row["year"]) for _n, row in table.rows} == {"2024"}


def test_the_import_template_takes_the_year_from_the_request(frozen_today, client_a):
    from indicators import imports

    response = client_a.get(reverse("entry:import-template", args=["csv"]), {"year": "2022"})
    table = imports.read_table(response.content, "template.csv")
    assert {imports.cell_text(row["year"]) for _n, row in table.rows} == {"2022"}
    assert response["Content-Disposition"] == 'attachment; filename="cchc-mau-nhap-lieu-2022.csv"'

    refused = client_a.get(reverse("entry:import-template", args=["xlsx"]), {"year": "abc"})
    assert refused.status_code == 400
    assert "Năm phải là một số nguyên" in refused.content.decode()


def test_the_import_page_offers_the_template_for_a_chosen_year(frozen_today, client_a):
    page = client_a.get(reverse("entry:import")).content.decode()
    assert '<option value="2025" selected>2025</option>' in page
    assert f'formaction="{reverse("entry:import-template", args=["csv"])}"' in page


# --- Formula cells are neutralised in every spreadsheet download (the exports' half is in test_escaping) --


def test_about_sheet_and_import_template_escape_formula_text(units_in_force, client, admin_a):
    from openpyxl import load_workbook

    from indicators.models import AdministrativeUnit

    Indicator.objects.filter(code="ho-so-truc-tuyen").update(name="=1+1", definition="@SUM(A1)")
    AdministrativeUnit.objects.filter(code="805").update(name="+cmd")
    about = body(client.get(INDICATOR_PAGE + "&_export=about")).decode("utf-8-sig")
    assert "'=1+1" in about and "'@SUM(A1)" in about
    workbook = load_workbook(io.BytesIO(body(client.get(INDICATOR_PAGE + "&_export=xlsx"))))
    cells = [c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells), "no formula cells"
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert {"'=1+1", "'@SUM(A1)", "'+cmd"} <= texts
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@", "\t", "\r"))]

    client.force_login(admin_a)
    template = client.get(reverse("entry:import-template", args=["csv"])).content.decode("utf-8-sig")
    assert "'+cmd" in template and "'=1+1" in template
