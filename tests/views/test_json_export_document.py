"""The JSON export's exact bytes, pinned: it is an open-data contract (README, /open-data/), and its
writer is tuned for speed (issue 14), so any change to how it is read or written must leave the
document byte for byte the same. The data is made here, with the awkward cases: a code shared by two
periods, a unit without dates, every way a Decimal can look, text that JSON must escape, a source
without an address, a demo source, no source, and a draft that must not appear."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, ReformArea, Source
from indicators.presentation import exports
from indicators.selectors import open_data

GOLDEN = Path(__file__).parent / "golden"

# (unit, indicator, year, value, qualifier, source, quote, note)
FIGURES = [
    ("old", "share", 2023, "95.0000", "approximately", "article", "gần 95%", ""),
    ("old", "share", 2024, "95.5000", "more_than", "article", 'hơn "95,5%" \\ theo báo', "dòng 1\ndòng 2\ttab"),
    ("old", "count", 2023, "1234567890.0000", "exact", "decree", "", "</script><b>&amp;</b>"),
    ("old", "count", 2024, "0.0000", "exact", None, "", ""),
    ("new", "share", 2025, "0.0001", "less_than", "demo", "", "Số liệu minh họa"),
    ("new", "share", 2026, "9999999999.9999", "average", "demo", "", "Số liệu minh họa"),
    ("new", "count", 2025, "12.3400", "exact", "decree", "\u2028 \x01 😀 ’", "ghi chú"),
    ("new", "count", 2026, "7.0000", "exact", "demo", "", "Số liệu minh họa"),
    ("dateless", "share", 2024, "33.3330", "exact", "article", "một phần ba", ""),
]


@pytest.fixture
def export_data(seeded):
    area = ReformArea.objects.order_by("order").first()
    indicators = {
        "share": Indicator.objects.create(
            code="zz-thu-ty-le",
            name="Tỷ lệ “thử” <b>",
            name_en="Test share",
            area=area,
            unit_kind="percent",
            higher_is_better=True,
            decimals=1,
            definition="Định nghĩa\nhai dòng.",
            definition_en="Two-line\ndefinition.",
            framework="provincial",
        ),
        "count": Indicator.objects.create(
            code="zz-thu-so-luong",
            name="Số \\ lượng",
            name_en="Test count",
            area=area,
            unit_kind="count",
            higher_is_better=None,
            decimals=0,
            definition="Đếm.",
            framework="other",
        ),
    }
    units = {
        "old": AdministrativeUnit.objects.create(
            code="99001",
            name='Huyện "Thử" \\ Một',
            slug="huyen-thu-mot",
            level="district",
            valid_from=date(2019, 1, 1),
            valid_to=date(2025, 6, 30),
        ),
        "new": AdministrativeUnit.objects.create(
            code="99001", name="Xã Thử Hai", slug="xa-thu-hai", level="commune", valid_from=date(2025, 7, 1)
        ),
        "dateless": AdministrativeUnit.objects.create(
            code="99002", name="Xã Không Ngày", slug="xa-khong-ngay", level="commune"
        ),
    }
    sources = {
        "article": Source.objects.create(
            code="zz-bao", title="Bài báo “thử”", url="https://example.org/bai?a=1&b=2", kind="news_article"
        ),
        "decree": Source.objects.create(code="zz-van-ban", title="Văn bản không địa chỉ", kind="official_document"),
        "demo": Source.objects.create(code="zz-minh-hoa", title="Dữ liệu minh họa", kind="synthetic_demo"),
        None: None,
    }
    IndicatorValue.objects.bulk_create(
        [
            IndicatorValue(
                unit=units[unit],
                indicator=indicators[indicator],
                year=year,
                value=Decimal(value),
                qualifier=qualifier,
                status="approved",
                source=sources[source],
                quote=quote,
                note=note,
            )
            for unit, indicator, year, value, qualifier, source, quote, note in FIGURES
        ]
        + [
            IndicatorValue(
                unit=units["dateless"], indicator=indicators["count"], year=2024, value=5, status="submitted"
            )
        ]
    )


@pytest.mark.parametrize(
    ("params", "golden"),
    [
        ({"unit": "99001,99002"}, "values_json_document.json"),
        ({"unit": "99001", "include_demo": "0", "indicator": "zz-thu-so-luong"}, "values_json_real_count.json"),
    ],
)
def test_the_json_export_is_byte_for_byte_the_pinned_document(frozen_today, export_data, client, params, golden):
    response = client.get(reverse("values-json"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.content == (GOLDEN / golden).read_bytes()


def test_the_pinned_document_says_what_the_row_builder_says(frozen_today, export_data):
    """The golden file itself is right: its rows are the row builder's, in the export's order."""
    document = json.loads((GOLDEN / "values_json_document.json").read_bytes())
    units = AdministrativeUnit.objects.filter(code__in=["99001", "99002"])
    assert document["values"] == [exports.value_row(v) for v in open_data.export_values(units=units)]
    assert document["count"] == len(FIGURES)
    assert [row["value"] for row in document["values"] if row["unit_code"] == "99002"] == [33.333]
    assert document["meta"]["demo_rows"] == 3


def test_the_document_is_the_same_when_the_lookups_read_whole_tables(
    frozen_today, export_data, client, monkeypatch, django_assert_max_num_queries
):
    """Past LOOKUP_IDS_AT_MOST ids, the units and sources are read whole instead of by an IN list."""
    monkeypatch.setattr(open_data, "LOOKUP_IDS_AT_MOST", 1)
    # The data version, the unit codes asked for, the values, their indicators, units and sources.
    with django_assert_max_num_queries(6):
        response = client.get(reverse("values-json"), {"unit": "99001,99002"})
    assert response.content == (GOLDEN / "values_json_document.json").read_bytes()


def test_an_export_with_no_rows_is_an_empty_list(frozen_today, export_data, client, django_assert_max_num_queries):
    # Nothing to look up: the data version, the unit codes, the values.
    with django_assert_max_num_queries(3):
        data = client.get(reverse("values-json"), {"unit": "99002", "year_from": 2020, "year_to": 2020}).json()
    assert (data["count"], data["values"], data["meta"]["indicators"], data["meta"]["sources"]) == (0, [], [], [])
    assert data["meta"]["contains_demo"] is False
