"""Write side: every change to the data goes through here, inside a transaction."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext

from indicators import caching, imports, permissions
from indicators.domain import demo
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, ReformArea, Source, ValueImport
from indicators.selectors import common, import_lookups

DEMO_SOURCE_CODE = "du-lieu-minh-hoa"


def demo_source() -> Source:
    source, _ = Source.objects.get_or_create(
        code=DEMO_SOURCE_CODE,
        defaults={
            "title": "Dữ liệu minh họa (giả lập) — không phải số liệu chính thức",
            "publisher": "Bảng theo dõi CCHC (tạo tự động bằng lệnh demo_data)",
            "kind": Source.Kind.SYNTHETIC_DEMO,
            "note": "Số liệu giả lập, tất định theo seed, chỉ để minh họa biểu đồ. Không dùng để trích dẫn.",
        },
    )
    return source


@dataclass
class DemoResult:
    created: int
    skipped_existing: int


@transaction.atomic
def generate_demo_values(
    *, seed: int, years: Sequence[int], units: Sequence[AdministrativeUnit], indicators: Sequence[Indicator]
) -> DemoResult:
    """Fill every unit x year x indicator that has no value with a synthetic, approved demo figure.

    A value that exists already (real or demo) is never touched, so a second run changes nothing.
    """
    specs = _demo_specs(indicators)
    known_ranks = defaultdict(dict)  # (parent id, year, indicator code) -> {unit code: rank}
    for code, unit_code, year, value, parent_id in IndicatorValue.objects.filter(
        unit__in=units, indicator__unit_kind=Indicator.UnitKind.RANK, year__in=years
    ).values_list("indicator__code", "unit__code", "year", "value", "unit__parent_id"):
        known_ranks[(parent_id, year, code)][unit_code] = int(value)

    figures = []
    for unit in units:
        figures.extend(demo.district_figures(seed=seed, unit_code=unit.code, years=years, indicators=specs))
    figures.extend(_rank_figures(units=units, years=years, specs=specs, figures=figures, known_ranks=known_ranks))
    return _save_demo_figures(figures, units=units, years=years, indicators=indicators)


@transaction.atomic
def generate_successor_demo_values(
    *, seed: int, predecessors: Sequence[AdministrativeUnit], indicators: Sequence[Indicator]
) -> DemoResult:
    """Demo figures for the units that took over from `predecessors` in a reorganisation (the ones the
    indicator pages draw beside them), from the year of the succession to demo.SUCCESSOR_LAST_YEAR."""
    successors = common.successor_units(codes=[unit.code for unit in predecessors])
    specs = _demo_specs(indicators)
    figures, years = [], set()
    for unit in successors:
        unit_years = range(unit.succeeded_on.year, demo.SUCCESSOR_LAST_YEAR + 1)
        years.update(unit_years)
        figures.extend(demo.successor_figures(seed=seed, unit_code=unit.code, years=unit_years, indicators=specs))
    return _save_demo_figures(figures, units=successors, years=sorted(years), indicators=indicators)


def _demo_specs(indicators: Sequence[Indicator]) -> list[demo.IndicatorSpec]:
    return [demo.IndicatorSpec(i.code, i.unit_kind, i.decimals, i.min_value, i.max_value) for i in indicators]


def _save_demo_figures(figures, *, units, years, indicators) -> DemoResult:
    """Write the figures that have no value yet (real or demo) as approved demo values."""
    source = demo_source()
    indicator_ids = {i.code: i.pk for i in indicators}
    unit_ids = {u.code: u.pk for u in units}
    existing = set(
        IndicatorValue.objects.filter(unit__in=units, indicator__in=indicators, year__in=years).values_list(
            "indicator__code", "unit__code", "year"
        )
    )
    new_values = [
        IndicatorValue(
            indicator_id=indicator_ids[f.indicator_code],
            unit_id=unit_ids[f.unit_code],
            year=f.year,
            value=f.value,
            status=IndicatorValue.Status.APPROVED,
            source=source,
            note="Số liệu minh họa (giả lập).",
        )
        for f in figures
        if (f.indicator_code, f.unit_code, f.year) not in existing
    ]
    IndicatorValue.objects.bulk_create(new_values, batch_size=2000, ignore_conflicts=True)
    caching.data_changed()
    return DemoResult(created=len(new_values), skipped_existing=len(figures) - len(new_values))


def _rank_figures(*, units, years, specs, figures, known_ranks) -> list[demo.Figure]:
    """Ranks per province and year from the demo index score; the score is realigned to the rank.

    Rewrites the score figures in `figures` in place, so that rank 1 always has the best score.
    """
    rank_specs = [s for s in specs if s.unit_kind == "rank"]
    if not rank_specs:
        return []
    score_code = "diem-chi-so-cchc"
    parent_of = {u.code: u.parent_id for u in units}
    positions = defaultdict(dict)  # (parent, year) -> {unit code: index of its score in figures}
    for index, f in enumerate(figures):
        if f.indicator_code == score_code:
            positions[(parent_of[f.unit_code], f.year)][f.unit_code] = index
    ranked = []
    for (parent, year), by_unit in positions.items():
        scores = {code: figures[index].value for code, index in by_unit.items()}
        ordered = sorted(scores.values(), reverse=True)
        for spec in rank_specs:
            ranks = demo.province_ranks(scores=scores, fixed_ranks=known_ranks.get((parent, year, spec.code), {}))
            ranked.extend(demo.Figure(spec.code, code, year, Decimal(rank)) for code, rank in ranks.items())
            for code, rank in ranks.items():
                figures[by_unit[code]] = demo.Figure(score_code, code, year, ordered[rank - 1])
    return ranked


@transaction.atomic
def ensure_synthetic_units(*, provinces: int, units_per_province: int, level: str) -> list[AdministrativeUnit]:
    """Synthetic provinces and their units for national-scale demos and benchmarks (is_synthetic)."""
    created = []
    for p in range(1, provinces + 1):
        province, _ = AdministrativeUnit.objects.get_or_create(
            code=f"X{p:02d}",
            defaults={
                "name": f"Tỉnh minh họa {p:02d}",
                "slug": f"tinh-minh-hoa-{p:02d}",
                "level": AdministrativeUnit.Level.PROVINCE,
                "is_synthetic": True,
                "note": "Đơn vị giả lập cho dữ liệu minh họa.",
            },
        )
        existing = set(province.children.values_list("code", flat=True))
        batch = []
        for d in range(1, units_per_province + 1):
            code = f"X{p:02d}-{d:03d}"
            if code in existing:
                continue
            name = f"{'Huyện' if level == 'district' else 'Xã'} minh họa {p:02d}-{d:03d}"
            batch.append(
                AdministrativeUnit(
                    code=code, name=name, slug=slugify(name), level=level, parent=province, is_synthetic=True
                )
            )
        created.extend(AdministrativeUnit.objects.bulk_create(batch))
    return created


@transaction.atomic
def ensure_synthetic_indicators(*, total: int) -> list[Indicator]:
    """Pad the catalogue with clearly named synthetic indicators up to `total` (benchmark only)."""
    have = Indicator.objects.count()
    area = ReformArea.objects.order_by("order").first()
    made = []
    for n in range(1, max(0, total - have) + 1):
        code = f"minh-hoa-{n:02d}"
        indicator, created = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": f"Chỉ tiêu minh họa {n:02d}",
                "name_en": f"Synthetic indicator {n:02d}",
                "area": area,
                "unit_kind": Indicator.UnitKind.PERCENT if n % 2 else Indicator.UnitKind.COUNT,
                "higher_is_better": True if n % 2 else None,
                "decimals": 1 if n % 2 else 0,
                "min_value": 0,
                "max_value": 100 if n % 2 else None,
                "definition": "Chỉ tiêu giả lập, chỉ dùng để đo hiệu năng.",
                "framework": Indicator.Framework.OTHER,
                "order": 100 + n,
            },
        )
        if created:
            made.append(indicator)
    return made


# --- Entry, review and import (issue 4) --------------------------------------------------------
# Every write records who did it and why in the value's history (django-simple-history):
# `_history_user` and `_change_reason` are read by simple_history when the row is saved.

REASON_SAVED = "saved"
REASON_SUBMITTED = "submitted"
REASON_APPROVED = "approved"
REASON_RETURNED = "returned"
REASON_DELETED = "deleted"
REASON_IMPORTED = "imported"


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
    """The source a district's own figures cite when no other is given: its report through this site."""
    return _unit_sources([unit], kind)[unit.pk]


