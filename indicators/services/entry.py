"""Saving one unit-year's figures from the yearly form, and submitting them for review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from indicators import permissions
from indicators.models import AdministrativeUnit, HistoryReason, Indicator, IndicatorValue, Source
from indicators.services.history import delete_with_history, save_with_history


class EditConflict(Exception):
    """Someone else changed some of these figures after the form was loaded."""

    def __init__(self, values: list[IndicatorValue], vanished: int = 0):
        self.values = values
        self.vanished = vanished
        super().__init__(conflict_message(values, vanished))


def conflict_message(values: list[IndicatorValue], vanished: int = 0) -> str:
    parts = []
    if vanished:
        parts.append(gettext("%(n)d số liệu vừa bị người khác xóa.") % {"n": vanished})
    for value in values:
        who = value.updated_by.get_username() if value.updated_by else gettext("người khác")
        when = formats.date_format(timezone.localtime(value.updated_at), "SHORT_DATETIME_FORMAT")
        parts.append(
            gettext("“%(indicator)s” vừa được %(who)s sửa lúc %(when)s.")
            % {"indicator": value.indicator.name, "who": who, "when": when}
        )
    return " ".join(parts) + " " + gettext("Không có gì được lưu. Hãy tải lại trang, xem số liệu mới rồi nhập lại.")


@dataclass
class EntryFigure:
    """What the yearly form says about one indicator. `version` is the one the form was built from (0: none)."""

    indicator: Indicator
    value: Decimal | None
    qualifier: str = IndicatorValue.Qualifier.EXACT
    source: Source | None = None
    quote: str = ""
    note: str = ""
    version: int = 0
    delete: bool = False


@dataclass
class EntryResult:
    changed: int = 0
    deleted: int = 0
    submitted: int = 0


def unit_entry_source(unit: AdministrativeUnit, kind: str = Source.Kind.DATA_ENTRY) -> Source:
    """The source a unit's own figures cite when no other is given: its report through this site."""
    return unit_sources([unit], kind)[unit.pk]


def unit_sources(units, kind: str) -> dict[int, Source]:
    """One source per unit for entered (or imported) figures, created in bulk where missing."""
    prefix = "nhap-lieu" if kind == Source.Kind.DATA_ENTRY else "nhap-tu-tep"
    codes = {unit.pk: f"{prefix}-{slugify(unit.code)}" for unit in units}
    found = {s.code: s for s in Source.objects.filter(code__in=codes.values())}
    missing = []
    for unit in units:
        if codes[unit.pk] not in found:
            if kind == Source.Kind.DATA_ENTRY:
                title = gettext("Báo cáo của %(unit)s (nhập trên hệ thống)") % {"unit": unit.name}
            else:
                title = gettext("Báo cáo của %(unit)s (nhập từ tệp)") % {"unit": unit.name}
            missing.append(Source(code=codes[unit.pk], title=title, publisher=unit.name, kind=kind, unit=unit))
    for source in Source.objects.bulk_create(missing):
        found[source.code] = source
    if any(s.pk is None for s in found.values()):  # backends that do not return ids
        found = {s.code: s for s in Source.objects.filter(code__in=codes.values())}
    return {pk: found[code] for pk, code in codes.items()}


def _differs(current: IndicatorValue, figure: EntryFigure, source: Source) -> bool:
    return (
        current.is_demo
        or current.value != figure.value
        or current.qualifier != figure.qualifier
        or current.source_id != source.pk
        or current.quote != figure.quote
        or current.note != figure.note
    )


@transaction.atomic
def save_unit_year(
    *, user, unit: AdministrativeUnit, year: int, figures: Sequence[EntryFigure], submit: bool = False
) -> EntryResult:
    """Save one unit-year's form as drafts, and submit every open figure of it when `submit`.

    All or nothing: a figure changed by someone else since the form was loaded (its version moved)
    raises EditConflict, a locked figure raises PermissionDenied, an invalid one ValidationError (so
    does a year outside the unit's validity, or an indicator its level does not report); and the
    transaction then writes nothing.
    """
    if not permissions.may_enter_unit(user, unit):
        raise PermissionDenied
    problem = unit.year_error(year)
    if problem:
        raise ValidationError(problem)
    foreign = [f.indicator.name for f in figures if not f.indicator.applies_to(unit.level)]
    if foreign:
        raise ValidationError(
            gettext("Các chỉ tiêu sau không áp dụng cho %(level)s: %(list)s.")
            % {"level": unit.get_level_display().lower(), "list": ", ".join(foreign)}
        )
    # Saves of one unit's figures take turns: without this lock, two first saves of figures (or of the
    # unit's entry source) that do not exist yet would both insert, and one would fail with an
    # IntegrityError instead of the conflict message.
    list(AdministrativeUnit.objects.select_for_update().filter(pk=unit.pk).values_list("pk", flat=True))
    existing = {
        v.indicator_id: v
        for v in IndicatorValue.objects.select_for_update(of=("self",))
        .select_related("source", "updated_by", "indicator")
        .filter(unit=unit, year=year)
    }
    default_source = None
    result = EntryResult()
    conflicts, writes, deletes = [], [], []
    vanished = 0
    seen_versions = {}
    for figure in figures:
        current = existing.get(figure.indicator.pk)
        seen_versions[figure.indicator.pk] = figure.version
        if figure.value is None and not figure.delete:
            continue
        if (current.version if current else 0) != figure.version:
            if current is None:
                vanished += 1
            else:
                conflicts.append(current)
            continue
        if figure.delete:
            if current is not None and not current.is_demo:
                if not user.has_perm("indicators.change_value", current):
                    raise PermissionDenied
                deletes.append(current)
            continue
        source = figure.source
        if source is None:
            default_source = default_source or unit_entry_source(unit)
            source = default_source
        if current is None:
            current = IndicatorValue(indicator=figure.indicator, unit=unit, year=year, created_by=user, version=0)
        elif not user.has_perm("indicators.change_value", current):
            raise PermissionDenied
        elif not _differs(current, figure, source):
            continue
        current.value = figure.value
        current.qualifier = figure.qualifier
        current.source = source
        current.quote = figure.quote
        current.note = figure.note
        current.status = IndicatorValue.Status.DRAFT
        current.version += 1
        writes.append(current)
    if submit:
        for indicator_id, current in existing.items():
            if current.is_demo or not current.is_open:
                continue
            if current in writes or current in deletes or current in conflicts:
                continue
            if seen_versions.get(indicator_id) != current.version:
                conflicts.append(current)
    if conflicts or vanished:
        raise EditConflict(conflicts, vanished)
    for value in deletes:
        delete_with_history(value, user=user)
        result.deleted += 1
    for value in writes:
        save_with_history(value, user=user, reason=HistoryReason.SAVED)
        result.changed += 1
    if submit:
        for value in IndicatorValue.objects.select_related("indicator", "source").filter(
            unit=unit, year=year, status__in=IndicatorValue.OPEN_STATUSES
        ):
            if value.is_demo:
                continue
            value.status = IndicatorValue.Status.SUBMITTED
            value.version += 1
            save_with_history(value, user=user, reason=HistoryReason.SUBMITTED)
            result.submitted += 1
    return result
