"""A file of one of the layouts (imports/layouts.py) read into typed rows, before any unit is matched.

The header is looked for in the file's first rows (reports have title lines above it), as one row or
as two (a group header such as "Đã xử lý" above "Trước hạn | Đúng hạn | Trễ hạn"). Title lines that
state the period ("Kỳ báo cáo: Quý II/2025") are read. A file whose header is not the layout's, that
is in another encoding, or that states another period than the one chosen, is refused as a whole
(ImportFileError); a formula, a number that is not one, a total that disagrees with its parts or a
count over its limit is a row error. No queries here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.domain.numbers import NumberError, parse_cell
from indicators.domain.text import fold
from indicators.imports import periods
from indicators.imports.checking import RowProblem, cell_text
from indicators.imports.layouts import Layout, key
from indicators.imports.limits import ImportFileError, Limits
from indicators.imports.reading import Formula, detect_format, is_blank, read_records


@dataclass
class LayoutRow:
    row: int  # as the spreadsheet numbers it
    name: str
    code: str
    province: str
    values: dict[str, Decimal | None]  # number column key -> value (None: blank)


@dataclass
class LayoutTable:
    layout: Layout
    header_row: int
    labels: dict[str, str]  # column key -> the header as the file writes it
    ignored: list[str]  # header cells no column of the layout has
    rows: list[LayoutRow] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    skipped: int = 0  # total lines and blank lines
    total_rows: int = 0


def read_layout_file(
    content: bytes, filename: str, layout: Layout, *, year: int, period: str, limits: Limits | None = None
) -> LayoutTable:
    """The file's rows, typed and checked within themselves; ImportFileError for a file that is not of
    this layout, in another encoding or of another period."""
    is_xlsx = detect_format(content, filename) == "xlsx"
    if not is_xlsx:
        _refuse_other_encodings(content)
    records = read_records(content, filename, limits)
    found = _find_header(records, layout)
    if found is None:
        raise _not_this_layout(records, layout, utf8=is_xlsx or _is_utf8(content))
    index, span, columns, ignored = found
    header_row = records[index + span - 1][0]
    _check_stated_period(records[:index], layout, year=year, period=period)
    table = LayoutTable(
        layout=layout,
        header_row=header_row,
        labels={k: label for label, (k, _i) in columns.items()},
        ignored=ignored,
    )
    positions = {k: i for _label, (k, i) in columns.items()}
    skip = {key(n) for n in layout.skip_names}
    for number, cells in records[index + span :]:
        _read_row(table, number, cells, positions, skip, year=year, period=period)
    if not table.rows and not table.errors:
        raise ImportFileError(_("Tệp không có dòng số liệu nào của đơn vị (chỉ có tiêu đề hoặc dòng tổng)."))
    return table


def _is_utf8(content: bytes) -> bool:
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _refuse_other_encodings(content: bytes) -> None:
    """UTF-16 (Excel's "Unicode text"): its NUL bytes would otherwise pass as Windows-1258."""
    if content[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in content[:4096]:
        raise ImportFileError(
            _(
                "Tệp được lưu bằng bảng mã UTF-16 (“Unicode Text”), không phải UTF-8. "
                "Hãy lưu lại dạng “CSV UTF-8” hoặc XLSX rồi tải lên lại."
            )
        )


def _header_keys(cells: list) -> list[str]:
    return [key(cell_text(c)) if not isinstance(c, Formula) else "" for c in cells]


def _assign(keyed: list[tuple[int, list[str], str]], layout: Layout):
    """Column key -> position from each cell's candidate header keys; the cells no column has; the cells
    that name a column another cell already named."""
    by_alias = {alias: column.key for column in layout.columns for alias in column.keys}
    columns: dict[str, tuple[str, int]] = {}
    taken: set[str] = set()
    ignored, duplicated = [], []
    for position, options, label in keyed:
        column_key = next((by_alias[o] for o in options if o in by_alias), None)
        if column_key is None:
            if label:
                ignored.append(label)
            continue
        if column_key in taken:
            duplicated.append(label)
            continue
        taken.add(column_key)
        columns[label] = (column_key, position)
    return columns, ignored, duplicated


def _find_header(records, layout: Layout):
    """(index of the header's first row, 1 or 2 rows, {label: (column key, position)}, ignored labels)."""
    required = {c.key for c in layout.columns if c.required}
    limit = min(layout.header_search_rows, len(records))
    # One-row headers first: a title line above a header is not a group header.
    for index in range(limit):
        cells = records[index][1]
        single = [(i, [k], cell_text(c)) for i, (c, k) in enumerate(zip(cells, _header_keys(cells), strict=True))]
        found = _header_at(index, 1, _assign(single, layout), required)
        if found:
            return found
    for index in range(min(limit, len(records) - 1)):
        found = _header_at(index, 2, _assign(_two_rows(records[index][1], records[index + 1][1]), layout), required)
        if found:
            return found
    return None


def _header_at(index: int, span: int, assigned, required: set[str]):
    columns, ignored, duplicated = assigned
    if not required <= {k for k, _i in columns.values()}:
        return None
    if duplicated:
        raise ImportFileError(_("Cột bị lặp: %(columns)s.") % {"columns": ", ".join(duplicated)})
    return index, span, columns, ignored


def _two_rows(parents: list, children: list) -> list[tuple[int, list[str], str]]:
    """A group header over its sub-headers, each cell as "group sub-header", then alone."""
    keyed, parent = [], ""
    for i in range(max(len(parents), len(children))):
        above = cell_text(parents[i]) if i < len(parents) and not isinstance(parents[i], Formula) else ""
        below = cell_text(children[i]) if i < len(children) and not isinstance(children[i], Formula) else ""
        parent = above or parent
        if below:
            keyed.append((i, [key(f"{parent} {below}"), key(below)], f"{parent} – {below}" if parent else below))
        elif above:
            keyed.append((i, [key(above)], above))
    return keyed


def _not_this_layout(records, layout: Layout, *, utf8: bool) -> ImportFileError:
    best, best_missing = None, None
    for _number, cells in records[: layout.header_search_rows]:
        found = set(_header_keys(cells))
        missing = [c.label for c in layout.columns if c.required and not (c.keys & found)]
        if best_missing is None or len(missing) < len(best_missing):
            best, best_missing = cells, missing
    message = _(
        "Tệp không đúng mẫu “%(layout)s”: không tìm thấy cột %(missing)s trong %(rows)d dòng đầu. "
        "Các cột bắt buộc của mẫu: %(required)s."
    ) % {
        "layout": layout.label,
        "missing": ", ".join(best_missing or layout.required_labels()),
        "rows": layout.header_search_rows,
        "required": ", ".join(layout.required_labels()),
    }
    if not utf8 and best is not None:
        message += " " + _(
            "Tệp không phải UTF-8; nếu chữ tiếng Việt trong tệp bị lỗi, có thể tệp dùng bảng mã khác "
            "(TCVN3, VNI). Hãy lưu lại dạng “CSV UTF-8”."
        )
    return ImportFileError(message)


def _check_stated_period(title_rows, layout: Layout, *, year: int, period: str) -> None:
    for _number, cells in title_rows:
        for cell in cells:
            text = cell_text(cell) if not isinstance(cell, Formula) else ""
            if not text or not any(w in fold(text) for w in ("ky", "quy", "thang", "nam", "tu ngay")):
                continue
            stated = periods.parse_period(text)
            if stated is not None:
                _same_period(stated, year=year, period=period, where=_("dòng tiêu đề"))


def _same_period(stated: periods.FilePeriod, *, year: int, period: str, where: str) -> None:
    if stated.code != period or stated.year != year:
        raise ImportFileError(
            _(
                "Kỳ báo cáo của tệp (%(stated)s, ở %(where)s) khác kỳ đã chọn (%(chosen)s). "
                "Không có số liệu nào được ghi."
            )
            % {"stated": stated.label(), "where": where, "chosen": periods.period_label(period, year)}
        )


def _read_row(table: LayoutTable, number: int, cells: list, positions, skip, *, year: int, period: str) -> None:
    layout = table.layout
    cell = {k: (cells[i] if i < len(cells) else None) for k, i in positions.items()}
    if all(is_blank(v) for v in cell.values()):
        return
    table.total_rows += 1
    errors = []

    def error(column_key: str, message) -> None:
        label = table.labels.get(column_key, column_key)
        errors.append(RowProblem(number, label, str(message)))

    for index, raw in enumerate(cells):
        if isinstance(raw, Formula) or (isinstance(raw, str) and raw.strip().startswith("=")):
            column_key = next((k for k, i in positions.items() if i == index), "")
            label = table.labels.get(column_key) or _("cột %(n)d") % {"n": index + 1}
            errors.append(
                RowProblem(number, label, _("Ô chứa công thức; chỉ nhận giá trị. Hãy dán dạng giá trị (Paste values)."))
            )
        elif isinstance(raw, str) and "\x00" in raw:
            errors.append(RowProblem(number, "", _("Ô chứa ký tự NUL (mã 0), không được phép.")))
    if errors:
        table.errors.extend(errors)
        return
    unit = layout.unit_columns
    name = cell_text(cell.get(unit.get("name", ""))) if "name" in unit else ""
    if name and key(name) in skip:
        table.skipped += 1
        return
    if layout.period_column:
        stated = periods.parse_period(cell_text(cell.get(layout.period_column)))
        if stated is not None:
            _same_period(stated, year=year, period=period, where=_("dòng %(row)d") % {"row": number})
    values: dict[str, Decimal | None] = {}
    for column in layout.columns:
        if column.type == "text":
            continue
        values[column.key] = _number(column, cell.get(column.key), error)
    if not errors:
        _check_relations(layout, values, table.labels, error)
    if errors:
        table.errors.extend(errors)
        return
    table.rows.append(
        LayoutRow(
            row=number,
            name=name,
            code=cell_text(cell.get(unit["code"])) if "code" in unit else "",
            province=cell_text(cell.get(unit["province"])) if "province" in unit else "",
            values=values,
        )
    )


def _number(column, raw, error) -> Decimal | None:
    if is_blank(raw):
        return None
    try:
        value = parse_cell(raw)  # the entry form's rule (numbers.parse_number) for a text cell
    except NumberError as problem:
        error(column.key, problem)
        return None
    if column.type == "count" and value != value.to_integral_value():
        error(column.key, _("Phải là số nguyên (số hồ sơ, số người)."))
        return None
    if column.max is not None and value > column.max:
        error(
            column.key,
            _("%(column)s = %(value)s vượt mức tối đa %(max)s.")
            % {"column": column.label, "value": _plain(value), "max": _plain(column.max)},
        )
        return None
    return value


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def _check_relations(layout: Layout, values, labels, error) -> None:
    for check in layout.checks:
        held = values.get(check.column)
        others = [values.get(k) for k in check.others]
        if held is None or any(v is None for v in others):
            continue
        label = labels.get(check.column, layout.column(check.column).label)
        if check.kind == "sum":
            total = sum(others, Decimal(0))
            if abs(total - held) > check.tolerance:
                parts = " + ".join(labels.get(k, layout.column(k).label) for k in check.others)
                error(
                    check.column,
                    _("Tổng các phần (%(parts)s = %(sum)s) khác %(total)s (%(value)s).")
                    % {"parts": parts, "sum": _plain(total), "total": label, "value": _plain(held)},
                )
        elif held > others[0] + check.tolerance:
            limit = labels.get(check.others[0], layout.column(check.others[0]).label)
            error(
                check.column,
                _("%(column)s (%(value)s) lớn hơn %(limit)s (%(max)s).")
                % {"column": label, "value": _plain(held), "limit": limit, "max": _plain(others[0])},
            )
