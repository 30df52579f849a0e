"""Nothing is half-written: an import or a multi-figure save that fails part-way leaves no trace.

Each test makes the write fail after some rows have already gone to the database, in one of two ways:
- at the SQL level: `connection.execute_wrapper` lets the first N-1 INSERT/UPDATE/DELETE statements on
  the value or history tables through and raises a database error on the Nth (disk full, a dropped
  connection, a deadlock: anything the database can throw mid-transaction);
- at the Python level: a function called once per figure or per batch (full_clean, the command's
  progress callback) raises on its Nth call, including KeyboardInterrupt, an operator's Ctrl-C.

Then no value row, no history row, no source row created for the import and no "applied" mark may be
left. Every test asserts that the fault really fired part-way (some writes went through before it), so
a change of the write path that moves the fault point fails here instead of passing vacuously.

These run on SQLite and PostgreSQL alike (both CI passes).
"""

from __future__ import annotations

import contextlib
import io
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test import Client
from django.urls import reverse

from indicators.management.commands import import_values
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, Source, ValueImport
from indicators.services import bulk_write
from indicators.services import entry as entry_services

HEADER = "unit_code,indicator_code,year,value,qualifier,source_code,quote,note\n"
# Shares with no cross-field relation between them, none with a seed value for Tân Trụ (805).
SHARES = [
    "van-ban-qppl-ra-soat",
    "ho-so-so-hoa",
    "sap-xep-bo-may",
    "cbcc-dung-vi-tri",
    "giai-ngan-dau-tu-cong",
    "don-vi-tu-chu",
    "dvc-truc-tuyen-toan-trinh",
    "van-ban-dien-tu",
]
YEARS = range(2019, 2025)
VALUE_TABLES = (IndicatorValue._meta.db_table, IndicatorValue.history.model._meta.db_table)
WRITE = re.compile(r"^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[\"`]?(\w+)", re.IGNORECASE)


def state():
    """Everything a half-finished write could leave behind, in a comparable form."""
    return {
        "values": sorted(
            IndicatorValue.objects.values_list("pk", "indicator_id", "unit_id", "year", "value", "status", "version")
        ),
        "history": sorted(IndicatorValue.history.values_list("history_id", "id", "value", "history_type")),
        "sources": sorted(Source.objects.values_list("pk", "code")),
        "applied": sorted(ValueImport.objects.values_list("pk", "applied_at")),
    }


class FailOnNthWrite:
    """An execute wrapper: the Nth write statement on the value or history tables raises a DatabaseError."""

    def __init__(self, n: int):
        self.n = n
        self.writes = 0
        self.fired = False

    def __call__(self, execute, sql, params, many, context):
        match = WRITE.match(sql)
        if match and match.group(2).lower() in VALUE_TABLES:
            self.writes += 1
            if self.writes == self.n:
                self.fired = True
                raise DatabaseError("simulated failure mid-transaction (e.g. disk full)")
        return execute(sql, params, many, context)

    def copy(self, writer, table, columns, rows):
        """The same count for PostgreSQL's COPY, which the import uses and execute_wrapper cannot see."""
        if table in VALUE_TABLES or table == "import_update":  # import_update: the values' UPDATE ... FROM
            self.writes += 1
            if self.writes == self.n:
                self.fired = True
                raise DatabaseError("simulated failure mid-transaction (e.g. disk full)")
        return REAL_COPY(writer, table, columns, rows)


REAL_COPY = bulk_write.BulkWriter._copy


@contextlib.contextmanager
def failing_writes(fault: FailOnNthWrite):
    """Count (and fail) writes to the value and history tables, by SQL statement or by COPY."""
    with (
        connection.execute_wrapper(fault),
        mock.patch.object(bulk_write.BulkWriter, "_copy", autospec=True, side_effect=fault.copy),
    ):
        yield