def _unit_sources(units, kind: str) -> dict[int, Source]:
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


def _save(value: IndicatorValue, *, user, reason: str) -> None:
    value.updated_by = user
    value.full_clean()
    value._history_user = user
    value._change_reason = reason
    value.save()


@transaction.atomic
def save_unit_year(
    *, user, unit: AdministrativeUnit, year: int, figures: Sequence[EntryFigure], submit: bool = False
) -> EntryResult:
    """Save one unit-year's form as drafts, and submit every open figure of it when `submit`.

    All or nothing: a figure changed by someone else since the form was loaded (its version moved)
    raises EditConflict, a locked figure raises PermissionDenied, an invalid one ValidationError; and
    the transaction then writes nothing.
    """
    if not permissions.may_enter_unit(user, unit):
        raise PermissionDenied
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
            if current.is_demo or current.status not in (IndicatorValue.Status.DRAFT, IndicatorValue.Status.RETURNED):
                continue
            if current in writes or current in deletes or current in conflicts:
                continue
            if seen_versions.get(indicator_id) != current.version:
                conflicts.append(current)
    if conflicts or vanished:
        raise EditConflict(conflicts, vanished)
    for value in deletes:
        value._history_user = user
        value._change_reason = REASON_DELETED
        value.delete()
        result.deleted += 1
    for value in writes:
        _save(value, user=user, reason=REASON_SAVED)
        result.changed += 1
    if submit:
        for value in IndicatorValue.objects.select_related("indicator", "source").filter(
            unit=unit, year=year, status__in=(IndicatorValue.Status.DRAFT, IndicatorValue.Status.RETURNED)
        ):
            if value.is_demo:
                continue
            value.status = IndicatorValue.Status.SUBMITTED
            value.version += 1
            _save(value, user=user, reason=REASON_SUBMITTED)
            result.submitted += 1
    return result


