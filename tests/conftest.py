"""Shared fixtures. The seed fixtures are the real article figures; demo data is generated on top."""

import io
import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction

from indicators.models import PROVINCIAL_STAFF_GROUP, UNIT_ADMIN_GROUP, Indicator
from tests.factories import COMMUNE_A, COMMUNE_B, UNIT_A, UNIT_B, make_user

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


# --- The database: seed plus demo data, built once per run ----------------------------------------
# Every test runs in a transaction rolled back afterwards, so it starts from a committed state: the
# seed plus demo data ("demo"), or the seed alone ("seeded", for tests that ask for `seeded` and not
# `demo_seeded`). Both are built once, kept as snapshots (tests/db_snapshot.py) and restored before a
# test that needs the other one (and `units_in_force`'s state, tests/views/conftest.py, made once on
# first need), or after a transactional test (transaction=True, live_server, the
# browser tests), which commits and is flushed. A restore takes 8 ms on SQLite and 0.5 s on
# PostgreSQL, where rebuilding took 3 s and 6 s (seed + demo_data, 68 times a run on SQLite with the
# browser tests), and deleting the demo values in each `seeded` test 50 ms on SQLite (715 tests).
DEMO, SEEDED, UNITS_IN_FORCE = "demo", "seeded", "units_in_force"
_SESSION: dict = {}


def _make_units_in_force() -> None:
    from tests.views.units_data import ensure_units_in_force_figures

    with transaction.atomic():
        ensure_units_in_force_figures()


# States made from the demo state the first time a test needs one, then restored like the others;
# each is named after the fixture that asks for it. units_in_force deletes 3,936 demo values through
# the ORM (a history row each): 4 s of CPU in each of its 205 tests.
_MADE_FROM_DEMO = {UNITS_IN_FORCE: _make_units_in_force}


def _build_site_data() -> None:
    """What `make run` loads: the seed fixtures, then the deterministic demo data."""
    call_command("seed", verbosity=0)
    call_command("demo_data", stdout=io.StringIO())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from tests.db_snapshot import Snapshot

    with django_db_blocker.unblock():
        _SESSION["migrated"] = _rows_made_by_migrations()
        _build_site_data()
        _SESSION["snapshots"] = {DEMO: Snapshot()}
        if connection.vendor == "sqlite":
            # Only where a restore is cheaper than the DELETE: SQLite restores in 8 ms and deletes
            # in 50; PostgreSQL restores the demo values in 0.5 s (COPY and its indexes) and deletes
            # them in 11 ms, so there a `seeded` test deletes them in its own transaction.
            remove_demo_data()  # committed: the state a `seeded` test starts from
            _SESSION["snapshots"][SEEDED] = Snapshot()
            _SESSION["snapshots"][DEMO].restore()
        _SESSION["state"] = DEMO
    _SESSION["blocker"] = django_db_blocker


def _rows_made_by_migrations() -> str:
    """The rows the data migrations write (role groups, the data-version row): a flush removes them
    and, unlike content types and permissions, nothing recreates them."""
    from django.apps import apps
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType
    from django.core import serializers

    objects = []
    for model in apps.get_models():
        if model not in (ContentType, Permission):
            objects.extend(model._default_manager.order_by("pk"))
    return serializers.serialize("json", objects, use_natural_foreign_keys=True)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        or (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences") or marker.args))
    )


def _state_needed(item) -> str | None:
    """The committed state a test starts from, read from the fixtures it asks for (None: no database)."""
    names = set(getattr(item, "fixturenames", ()))
    if UNITS_IN_FORCE in names:
        return UNITS_IN_FORCE
    if "seeded" in names and "demo_seeded" not in names:
        return SEEDED
    if names & {"db", "transactional_db", "django_db_setup"} or item.get_closest_marker("django_db"):
        return DEMO
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    """Before the test's fixtures open its transaction, restore the state it starts from if the
    database holds another one."""
    state, blocker = _state_needed(item), _SESSION.get("blocker")
    if state == SEEDED and SEEDED not in _SESSION.get("snapshots", {}):
        state = DEMO  # the `seeded` fixture deletes the demo values
    if state and blocker and _SESSION.get("state") != state:
        with blocker.unblock():
            # Inside a module's own outer transaction (test_query_counts.py) nothing is restored:
            # the `seeded` fixture then deletes the demo values in the test's transaction.
            if not connection.in_atomic_block:
                _bring_database_to(state)
    yield


def _bring_database_to(state: str) -> None:
    from tests.db_snapshot import Snapshot

    snapshots, current = _SESSION["snapshots"], _SESSION["state"]
    _SESSION["state"] = None  # unknown until the restore or the making has succeeded
    if state in snapshots:
        snapshots[state].restore()
    else:
        if current != DEMO:
            snapshots[DEMO].restore()
        _MADE_FROM_DEMO[state]()
        snapshots[state] = Snapshot()
    _SESSION["state"] = state


