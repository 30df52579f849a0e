"""Users and files for the importer tests: a commune admin of Xã Cần Giuộc (28159), provincial staff,
and the sample files of tests/importers/samples/ (made by make_samples.py from the published columns)."""

from pathlib import Path

import pytest

from indicators.models import DISTRICT_ADMIN_GROUP, PROVINCIAL_STAFF_GROUP
from tests.factories import make_user

SAMPLES = Path(__file__).resolve().parent / "samples"
CAN_GIUOC = "28159"  # Xã Cần Giuộc, from 01/07/2025


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


@pytest.fixture
def commune_admin(seeded):
    return make_user("xacangiuoc", group=DISTRICT_ADMIN_GROUP, units=[CAN_GIUOC])


@pytest.fixture
def province_staff(seeded):
    return make_user("sonoivu766", group=PROVINCIAL_STAFF_GROUP)
