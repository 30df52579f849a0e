"""The database the tests start from: seed plus demo data built once per run (tests/conftest.py).

Each test runs in a transaction rolled back afterwards; a transactional test commits, is flushed,
and the state the next test starts from is restored from a snapshot before it.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection

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
    # Committed: only the flush and the restore bring them back. One statement: the ORM's delete()
    # would also write a history row per value (20 s here), which this test is not about.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {IndicatorValue._meta.db_table}")  # noqa: S608
    Group.objects.all().delete()


def test_a_seeded_test_after_a_transactional_one_starts_from_the_seed_alone(seeded):
    """The transactional tests above deleted everything and were flushed; the seed comes back whole."""
    assert not IndicatorValue.objects.demo().exists()
    assert IndicatorValue.objects.filter(unit__code="807", year=2023, indicator__code="ho-so-truc-tuyen").exists()
    assert {UNIT_ADMIN_GROUP, PROVINCIAL_STAFF_GROUP} <= set(Group.objects.values_list("name", flat=True))
    assert DataVersion.objects.filter(pk=1).exists()


def test_a_demo_test_after_a_seeded_one_has_the_demo_data_back(demo_seeded):
    assert IndicatorValue.objects.demo().filter(unit__code="807", year=2020).exists()