@pytest.fixture
def database_state() -> str | None:
    """The committed state this test started from (DEMO, SEEDED, UNITS_IN_FORCE; None: unknown), for
    fixtures that make their data in the test's transaction when it is not there already."""
    return _SESSION.get("state")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test committed and was flushed: the next test's setup restores its state."""
    yield
    if _is_transactional(item):
        _SESSION["state"] = None


def _restore_rows_made_by_migrations() -> None:
    from django.core import serializers

    for obj in serializers.deserialize("json", _SESSION["migrated"], handle_forward_references=True):
        obj.save()


@pytest.fixture
def migrated_db(db):
    """The database as `migrate` leaves it, without the seed or demo data: emptied and given back the
    data migrations' rows inside the test's transaction, which rolls it all back afterwards."""
    from django.contrib.contenttypes.models import ContentType

    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    _restore_rows_made_by_migrations()
    yield
    ContentType.objects.clear_cache()  # the flush gave content types new ids, which the rollback undoes


@pytest.fixture
def seeded(db, request):
    """Reference data and the article's figures, loaded as `make run` loads them, without demo data
    (unless the test also asks for `demo_seeded`): restored from a snapshot before the test, or, where
    that could not happen, the demo values are removed in the test's transaction."""
    if "demo_seeded" not in request.fixturenames and _SESSION.get("state") != SEEDED:
        remove_demo_data()


@pytest.fixture
def demo_seeded(seeded):
    """The seed plus deterministic demo data, made as `make run` makes them: the 24 districts of Long An
    and the former Tây Ninh for 2019-2024, and the new Tây Ninh's 96 communes for 2025-2026."""
    if _SESSION.get("state") == SEEDED:
        # Only when a module's outer transaction kept the setup from restoring the demo snapshot.
        pytest.fail("the database holds the seed without demo data and no snapshot could be restored here")


def remove_demo_data() -> None:
    """Delete the demo values and their source in one statement each: they have no history rows and
    nothing else refers to them."""
    from indicators.models import IndicatorValue, Source

    demo = list(Source.objects.filter(kind=Source.Kind.SYNTHETIC_DEMO).values_list("pk", flat=True))
    if not demo:
        return
    marks = ", ".join(["%s"] * len(demo))
    value_source = IndicatorValue._meta.get_field("source").column
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {IndicatorValue._meta.db_table} WHERE {value_source} IN ({marks})", demo)  # noqa: S608
        cursor.execute(f"DELETE FROM {Source._meta.db_table} WHERE {Source._meta.pk.column} IN ({marks})", demo)  # noqa: S608


# --- Roles: one user per role of the authorisation matrix and the browser journeys --------------
# Roles are the Django groups named in DESIGN.md. A enters Tân Trụ's figures (805), B Cần Giuộc's (807);
# the commune admins Xã Cần Giuộc's (28159) and Xã Phước Lý's (28165).


@pytest.fixture
def admin_a(seeded):
    return make_user("tantru", group=UNIT_ADMIN_GROUP, units=[UNIT_A])


@pytest.fixture
def admin_b(seeded):
    return make_user("cangiuoc", group=UNIT_ADMIN_GROUP, units=[UNIT_B])


@pytest.fixture
def commune_admin(seeded):
    return make_user("xacangiuoc", group=UNIT_ADMIN_GROUP, units=[COMMUNE_A])


@pytest.fixture
def commune_admin_b(seeded):
    return make_user("phuocly", group=UNIT_ADMIN_GROUP, units=[COMMUNE_B])


@pytest.fixture
def staff(seeded):
    return make_user("sonoivu", group=PROVINCIAL_STAFF_GROUP)


@pytest.fixture
def superuser(seeded):
    return make_user("root", is_superuser=True, is_staff=True)


@pytest.fixture
def client_a(client, admin_a):
    """The test client, signed in as district admin A."""
    client.force_login(admin_a)
    return client


@pytest.fixture
def users(admin_a, admin_b, staff, superuser):
    """Every role of the authorisation matrix; None is the anonymous visitor."""
    return {"anonymous": None, "admin_a": admin_a, "admin_b": admin_b, "staff": staff, "superuser": superuser}


@pytest.fixture
def matrix_data(users):
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
        user=users["admin_a"],
        filename="a.csv",
        file_format="csv",
        content=b"unit_code,indicator_code,year,value\n805,sipas,2024,90\n",
        row_count=1,
    )
    from indicators.models import LayoutImport

    LayoutImport.objects.create(
        value_import=ValueImport.objects.create(
            user=users["admin_a"],
            filename="cbcc.csv",
            file_format="csv",
            content="Đơn vị,Số hồ sơ đã tạo lập,Số hồ sơ đã đồng bộ\nHuyện Tân Trụ,50,45\n".encode(),
            row_count=1,
        ),
        layout="ho-so-cbcc",
        year=2024,
        status_written="draft",
    )
    AccessAttempt.objects.create(**access, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.create(**access)
    AccessFailureLog.objects.create(**access)
    from tests.index_process.matrix import index_matrix_data

    index_matrix_data(users)  # the CCHC index process's published year
    return users
