"""Checking every row of a parsed table: `check_rows` takes the table and an `ImportContext` of
lookups (built by `selectors.import_context` in a fixed number of queries) and returns the figures
to write, the row-level errors (row, column, message) and the warnings. A file with any error writes
nothing. No queries here.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from indicators.domain import validation
from indicators.domain.numbers import NumberError, parse_cell
from indicators.imports.reading import Formula, Table, is_blank
from indicators.models import YEAR_MAX, YEAR_MIN, AdministrativeUnit, Indicator, IndicatorValue

TEXT_LIMIT = 5000

QUALIFIER_ALIASES = {
    "": "exact",
    "exact": "exact",
    "chính xác": "exact",
    "=": "exact",
    "approximately": "approximately",
    "gần": "approximately",
    "xấp xỉ": "approximately",
    "khoảng": "approximately",
    "≈": "approximately",
    "more_than": "more_than",
    "hơn": "more_than",
    "trên": "more_than",
    ">": "more_than",
    "less_than": "less_than",
    "dưới": "less_than",
    "<": "less_than",
    "average": "average",
    "trung bình": "average",
    "~": "average",
}


@dataclass
class RowProblem:
    row: int
    column: str
    message: str


@dataclass
class Figure:
    row: int
    unit_id: int
    unit_code: str
    indicator: Indicator
    year: int
    value: Decimal
    qualifier: str
    source_id: int | None
    quote: str
    note: str


@dataclass
class Existing:
    status: str
    is_demo: bool
    value: Decimal


@dataclass
class ImportContext:
    # code -> the units with it: a code names one unit in each period (80: Long An, then Tây Ninh)
    units: dict[str, list[AdministrativeUnit]]
    indicators: dict[str, Indicator]
    sources: dict[str, tuple[int, bool, int | None]]  # code -> (id, is demo, unit that may cite it; None: any)
    editable_unit_ids: frozenset[int] | None  # None: every unit (the shell command)
    existing: dict[tuple[int, int, int], Existing]  # (indicator id, unit id, year) -> value
    # The units of the site's province among the file's (None: any province, the shell command's operator).
    province_unit_ids: frozenset[int] | None = None
    province_name: str = ""


@dataclass
class CheckResult:
    figures: list[Figure] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    skipped_empty: int = 0
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors


def check_rows(table: Table, ctx: ImportContext, progress=None) -> CheckResult:
    """Every row checked against the catalogue, the user's units, locks, duplicates and the relations.

    `progress(done, total)` is called now and then, for the shell command's progress bar.
    """
    result = CheckResult(total_rows=len(table.rows))
    seen: dict[tuple[int, int, int], int] = {}
    resolve = functools.cache(functools.partial(_resolve_unit, ctx))  # a large file repeats its codes and years
    for index, (number, row) in enumerate(table.rows, start=1):
        figure = _check_row(number, row, ctx, result, seen, resolve)
        if figure is not None:
            result.figures.append(figure)
        if progress and index % 5000 == 0:
            progress(index, len(table.rows))
    if not result.errors:
        _check_relations(result, ctx)
    result.errors.sort(key=lambda p: (p.row, p.column))
    return result


def cell_text(cell) -> str:
    if cell is None:
        return ""
    if type(cell) is str:
        cell = cell.strip()
        # ASCII is NFC already: most cells of a large file skip the normalisation.
        return cell if cell.isascii() else unicodedata.normalize("NFC", cell)
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return unicodedata.normalize("NFC", str(cell)).strip()


def cell_year(text: str) -> int | None:
    """A whole year from "2024" or "2024.0"; None for anything else."""
    if text.isdigit() and text.isascii():
        return int(text)
    try:
        number = Decimal(text) if text else None
    except InvalidOperation:
        return None
    if number is None or not number.is_finite() or number != number.to_integral_value():
        return None
    return int(number)


def _resolve_unit(ctx: ImportContext, code: str, year: int | None) -> tuple[AdministrativeUnit | None, list]:
    """The unit a row's code names in its year, or why there is none: [(column, message)].

    A code names the unit that reports for the row's year (in force on 31 December): "80" in 2024 is
    Long An, in 2025 Tây Ninh. A unit outside its validity, of another province, not the user's, or a
    code that names two units that year, is an error.
    """
    candidates = ctx.units.get(code, [])
    if not code:
        return None, [("unit_code", _("Thiếu mã đơn vị."))]
    if not candidates:
        return None, [("unit_code", _("Không có đơn vị mã “%(code)s”.") % {"code": code[:40]})]
    if year is None:  # the year's own error is reported; check the rest against the only unit, if one
        return (candidates[0] if len(candidates) == 1 else None), []
    reporting = [unit for unit in candidates if unit.reports_in(year)]
    if not reporting:
        latest = max(candidates, key=lambda unit: (unit.valid_from is not None, unit.valid_from))
        return None, [("year", _("Đơn vị “%(code)s”: %(why)s") % {"code": code, "why": latest.year_error(year)})]
    if len(reporting) > 1:
        names = ", ".join(f"{unit.name} ({unit.period_text or '–'})" for unit in reporting)
        message = _("Mã “%(code)s” chỉ nhiều đơn vị trong năm %(year)d: %(names)s. Không rõ là đơn vị nào.")
        return None, [("unit_code", message % {"code": code, "year": year, "names": names})]
    (unit,) = reporting
    # A province is no one's to enter (the check below says so); its districts and communes are the site's.
    foreign = unit.level != AdministrativeUnit.Level.PROVINCE and ctx.province_unit_ids is not None
    if foreign and unit.pk not in ctx.province_unit_ids:
        message = _("Đơn vị “%(code)s” (%(name)s) không thuộc %(province)s.")
        return None, [("unit_code", message % {"code": code, "name": unit.name, "province": ctx.province_name})]
    if ctx.editable_unit_ids is not None and unit.pk not in ctx.editable_unit_ids:
        return None, [("unit_code", _("Bạn không được nhập số liệu cho đơn vị “%(code)s”.") % {"code": code})]
    return unit, []


def _check_row(number, row, ctx, result, seen, resolve) -> Figure | None:
    errors = []

    def error(column, message):
        errors.append(RowProblem(number, column, str(message)))

    for column, cell in row.items():
        if isinstance(cell, Formula) or (isinstance(cell, str) and cell.strip().startswith("=")):
            error(column, _("Ô chứa công thức; chỉ nhận giá trị. Hãy dán dạng giá trị (Paste values)."))
        elif isinstance(cell, str) and "\x00" in cell:
            # No text column of PostgreSQL can hold it; refused here, not at the write.
            error(column, _("Ô chứa ký tự NUL (mã 0), không được phép. Hãy xóa ký tự này trong tệp."))
    if row.get("__extra__"):
        error("", _("Dòng có nhiều ô hơn số cột tiêu đề."))
    if errors:
        result.errors.extend(errors)
        return None

    if is_blank(row.get("value")):
        result.skipped_empty += 1
        return None

    unit_code, indicator_code = cell_text(row.get("unit_code")), cell_text(row.get("indicator_code"))
    year = cell_year(cell_text(row.get("year")))
    if year is not None and not (YEAR_MIN <= year <= YEAR_MAX):
        year = None
    unit, problems = resolve(unit_code, year)
    for column, message in problems:
        error(column, message)
    indicator = ctx.indicators.get(indicator_code)
    if not indicator_code:
        error("indicator_code", _("Thiếu mã chỉ tiêu."))
    elif indicator is None:
        error("indicator_code", _("Không có chỉ tiêu mã “%(code)s”.") % {"code": indicator_code[:80]})
    elif unit is not None and not indicator.applies_to(unit.level):
        error(
            "indicator_code",
            _("Chỉ tiêu “%(code)s” không áp dụng cho %(level)s (%(unit)s).")
            % {"code": indicator_code, "level": unit.get_level_display().lower(), "unit": unit.name},
        )
    if year is None:
        error("year", _("Năm phải là số nguyên từ %(min)d đến %(max)d.") % {"min": YEAR_MIN, "max": YEAR_MAX})

    value = None
    cell = row.get("value")
    try:
        value = parse_cell(cell)  # the entry form's rule (numbers.parse_number) for a text cell
    except NumberError as problem:
        error("value", problem)
        value = None
    if value is not None and indicator is not None:
        problem = indicator.bounds_error(value)
        if problem:
            error("value", problem)

    qualifier_text = cell_text(row.get("qualifier")).lower()
    qualifier = QUALIFIER_ALIASES.get(qualifier_text)
    if qualifier is None:
        error("qualifier", _("Mức chính xác không hợp lệ; dùng: exact, approximately, more_than, less_than, average."))

    source_id = None
    source_code = cell_text(row.get("source_code"))
    if source_code:
        source = ctx.sources.get(source_code)
        if source is None:
            error("source_code", _("Không có nguồn mã “%(code)s”.") % {"code": source_code[:80]})
        elif source[1]:
            error("source_code", _("Không được gán số liệu thật cho nguồn dữ liệu minh họa."))
        elif source[2] is not None and unit is not None and source[2] != unit.pk:
            error("source_code", _("Nguồn “%(code)s” là báo cáo riêng của đơn vị khác.") % {"code": source_code[:80]})
        else:
            source_id = source[0]

    quote, note = cell_text(row.get("quote")), cell_text(row.get("note"))
    for column, text in (("quote", quote), ("note", note)):
        if len(text) > TEXT_LIMIT:
            error(column, _("Quá dài (tối đa %(max)d ký tự).") % {"max": TEXT_LIMIT})

    if unit is not None and indicator is not None and year is not None:
        key = (indicator.pk, unit.pk, year)
        if key in seen:
            error("", _("Trùng với dòng %(row)d (cùng đơn vị, chỉ tiêu và năm).") % {"row": seen[key]})
        else:
            seen[key] = number
        existing = ctx.existing.get(key)
        if existing is not None and not existing.is_demo and existing.status not in IndicatorValue.OPEN_STATUSES:
            error(
                "value",
                _("Số liệu này đang ở trạng thái “%(status)s” nên bị khóa; chỉ sửa được khi Sở Nội vụ trả lại.")
                % {"status": _status_label(existing.status)},
            )
    if errors:
        result.errors.extend(errors)
        return None
    return Figure(
        row=number,
        unit_id=unit.pk,
        unit_code=unit.code,
        indicator=indicator,
        year=year,
        value=value,
        qualifier=qualifier,
        source_id=source_id,
        quote=quote,
        note=note,
    )


def stored_value_problems(*, indicator: Indicator, year, value, qualifier: str, status: str) -> dict[str, str]:
    """What IndicatorValue.full_clean() refuses in an imported figure, checked without a model instance.

    The same rules: the year's range, the value's digits and decimal places (the field's own
    validators), not negative, the indicator's bounds and whole numbers (Indicator.bounds_error,
    which IndicatorValue.clean calls), and the choices of qualifier and status. check_rows already
    reports each of these as a row error; write_import runs this on every figure as a last guard.
    tests/test_import_bulk.py checks it refuses exactly what full_clean refuses.
    """

    problems = {}
    if not isinstance(year, int) or not (YEAR_MIN <= year <= YEAR_MAX):
        problems["year"] = _("Năm phải từ %(min)d đến %(max)d.") % {"min": YEAR_MIN, "max": YEAR_MAX}
    if not isinstance(value, Decimal) or not value.is_finite():
        problems["value"] = _("Không phải là số.")
    else:
        try:
            for validator in _value_validators():
                validator(value)
        except ValidationError as error:
            problems["value"] = error.messages[0]
        else:
            problem = _("Số liệu không được âm.") if value < 0 else indicator.bounds_error(value)
            if problem:
                problems["value"] = str(problem)
    for name, choice in (("qualifier", qualifier), ("status", status)):
        if choice not in _choices(name):
            field = IndicatorValue._meta.get_field(name)
            problems[name] = field.error_messages["invalid_choice"] % {"value": repr(choice)}
    return problems


@functools.cache
def _value_validators():
    return tuple(IndicatorValue._meta.get_field("value").validators)


@functools.cache
def _choices(name: str) -> frozenset:
    return frozenset(key for key, _label in IndicatorValue._meta.get_field(name).flatchoices)


def _status_label(status: str) -> str:
    return str(IndicatorValue.Status(status).label)


def _check_relations(result: CheckResult, ctx: ImportContext) -> None:
    """Overdue ≤ received and the on-time share per unit-year, and the 3× outlier check, on the merged data."""
    code_of = {i.pk: code for code, i in ctx.indicators.items()}
    kinds = {code: i.unit_kind for code, i in ctx.indicators.items()}
    roles = {code: i.role for code, i in ctx.indicators.items()}
    related = validation.related_codes(roles)
    merged: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
    for (indicator_id, unit_id, year), existing in ctx.existing.items():
        code = code_of.get(indicator_id)
        if code is not None and not existing.is_demo:  # as the entry form: a demo figure is no evidence
            merged[(unit_id, year)][code] = existing.value
    file_rows: dict[tuple[int, int], dict[str, Figure]] = defaultdict(dict)
    for f in result.figures:
        merged[(f.unit_id, f.year)][f.indicator.code] = f.value
        file_rows[(f.unit_id, f.year)][f.indicator.code] = f
    for (unit_id, year), figures in file_rows.items():
        values = merged[(unit_id, year)]
        # A stored inconsistency that this file does not touch is not this file's error.
        found = validation.cross_field_problems(values, roles) if related & figures.keys() else validation.Problems()
        found.merge(
            validation.outlier_warnings(
                {code: f.value for code, f in figures.items()}, merged.get((unit_id, year - 1), {}), kinds
            )
        )
        first_row = min(f.row for f in figures.values())
        for target, messages in ((result.errors, found.errors), (result.warnings, found.warnings)):
            for code, texts in messages.items():
                row = figures[code].row if code in figures else first_row
                target.extend(RowProblem(row, "value", f"{code}: {text}") for text in texts)
