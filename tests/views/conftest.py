"""Fixtures of the public pages' tests."""

import pytest

from tests.views.units_data import ensure_units_in_force_figures


@pytest.fixture
def units_in_force(demo_seeded):
    """The seed and demo data with figures for every district 2019–2024 and every commune for 2025,
    none later (tests/views/units_data.py), in the test's transaction."""
    ensure_units_in_force_figures()
