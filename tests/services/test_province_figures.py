"""Every published figure of shared/seed/PROVINCE_FIGURES.md that the project loads reaches the database
as a real, approved figure with its quote and source; the derived numbers in that file do not."""

import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from indicators.domain import registry
from indicators.domain.validation import ranking_problems
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, Source
from indicators.seeding import SEED_FIXTURES

ARTICLE = "bao-long-an-mot-cua-2024"
PROVINCIAL = ["par-index", "xep-hang-par-index", "xep-hang-sipas", "papi", "xep-hang-papi"]
PROVINCIAL += ["diem-qd-766-thang-8", "xep-hang-qd-766-thang-8"]
LONG_AN, FORMER_TAY_NINH = "80", "72"

# (indicator, unit code, year, value, source, words the quote must hold)
FIGURES = [
    ("par-index", LONG_AN, 2019, "84.33", "chinhphu-par-index-2019", "84.33%"),
    ("xep-hang-par-index", LONG_AN, 2019, "5", "chinhphu-par-index-2019", "fourth and fifth"),
    ("par-index", LONG_AN, 2020, "86.25", "mofcom-par-index-2020", "| 86.25 |"),
    ("xep-hang-par-index", LONG_AN, 2020, "7", "mofcom-par-index-2020", "7 | 隆安省"),
    ("par-index", LONG_AN, 2021, "87.20", "vneconomy-long-an-cchc-2023", "87,20 điểm"),
    ("xep-hang-par-index", LONG_AN, 2021, "22", "vneconomy-long-an-cchc-2023", "hạng 22"),
    ("par-index", LONG_AN, 2022, "87.42", "vneconomy-long-an-cchc-2023", "87,42 điểm"),
    ("xep-hang-par-index", LONG_AN, 2022, "8", "vneconomy-long-an-cchc-2023", "8/63"),
    ("xep-hang-par-index", LONG_AN, 2023, "8", "vietjo-par-index-2023", "ロンアン省の順"),
    ("par-index", LONG_AN, 2024, "89.68", "baolongan-en-chuyen-doi-so-par-2025", "89.68%"),
    ("xep-hang-par-index", LONG_AN, 2024, "16", "baolongan-en-chuyen-doi-so-par-2025", "16/63"),
    ("sipas", LONG_AN, 2023, "78.66", "vietnamvn-long-an-par-2024", "(78.66%)"),
    ("xep-hang-sipas", LONG_AN, 2023, "57", "vietnamvn-long-an-par-2024", "(57/63)"),
    ("sipas", LONG_AN, 2024, "82.71", "vietnamvn-long-an-par-2024", "82.71%"),
    ("xep-hang-sipas", LONG_AN, 2024, "41", "vietnamvn-long-an-par-2024", "41/63"),
    ("xep-hang-papi", LONG_AN, 2017, "11", "vov-long-an-papi-2017", "ranking 11th"),
    ("xep-hang-papi", LONG_AN, 2023, "46", "baolongan-en-papi-2025", "(46/63"),
    ("papi", LONG_AN, 2024, "42.28", "baolongan-en-papi-2025", "42.28/80"),
    ("xep-hang-papi", LONG_AN, 2024, "45", "baolongan-en-papi-2025", "45th/63"),
    ("diem-qd-766-thang-8", LONG_AN, 2023, "64.2", "vneconomy-long-an-cchc-2023", "64,2/100"),
    ("xep-hang-qd-766-thang-8", LONG_AN, 2023, "15", "vneconomy-long-an-cchc-2023", "15/63"),
    ("par-index", FORMER_TAY_NINH, 2019, "80.05", "baotayninh-cchc-sipas-2019", "80,05%"),
    ("xep-hang-par-index", FORMER_TAY_NINH, 2019, "44", "baotayninh-cchc-sipas-2019", "vị trí số 44"),
    ("sipas", FORMER_TAY_NINH, 2017, "79.76", "baotayninh-cchc-sipas-2019", "năm 2017 đạt 79,76%"),
    ("sipas", FORMER_TAY_NINH, 2018, "81.24", "baotayninh-cchc-sipas-2019", "năm 2018 là 81,24%"),
    ("sipas", FORMER_TAY_NINH, 2019, "83.45", "baotayninh-cchc-sipas-2019", "83,45%"),
    ("xep-hang-sipas", FORMER_TAY_NINH, 2019, "40", "baotayninh-cchc-sipas-2019", "vị trí thứ 40"),
    ("xep-hang-papi", FORMER_TAY_NINH, 2020, "51", "baotayninh-papi-2021", "từ thứ hạng 51"),
    ("xep-hang-papi", FORMER_TAY_NINH, 2021, "31", "baotayninh-papi-2021", "lên thứ hạng 31"),
    ("xep-hang-papi", FORMER_TAY_NINH, 2023, "60", "baolongan-en-papi-2025", "(60/63"),
    ("papi", FORMER_TAY_NINH, 2024, "47.35", "baolongan-en-papi-2025", "47.35/80"),
    ("xep-hang-papi", FORMER_TAY_NINH, 2024, "2", "baolongan-en-papi-2025", "ranked 2nd/63"),
    ("par-index", FORMER_TAY_NINH, 2024, "88.4", "baolongan-en-chuyen-doi-so-par-2025", "88.4 points"),
    ("xep-hang-par-index", FORMER_TAY_NINH, 2024, "32", "baolongan-en-chuyen-doi-so-par-2025", "32/63"),
]
# The former Tây Ninh's district index (its own ranking of its 9 district-level units).
SCORE, RANK = "diem-chi-so-cchc", "xep-hang-chi-so-cchc"
DISTRICT_FIGURES = [
    ("706", 2019, "86.8", "1", "baotayninh-cchc-2019", "Tân Châu là địa phương xếp thứ hạng cao nhất"),
    ("712", 2019, "71.07", "9", "baotayninh-cchc-2019", "Trảng Bàng đứng cuối bảng với tỷ lệ điểm 71,07%"),
    ("709", 2022, "93.08", "1", "baotayninh-cchc-2022", "Hoà Thành là địa phương dẫn đầu"),
    ("708", 2022, "76.54", "9", "baotayninh-cchc-2022", "Châu Thành đứng cuối bảng với tỷ lệ điểm 76,54%"),
    ("709", 2023, "88.35", "1", "tayninh-gov-cchc-2023", "1 UBND thị xã Hòa Thành 100 88.35 88.35% Tốt"),
    ("710", 2023, "87.68", "2", "tayninh-gov-cchc-2023", "2 UBND huyện Gò Dầu 100 87.68 87.68% Tốt"),
    ("703", 2023, "86.98", "3", "tayninh-gov-cchc-2023", "3 UBND thành phố Tây Ninh 100 86.98 86.98% Tốt"),
    ("705", 2023, "86.27", "4", "tayninh-gov-cchc-2023", "4 UBND huyện Tân Biên 100 86.27 86.27% Tốt"),
    ("708", 2023, "86.02", "5", "tayninh-gov-cchc-2023", "5 UBND huyện Châu Thành 100 86.02 86.02% Tốt"),
    ("712", 2023, "84.92", "6", "tayninh-gov-cchc-2023", "6 UBND thị xã Trảng Bàng 100 84.92 84.92% Tốt"),
]
ALL_FIGURES = FIGURES + [
    (indicator, unit, year, value, source, words)
    for unit, year, score, rank, source, words in DISTRICT_FIGURES
    for indicator, value in ((SCORE, score), (RANK, rank))
]


