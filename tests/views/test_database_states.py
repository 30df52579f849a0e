"""The units_in_force state is made once, restored before each test that asks for it, and the demo
state comes back after it (tests/conftest.py)."""

from indicators.models import IndicatorValue


def test_units_in_force_has_no_figure_after_2025(units_in_force):
    assert not IndicatorValue.objects.filter(year__gt=2025).exists()
    assert IndicatorValue.objects.demo().filter(year=2025, unit__level="commune").exists()


def test_a_demo_test_after_it_has_the_2026_demo_values_back(demo_seeded):
    assert IndicatorValue.objects.demo().filter(year=2026).exists()


def test_units_in_force_again_after_the_demo_state(units_in_force):
    assert not IndicatorValue.objects.filter(year__gt=2025).exists()
