"""Every numbered row of shared/seed/FIGURES.md reaches the database, with its provenance."""

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from indicators.models import (
    AdministrativeUnit,
    HistoricalIndicatorValue,
    Indicator,
    IndicatorValue,
    ReformArea,
    ReportingDeadline,
    Source,
    UnitSuccession,
)

# (indicator, unit, year, value, qualifier, quote): FIGURES.md, rows 1-7.
FIGURES = [
    (
        "ho-so-ton-dong-da-xu-ly",
        "807",
        2023,
        Decimal(2500),
        "approximately",
        "từng bước tháo gỡ tất cả hồ sơ trễ hạn trên Cổng dịch vụ công quốc gia kéo dài trước đây (gần 2.500 hồ sơ)",
    ),
    (
        "ho-so-ton-dong-con-lai",
        "807",
        2023,
        Decimal(0),
        "exact",
        "từng bước tháo gỡ tất cả hồ sơ trễ hạn trên Cổng dịch vụ công quốc gia kéo dài trước đây (gần 2.500 hồ sơ)",
    ),
    ("ho-so-truc-tuyen", "807", 2023, Decimal(95), "approximately", "hồ sơ trực tuyến của huyện đạt gần 95%"),
    ("thanh-toan-truc-tuyen", "807", 2023, Decimal(31), "more_than", "thanh toán trực tuyến đạt hơn 31%"),
    (
        "ho-so-cbcc-dong-bo",
        "807",
        2023,
        Decimal(100),
        "exact",
        "tạo lập đồng bộ 100% hồ sơ CBCC, viên chức trên phần mềm của Bộ Nội vụ",
    ),
    (
        "xep-hang-chi-so-cchc",
        "807",
        2023,
        Decimal(1),
        "exact",
        "Cần Giuộc là huyện đứng đầu về công tác CCHC cấp huyện",
    ),
    (
        "luot-nguoi-den-moi-ngay",
        "805",
        2023,
        Decimal(200),
        "average",
        "Trung bình mỗi ngày, Trung tâm Hành chính công huyện Tân Trụ tiếp nhận 200 lượt người đến làm các TTHC",
    ),
]


@pytest.mark.parametrize(("indicator", "unit", "year", "value", "qualifier", "quote"), FIGURES)
def test_article_figure_is_loaded_with_its_provenance(seeded, indicator, unit, year, value, qualifier, quote):
    figure = IndicatorValue.objects.select_related("source").get(indicator__code=indicator, unit__code=unit, year=year)
    assert figure.value == value
    assert figure.qualifier == qualifier
    assert figure.quote == quote
    assert figure.status == IndicatorValue.Status.APPROVED
    assert figure.source.code == "bao-long-an-mot-cua-2024"
    assert figure.source.kind == Source.Kind.NEWS_ARTICLE
    assert figure.note, "each figure says how its year was chosen"


def test_quotes_are_verbatim_from_the_article(seeded):
    # A copy of shared/seed/article-vi.txt, kept with the fixtures as the figures' provenance.
    text = (Path(__file__).resolve().parents[2] / "fixtures" / "texts" / "bao-long-an-mot-cua-2024.txt").read_text(
        encoding="utf-8"
    )
    for figure in IndicatorValue.objects.filter(source__code="bao-long-an-mot-cua-2024").exclude(quote=""):
        assert figure.quote in text, figure


def test_exactly_the_seven_article_figures_are_loaded(seeded):
    """The article's seven; the published provincial figures are tests/services/test_province_figures.py's."""
    assert IndicatorValue.objects.filter(source__code="bao-long-an-mot-cua-2024").count() == len(FIGURES)
    assert set(IndicatorValue.objects.values_list("source__kind", flat=True)) == {Source.Kind.NEWS_ARTICLE}


def test_long_an_and_its_fifteen_districts_end_on_30_june_2025(seeded):
    long_an = AdministrativeUnit.objects.by_code_in_year("80", 2024)
    districts = AdministrativeUnit.objects.filter(parent=long_an, level="district")
    assert districts.count() == 15
    assert {d.valid_to.isoformat() for d in districts} == {"2025-06-30"}
    assert long_an.valid_to.isoformat() == "2025-06-30"
    assert set(districts.values_list("code", flat=True)) == {str(code) for code in range(794, 809)}
    assert districts.get(code="807").name == "Huyện Cần Giuộc"


