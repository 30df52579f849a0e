"""Snapshots of the whole test database, so that a state built once comes back in milliseconds.

tests/conftest.py builds the seed and the demo data once per run (seconds of work). A transactional
test commits and is then flushed; the seed without demo data is that state minus 14,000 rows. Both
used to be rebuilt or deleted again and again; a snapshot taken once gives them back instead:

- SQLite: the backup API copies every page of the database into a second, in-memory database, and
  back (a few milliseconds; the schema and sqlite_sequence come with it, so ids continue as before);
- PostgreSQL: COPY ... TO STDOUT (binary) of every Django table plus each sequence's position; the
  restore empties them, COPYs the rows back in one transaction (Django's foreign keys are
  DEFERRABLE INITIALLY DEFERRED, so the order of the tables does not matter) and sets the sequences.
  Restoring the demo state takes 1.6 s as a plain user and 0.1 s as a superuser (CI's), which may
  switch the foreign-key triggers off for it.

A restore must happen outside any transaction: the caller checks `connection.in_atomic_block`.
"""

import sqlite3

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction


class Snapshot:
    """The committed content of the default database at the moment it was taken."""

    def __init__(self) -> None:
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self._sqlite = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self._sqlite)
        elif connection.vendor == "postgresql":
            self._tables, self._sequences = _postgres_take()
        else:  # pragma: no cover - the project runs on these two
            raise NotImplementedError(f"no snapshot for {connection.vendor}")

    def restore(self) -> None:
        assert not connection.in_atomic_block, "a snapshot is restored outside any transaction"
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            self._sqlite.backup(connection.connection)
        else:
            _postgres_restore(self._tables, self._sequences)
        # A flush and post_migrate may have given content types other ids than the snapshot's.
        ContentType.objects.clear_cache()


def _django_tables() -> list[str]:
    """The tables `flush` empties: every installed model's (not django_migrations)."""
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def _postgres_take() -> tuple[dict[str, bytes], list[tuple[str, int, bool]]]:
    qn = connection.ops.quote_name
    tables: dict[str, bytes] = {}
    sequences = []
    with connection.cursor() as cursor:
        for table in _django_tables():
            with cursor.cursor.copy(f"COPY {qn(table)} TO STDOUT (FORMAT BINARY)") as copy:
                tables[table] = b"".join(bytes(block) for block in copy)
            for sequence in connection.introspection.get_sequences(cursor, table):
                cursor.execute(f"SELECT last_value, is_called FROM {qn(sequence['name'])}")  # noqa: S608
                sequences.append((sequence["name"], *cursor.fetchone()))
    return tables, sequences


def _postgres_restore(tables: dict[str, bytes], sequences: list[tuple[str, int, bool]]) -> None:
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if cursor.fetchone()[0]:
            # The rows are a consistent copy: skip the foreign-key triggers, which would check each of
            # them again at commit (1.5 s of the 1.6 s a restore took). Only a superuser may.
            cursor.execute("SET LOCAL session_replication_role = replica")
        for table in _django_tables():
            # DELETE, not TRUNCATE: after a flush the tables are empty but for the content types and
            # permissions post_migrate made again, and TRUNCATE makes new files for every table (0.3 s).
            cursor.execute(f"DELETE FROM {qn(table)}")  # noqa: S608
        for table, data in tables.items():
            if data:
                with cursor.cursor.copy(f"COPY {qn(table)} FROM STDIN (FORMAT BINARY)") as copy:
                    copy.write(data)
        for name, last_value, is_called in sequences:
            cursor.execute("SELECT setval(%s, %s, %s)", [name, last_value, is_called])
