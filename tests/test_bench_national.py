"""The benchmark's national size (bench/national.py) and `load_units --all`, which it starts from."""

from collections import defaultdict
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bench import national
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, Source

LAI_CHAU = "12"  # left whole by the reform: 8 districts to 2024, 38 communes from 2025


def test_load_units_all_loads_the_34_provinces_and_a_second_run_changes_nothing(seeded):
    call_command("load_units", "--all", stdout=StringIO())
    units = AdministrativeUnit.objects
    assert units.communes().count() == 3321
    assert units.districts().count() == 696
    # 34 in force since 01/07/2025; 63 before, 11 of which the reform left whole (one unit throughout).
    assert units.filter(level="province").reporting_in(2025).count() == 34
    assert units.filter(level="province").reporting_in(2024).count() == 63
    assert units.filter(level="province").count() == 86
    out = StringIO()
    call_command("load_units", "--all", stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 34
    assert all("0 added, 0 updated" in line and "successions 0 added, 0 updated, 0 removed" in line for line in lines)


def test_load_units_takes_one_province_or_all_not_both(seeded):
    with pytest.raises(CommandError, match="not allowed with"):
        call_command("load_units", "--all", "--province", "80")


def test_the_national_demo_gives_each_unit_its_own_years_and_the_indicators_of_its_level(seeded):
    made = national.build(provinces=[LAI_CHAU], indicators=0)
    province = AdministrativeUnit.objects.by_code(LAI_CHAU)
    values = IndicatorValue.objects.filter(unit__parent=province)
    drawn = Indicator.objects.exclude(demo_profile=Indicator.DemoProfile.NONE)  # published results are never drawn
    districts = list(drawn.for_level("district"))
    communes = list(drawn.for_level("commune"))
    assert len(communes) < len(districts)  # the district index score and rank are not a commune's
    assert made["demo_values_created"] == values.count() == 8 * 6 * len(districts) + 38 * 2 * len(communes)
    years = defaultdict(set)
    for level, year in values.values_list("unit__level", "year").distinct():
        years[level].add(year)
    assert years == {"district": set(range(2019, 2025)), "commune": {2025, 2026}}
    assert not values.filter(unit__level="commune", indicator__applies_to_commune=False).exists()
    assert set(values.values_list("source__kind", flat=True)) == {Source.Kind.SYNTHETIC_DEMO}
    assert national.invalid_values() == {"outside_validity": 0, "indicator_not_for_level": 0}


def test_the_national_demo_ranks_the_districts_of_each_old_province_and_a_second_build_adds_nothing(seeded):
    national.build(provinces=[LAI_CHAU], indicators=0)
    ranks = defaultdict(list)
    for parent, year, rank in IndicatorValue.objects.filter(
        indicator__role=Indicator.Role.INDEX_RANK, unit__parent__code=LAI_CHAU
    ).values_list("unit__parent", "year", "value"):
        ranks[(parent, year)].append(int(rank))
    assert len(ranks) == 6
    assert all(sorted(found) == list(range(1, 9)) for found in ranks.values())
    assert national.build(provinces=[LAI_CHAU], indicators=0)["demo_values_created"] == 0