class FailOnNthCall:
    """A side effect for mock.patch: calls the real function N-1 times, then raises."""

    def __init__(self, real, n: int, error: BaseException):
        self.real, self.n, self.error = real, n, error
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls == self.n:
            raise self.error
        return self.real(*args, **kwargs)


@pytest.fixture
def tan_tru(seeded):
    return AdministrativeUnit.objects.get(code="805")


@pytest.fixture
def existing_drafts(admin_a, tan_tru):
    """Drafts for the first half of the shares in 2023-2024, so a write has updates as well as inserts."""
    for year in (2023, 2024):
        entry_services.save_unit_year(
            user=admin_a,
            unit=tan_tru,
            year=year,
            figures=[
                entry_services.EntryFigure(indicator=Indicator.objects.get(code=c), value=Decimal(50))
                for c in SHARES[:4]
            ],
        )
    return IndicatorValue.objects.filter(unit=tan_tru, year__in=(2023, 2024)).count()


def import_file() -> bytes:
    """48 rows for Tân Trụ: 8 of them update the existing drafts, 40 are new."""
    rows = "".join(f"805,{code},{year},{70 + i % 20},,,,\n" for i, (code, year) in enumerate(_keys()))
    return (HEADER + rows).encode()


def _keys():
    return [(code, year) for code in SHARES for year in YEARS]


# --- the upload's confirm step ---------------------------------------------------------------------


def stage(client) -> ValueImport:
    file = io.BytesIO(import_file())
    file.name = "so-lieu.csv"
    response = client.post(reverse("entry:import"), {"file": file})
    assert response.status_code == 302, response.content.decode()[:2000]
    return ValueImport.objects.latest("pk")


@pytest.mark.parametrize("n", [1, 2, 3, 4], ids=["first-update", "its-history", "first-insert", "its-history"])
def test_import_confirm_interrupted_by_a_database_error_writes_nothing(admin_a, existing_drafts, n):
    client = Client(raise_request_exception=False)
    client.force_login(admin_a)
    value_import = stage(client)
    before = state()
    fault = FailOnNthWrite(n)
    with failing_writes(fault):
        response = client.post(reverse("entry:import-confirm", args=[value_import.pk]))
    assert fault.fired, f"only {fault.writes} write statements: the fault point moved, update this test"
    assert response.status_code >= 500
    assert state() == before
    # Nothing was marked as done either: the same staged file goes through once the fault is gone.
    assert client.post(reverse("entry:import-confirm", args=[value_import.pk])).status_code == 302
    assert IndicatorValue.objects.filter(unit__code="805", year__in=YEARS, indicator__code__in=SHARES).count() == 48
    assert IndicatorValue.history.filter(history_change_reason="imported").count() == 48


def test_import_confirm_interrupted_per_figure_writes_nothing(admin_a, existing_drafts):
    """Every figure is checked before anything is written; the writer then goes batch by batch. A crash
    in its second history batch comes after the updated drafts and the new values were written."""
    client = Client(raise_request_exception=False)
    client.force_login(admin_a)
    value_import = stage(client)
    before = state()
    real = bulk_write.BulkWriter.insert_history
    fault = FailOnNthCall(real, 2, RuntimeError("simulated crash in the middle of the rows"))
    watch = FailOnNthWrite(0)  # counts the writes that went through before the crash
    with (
        mock.patch.object(bulk_write.BulkWriter, "insert_history", autospec=True, side_effect=fault),
        failing_writes(watch),
    ):
        response = client.post(reverse("entry:import-confirm", args=[value_import.pk]))
    assert fault.calls == 2 and watch.writes > 0, (fault.calls, watch.writes)
    assert response.status_code == 500
    assert state() == before


# --- the shell command ------------------------------------------------------------------------------


@pytest.fixture
def csv_path(tmp_path):
    path = tmp_path / "so-lieu.csv"
    path.write_bytes(import_file())
    return path


