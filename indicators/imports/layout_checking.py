"""A layout file's rows matched to units and turned into figures, which then go through the same
checks as any import (`imports.check_rows`: the catalogue, bounds, unit years and levels, locks and
the relations between figures). The preview's summary is built and stored from here. No queries here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from indicators.imports import formulas, periods
from indicators.imports.checking import CheckResult, RowProblem
from indicators.imports.layout_reading import LayoutTable
from indicators.imports.layouts import Layout
from indicators.imports.matching import Match, Matcher
from indicators.imports.reading import COLUMNS, Table

# Each figure of a file row gets its own row number for check_rows: file row × SLOTS + its position.
SLOTS = 100

OK, ERROR, OTHER_UNIT = "ok", "error", "other_unit"


@dataclass(frozen=True)
class Part:
    """A figure as the file gives it for its period, kept with the import record on confirm."""

    row: int
    name: str
    unit_id: int
    indicator_code: str
    value: Decimal


@dataclass
class MatchedRow:
    match: Match
    status: str = OK
    values: dict[str, str] = field(default_factory=dict)  # indicator code -> the figure, as text

    def to_json(self) -> list:
        return [*self.match.to_json(), self.status, self.values]

    @classmethod
    def from_json(cls, data: list) -> MatchedRow:
        return cls(Match.from_json(data[:7]), data[7], data[8])


@dataclass
class LayoutCheck:
    """What a layout file gives: the generic table for check_rows, where each of its rows came from,
    the rows as matched, the parts to keep, and the problems found before check_rows."""

    table: Table
    origin: dict[int, tuple[int, str]]  # check_rows row -> (file row, header of the column it came from)
    rows: list[MatchedRow]
    parts: list[Part]
    errors: list[RowProblem]
    warnings: list[RowProblem]
    other_units: int = 0
    waiting: int = 0  # quarter figures kept until the year's four are in


@dataclass
class Context:
    """What the check needs of the database, looked up by selectors.layout_lookups."""

    layout: Layout
    year: int
    period: str
    matcher: Matcher
    allowed_unit_ids: frozenset[int] | None  # None: every unit of the file (provincial staff)
    names: dict[str, str]  # indicator code -> name, for messages
    decimals: dict[str, int]  # indicator code -> decimal places
    quarters: dict[tuple[int, str], dict[str, Decimal]] = field(default_factory=dict)
    # (unit id, indicator code) -> {"Q1": value, ...} from confirmed imports of this layout and year


def period_refusal(layout: Layout, period: str, names: dict[str, str]) -> str | None:
    return periods.refusal(layout.period_rules(), period, names)


def match_rows(read: LayoutTable, ctx: Context) -> LayoutCheck:
    """Every row matched to a unit (shown in the preview), then its figures made by the period rule."""
    layout = read.layout
    check = LayoutCheck(
        table=Table(header=list(COLUMNS), rows=[]), origin={}, rows=[], parts=[], errors=[], warnings=[]
    )
    check.errors.extend(read.errors)
    name_label = read.labels.get(layout.unit_columns.get("name", ""), "") or read.labels.get(
        layout.unit_columns.get("code", ""), ""
    )
    seen: dict[int, int] = {}
    rules = layout.period_rules()
    source = {"layout": layout.label, "period": periods.period_label(ctx.period, ctx.year)}
    for row in read.rows:
        match = ctx.matcher.match(row.row, row.name, row.code, row.province)
        matched = MatchedRow(match)
        check.rows.append(matched)
        if match.unit is None:
            matched.status = ERROR
            check.errors.append(RowProblem(row.row, name_label, match.problem))
            continue
        if match.unit.pk in seen:
            matched.status = ERROR
            check.errors.append(
                RowProblem(
                    row.row,
                    name_label,
                    _("Dòng %(first)d và dòng này cùng là %(unit)s.")
                    % {"first": seen[match.unit.pk], "unit": match.unit.name},
                )
            )
            continue
        seen[match.unit.pk] = row.row
        if ctx.allowed_unit_ids is not None and match.unit.pk not in ctx.allowed_unit_ids:
            matched.status = OTHER_UNIT
            check.other_units += 1
            continue
        row_note = _note(source, row)  # once per row: a national table has 20,000 figures
        figures = _figures(layout, row.values, read.labels, ctx.names)
        for position, (code, value, label, problem) in enumerate(figures):
            if problem:
                check.warnings.append(RowProblem(row.row, label, problem))
                continue
            matched.values[code] = f"{value.normalize():f}"
            check.parts.append(Part(row.row, row.name, match.unit.pk, code, value))
            yearly = _yearly(ctx, rules[code], match.unit.pk, code, value)
            if yearly is None:
                check.waiting += 1
                continue
            figure, qualifier, extra = yearly
            number = row.row * SLOTS + position
            check.origin[number] = (row.row, label)
            check.table.rows.append(
                (
                    number,
                    {
                        "unit_code": match.unit.code,
                        "indicator_code": code,
                        "year": ctx.year,
                        "value": figure,
                        "qualifier": qualifier,
                        "source_code": "",
                        "quote": "",
                        "note": f"{row_note} {extra}" if extra else row_note,
                    },
                )
            )
    if ctx.allowed_unit_ids is not None and check.rows and not any(r.status != OTHER_UNIT for r in check.rows):
        check.errors.append(RowProblem(0, "", _("Tệp không có dòng nào của đơn vị bạn phụ trách.")))
    return check


def _figures(layout: Layout, values: dict[str, Decimal | None], labels: dict[str, str], names: dict[str, str]):
    """(indicator code, value, column header or indicator name, problem) for each indicator the row gives;
    a computed share is rounded to the layout's decimals, a column's figure kept as the file gives it."""
    found = []
    for column in layout.columns:
        if column.indicator and values.get(column.key) is not None:
            found.append((column.indicator, values[column.key], labels.get(column.key, column.label), ""))
    for computed in layout.computed:
        label = names.get(computed.indicator, computed.indicator)
        try:
            value = formulas.evaluate(computed.formula, values)
        except formulas.NotComputable as missing:
            if str(missing) == "/0":
                problem = _("Không tính được “%(indicator)s”: mẫu số bằng 0.") % {"indicator": label}
                found.append((computed.indicator, None, label, problem))
            # A blank input leaves a gap, as a blank cell does: no figure, nothing to say.
            continue
        step = Decimal(1).scaleb(-computed.decimals)
        found.append((computed.indicator, value.quantize(step, rounding=ROUND_HALF_UP), label, ""))
    return found


def _yearly(ctx: Context, rule: str, unit_id: int, code: str, value: Decimal):
    """(the year's figure, its qualifier, a note) by the indicator's period rule, or None while waiting."""
    how = periods.contribution(rule, ctx.period)
    if how == periods.DIRECT:
        return value, "exact", ""
    quarters = {**ctx.quarters.get((unit_id, code), {}), ctx.period: value}
    if len(quarters) < len(periods.QUARTERS):
        return None
    mean = sum(quarters.values(), Decimal(0)) / len(quarters)
    mean = mean.quantize(Decimal(1).scaleb(-ctx.decimals.get(code, 2)), rounding=ROUND_HALF_UP)
    listed = "; ".join(f"{periods.period_label(q, ctx.year)}: {quarters[q].normalize():f}" for q in periods.QUARTERS)
    return mean, "average", _("Trung bình bốn quý (%(quarters)s).") % {"quarters": listed}


def _note(source: dict, row) -> str:
    """Where the figure came from: the layout, the period, the row and the name as the file writes it."""
    return _("Nhập từ tệp “%(layout)s”, kỳ %(period)s, dòng %(row)d: “%(name)s”.") % {
        **source,
        "row": row.row,
        "name": (row.name or row.code)[:200],
    }


def merge_check(check: LayoutCheck, result: CheckResult) -> list[RowProblem]:
    """check_rows's errors and warnings told by the file's row and column, after the layout's own."""
    for target, found in ((check.errors, result.errors), (check.warnings, result.warnings)):
        for problem in found:
            row, label = check.origin.get(problem.row, (problem.row // SLOTS, problem.column))
            target.append(RowProblem(row, label, problem.message))
    failed = {p.row for p in check.errors}
    for matched in check.rows:
        if matched.status == OK and matched.match.row in failed:
            matched.status = ERROR
    check.errors.sort(key=lambda p: (p.row, p.column))
    check.warnings.sort(key=lambda p: (p.row, p.column))
    return check.errors
