"""The demo generator: deterministic, internally consistent, and never over a real figure."""

from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command

from indicators.domain import demo, roles
from indicators.models import Indicator, IndicatorValue, Source
from tests.conftest import remove_demo_data

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


def test_demo_ranks_are_a_permutation_per_old_province_and_year_around_the_real_first_place(demo_seeded):
    for year in range(2019, 2025):
        ranks = IndicatorValue.objects.filter(indicator__code="xep-hang-chi-so-cchc", year=year)
        by_province = defaultdict(list)
        for parent, value in ranks.values_list("unit__parent__name", "value"):
            by_province[parent].append(int(value))
        # Long An's 15 districts and the former Tây Ninh's 9 are each ranked among themselves.
        assert {p: sorted(r) for p, r in by_province.items()} == {
            "Tỉnh Long An": list(range(1, 16)),
            "Tỉnh Tây Ninh": list(range(1, 10)),
        }, year
    # The best demo index score of Long An in 2023 goes with the real first place.
    scores = IndicatorValue.objects.filter(indicator__code="diem-chi-so-cchc", year=2023, unit__parent__code="80")
    assert scores.order_by("-value").first().unit.code == "807"
    assert not IndicatorValue.objects.filter(indicator__role__in=["index_score", "index_rank"], year__gte=2025).exists()


def test_demo_command_fills_each_unit_for_its_own_years_and_level_and_a_second_run_changes_nothing(seeded):
    districts = IndicatorValue.objects.filter(unit__level="district")
    real = set(districts.values_list("pk", "value"))  # the article's and the former Tây Ninh's published ones
    call_command("demo_data", verbosity=0)
    drawn = Indicator.objects.exclude(demo_profile=Indicator.DemoProfile.NONE)  # published results only
    indicators = {level: drawn.for_level(level).count() for level in ("district", "commune")}
    # The district index is a district's: no commune has its score or rank.
    assert not Indicator.objects.for_level("commune").filter(role__in=["index_score", "index_rank"]).exists()
    # The 24 districts of Long An and the former Tây Ninh, 2019-2024, every district indicator; the
    # real figures among them, never replaced.
    assert districts.count() == 24 * 6 * indicators["district"]
    assert set(districts.values_list("year", flat=True)) == set(range(2019, 2025))
    assert set(districts.exclude(source__kind=Source.Kind.SYNTHETIC_DEMO).values_list("pk", "value")) == real
    assert len(real) >= 7
    # The new Tây Ninh's 96 communes, 2025 and 2026, and only the indicators a commune reports.
    communes = IndicatorValue.objects.filter(unit__level="commune")
    assert communes.count() == 96 * 2 * indicators["commune"]
    assert set(communes.values_list("year", flat=True)) == {2025, 2026}
    assert not communes.exclude(indicator__applies_to_commune=True).exists()
    assert not communes.exclude(source__kind=Source.Kind.SYNTHETIC_DEMO).exists()
    # A province row is not a commune: no demo figure for any province.
    assert not IndicatorValue.objects.filter(unit__level="province").demo().exists()
    assert IndicatorValue.objects.filter(unit__level="province").exists()  # the published ones are there
    before = list(IndicatorValue.objects.order_by("pk").values_list("pk", "value", "updated_at"))
    call_command("demo_data", verbosity=0)
    assert list(IndicatorValue.objects.order_by("pk").values_list("pk", "value", "updated_at")) == before


@pytest.mark.parametrize("seed", [1, 2])
def test_demo_command_is_deterministic_for_a_seed(seeded, seed):
    call_command("demo_data", seed=seed, verbosity=0)
    first = sorted(IndicatorValue.objects.demo().values_list("indicator__code", "unit__code", "year", "value"))
    remove_demo_data()  # in one statement: a model delete writes a history row for each of 14,000 values
    call_command("demo_data", seed=seed, verbosity=0)
    assert sorted(IndicatorValue.objects.demo().values_list("indicator__code", "unit__code", "year", "value")) == first


