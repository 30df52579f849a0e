"""Reading a criteria set laid out like a decision's annex, and survey points, from an XLSX or CSV.

The file goes through the same reader as the figures (`reading.read_table`: size, rows, columns and
cell limits, the XLSX guard, formulas refused), with the annex's own columns. Headers may be the
template's names or the annex's Vietnamese ones ("Mã", "Tiêu chí", "Điểm tối đa", "Cách chấm" …),
with or without diacritics. No queries here: the catalogue lookups are passed in.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.domain import index_tree
from indicators.domain.numbers import NumberError, parse_cell
from indicators.domain.text import fold
from indicators.imports.checking import RowProblem, cell_text
from indicators.imports.limits import ImportFileError, Limits
from indicators.imports.reading import Formula, Table, read_table

ANNEX_COLUMNS = [
    "code",
    "name",
    "max_points",
    "method",
    "evidence_required",
    "guidance",
    "indicator_code",
    "target",
    "name_en",
    "placeholder",
    "source_note",
]
ANNEX_REQUIRED = ["code", "name", "max_points"]
SURVEY_COLUMNS = ["unit_code", "criterion_code", "points", "source"]
SURVEY_REQUIRED = ["unit_code", "criterion_code", "points"]

# Folded header text (fold(), "_" for spaces) -> column.
HEADER_ALIASES = {
    "ma": "code",
    "stt": "code",
    "tt": "code",
    "ma_tieu_chi": "code",
    "ten": "name",
    "tieu_chi": "name",
    "noi_dung": "name",
    "linh_vuc,_tieu_chi": "name",
    "diem_toi_da": "max_points",
    "diem": "max_points",
    "cach_cham": "method",
    "phuong_thuc": "method",
    "tlkc": "evidence_required",
    "bat_buoc_tlkc": "evidence_required",
    "tai_lieu_kiem_chung": "evidence_required",
    "huong_dan": "guidance",
    "huong_dan_cham": "guidance",
    "ma_chi_tieu": "indicator_code",
    "muc_tieu": "target",
    "ten_tieng_anh": "name_en",
    "gia_dinh": "placeholder",
    "nguon": "source_note",
    "ma_don_vi": "unit_code",
    "diem_dieu_tra": "points",
}
METHOD_ALIASES = {
    "": index_tree.ASSESSED,
    "assessed": index_tree.ASSESSED,
    "tu cham": index_tree.ASSESSED,
    "tu danh gia": index_tree.ASSESSED,
    "tham dinh": index_tree.ASSESSED,
    "survey": index_tree.SURVEY,
    "dieu tra": index_tree.SURVEY,
    "dieu tra xa hoi hoc": index_tree.SURVEY,
    "indicator": index_tree.INDICATOR,
    "tu dong": index_tree.INDICATOR,
    "chi tieu": index_tree.INDICATOR,
}
YES = {"1", "x", "co", "yes", "true", "bat buoc"}
NO = {"", "0", "khong", "no", "false"}


def _column(header: str) -> str:
    folded = fold(header.replace("_", " ")).replace(" ", "_")
    return HEADER_ALIASES.get(folded, folded)


def read_rows(
    content: bytes, filename: str, *, columns: list[str], required: list[str], limits: Limits | None = None
) -> Table:
    """The file through the figures' reader, its headers mapped to `columns`; ImportFileError if unreadable."""
    table = read_table(content, filename, limits, required=())
    header = [_column(h) if h else "" for h in table.header]
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFileError(
            _("Thiếu cột: %(columns)s. Dòng đầu tiên phải là tiêu đề như trong tệp mẫu.")
            % {"columns": ", ".join(missing)}
        )
    duplicated = sorted({h for h in header if h and header.count(h) > 1})
    if duplicated:
        raise ImportFileError(_("Cột bị lặp: %(columns)s.") % {"columns": ", ".join(duplicated)})
    rename = dict(zip(table.header, header, strict=True))
    rows = [(number, {rename[key]: cell for key, cell in row.items() if key in rename}) for number, row in table.rows]
    return Table(header=header, rows=rows)


@dataclass
class AnnexResult:
    nodes: list[index_tree.Node] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _text(row: dict, column: str, result, number: int, limit: int) -> str:
    cell = row.get(column)
    if isinstance(cell, Formula):
        result.errors.append(
            RowProblem(
                number, column, _("Ô chứa công thức (%(formula)s): hãy nhập giá trị.") % {"formula": cell.text[:40]}
            )
        )
        return ""
    text = cell_text(cell)
    if text.startswith(("=", "+", "@")):
        result.errors.append(
            RowProblem(number, column, _("Ô bắt đầu bằng “%(c)s”: không nhận công thức.") % {"c": text[0]})
        )
        return ""
    if len(text) > limit:
        result.errors.append(RowProblem(number, column, _("Quá dài (tối đa %(max)d ký tự).") % {"max": limit}))
        return text[:limit]
    return text


