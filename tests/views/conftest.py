"""Fixtures of the public pages' tests."""

import pytest

from tests.views.units_data import ensure_units_in_force_figures


@pytest.fixture
def units_in_force(demo_seeded, database_state):
    """The seed and demo data with figures for every district 2019–2024 and every commune for 2025,
    none later (tests/views/units_data.py): made once and restored from a snapshot before the test
    (tests/conftest.py), or else made in the test's transaction."""
    if database_state != "units_in_force":
        ensure_units_in_force_figures()
