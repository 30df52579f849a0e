"""Faults only a real server shows: a killed import process, and 20 saves of the same figures at once.

PostgreSQL only (`@pytest.mark.postgres`; CI's second pass runs them), and transactional: the other
process and the other threads must see committed data, as on a live site.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from indicators.models import AdministrativeUnit, HistoryReason, Indicator, IndicatorValue, Source
from indicators.services import demo as demo_services
from indicators.services import entry as entry_services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]  # the seeded state is rebuilt after

ROOT = Path(__file__).resolve().parents[2]
HEADER = "unit_code,indicator_code,year,value,qualifier,source_code,quote,note\n"
APP_NAME = "cchc-crash-test-import"


def database_url_for_subprocess() -> str:
    """The test database (test_…, not the one in DATABASE_URL), with a name to find its session by."""
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"], safe="")
    host = s["HOST"] or "localhost"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{quote(s['NAME'], safe='')}?application_name={APP_NAME}"


def import_session():
    """(pid, has a transaction id, state, query) of the import's server session, or None."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_xid IS NOT NULL, state, left(query, 200) FROM pg_stat_activity"
            " WHERE application_name = %s AND datname = current_database()",
            [APP_NAME],
        )
        return cursor.fetchone()


def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.01):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = predicate()
        if found:
            return found
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {what}")


# --- a crashed import process ------------------------------------------------------------------------


@pytest.fixture
def big_csv(seeded, tmp_path):
    """Tens of thousands of valid rows: 200 synthetic districts × every district indicator that takes
    the values below (not the rank, not the Decision 766 groups with maxima under 60) × 10 years."""
    units = demo_services.ensure_synthetic_units(provinces=2, units_per_province=100, level="district")
    indicators = list(
        Indicator.objects.for_level("district")
        .exclude(unit_kind=Indicator.UnitKind.RANK)
        .exclude(max_value__lt=60)
        .values_list("code", "unit_kind")
    )
    path = tmp_path / "lon.csv"
    with path.open("w", encoding="utf-8") as out:
        out.write(HEADER)
        for unit in units:
            for code, kind in indicators:
                for year in range(2015, 2025):
                    # Counts and shares alike within bounds; the relations (overdue ≤ received, the
                    # on-time share) hold because every count is 40 and every share 60.
                    value = 60 if kind in ("percent", "score") else 40
                    out.write(f"{unit.code},{code},{year},{value},,,,\n")
    return path, len(units) * len(indicators) * 10


def stored_from_import():
    return {
        "values": IndicatorValue.objects.filter(unit__is_synthetic=True).count(),
        "history": IndicatorValue.history.filter(history_change_reason=HistoryReason.IMPORTED).count(),
        "import sources": Source.objects.filter(kind=Source.Kind.IMPORT).count(),
    }