def points_cell(cell) -> Decimal:
    """Points from a cell: a number, or text read as the entry form reads it ("95,5", "1.234,5"); NumberError
    otherwise (numbers.parse_cell)."""
    return parse_cell(cell)


def read_annex(table: Table, *, indicators: Mapping[str, object]) -> AnnexResult:
    """Each row as a node of the tree, then the tree checked (index_tree.build_tree): every problem with its row."""
    result = AnnexResult()
    for number, row in table.rows:
        code = index_tree.normal_code(_text(row, "code", result, number, 20))
        name = _text(row, "name", result, number, 500)
        if not name:
            result.errors.append(RowProblem(number, "name", _("Thiếu tên tiêu chí.")))
        max_points = Decimal(0)
        raw_max = row.get("max_points")
        if isinstance(raw_max, Formula):
            result.errors.append(RowProblem(number, "max_points", _("Ô chứa công thức: hãy nhập giá trị.")))
        else:
            try:
                max_points = points_cell(raw_max)
            except NumberError as error:
                result.errors.append(RowProblem(number, "max_points", str(error)))
            if max_points > 1000:
                result.errors.append(RowProblem(number, "max_points", _("Điểm tối đa quá lớn.")))
        method_text = fold(_text(row, "method", result, number, 50))
        method = METHOD_ALIASES.get(method_text)
        if method is None:
            result.errors.append(
                RowProblem(
                    number,
                    "method",
                    _("Cách chấm “%(method)s” không rõ: dùng “tự chấm”, “điều tra” hoặc “tự động”.")
                    % {"method": method_text[:30]},
                )
            )
            method = index_tree.ASSESSED
        evidence_text = fold(_text(row, "evidence_required", result, number, 20))
        if evidence_text not in YES | NO:
            result.errors.append(RowProblem(number, "evidence_required", _("Ghi “có” hoặc “không”.")))
        indicator_code = _text(row, "indicator_code", result, number, 80)
        if indicator_code and indicator_code not in indicators:
            result.errors.append(
                RowProblem(
                    number, "indicator_code", _("Không có chỉ tiêu mã “%(code)s”.") % {"code": indicator_code[:80]}
                )
            )
        target = None
        if not _blank(row.get("target")):
            try:
                target = points_cell(row.get("target"))
            except NumberError as error:
                result.errors.append(RowProblem(number, "target", str(error)))
        placeholder = fold(_text(row, "placeholder", result, number, 20)) in YES
        result.nodes.append(
            index_tree.Node(
                row=number,
                code=code,
                name=name,
                max_points=max_points,
                method=method,
                guidance=_text(row, "guidance", result, number, 5000),
                evidence_required=evidence_text not in NO if method == index_tree.ASSESSED else False,
                indicator_code=indicator_code,
                target=target,
                name_en=_text(row, "name_en", result, number, 500),
                is_placeholder=placeholder,
                source_note=_text(row, "source_note", result, number, 2000),
            )
        )
    for problem in index_tree.build_tree(result.nodes):
        result.errors.append(RowProblem(problem.row, problem.column, problem.message))
    # A node with children is a group whatever its row said; its own evidence and method do not apply.
    for node in result.nodes:
        if node.is_group:
            node.method = index_tree.GROUP
            node.evidence_required = False
    result.errors.sort(key=lambda p: (p.row, p.column))
    return result


def _blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


@dataclass
class SurveyRow:
    row: int
    unit_code: str
    criterion_code: str
    points: Decimal
    source: str


def read_survey(table: Table) -> tuple[list[SurveyRow], list[RowProblem]]:
    """Survey points per unit and criterion; the caller checks codes and maxima against the set."""
    rows, errors = [], []
    result = AnnexResult()
    for number, row in table.rows:
        unit_code = _text(row, "unit_code", result, number, 20)
        criterion_code = index_tree.normal_code(_text(row, "criterion_code", result, number, 20))
        source = _text(row, "source", result, number, 300)
        try:
            if isinstance(row.get("points"), Formula):
                raise NumberError(_("Ô chứa công thức: hãy nhập giá trị."))
            points = points_cell(row.get("points"))
        except NumberError as error:
            result.errors.append(RowProblem(number, "points", str(error)))
            continue
        rows.append(SurveyRow(number, unit_code, criterion_code, points, source))
    errors.extend(result.errors)
    return rows, sorted(errors, key=lambda p: (p.row, p.column))