@transaction.atomic
def review_values(*, user, value_ids: Sequence[int], approve: bool, comment: str = "") -> int:
    """Approve, or return with a comment, these submitted figures. All of them or none."""
    if not user.has_perm("indicators.review_values"):
        raise PermissionDenied
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError(gettext("Khi trả lại, hãy ghi ý kiến để huyện biết cần sửa gì."))
    values = list(
        IndicatorValue.objects.select_for_update(of=("self",))
        .select_related("indicator", "source")
        .filter(pk__in=value_ids)
    )
    if not values or len(values) != len(set(value_ids)):
        raise ValidationError(gettext("Không tìm thấy số liệu cần thẩm định."))
    not_waiting = [v for v in values if not user.has_perm("indicators.review_value", v)]
    if not_waiting:
        raise ValidationError(
            gettext("Chỉ thẩm định được số liệu đang ở trạng thái “Đã gửi”: %(list)s.")
            % {"list": ", ".join(v.indicator.name for v in not_waiting[:5])}
        )
    for value in values:
        value.status = IndicatorValue.Status.APPROVED if approve else IndicatorValue.Status.RETURNED
        value.review_comment = comment
        value.version += 1
        _save(value, user=user, reason=REASON_APPROVED if approve else REASON_RETURNED)
    return len(values)


# --- bulk import ------------------------------------------------------------------------------------


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
    limit = settings.IMPORT_MAX_UPLOAD_BYTES
    if len(content) > limit:
        raise imports.ImportFileError(
            gettext("Tệp quá lớn (%(size)s KB, tối đa %(max)s KB). Hãy chia nhỏ tệp hoặc dùng lệnh import_values.")
            % {"size": len(content) // 1024, "max": limit // 1024}
        )
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
        purge_expired_imports()
        keep = max(settings.IMPORT_MAX_STAGED_PER_USER - 1, 0)
        pending = ValueImport.objects.filter(user=user, applied_at__isnull=True).order_by("-created_at", "-pk")
        dropped = list(pending.values_list("pk", flat=True)[keep:])
        if dropped:
            ValueImport.objects.filter(pk__in=dropped).delete()
        value_import.save()
    return value_import


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
    IndicatorValue.full_clean in plain Python (tested to refuse what full_clean refuses), instead of
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
    writer = _BulkWriter()
    with transaction.atomic():
        units = AdministrativeUnit.objects.filter(pk__in={f.unit_id for f in figures}).only("pk", "code", "name")
        default_sources = {pk: source.pk for pk, source in _unit_sources(list(units), Source.Kind.IMPORT).items()}
        keys = {(f.indicator.pk, f.unit_id, f.year): f for f in figures}
        stored = _stored_rows(keys)
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
        for chunk in _chunks(list(stored.items()), batch_size):
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
        for chunk in _chunks(new, batch_size):
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
    "review_comment",
    "created_by_id",
    "updated_by_id",
    "created_at",
    "updated_at",
    "version",
]


def _stored_rows(keys, columns=VALUE_COLUMNS) -> dict[tuple[int, int, int], dict]:
    """The stored values among these (indicator id, unit id, year) keys, with `columns` (which must hold
    the three key columns), every column by default (a query per 500 units)."""
    found = {}
    years = {year for _i, _u, year in keys}
    for unit_ids in _chunks(sorted({unit for _i, unit, _y in keys}), 500):
        for row in IndicatorValue.objects.filter(unit_id__in=unit_ids, year__in=years).values(*columns):
            key = (row["indicator_id"], row["unit_id"], row["year"])
            if key in keys:
                found[key] = row
    return found


class _BulkWriter:
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
        stored = _stored_rows(keys, columns=("id", "indicator_id", "unit_id", "year"))
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
            "history_change_reason": REASON_IMPORTED,
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


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start : start + size]