def not_demo():
    return IndicatorValue.objects.exclude(source__kind=Source.Kind.SYNTHETIC_DEMO)


def real_figures():
    """The figures of the province fixture: every real one except the article's."""
    return not_demo().exclude(source__code=ARTICLE)


@pytest.mark.parametrize(("indicator", "unit", "year", "value", "source", "words"), ALL_FIGURES)
def test_published_figure_is_loaded_as_a_real_approved_value_with_its_quote(
    seeded, indicator, unit, year, value, source, words
):
    figure = IndicatorValue.objects.select_related("unit", "source").get(
        indicator__code=indicator, unit=AdministrativeUnit.objects.by_code_in_year(unit, year), year=year
    )
    assert figure.value == Decimal(value)
    assert (figure.qualifier, figure.status) == ("exact", "approved")
    assert figure.source.code == source and figure.source.kind == Source.Kind.NEWS_ARTICLE
    assert figure.source.url.startswith("http")
    assert words in figure.quote
    assert figure.note, "each figure says how its year and value were read"
    # The unit before the reform: "80" in these years is Long An, never the new Tây Ninh.
    assert figure.unit.valid_to == date(2025, 6, 30)


def test_exactly_the_listed_figures_are_loaded(seeded):
    assert real_figures().count() == len(ALL_FIGURES) == 54


def test_every_loaded_figure_passes_the_models_own_checks(seeded):
    """Years within the unit's validity, an indicator of the unit's level, values within bounds."""
    for figure in real_figures().select_related("unit", "indicator"):
        figure.full_clean()