def test_long_an_is_succeeded_by_tay_ninh_on_1_july_2025(seeded):
    succession = UnitSuccession.objects.get(predecessor__code="80", predecessor__valid_from__isnull=True)
    assert succession.successor.name == "Tỉnh Tây Ninh"
    assert succession.date.isoformat() == "2025-07-01"
    assert succession.kind == "merge"
    assert succession.successor.valid_from.isoformat() == "2025-07-01"
    assert succession.successor.valid_to is None


def test_reform_areas_are_the_six_of_resolution_76_plus_two_par_index_areas(seeded):
    assert ReformArea.objects.filter(in_resolution_76=True).count() == 6
    assert set(ReformArea.objects.filter(in_resolution_76=False).values_list("code", flat=True)) == {
        "chi-dao-dieu-hanh",
        "tac-dong",
    }


def test_loading_the_fixtures_twice_changes_nothing(seeded):
    counts = [m.objects.count() for m in (AdministrativeUnit, IndicatorValue, Source, UnitSuccession)]
    out = io.StringIO()
    call_command("seed", stdout=out)
    assert [m.objects.count() for m in (AdministrativeUnit, IndicatorValue, Source, UnitSuccession)] == counts
    units_line, seed_line = out.getvalue().splitlines()
    assert units_line == (
        "load_units: Tỉnh Tây Ninh (80): 2 tỉnh (trước 01/07/2025), 24 huyện, 96 xã; units 0 added, 0 updated, "
        "123 unchanged; successions 0 added, 0 updated, 0 removed"
    )
    assert re.fullmatch(r"seed: 0 rows added, \d+ rows already stored \(0 of them differ .*\)\.", seed_line)


def test_make_runs_set_up_keeps_every_edit_made_since_the_last_run(demo_seeded):
    """An admin renamed an indicator and a unit, staff returned a figure; then `make run` again."""
    Indicator.objects.filter(code="ho-so-truc-tuyen").update(name="Tỷ lệ hồ sơ trực tuyến (đã sửa)")
    AdministrativeUnit.objects.filter(code="807").update(name="Huyện Cần Giuộc (đã sửa)")
    figure = IndicatorValue.objects.get(indicator__code="ho-so-truc-tuyen", unit__code="807", year=2023)
    figure.status = IndicatorValue.Status.RETURNED
    figure.review_comment = "Xin nguồn gốc số liệu."
    figure.save()
    ReportingDeadline.objects.order_by("year").first().delete()  # a missing row is added back
    history = HistoricalIndicatorValue.objects.count()
    deadlines = ReportingDeadline.objects.count()

    out = io.StringIO()
    call_command("seed", stdout=out)  # what `make run` runs: seed, then demo_data
    call_command("demo_data", stdout=io.StringIO())

    assert Indicator.objects.get(code="ho-so-truc-tuyen").name == "Tỷ lệ hồ sơ trực tuyến (đã sửa)"
    assert AdministrativeUnit.objects.get(code="807").name == "Huyện Cần Giuộc (đã sửa)"
    figure.refresh_from_db()
    assert (figure.status, figure.review_comment) == ("returned", "Xin nguồn gốc số liệu.")
    assert HistoricalIndicatorValue.objects.count() == history, "no change, so no history row"
    assert ReportingDeadline.objects.count() == deadlines + 1
    lines = out.getvalue().splitlines()
    assert "seed: kept indicators.indicator ho-so-truc-tuyen as stored (differs from fixture in: name)" in lines
    assert (
        "load_units: kept 807 Huyện Cần Giuộc (đã sửa) as stored (differs from the registry in: name); "
        "`manage.py load_units` updates it"
    ) in lines
    assert (
        "seed: kept indicators.indicatorvalue ho-so-truc-tuyen/807/2023 as stored "
        "(differs from fixture in: status, review_comment)"
    ) in lines
    assert lines[-1].startswith("seed: 1 row added,")


def test_each_role_the_rules_key_on_belongs_to_one_indicator_of_the_catalogue(seeded):
    roles = sorted(Indicator.objects.exclude(role="").values_list("role", flat=True))
    assert roles == sorted(Indicator.Role.values)