def test_commune_figures_are_deterministic_consistent_and_continue_the_districts_trend():
    first = list(demo.commune_figures(seed=3, unit_code="28159", years=[2025, 2026], indicators=SPECS))
    assert first == list(demo.commune_figures(seed=3, unit_code="28159", years=[2025, 2026], indicators=SPECS))
    for seed in range(40):
        by_year = defaultdict(dict)
        for f in demo.commune_figures(seed=seed, unit_code="28159", years=[2025, 2026], indicators=SPECS):
            by_year[f.year][f.indicator_code] = f.value
        for values in by_year.values():
            assert values["ho-so-tre-han"] <= values["ho-so-tiep-nhan"]
            if values["ho-so-tre-han"] > 0:
                assert values["ho-so-dung-han"] < 100
            assert ONLINE_RANGE[1] - 10 <= values["ho-so-truc-tuyen"] <= 100  # on from the districts' 2024
    # A commune is smaller than a district: its dossiers are about a quarter of a district's.
    district = {f.year: f.value for f in figures(3) if f.indicator_code == "ho-so-tiep-nhan"}
    communes = [
        f.value
        for code in ("28159", "28165", "28177", "28201", "28207")
        for f in demo.commune_figures(seed=3, unit_code=code, years=[2025], indicators=SPECS)
        if f.indicator_code == "ho-so-tiep-nhan"
    ]
    assert max(communes) < district[2024]


def test_demo_values_never_replace_a_figure_a_commune_entered(frozen_today, seeded, commune_admin):
    from tests.factories import COMMUNE_A, submit

    submit(commune_admin, COMMUNE_A, 2026, {"sipas": 77})
    call_command("demo_data", verbosity=0)
    real = IndicatorValue.objects.get(unit__code=COMMUNE_A, indicator__code="sipas", year=2026)
    assert real.value == 77 and real.status == "submitted" and not real.is_demo
    assert IndicatorValue.objects.get(unit__code=COMMUNE_A, indicator__code="sipas", year=2025).is_demo


def test_demo_ranks_keep_stored_scores_and_ranks_and_stay_a_permutation(seeded):
    """A province's published index results loaded before the demo (as `make run` loads them) keep
    their places: the demo ranks the other districts around them, by the stored scores where known."""
    from indicators.models import AdministrativeUnit

    source = Source.objects.get(code="bao-long-an-mot-cua-2024")
    score, rank = Indicator.objects.get(code="diem-chi-so-cchc"), Indicator.objects.get(code="xep-hang-chi-so-cchc")
    former = {u.code: u for u in AdministrativeUnit.objects.filter(parent__code="72", level="district")}
    assert len(former) == 9
    # Results of two of the former Tây Ninh's districts in 2020, a year the seed has none for: one with
    # its rank, one with its score only.
    assert not IndicatorValue.objects.filter(indicator__in=[score, rank], year=2020, unit__parent__code="72").exists()
    IndicatorValue.objects.create(
        indicator=rank, unit=former["709"], year=2020, value=2, source=source, status="approved"
    )
    IndicatorValue.objects.create(
        indicator=score, unit=former["703"], year=2020, value=99, source=source, status="approved"
    )
    call_command("demo_data", verbosity=0)
    ranks = dict(
        IndicatorValue.objects.filter(indicator=rank, year=2020, unit__parent__code="72").values_list(
            "unit__code", "value"
        )
    )
    assert sorted(int(v) for v in ranks.values()) == list(range(1, 10))
    assert ranks["709"] == 2 and ranks["703"] == 1  # the real rank kept, the real best score ranked first
    assert IndicatorValue.objects.get(indicator=score, unit=former["703"], year=2020).value == 99


def test_a_real_figure_the_fixtures_gain_later_replaces_the_demo_value_made_in_its_place(demo_seeded):
    """`make run` on an install whose demo data was made before the fixtures had a figure: seed puts
    the real figure where the demo one was, and the demo run after it leaves the real one alone."""
    from indicators.services.demo import demo_source

    real = IndicatorValue.objects.get(indicator__code="ho-so-truc-tuyen", unit__code="807", year=2023)
    IndicatorValue.objects.filter(pk=real.pk).update(value=Decimal("50.0"), qualifier="exact", source=demo_source())
    call_command("seed", verbosity=0)
    call_command("demo_data", verbosity=0)
    real.refresh_from_db()
    assert (real.value, real.qualifier, real.source.kind) == (Decimal(95), "approximately", "news_article")
    # A stored real figure that differs from its fixture is still kept as stored.
    IndicatorValue.objects.filter(pk=real.pk).update(value=Decimal("94.0"))
    call_command("seed", verbosity=0)
    real.refresh_from_db()
    assert real.value == Decimal("94.0")
