"""Imports of the reports other systems produce (imports/layouts.py): staging an upload with its
layout and period, its preview, the name mappings staff save from it, and the confirm step, which
writes through the same checked writer as every import (services.imports.write_import).

A unit admin's figures land as drafts of their own units; provincial staff's province-wide 766 table
lands as submitted figures, which staff then approve in the review queue. A file with any error, or
refused as a whole, writes nothing.
"""

from __future__ import annotations

import dataclasses
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from indicators import imports, permissions
from indicators.imports import layout_checking, layout_reading
from indicators.imports.layout_summary import LayoutSummary
from indicators.imports.layouts import Layout, get_layout, key
from indicators.models import IndicatorValue, LayoutImport, PeriodFigure, UnitNameMapping, ValueImport
from indicators.selectors import import_lookups, layout_lookups
from indicators.services.imports import (
    ImportExpired,
    ImportWritten,
    import_expired,
    make_room_for_upload,
    write_import,
)


class LayoutRejected(Exception):
    """The file has errors (now, at the confirm step); nothing was written."""

    def __init__(self, summary: LayoutSummary):
        self.summary = summary
        count = summary.error_count or 1
        super().__init__(gettext("Tệp có %(n)d lỗi; không có số liệu nào được ghi.") % {"n": count})


@dataclasses.dataclass
class Checked:
    check: layout_checking.LayoutCheck
    read: layout_reading.LayoutTable
    figures: list[imports.Figure]


def may_import_layout(user, layout: Layout) -> bool:
    """Unit admins import every layout, for their own units; provincial staff the layouts marked for a
    province-wide table (the 766 index); superusers every layout, province-wide."""
    if user.is_superuser:
        return True
    if permissions.sees_all_values(user):
        return layout.staff_province_wide
    return bool(permissions.managed_unit_ids(user))


def status_for(user) -> str:
    return IndicatorValue.Status.SUBMITTED if permissions.sees_all_values(user) else IndicatorValue.Status.DRAFT


def check_file(
    *, user, layout: Layout, year: int, period: str, content: bytes, filename: str, lock=False, national=False
) -> Checked:
    """The whole check of a layout file: its period against the layout's rules, its header, every row
    matched, then the figures through imports.check_rows. Raises ImportFileError for a file refused whole."""
    ctx = layout_lookups.layout_context(layout=layout, year=year, period=period, user=user, national=national)
    refused = layout_checking.period_refusal(layout, period, ctx.names)
    if refused:
        raise imports.ImportFileError(refused)
    read = layout_reading.read_layout_file(content, filename, layout, year=year, period=period)
    check = layout_checking.match_rows(read, ctx)
    figures: list[imports.Figure] = []
    if check.table.rows:
        lookups = import_lookups.import_context(table=check.table, user=user, lock=lock)
        if ctx.allowed_unit_ids is None:  # province-wide: the rows are the province's, matched above
            lookups = dataclasses.replace(lookups, editable_unit_ids=None)
        result = imports.check_rows(check.table, lookups)
        layout_checking.merge_check(check, result)
        figures = result.figures
    return Checked(check=check, read=read, figures=figures)


def _summary(checked: Checked, stamp: str) -> LayoutSummary:
    return LayoutSummary.of(
        checked.check,
        header_row=checked.read.header_row,
        ignored=checked.read.ignored,
        skipped=checked.read.skipped,
        stamp=stamp,
    )


def stage_layout_import(
    *, user, layout_code: str, year: int, period: str, filename: str, content: bytes
) -> LayoutImport:
    """Keep the upload with its layout and period and the preview's result. A file refused as a whole
    (ImportFileError) is not kept."""
    layout = get_layout(layout_code)
    if layout is None or not may_import_layout(user, layout):
        raise PermissionDenied
    imports.check_upload_size(len(content))
    stamp = import_lookups.import_stamp(user)
    checked = check_file(user=user, layout=layout, year=year, period=period, content=content, filename=filename)
    value_import = ValueImport(
        user=user,
        filename=unicodedata.normalize("NFC", filename)[:255],
        file_format=imports.detect_format(content, filename),
        content=content,
        row_count=checked.read.total_rows,
    )
    value_import.full_clean()
    with transaction.atomic():
        make_room_for_upload(user)
        value_import.save()
        return LayoutImport.objects.create(
            value_import=value_import,
            layout=layout.code,
            year=year,
            period=period,
            status_written=status_for(user),
            summary=_summary(checked, stamp).to_json(),
        )


def _check_again(user, layout_import: LayoutImport, *, lock=False) -> Checked:
    value_import = layout_import.value_import
    return check_file(
        user=user,
        layout=get_layout(layout_import.layout),
        year=layout_import.year,
        period=layout_import.period,
        content=bytes(value_import.content),
        filename=value_import.filename,
        lock=lock,
    )


