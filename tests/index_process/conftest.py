"""Fixtures of the index-process tests: evidence stored in a folder of the test's own, and the people
of one commune year (two commune admins, one district admin, provincial staff), each with an address."""

import pytest

from indicators.models import DISTRICT_ADMIN_GROUP, PROVINCIAL_STAFF_GROUP
from tests.factories import UNIT_A, make_user
from tests.index_process.helpers import COMMUNE_A, COMMUNE_B, shipped_set


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded evidence goes to a folder of this test's; nothing is left under var/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def index_staff(seeded):
    return make_user("sonoivu-cs", group=PROVINCIAL_STAFF_GROUP, email="sonoivu@example.vn")


@pytest.fixture
def commune_admin(seeded):
    """The admin of Xã Cần Giuộc (28159)."""
    return make_user("xacangiuoc", group=DISTRICT_ADMIN_GROUP, units=[COMMUNE_A], email="cangiuoc@example.vn")


@pytest.fixture
def other_commune_admin(seeded):
    """The admin of Xã Phước Lý (28165), who must never see Cần Giuộc's assessment."""
    return make_user("xaphuocly", group=DISTRICT_ADMIN_GROUP, units=[COMMUNE_B], email="phuocly@example.vn")


@pytest.fixture
def district_admin(seeded):
    """Tân Trụ's admin (805): a district, assessed by the 2024 district sets only."""
    return make_user("tantru-cs", group=DISTRICT_ADMIN_GROUP, units=[UNIT_A], email="tantru@example.vn")


@pytest.fixture
def commune_set(seeded):
    """The shipped sample set: Tây Ninh's communes, 2025."""
    return shipped_set()


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on loopback; Django's SMTP backend sends to it, as in production."""
    from tests.index_process import smtp

    controller, collector = smtp.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "cchc@tayninh.example.vn"
    yield collector
    controller.stop()