def run_command(path, *args):
    call_command("import_values", str(path), "--batch-size", "5", *args, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.parametrize("n", [2, 5, 9])
def test_import_command_interrupted_by_a_database_error_writes_nothing(existing_drafts, csv_path, n):
    before = state()
    fault = FailOnNthWrite(n)
    with failing_writes(fault), pytest.raises(DatabaseError, match="simulated"):
        run_command(csv_path)
    assert fault.fired
    assert state() == before


@pytest.mark.parametrize("error", [RuntimeError("crash after a batch"), KeyboardInterrupt()], ids=["crash", "ctrl-c"])
def test_import_command_interrupted_between_batches_writes_nothing(existing_drafts, csv_path, error):
    """The progress callback runs after each written batch of 5: the 4th call stops it with 15 rows written."""
    before = state()
    fault = FailOnNthCall(import_values.ProgressBar.__call__, 4, error)
    watch = FailOnNthWrite(0)
    with (
        mock.patch.object(import_values.ProgressBar, "__call__", autospec=True, side_effect=fault),
        failing_writes(watch),
        pytest.raises(type(error)),
    ):
        run_command(csv_path)
    assert fault.calls == 4 and watch.writes >= 3, (fault.calls, watch.writes)
    assert state() == before
    run_command(csv_path)  # and without the fault the same file goes in whole
    assert IndicatorValue.history.filter(history_change_reason="imported").count() == 48


# --- the entry form's multi-figure save ---------------------------------------------------------------


def form_data(value: int, *, versions: dict[str, int]) -> dict:
    data = {}
    for code in SHARES:
        data[f"{code}__value"] = str(value)
        data[f"{code}__version"] = str(versions.get(code, 0))
    return data


def versions_of(unit: str, year: int) -> dict[str, int]:
    return dict(IndicatorValue.objects.filter(unit__code=unit, year=year).values_list("indicator__code", "version"))


@pytest.mark.parametrize("n", [1, 2, 5, 9], ids=["first", "second", "fifth", "ninth"])
def test_entry_form_save_interrupted_by_a_database_error_writes_nothing(admin_a, existing_drafts, n):
    """8 figures: 4 updated, 4 new, each an UPDATE or INSERT plus its history INSERT."""
    client = Client(raise_request_exception=False)
    client.force_login(admin_a)
    url = reverse("entry:form", args=["805", 2024])
    before = state()
    fault = FailOnNthWrite(n)
    with connection.execute_wrapper(fault):
        response = client.post(url, form_data(60, versions=versions_of("805", 2024)))
    assert fault.fired
    assert response.status_code >= 500
    assert state() == before
    # The same form, posted again without the fault, saves all 8.
    assert client.post(url, form_data(60, versions=versions_of("805", 2024))).status_code == 302
    assert IndicatorValue.objects.filter(unit__code="805", year=2024, value=60).count() == 8


@pytest.mark.parametrize(
    ("n", "submit"),
    [(1, False), (3, False), (8, False), (3, True), (11, True)],
    ids=["save-1st", "save-3rd", "save-8th", "submit-while-saving", "submit-while-submitting"],
)
def test_entry_save_service_interrupted_per_figure_writes_nothing(admin_a, tan_tru, existing_drafts, n, submit):
    """full_clean runs before each figure's write: the Nth raises with N-1 figures already saved.

    With submit, the 8 drafts are saved and then submitted one by one: N=11 fails in the submit phase.
    """
    versions = versions_of("805", 2024)
    figures = [
        entry_services.EntryFigure(
            indicator=Indicator.objects.get(code=code), value=Decimal(65), version=versions.get(code, 0)
        )
        for code in SHARES
    ]
    before = state()
    fault = FailOnNthCall(IndicatorValue.full_clean, n, DatabaseError("simulated failure mid-save"))
    with (
        mock.patch.object(IndicatorValue, "full_clean", autospec=True, side_effect=fault),
        pytest.raises(DatabaseError),
    ):
        entry_services.save_unit_year(user=admin_a, unit=tan_tru, year=2024, figures=figures, submit=submit)
    assert fault.calls == n
    assert state() == before