@pytest.mark.parametrize(
    ("indicator", "unit", "year", "why"),
    [
        ("xep-hang-par-index", FORMER_TAY_NINH, 2018, "44 + 4 places: arithmetic"),
        ("xep-hang-par-index", FORMER_TAY_NINH, 2023, "32 + 13 places: arithmetic"),
        ("xep-hang-papi", LONG_AN, 2016, "11 + 11 positions: arithmetic"),
        ("papi", LONG_AN, 2023, "42.28 - 1.45: arithmetic"),
        ("papi", FORMER_TAY_NINH, 2023, "47.35 - 8.11: arithmetic"),
        ("papi", LONG_AN, 2017, "38.3 of 60: the 60-point scale, not this indicator's 80"),
        ("par-index", LONG_AN, 2023, "not published in the pages found"),
    ],
)
def test_a_derived_or_unpublished_number_is_not_loaded(seeded, indicator, unit, year, why):
    assert not IndicatorValue.objects.filter(indicator__code=indicator, unit__code=unit, year=year).exists(), why


def test_provincial_indicators_apply_to_provinces_only_and_sipas_to_every_level(seeded):
    for indicator in Indicator.objects.filter(code__in=PROVINCIAL):
        assert indicator.levels == ("province",), indicator.code
        assert indicator.definition and indicator.definition_en and indicator.name_en
    assert Indicator.objects.get(code="sipas").levels == ("province", "district", "commune")
    # Published with two decimals (82,71%): one decimal would round a real figure on every page.
    assert Indicator.objects.get(code="sipas").decimals == 2


def test_a_national_rank_is_bounded_by_the_63_provinces_before_2025(seeded):
    """A bound is one number for every year: 63 holds every rank to 2024 and every rank among 34 after."""
    provinces = len(registry.legacy_provinces())
    for indicator in Indicator.objects.filter(unit_kind="rank", applies_to_province=True):
        assert (indicator.min_value, indicator.max_value) == (1, provinces), indicator.code
        assert len(registry.provinces()) <= provinces


def _rankings():
    """The real ranks by ranking: (indicator, year, ranked units' parent) -> {unit code: rank}."""
    rankings = defaultdict(dict)
    for code, year, unit_code, parent_id, value in (
        not_demo()
        .filter(indicator__unit_kind="rank")
        .values_list("indicator__code", "year", "unit__code", "unit__parent_id", "value")
    ):
        rankings[(code, year, parent_id)][unit_code] = value
    return rankings


def test_every_real_rank_fits_its_own_ranking(seeded):
    """A district's rank is among its own old province's districts; a province's among the country's."""
    rankings = _rankings()
    assert rankings, "the fixture has ranks"
    for (code, year, parent_id), ranks in rankings.items():
        if parent_id is None:  # a province: ranked among the 63
            size = len(registry.legacy_provinces())
        else:
            size = AdministrativeUnit.objects.filter(parent_id=parent_id).districts().reporting_in(year).count()
        assert ranking_problems(ranks, size=size) == [], (code, year)


def test_the_former_tay_ninhs_districts_are_ranked_among_its_nine_not_long_ans_fifteen(seeded):
    former = AdministrativeUnit.objects.by_code_in_year(FORMER_TAY_NINH, 2023)
    nine = former.children.districts().reporting_in(2023)
    assert sorted(nine.values_list("code", flat=True)) == ["703", *map(str, range(705, 713))]
    ranks = dict(not_demo().filter(indicator__code=RANK, year=2023).values_list("unit__code", "value"))
    assert ranks["807"] == 1 and ranks["709"] == 1, "each old province has its own first place"
    assert set(ranks) - {"807"} <= set(nine.values_list("code", flat=True))
    # One ranking across both provinces would be broken: two first places.
    assert ranking_problems(ranks, size=24) != []


def test_the_new_province_code_80_holds_none_of_long_ans_figures(seeded):
    tay_ninh = AdministrativeUnit.objects.by_code("80")
    assert tay_ninh.valid_from == date(2025, 7, 1)
    assert not IndicatorValue.objects.filter(unit=tay_ninh).exists()


def test_seed_loads_the_province_figures_after_the_catalogue_and_sources_they_name():
    order = SEED_FIXTURES.index
    assert order("indicators") < order("province_values") and order("sources") < order("province_values")


def test_seeding_again_changes_no_province_figure_and_keeps_an_edited_one(seeded):
    returned = IndicatorValue.objects.get(indicator__code="par-index", unit__code="72", year=2019)
    returned.status, returned.review_comment = IndicatorValue.Status.RETURNED, "Xin bản gốc của bài."
    returned.save()
    before = list(real_figures().order_by("pk").values_list("pk", "value", "status", "quote", "note", "updated_at"))

    out = io.StringIO()
    call_command("seed", stdout=out)

    after = list(real_figures().order_by("pk").values_list("pk", "value", "status", "quote", "note", "updated_at"))
    assert after == before
    assert (
        "seed: kept indicators.indicatorvalue par-index/72/2019 as stored (differs from fixture in: status, "
        "review_comment)"
    ) in out.getvalue().splitlines()
    assert out.getvalue().splitlines()[-1].startswith("seed: 0 rows added,")
