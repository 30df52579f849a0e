"""The demo generator: deterministic, internally consistent, and never over a real figure."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command

from indicators.domain import demo, roles
from indicators.models import IndicatorValue, Source

ONLINE_RANGE = (25, 92)
SPECS = [
    demo.IndicatorSpec("ho-so-tiep-nhan", "count", 0, Decimal(0), role=roles.RECEIVED),
    demo.IndicatorSpec("ho-so-tre-han", "count", 0, Decimal(0), role=roles.OVERDUE),
    demo.IndicatorSpec("ho-so-dung-han", "percent", 1, Decimal(0), Decimal(100), role=roles.ON_TIME_SHARE),
    demo.IndicatorSpec(
        "ho-so-truc-tuyen",
        "percent",
        1,
        Decimal(0),
        Decimal(100),
        demo_profile=demo.GROWING_SHARE,
        demo_range=ONLINE_RANGE,
    ),
]
# What a province reports as one figure after 2025: the shares, the on-time share and the Decision 766 score.
SUCCESSOR_CODES = {
    *("ho-so-truc-tuyen", "thanh-toan-truc-tuyen", "dvc-truc-tuyen-toan-trinh", "ho-so-so-hoa", "van-ban-dien-tu"),
    *("ho-so-cbcc-dong-bo", "van-ban-qppl-ra-soat", "sap-xep-bo-may", "cbcc-dung-vi-tri", "giai-ngan-dau-tu-cong"),
    *("don-vi-tu-chu", "hoan-thanh-ke-hoach-cchc", "sipas", "ho-so-dung-han", "diem-qd-766"),
}


def figures(seed):
    return list(demo.district_figures(seed=seed, unit_code="807", years=range(2019, 2025), indicators=SPECS))


def test_same_seed_gives_the_same_figures_and_another_seed_does_not():
    assert figures(7) == figures(7)
    assert figures(7) != figures(8)


def test_overdue_never_exceeds_received_and_any_overdue_means_below_100_percent_on_time():
    for seed in range(40):
        by_year = defaultdict(dict)
        for f in figures(seed):
            by_year[f.year][f.indicator_code] = f.value
        for values in by_year.values():
            assert values["ho-so-tre-han"] <= values["ho-so-tiep-nhan"]
            if values["ho-so-tre-han"] > 0:
                assert values["ho-so-dung-han"] < 100
            assert 0 <= values["ho-so-truc-tuyen"] <= 100


def test_ranks_are_a_permutation_and_keep_a_known_rank():
    scores = {"a": Decimal(80), "b": Decimal(90), "c": Decimal(70), "d": Decimal(85)}
    assert demo.province_ranks(scores=scores) == {"b": 1, "d": 2, "a": 3, "c": 4}
    ranks = demo.province_ranks(scores=scores, fixed_ranks={"c": 1})
    assert ranks["c"] == 1
    assert sorted(ranks.values()) == [1, 2, 3, 4]


def test_demo_data_never_replaces_the_article_figures(demo_seeded):
    online = IndicatorValue.objects.get(indicator__code="ho-so-truc-tuyen", unit__code="807", year=2023)
    assert (online.value, online.qualifier, online.source.kind) == (Decimal(95), "approximately", "news_article")
    rank = IndicatorValue.objects.get(indicator__code="xep-hang-chi-so-cchc", unit__code="807", year=2023)
    assert rank.value == 1 and rank.source.kind == "news_article"


def test_demo_ranks_are_a_permutation_per_year_around_the_real_first_place(demo_seeded):
    for year in range(2019, 2025):
        ranks = IndicatorValue.objects.filter(indicator__code="xep-hang-chi-so-cchc", year=year)
        assert sorted(int(r.value) for r in ranks) == list(range(1, 16)), year
    # The best demo index score in 2023 goes with the real first place.
    scores = IndicatorValue.objects.filter(indicator__code="diem-chi-so-cchc", year=2023).order_by("-value")
    assert scores.first().unit.code == "807"


def test_demo_command_fills_every_district_year_and_indicator_and_a_second_run_changes_nothing(seeded):
    call_command("demo_data", verbosity=0)
    count = IndicatorValue.objects.filter(unit__level="district").count()
    assert count == 15 * 6 * 24  # every district, 2019-2024, every indicator; the 7 real figures included
    demo_values = IndicatorValue.objects.filter(source__kind=Source.Kind.SYNTHETIC_DEMO, unit__level="district")
    assert demo_values.count() == count - 7
    # The new Tây Ninh, for 2025 only, and only for what a province can report as one figure.
    successor = IndicatorValue.objects.exclude(unit__level="district")
    assert set(successor.values_list("unit__code", "year")) == {("TN2025", 2025)}
    assert set(successor.values_list("indicator__code", flat=True)) == SUCCESSOR_CODES
    assert not successor.exclude(source__kind=Source.Kind.SYNTHETIC_DEMO).exists()
    before = list(IndicatorValue.objects.order_by("pk").values_list("pk", "value", "updated_at"))
    call_command("demo_data", verbosity=0)
    assert list(IndicatorValue.objects.order_by("pk").values_list("pk", "value", "updated_at")) == before


@pytest.mark.parametrize("seed", [1, 2])
def test_demo_command_is_deterministic_for_a_seed(seeded, seed):
    call_command("demo_data", seed=seed, verbosity=0)
    first = sorted(IndicatorValue.objects.demo().values_list("indicator__code", "unit__code", "year", "value"))
    IndicatorValue.objects.demo().delete()
    call_command("demo_data", seed=seed, verbosity=0)
    assert sorted(IndicatorValue.objects.demo().values_list("indicator__code", "unit__code", "year", "value")) == first


def test_successor_figures_are_deterministic_bounded_and_only_what_a_province_reports():
    specs = [*SPECS, demo.IndicatorSpec("xep-hang-chi-so-cchc", "rank", 0, Decimal(1), role=roles.INDEX_RANK)]
    first = list(demo.successor_figures(seed=3, unit_code="TN2025", years=[2025, 2026], indicators=specs))
    assert first == list(demo.successor_figures(seed=3, unit_code="TN2025", years=[2025, 2026], indicators=specs))
    # Counts are sums of communes and ranks are a district index: neither is made up for a province.
    assert {f.indicator_code for f in first} == {"ho-so-dung-han", "ho-so-truc-tuyen"}
    assert all(0 <= f.value <= 100 for f in first)
    online = {f.year: f.value for f in first if f.indicator_code == "ho-so-truc-tuyen"}
    assert online[2025] >= ONLINE_RANGE[1] - 4  # continues the districts' trend


def test_successor_demo_values_never_replace_a_real_figure(demo_seeded):
    from indicators.models import AdministrativeUnit, Indicator
    from indicators.services import demo as demo_services

    real = IndicatorValue.objects.get(unit__code="TN2025", indicator__code="ho-so-truc-tuyen", year=2025)
    real.value, real.source = Decimal("88.8"), Source.objects.get(code="bao-long-an-mot-cua-2024")
    real.save()
    result = demo_services.generate_successor_demo_values(
        seed=2024, predecessors=list(AdministrativeUnit.objects.districts()), indicators=list(Indicator.objects.all())
    )
    assert result.created == 0
    real.refresh_from_db()
    assert real.value == Decimal("88.8") and real.source.kind == Source.Kind.NEWS_ARTICLE
