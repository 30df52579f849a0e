"""Shared fixtures. The seed fixtures are the real article figures; demo data is generated on top."""

import io
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection

from indicators.models import AdministrativeUnit, Indicator

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def pytest_report_header(config):
    """The clock the run sees: CI runs the suite again on awkward days under libfaketime."""
    from datetime import datetime

    return f"clock: {datetime.now(VIETNAM):%Y-%m-%d %H:%M %Z} in Vietnam"


def pytest_collection_modifyitems(config, items):
    """Run PostgreSQL-only tests only on PostgreSQL, and browser tests only where asked.

    In CI the suite runs twice (SQLite, then PostgreSQL): tests that cannot run in a pass are
    deselected there, not skipped, because any skip in CI fails the run.
    """
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
    e2e_off = os.environ.get("CCHC_E2E", "").lower() in ("0", "off", "no")
    keep, drop = [], []
    for item in items:
        wrong_db = item.get_closest_marker("postgres") and not on_postgres
        if (IN_CI and wrong_db) or (e2e_off and item.get_closest_marker("e2e")):
            drop.append(item)
        elif wrong_db:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://... (.ci/run does)"))
            keep.append(item)
        else:
            keep.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped test is a failure: CI provides every component the tests need."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped in CI, which must provide everything: {report.longrepr}"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty page cache (the cache is process memory, not the test database)."""
    cache.clear()
    yield
    cache.clear()


VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = datetime(2026, 12, 1, 10, 0, tzinfo=VIETNAM)


@pytest.fixture
def frozen_today(time_machine):
    """The clock stopped at 10:00 on 1 December 2026 in Vietnam, for results that depend on the day.

    List it first among a test's fixtures, so that the data they make is dated that day too.
    """
    time_machine.move_to(TODAY, tick=False)
    return TODAY


@pytest.fixture
def uncached_pages(settings):
    """Public pages rendered on every request, for query-count pins that must measure the page itself."""
    settings.CCHC_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def seeded(db):
    """Reference data and the article's figures, loaded as `make run` loads them."""
    call_command("seed", verbosity=0)


@pytest.fixture
def demo_seeded(seeded):
    """The seed plus deterministic demo data for Long An's 15 districts, 2019-2024, and for the new
    Tây Ninh that took over from them (2025), made as `make run` makes them."""
    call_command("demo_data", stdout=io.StringIO())


@pytest.fixture
def db_vendor():
    return connection.vendor


# --- Roles (issue 5): one user per role of the authorisation matrix and the browser journeys -------
ROLE_PASSWORD = "Mat-khau-thu-nghiem-2024!"  # passes the password validators


@pytest.fixture
def roles(seeded):
    """Anonymous aside, a user for each role: two district admins, provincial staff, a superuser.

    Roles are the Django groups named in DESIGN.md. Linking each district admin to their unit is
    issue 4's model; once it is merged, link A to Cần Giuộc (807) and B to Tân Trụ (805) here.
    """
    from django.contrib.auth.models import Group, User

    district, _ = Group.objects.get_or_create(name="District admin")
    provincial, _ = Group.objects.get_or_create(name="Provincial staff")
    users = {
        "district_admin_a": User.objects.create_user("huyen-a", "a@example.vn", ROLE_PASSWORD),
        "district_admin_b": User.objects.create_user("huyen-b", "b@example.vn", ROLE_PASSWORD),
        "provincial_staff": User.objects.create_user("so-noi-vu", "snv@example.vn", ROLE_PASSWORD),
        "superuser": User.objects.create_superuser("quan-tri", "admin@example.vn", ROLE_PASSWORD),
    }
    users["district_admin_a"].groups.add(district)
    users["district_admin_b"].groups.add(district)
    users["provincial_staff"].groups.add(provincial)
    from indicators.models import UnitAdminAssignment

    # A enters Tân Trụ's figures and B Cần Giuộc's, as in tests/test_permission_matrix.py.
    for role, code in (("district_admin_a", "805"), ("district_admin_b", "807")):
        UnitAdminAssignment.objects.create(user=users[role], unit=AdministrativeUnit.objects.get(code=code))
    return users


@pytest.fixture
def matrix_data(seeded, roles):
    """A row of every model that has admin pages, so each object URL points at something real."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from indicators.models import IndicatorValue, Source, Target

    value = IndicatorValue.objects.first()
    value.note = "sửa để có một dòng lịch sử"
    value.save()
    Target.objects.create(
        indicator=Indicator.objects.get(code="ho-so-truc-tuyen"), year=2025, value=80, source=Source.objects.first()
    )
    access = {
        "user_agent": "test",
        "ip_address": "203.0.113.9",
        "username": "x",
        "http_accept": "*/*",
        "path_info": "/",
    }
    from indicators.models import ValueImport

    ValueImport.objects.create(
        user=roles["district_admin_a"],
        filename="a.csv",
        file_format="csv",
        content=b"unit_code,indicator_code,year,value\n805,sipas,2024,90\n",
        row_count=1,
    )
    AccessAttempt.objects.create(**access, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**access)
    AccessFailureLog.objects.create(**access)
    return roles


# --- Users for the entry and review pages (issue 4) -------------------------------------------
# District admin A enters Tân Trụ's figures (805), B enters Cần Giuộc's (807).
UNIT_A, UNIT_B = "805", "807"


def _make_user(username, *, group=None, units=(), **extra):
    from django.contrib.auth.models import Group, User

    from indicators.models import UnitAdminAssignment

    user = User.objects.create_user(username=username, password="correct-horse-battery", **extra)
    if group:
        user.groups.add(Group.objects.get(name=group))
    for code in units:
        UnitAdminAssignment.objects.create(user=user, unit=AdministrativeUnit.objects.get(code=code))
    return user


@pytest.fixture
def admin_a(seeded):
    return _make_user("tantru", group="District admin", units=[UNIT_A])


@pytest.fixture
def admin_b(seeded):
    return _make_user("cangiuoc", group="District admin", units=[UNIT_B])


@pytest.fixture
def staff(seeded):
    return _make_user("sonoivu", group="Provincial staff")


@pytest.fixture
def superuser(seeded):
    return _make_user("root", is_superuser=True, is_staff=True)


@pytest.fixture
def users(admin_a, admin_b, staff, superuser):
    """Every role of the permission matrix; None is the anonymous visitor."""
    return {"anonymous": None, "admin_a": admin_a, "admin_b": admin_b, "staff": staff, "superuser": superuser}


@pytest.fixture
def matrix_objects(users):
    """A value and an upload belonging to district A (Tân Trụ, 805)."""
    from indicators.models import IndicatorValue, ValueImport

    value = IndicatorValue.objects.get(unit__code="805", year=2023, indicator__code="luot-nguoi-den-moi-ngay")
    upload = ValueImport.objects.create(
        user=users["admin_a"],
        filename="a.csv",
        file_format="csv",
        content=b"unit_code,indicator_code,year,value\n805,sipas,2024,90\n",
        row_count=1,
    )
    return {"value": value, "upload": upload}