def preview_layout_import(*, user, layout_import: LayoutImport) -> LayoutSummary:
    """The stored preview while the data, the language and the mappings are as they were; else checked again."""
    if import_expired(layout_import.value_import):
        raise ImportExpired
    stamp = import_lookups.import_stamp(user)
    if layout_import.summary and layout_import.summary.get("stamp") == stamp:
        return LayoutSummary.from_json(layout_import.summary)
    try:
        summary = _summary(_check_again(user, layout_import), stamp)
    except imports.ImportFileError as error:
        summary = LayoutSummary.refused(str(error), stamp)
    LayoutImport.objects.filter(pk=layout_import.pk).update(summary=summary.to_json())
    return summary


@transaction.atomic
def apply_layout_import(*, user, layout_import: LayoutImport) -> ImportWritten:
    """Check the file again, locked (the data may have moved since the preview), and write all or nothing:
    the year's figures, and every figure of the file for its period (the rows kept with the record)."""
    value_import = ValueImport.objects.select_for_update().filter(pk=layout_import.value_import_id).first()
    if value_import is None or import_expired(value_import):
        raise ImportExpired
    if value_import.applied_at is not None:
        raise ValidationError(gettext("Tệp này đã được nhập rồi."))
    layout_import.value_import = value_import
    checked = _check_again(user, layout_import, lock=True)
    if checked.check.errors:
        raise LayoutRejected(_summary(checked, ""))
    written = write_checked(user=user, layout_import=layout_import, checked=checked)
    value_import.applied_at = timezone.now()
    value_import.save(update_fields=["applied_at"])
    return written


def write_checked(*, user, layout_import: LayoutImport, checked: Checked) -> ImportWritten:
    """Write a checked file: the year's figures through write_import, and every figure of the file for
    its period with the import record (the quarters a mean is made of)."""
    written = write_import(figures=checked.figures, user=user, status=layout_import.status_written)
    indicator_ids = {code: i.pk for code, i in layout_lookups.indicators_of(get_layout(layout_import.layout)).items()}
    kept = {r.match.row for r in checked.check.rows if r.status == layout_checking.OK}
    PeriodFigure.objects.bulk_create(
        [
            PeriodFigure(
                layout_import=layout_import,
                row=part.row,
                name_in_file=part.name[:300],
                unit_id=part.unit_id,
                indicator_id=indicator_ids[part.indicator_code],
                year=layout_import.year,
                period=layout_import.period,
                value=part.value,
            )
            for part in checked.check.parts
            if part.row in kept
        ],
        batch_size=2000,
    )
    layout_import.written = {
        "created": written.created,
        "updated": written.updated,
        "unchanged": written.unchanged,
        "kept": len(checked.check.parts),
        "waiting": checked.check.waiting,
    }
    layout_import.save(update_fields=["written"])
    return written


@transaction.atomic
def import_from_shell(
    *, user, layout: Layout, year: int, period: str, filename: str, content: bytes, status: str, national: bool
) -> tuple[Checked, ImportWritten | None]:
    """The shell command's import: every unit of the province (or, `national`, of the country) in the
    period, any layout, written with `status` and kept as a confirmed record of `user`'s; nothing
    written when the file has an error."""
    checked = check_file(
        user=None,
        layout=layout,
        year=year,
        period=period,
        content=content,
        filename=filename,
        lock=True,
        national=national,
    )
    if checked.check.errors:
        return checked, None
    value_import = ValueImport.objects.create(
        user=user,
        filename=unicodedata.normalize("NFC", filename)[:255],
        file_format=imports.detect_format(content, filename),
        content=content,
        row_count=checked.read.total_rows,
        applied_at=timezone.now(),
    )
    layout_import = LayoutImport.objects.create(
        value_import=value_import, layout=layout.code, year=year, period=period, status_written=status
    )
    return checked, write_checked(user=user, layout_import=layout_import, checked=checked)


def save_name_mapping(*, user, layout_import: LayoutImport, name: str, unit_id: int) -> UnitNameMapping:
    """Staff say which unit a name of this layout's files means; the next file of the layout matches at
    once. The unit must be one of the file's period. Pending previews of the layout are checked again."""
    if not user.has_perm("indicators.save_name_mapping"):
        raise PermissionDenied
    layout = get_layout(layout_import.layout)
    name = unicodedata.normalize("NFC", name).strip()[:300]
    units = {c.pk for c in layout_lookups.candidate_units(year=layout_import.year)}
    if not name or unit_id not in units:
        raise ValidationError(gettext("Chọn một đơn vị của kỳ báo cáo này."))
    with transaction.atomic():
        mapping, _created = UnitNameMapping.objects.get_or_create(
            layout=layout.code, name_key=key(name), unit_id=unit_id, defaults={"name": name, "created_by": user}
        )
        # Another unit the same name was mapped to for the same period would make it ambiguous again.
        UnitNameMapping.objects.filter(layout=layout.code, name_key=mapping.name_key).exclude(pk=mapping.pk).filter(
            unit_id__in=units
        ).delete()
        LayoutImport.objects.filter(layout=layout.code, value_import__applied_at__isnull=True).update(summary=None)
    return mapping
