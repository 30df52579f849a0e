"""The database the tests start from: seed plus demo data built once per run (tests/conftest.py).

Each test runs in a transaction rolled back afterwards; a transactional test commits, is flushed,
and the seeded state is rebuilt before the next test.
"""

import pytest
from django.contrib.auth.models import Group

from indicators.models import PROVINCIAL_STAFF_GROUP, UNIT_ADMIN_GROUP, DataVersion, Indicator, IndicatorValue


def test_seeded_is_the_seed_without_demo_data(seeded):
    assert Indicator.objects.exists()
    assert IndicatorValue.objects.filter(unit__code="807", year=2023, indicator__code="ho-so-truc-tuyen").exists()
    assert not IndicatorValue.objects.demo().exists()


def test_demo_seeded_adds_the_demo_data(demo_seeded):
    assert IndicatorValue.objects.demo().filter(unit__code="805", year=2019).exists()


def test_migrated_db_holds_only_what_the_migrations_write(migrated_db):
    assert not Indicator.objects.exists() and not IndicatorValue.objects.exists()
    assert {UNIT_ADMIN_GROUP, PROVINCIAL_STAFF_GROUP} <= set(Group.objects.values_list("name", flat=True))


@pytest.mark.parametrize("run", [1, 2])
def test_each_transactional_test_starts_from_the_seeded_state(transactional_db, run):
    """The second run follows the first, whose deletions were committed and then flushed."""
    assert IndicatorValue.objects.demo().exists() and Indicator.objects.exists()
    assert {UNIT_ADMIN_GROUP, PROVINCIAL_STAFF_GROUP} <= set(Group.objects.values_list("name", flat=True))
    assert DataVersion.objects.filter(pk=1).exists()
    IndicatorValue.objects.all().delete()  # committed: only the flush and the rebuild bring it back
    Group.objects.all().delete()
