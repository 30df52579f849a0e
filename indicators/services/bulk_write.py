"""The bulk writer of imports: rows into IndicatorValue and its history table in a fixed number of
statements per batch (COPY on PostgreSQL, one prepared executemany elsewhere)."""

from __future__ import annotations

from django.db import connection

from indicators.models import HistoryReason, IndicatorValue

# The columns are IndicatorValue's; a test checks they still are, so a new field cannot be forgotten here.
VALUE_COLUMNS = [
    "id",
    "indicator_id",
    "unit_id",
    "year",
    "value",
    "qualifier",
    "status",
    "source_id",
    "quote",
    "note",
    "note_en",
    "review_comment",
    "created_by_id",
    "updated_by_id",
    "created_at",
    "updated_at",
    "version",
]


def stored_rows(keys, columns=VALUE_COLUMNS) -> dict[tuple[int, int, int], dict]:
    """The stored values among these (indicator id, unit id, year) keys, with `columns` (which must hold
    the three key columns), every column by default (a query per 500 units)."""
    found = {}
    years = {year for _i, _u, year in keys}
    for unit_ids in chunks(sorted({unit for _i, unit, _y in keys}), 500):
        for row in IndicatorValue.objects.filter(unit_id__in=unit_ids, year__in=years).values(*columns):
            key = (row["indicator_id"], row["unit_id"], row["year"])
            if key in keys:
                found[key] = row
    return found


class BulkWriter:
    """Rows (dicts of attname -> Python value) into IndicatorValue and its history table.

    Values are adapted once per distinct value (an import repeats the same status, source, user and
    timestamp) by each field's get_db_prep_save; on PostgreSQL COPY adapts them itself.
    """

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.history = IndicatorValue.history.model
        self.value_fields = {f.attname: f for f in IndicatorValue._meta.concrete_fields}
        self.history_fields = [f for f in self.history._meta.concrete_fields if not f.primary_key]

    def insert_values(self, rows: list[dict]) -> None:
        """INSERT the rows and set each row's "id"."""
        table = IndicatorValue._meta.db_table
        if self.postgres:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, len(rows)],
                )
                for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                    row["id"] = pk
            self._copy(table, VALUE_COLUMNS, rows)
            return
        columns = VALUE_COLUMNS[1:]
        self._execute_many(self._insert_sql(table, columns), self._prepared(rows, columns, self.value_fields))
        keys = {(r["indicator_id"], r["unit_id"], r["year"]) for r in rows}
        stored = stored_rows(keys, columns=("id", "indicator_id", "unit_id", "year"))
        for row in rows:
            row["id"] = stored[(row["indicator_id"], row["unit_id"], row["year"])]["id"]

    def update(self, model, rows: list[dict], columns: list[str]) -> None:
        qn = connection.ops.quote_name
        table = qn(model._meta.db_table)
        assignments = ", ".join(f"{qn(c)} = u.{qn(c)}" for c in columns)
        if self.postgres:
            names = ", ".join(qn(c) for c in ["id", *columns])
            with connection.cursor() as cursor:
                cursor.execute(f"CREATE TEMPORARY TABLE import_update AS SELECT {names} FROM {table} WITH NO DATA")  # noqa: S608
            self._copy("import_update", ["id", *columns], rows)
            with connection.cursor() as cursor:
                cursor.execute(f"UPDATE {table} SET {assignments} FROM import_update u WHERE {table}.id = u.id")  # noqa: S608
                cursor.execute("DROP TABLE import_update")
            return
        assignments = ", ".join(f"{qn(c)} = %s" for c in columns)
        sql = f"UPDATE {table} SET {assignments} WHERE id = %s"  # noqa: S608 - names from _meta
        prepared = self._prepared(rows, [*columns, "id"], self.value_fields)
        self._execute_many(sql, prepared)

    def insert_history(self, rows: list[dict], *, history_type: str, user_id, when) -> None:
        extra = {
            "history_date": when,
            "history_change_reason": HistoryReason.IMPORTED.value,
            "history_type": history_type,
            "history_user_id": user_id,
        }
        columns = [f.attname for f in self.history_fields]
        history_rows = [{**row, **extra} for row in rows]
        table = self.history._meta.db_table
        if self.postgres:
            self._copy(table, columns, history_rows)
            return
        fields = {f.attname: f for f in self.history_fields}
        self._execute_many(self._insert_sql(table, columns), self._prepared(history_rows, columns, fields))

    def _copy(self, table: str, columns: list[str], rows: list[dict]) -> None:
        qn = connection.ops.quote_name
        names = ", ".join(qn(c) for c in columns)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {qn(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])

    @staticmethod
    def _insert_sql(table: str, columns: list[str]) -> str:
        qn = connection.ops.quote_name
        names = ", ".join(qn(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        return f"INSERT INTO {qn(table)} ({names}) VALUES ({marks})"  # noqa: S608 - names from _meta

    @staticmethod
    def _prepared(rows: list[dict], columns: list[str], fields: dict) -> list[list]:
        caches = [({}, fields[c]) for c in columns]
        out = []
        for row in rows:
            values = []
            for column, (cache, field) in zip(columns, caches, strict=True):
                value = row[column]
                key = (type(value), value)
                prepared = cache.get(key, cache)
                if prepared is cache:
                    prepared = cache[key] = field.get_db_prep_save(value, connection)
                values.append(prepared)
            out.append(values)
        return out

    @staticmethod
    def _execute_many(sql: str, rows) -> None:
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)


def chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
