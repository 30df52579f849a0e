"""The open-data export: filters, demo flag and clear 400s (formula escaping: tests/views/test_escaping.py)."""

import csv
import io

import pytest
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
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