def test_an_import_process_killed_mid_write_leaves_no_rows(big_csv):
    path, rows = big_csv
    assert stored_from_import() == {"values": 0, "history": 0, "import sources": 0}
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for_subprocess(),
        "DJANGO_SETTINGS_MODULE": "cchc_dashboard.settings.test",
        "PYTHONUNBUFFERED": "1",
    }
    process = subprocess.Popen(  # noqa: S603 - our own manage.py, with the interpreter running the tests
        [sys.executable, "manage.py", "import_values", str(path), "--no-progress", "--batch-size", "1000"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        # Mid-write: its transaction has a transaction id (it has written) and it is inserting values.
        def writing():
            session = import_session()
            if process.poll() is not None:
                pytest.fail(f"the import ended before it could be killed:\n{process.stdout.read().decode()[-2000:]}")
            return session if session and session[1] and "INSERT" in session[3].upper() else None

        pid, _xid, _state, query = wait_for(writing, timeout=120, what="the import's INSERTs")
        time.sleep(0.3)  # a few batches further in
        assert process.poll() is None, "the import finished before the kill: make the file bigger"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
    assert process.returncode == -signal.SIGKILL
    # The server notices the dead client, rolls its transaction back and ends the session.
    wait_for(lambda: import_session() is None, timeout=30, what=f"the killed import's session ({pid}) to end")
    assert stored_from_import() == {"values": 0, "history": 0, "import sources": 0}, f"killed during: {query!r}"
    assert rows >= 46_000  # big enough that the kill lands mid-write


# --- 20 concurrent saves of the same figures -------------------------------------------------------

THREADS = 20
ATTEMPTS = 3
FIGURES = ["sipas", "ho-so-so-hoa", "van-ban-dien-tu"]


def history_rows(unit, year):
    return list(
        IndicatorValue.history.filter(unit=unit, year=year, indicator__code__in=FIGURES)
        .order_by("history_id")
        .values_list("indicator__code", "version", "value", "history_change_reason")
    )


@pytest.mark.parametrize(
    "start",
    [
        "existing-drafts",
        "new-figures",  # save_unit_year locks the unit first, so first saves take turns
        "new-figures-source-exists",
    ],
)
def test_twenty_concurrent_saves_of_the_same_figures_lose_no_update(admin_a, start):
    """Each thread reads the figures' versions, waits for the others, saves; three times over.

    Every attempt lands or gets EditConflict; landed saves each moved every figure's version by one
    from the version they read (so no two landed on the same read: nothing overwritten unseen); the
    history has one row per figure per landed save; the final value is the last landed save's.
    """
    unit = AdministrativeUnit.objects.get(code="805")
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=FIGURES)}
    if start == "existing-drafts":
        entry_services.save_unit_year(
            user=admin_a,
            unit=unit,
            year=2024,
            figures=[entry_services.EntryFigure(indicator=i, value=Decimal(1)) for i in indicators.values()],
        )
    if start == "new-figures-source-exists":
        entry_services.unit_entry_source(unit)
    history_before = len(history_rows(unit, 2024))
    barrier = threading.Barrier(THREADS)
    outcomes: list[tuple[int, Decimal, dict, str]] = []  # (thread, value, versions read, outcome)
    lock = threading.Lock()

    def worker(index: int):
        try:
            for attempt in range(ATTEMPTS):
                read = dict(
                    IndicatorValue.objects.filter(unit=unit, year=2024, indicator__code__in=FIGURES).values_list(
                        "indicator__code", "version"
                    )
                )
                value = Decimal(index * ATTEMPTS + attempt + 10) / 2  # 5 to 39.5, unique per attempt
                figures = [
                    entry_services.EntryFigure(indicator=indicators[code], value=value, version=read.get(code, 0))
                    for code in FIGURES
                ]
                barrier.wait(timeout=60)
                try:
                    entry_services.save_unit_year(user=admin_a, unit=unit, year=2024, figures=figures)
                except entry_services.EditConflict:
                    outcome = "conflict"
                except Exception as error:  # any other failure is what the test reports
                    outcome = f"error: {type(error).__name__}: {error}"
                else:
                    outcome = "landed"
                with lock:
                    outcomes.append((index, value, read, outcome))
        except BaseException as error:
            barrier.abort()  # a thread that stops early must not leave the others waiting
            with lock:
                outcomes.append((index, None, {}, f"thread stopped: {type(error).__name__}: {error}"))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)

    unexpected = [o for o in outcomes if o[3] not in ("landed", "conflict")]
    assert not unexpected, unexpected[:5]
    assert len(outcomes) == THREADS * ATTEMPTS
    landed = [o for o in outcomes if o[3] == "landed"]
    assert landed, "no save landed at all"
    # A landed save read versions nobody else's landed save read: no update was lost.
    reads = [tuple(sorted(o[2].items())) for o in landed]
    assert len(set(reads)) == len(reads), "two saves landed on the same read versions: one overwrote the other"

    added = history_rows(unit, 2024)[history_before:]
    assert len(added) == len(landed) * len(FIGURES)
    assert {reason for *_rest, reason in added} == {HistoryReason.SAVED}
    final = {
        v.indicator.code: v for v in IndicatorValue.objects.filter(unit=unit, year=2024, indicator__code__in=FIGURES)
    }
    start_version = 1 if start == "existing-drafts" else 0
    for code in FIGURES:
        versions = [version for c, version, _value, _r in added if c == code]
        assert versions == list(range(start_version + 1, start_version + len(landed) + 1)), versions
        assert final[code].version == start_version + len(landed)
    landed_values = {o[1] for o in landed}
    last = [value for c, _version, value, _r in added if c == FIGURES[0]][-1]
    assert all(v.value == last for v in final.values()), "the figures of one save stay together"
    assert last in landed_values
