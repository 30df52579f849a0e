"""Bulk import: staging an upload, its preview (the dry run), the confirm step and expiry, and the
checked write of the figures (the raw-SQL writer itself is services.bulk_write)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from indicators import caching, imports
from indicators.models import AdministrativeUnit, IndicatorValue, Source, ValueImport
from indicators.selectors import import_lookups
from indicators.services.bulk_write import BulkWriter, chunks, stored_rows
from indicators.services.entry import unit_sources


class ImportRejected(Exception):
    """The file has errors; nothing was written. `check` holds the row-level errors."""

    def __init__(self, check):
        self.check = check
        super().__init__(gettext("Tệp có %(n)d lỗi; không có số liệu nào được ghi.") % {"n": len(check.errors)})


class ImportExpired(Exception):
    """The staged upload is past IMPORT_STAGED_HOURS (or was dropped for a newer one): upload it again."""

    def __init__(self):
        super().__init__(gettext("Tệp tải lên này đã hết hạn hoặc đã được thay bằng tệp mới hơn. Hãy tải lên lại."))


def stage_import(*, user, filename: str, content: bytes) -> ValueImport:
    """Keep an uploaded file for the preview and the confirm step, with the preview's result.

    The file is read and checked once, here; the preview shows the stored result until the data
    changes. Expired uploads are deleted, and the user's oldest unconfirmed ones beyond
    IMPORT_MAX_STAGED_PER_USER are dropped to make room for this one.
    """
    if not user.has_perm("indicators.import_values"):
        raise PermissionDenied
    imports.check_upload_size(len(content))
    stamp = import_lookups.import_stamp(user)  # before the check: a change during it makes the result stale
    table = imports.read_table(content, filename)
    check = imports.check_rows(table, import_lookups.import_context(table=table, user=user))
    value_import = ValueImport(
        user=user,
        filename=unicodedata.normalize("NFC", filename)[:255],
        file_format=imports.detect_format(content, filename),
        content=content,
        row_count=len(table.rows),
        summary=imports.ImportSummary.of(check, stamp).to_json(),
    )
    value_import.full_clean()
    with transaction.atomic():
        make_room_for_upload(user)
        value_import.save()
    return value_import


def make_room_for_upload(user) -> None:
    """Before a new upload is kept: expired uploads deleted, and the user's oldest unconfirmed ones beyond
    IMPORT_MAX_STAGED_PER_USER - 1 dropped (in the caller's transaction)."""
    purge_expired_imports()
    keep = max(settings.IMPORT_MAX_STAGED_PER_USER - 1, 0)
    pending = ValueImport.objects.filter(user=user, applied_at__isnull=True).order_by("-created_at", "-pk")
    dropped = list(pending.values_list("pk", flat=True)[keep:])
    if dropped:
        ValueImport.objects.filter(pk__in=dropped).delete()


def import_expiry_cutoff():
    return timezone.now() - timedelta(hours=settings.IMPORT_STAGED_HOURS)


def import_expired(value_import: ValueImport) -> bool:
    return value_import.applied_at is None and value_import.created_at < import_expiry_cutoff()


def purge_expired_imports() -> int:
    """Delete unconfirmed uploads older than IMPORT_STAGED_HOURS; confirmed ones stay as the record."""
    deleted, _per_model = ValueImport.objects.filter(
        applied_at__isnull=True, created_at__lt=import_expiry_cutoff()
    ).delete()
    return deleted


def preview_import(*, user, value_import: ValueImport) -> imports.ImportSummary:
    """The preview's result: the stored one while the data and language are as they were, else checked again."""
    if import_expired(value_import):
        raise ImportExpired
    stamp = import_lookups.import_stamp(user)
    if value_import.summary and value_import.summary.get("stamp") == stamp:
        return imports.ImportSummary.from_json(value_import.summary)
    summary = imports.ImportSummary.of(check_import(user=user, value_import=value_import), stamp)
    ValueImport.objects.filter(pk=value_import.pk).update(summary=summary.to_json())
    return summary


def check_import(*, user, value_import: ValueImport) -> imports.CheckResult:
    """The dry run: every row checked against the current data. Writes nothing."""
    table = imports.read_table(bytes(value_import.content), value_import.filename)
    return imports.check_rows(table, import_lookups.import_context(table=table, user=user))


@transaction.atomic
def apply_import(*, user, value_import: ValueImport) -> ImportWritten:
    """Check the staged file again (the data may have moved since the preview) and write all or nothing."""
    # Two confirms of one file (a double click) take turns, and the second finds it applied.
    value_import = ValueImport.objects.select_for_update().filter(pk=value_import.pk).first()
    if value_import is None or import_expired(value_import):
        raise ImportExpired
    if value_import.applied_at is not None:
        raise ValidationError(gettext("Tệp này đã được nhập rồi."))
    table = imports.read_table(bytes(value_import.content), value_import.filename)
    # Locked like save_unit_year and the review lock them, so that no save, submission or approval of
    # the file's figures lands between this check and the write.
    check = imports.check_rows(table, import_lookups.import_context(table=table, user=user, lock=True))
    if not check.ok:
        raise ImportRejected(check)
    written = write_import(figures=check.figures, user=user)
    value_import.applied_at = timezone.now()
    value_import.save(update_fields=["applied_at"])
    return written


@dataclass
class ImportWritten:
    created: int
    updated: int
    unchanged: int = 0


def write_import(
    *,
    figures: Sequence[imports.Figure],
    user=None,
    status: str = IndicatorValue.Status.DRAFT,
    batch_size: int = 2000,
    progress=None,
) -> ImportWritten:
    """Write checked figures in bulk, each with its history row, in one transaction.

    Validation: every figure goes through imports.stored_value_problems, the rules of
    IndicatorValue.full_clean in plain Python (tested to refuse what full_clean refuses), and its
    unit's validity and level (_check_units_and_levels), instead of
    building and cleaning a model instance per row, which was a third of the time. Uniqueness,
    foreign keys and the locks were checked by imports.check_rows against one snapshot.

    Writing: rows are plain tuples, not model instances. On PostgreSQL the new values and every
    history row go in with COPY (ids reserved from the table's sequence first, so each history row
    can name its value), and updates are COPYed into a temporary table and applied with one
    UPDATE ... FROM; elsewhere one prepared statement runs with executemany. Either way it is a
    fixed number of statements per batch, all in this transaction. Django's bulk_create/bulk_update
    (and simple_history's bulk helpers) compile every value of every row and took minutes.
    The history rows are the ones simple_history would write for a save: every tracked field,
    "+" (created) or "~" (changed), the user, the time and the reason "imported".
    """
    for figure in figures:
        problems = imports.stored_value_problems(
            indicator=figure.indicator, year=figure.year, value=figure.value, qualifier=figure.qualifier, status=status
        )
        if problems:
            raise ValidationError(problems)
    now = timezone.now()
    user_id = user.pk if user is not None else None
    writer = BulkWriter()
    with transaction.atomic():
        units = list(
            AdministrativeUnit.objects.filter(pk__in={f.unit_id for f in figures}).only(
                "pk", "code", "name", "level", "valid_from", "valid_to"
            )
        )
        _check_units_and_levels(figures, {unit.pk: unit for unit in units})
        default_sources = {pk: source.pk for pk, source in unit_sources(units, Source.Kind.IMPORT).items()}
        keys = {(f.indicator.pk, f.unit_id, f.year): f for f in figures}
        stored = stored_rows(keys)
        done = 0
        changed = [
            *("value", "qualifier", "status", "source_id", "quote", "note"),
            *("updated_by_id", "updated_at", "version"),
        ]
        # A figure the file repeats exactly is neither written nor counted, and leaves no history row.
        same_keys = set()
        for key, row in list(stored.items()):
            f = keys[key]
            same = (
                row["value"] == f.value
                and row["qualifier"] == f.qualifier
                and row["status"] == status
                and row["source_id"] == (f.source_id or default_sources[f.unit_id])
                and row["quote"] == f.quote
                and row["note"] == f.note
            )
            if same:
                del stored[key]
                same_keys.add(key)
        done = len(same_keys)
        for chunk in chunks(list(stored.items()), batch_size):
            rows = []
            for key, row in chunk:
                f = keys[key]
                row.update(
                    value=f.value,
                    qualifier=f.qualifier,
                    status=status,
                    source_id=f.source_id or default_sources[f.unit_id],
                    quote=f.quote,
                    note=f.note,
                    updated_by_id=user_id,
                    updated_at=now,
                    version=row["version"] + 1,
                )
                rows.append(row)
            writer.update(IndicatorValue, rows, changed)
            writer.insert_history(rows, history_type="~", user_id=user_id, when=now)
            done += len(rows)
            if progress:
                progress(done, len(figures))
        new = [f for key, f in keys.items() if key not in stored and key not in same_keys]
        for chunk in chunks(new, batch_size):
            rows = [
                {
                    "indicator_id": f.indicator.pk,
                    "unit_id": f.unit_id,
                    "year": f.year,
                    "value": f.value,
                    "qualifier": f.qualifier,
                    "status": status,
                    "source_id": f.source_id or default_sources[f.unit_id],
                    "quote": f.quote,
                    "note": f.note,
                    "note_en": "",  # an uploaded figure's note is in the uploader's words
                    "review_comment": "",
                    "created_by_id": user_id,
                    "updated_by_id": user_id,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
                for f in chunk
            ]
            writer.insert_values(rows)
            writer.insert_history(rows, history_type="+", user_id=user_id, when=now)
            done += len(rows)
            if progress:
                progress(done, len(figures))
        if stored or new:
            caching.data_changed()
    return ImportWritten(created=len(new), updated=len(stored), unchanged=len(same_keys))


def _check_units_and_levels(figures: Sequence[imports.Figure], units: dict[int, AdministrativeUnit]) -> None:
    """The rest of what IndicatorValue.clean refuses: a year outside the unit's validity, an indicator
    its level does not report. check_rows reports both as row errors; this is the last guard."""
    for figure in figures:
        unit = units[figure.unit_id]
        problem = unit.year_error(figure.year)
        if problem:
            raise ValidationError({"year": problem})
        if not figure.indicator.applies_to(unit.level):
            raise ValidationError(
                {
                    "indicator": gettext("Chỉ tiêu “%(code)s” không áp dụng cho %(level)s (%(unit)s).")
                    % {"code": figure.indicator.code, "level": unit.get_level_display().lower(), "unit": unit.name}
                }
            )
