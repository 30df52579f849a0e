"""The official CCHC index as arithmetic: a criteria tree whose points add up, a unit's result as a
share of the maximum that applies to it, bands and competition ranks. Pure functions, no database.

A set is a tree: areas (lĩnh vực, code "1"), criteria ("1.1") and sub-criteria ("1.1.a"). A node's
parent is its code without the last segment. A node with children is scored as their sum and its
maximum must be the sum of theirs; a leaf is scored in one of three ways (`METHODS`). A criterion can
be "not applicable" to a unit: the unit's maximum then shrinks, and its result is the share of it
(the former Tây Ninh publishes "Điểm tối đa 71.5, Điểm thẩm định 69.25, Tỷ lệ đạt 96.85%").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from indicators.domain import stats

GROUP, ASSESSED, SURVEY, INDICATOR = "group", "assessed", "survey", "indicator"
METHODS = (ASSESSED, SURVEY, INDICATOR)
MAX_DEPTH = 3
_CODE_RE = re.compile(r"^[0-9]{1,2}(\.[0-9]{1,2}(\.[a-z0-9]{1,3})?)?$")
CENT = Decimal("0.01")


@dataclass
class Node:
    """One row of an annex: what the importer read, before it is stored."""

    row: int
    code: str
    name: str
    max_points: Decimal
    method: str = ASSESSED  # for a leaf; a node with children is a group whatever the row says
    guidance: str = ""
    evidence_required: bool = True
    indicator_code: str = ""
    target: Decimal | None = None
    name_en: str = ""
    is_placeholder: bool = False
    source_note: str = ""
    children: list[Node] = field(default_factory=list)

    @property
    def parent_code(self) -> str:
        return self.code.rpartition(".")[0]

    @property
    def depth(self) -> int:
        return self.code.count(".") + 1

    @property
    def is_group(self) -> bool:
        return bool(self.children)


@dataclass
class TreeProblem:
    row: int
    column: str
    message: str


def normal_code(text: str) -> str:
    """ "1.1.A", " 1.1.a. " -> "1.1.a": the annex's numbering as a stable code."""
    return (text or "").strip().rstrip(".").lower().replace(" ", "")


def valid_code(code: str) -> bool:
    return bool(_CODE_RE.match(code))


def build_tree(nodes: Sequence[Node], *, total: Decimal | None = Decimal(100)) -> list[TreeProblem]:
    """Link `nodes` (in annex order) into a tree and check it; every problem names its row.

    - codes are well formed, unique, and each one's parent comes before it;
    - a node with children has as maximum exactly the sum of its children's (to the cent);
    - the areas add up to `total` (the set's 100 points) when given;
    - an automatic leaf names an indicator and a target; a survey leaf needs no evidence.
    """
    problems: list[TreeProblem] = []
    by_code: dict[str, Node] = {}
    for node in nodes:
        node.children = []
    for node in nodes:
        if not valid_code(node.code):
            problems.append(
                TreeProblem(
                    node.row,
                    "code",
                    _("Mã “%(code)s” không hợp lệ: viết như 1, 1.1 hoặc 1.1.a (tối đa 3 cấp).") % {"code": node.code},
                )
            )
            continue
        if node.code in by_code:
            problems.append(
                TreeProblem(
                    node.row,
                    "code",
                    _("Mã %(code)s bị lặp (đã có ở dòng %(row)d).")
                    % {"code": node.code, "row": by_code[node.code].row},
                )
            )
            continue
        if node.parent_code:
            parent = by_code.get(node.parent_code)
            if parent is None:
                problems.append(
                    TreeProblem(
                        node.row,
                        "code",
                        _("Tiêu chí %(code)s thuộc %(parent)s, nhưng %(parent)s chưa có ở dòng nào phía trên.")
                        % {"code": node.code, "parent": node.parent_code},
                    )
                )
                continue
            parent.children.append(node)
        by_code[node.code] = node
    for node in by_code.values():
        if node.is_group:
            children_sum = sum((child.max_points for child in node.children), Decimal(0))
            if children_sum != node.max_points:
                problems.append(
                    TreeProblem(
                        node.row,
                        "max_points",
                        _(
                            "Điểm tối đa của %(code)s là %(max)s nhưng các tiêu chí con cộng lại %(sum)s: "
                            "điểm không khớp."
                        )
                        % {"code": node.code, "max": _points(node.max_points), "sum": _points(children_sum)},
                    )
                )
        else:
            problems.extend(_leaf_problems(node))
    areas = [node for node in by_code.values() if not node.parent_code]
    if not areas and not problems:
        problems.append(TreeProblem(0, "", _("Bộ tiêu chí không có lĩnh vực nào.")))
    if total is not None and areas:
        area_sum = sum((area.max_points for area in areas), Decimal(0))
        if area_sum != total:
            problems.append(
                TreeProblem(
                    0,
                    "max_points",
                    _("Các lĩnh vực cộng lại %(sum)s điểm, nhưng bộ tiêu chí phải có tổng %(total)s điểm.")
                    % {"sum": _points(area_sum), "total": _points(total)},
                )
            )
    return sorted(problems, key=lambda p: (p.row, p.column))


def _leaf_problems(node: Node) -> list[TreeProblem]:
    problems = []
    if node.method not in METHODS:
        problems.append(
            TreeProblem(node.row, "method", _("Tiêu chí %(code)s chưa có cách chấm hợp lệ.") % {"code": node.code})
        )
    if node.method == INDICATOR and (not node.indicator_code or node.target is None or node.target <= 0):
        problems.append(
            TreeProblem(
                node.row,
                "indicator_code",
                _("Tiêu chí %(code)s chấm tự động: cần mã chỉ tiêu và mục tiêu lớn hơn 0.") % {"code": node.code},
            )
        )
    if node.method != INDICATOR and (node.indicator_code or node.target is not None):
        problems.append(
            TreeProblem(
                node.row,
                "indicator_code",
                _("Tiêu chí %(code)s không chấm tự động: bỏ trống mã chỉ tiêu và mục tiêu.") % {"code": node.code},
            )
        )
    return problems


def _points(value: Decimal) -> str:
    return f"{value.normalize():f}"


def indicator_points(
    max_points: Decimal, value: Decimal | None, target: Decimal, higher_is_better: bool
) -> Decimal | None:
    """Points of an automatic criterion: the maximum at or beyond the target, in proportion below it.

    None (no figure) is not zero: the appraisal must then decide the criterion by hand.
    """
    if value is None:
        return None
    if higher_is_better:
        reached = Decimal(1) if value >= target else value / target
    else:  # lower is better: at or under the target gives everything
        reached = Decimal(1) if value <= target else max(Decimal(0), 1 - (value - target) / target)
    return (max_points * reached).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class LeafResult:
    """A leaf's points for a unit, or `applicable=False` when it does not apply to the unit."""

    code: str
    area: str
    max_points: Decimal
    points: Decimal
    applicable: bool = True


@dataclass
class UnitResult:
    unit: str
    total: Decimal
    maximum: Decimal
    share: Decimal  # % of the applicable maximum
    survey: Decimal
    areas: dict[str, tuple[Decimal, Decimal]]  # area code -> (points, applicable maximum)
    rank: int | None = None
    band: str = ""


def unit_result(unit: str, leaves: Iterable[LeafResult], survey_codes: frozenset[str] = frozenset()) -> UnitResult:
    areas: dict[str, list[Decimal]] = {}
    total = maximum = survey = Decimal(0)
    for leaf in leaves:
        points, cap = areas.setdefault(leaf.area, [Decimal(0), Decimal(0)])
        if not leaf.applicable:
            continue
        areas[leaf.area] = [points + leaf.points, cap + leaf.max_points]
        total += leaf.points
        maximum += leaf.max_points
        if leaf.code in survey_codes:
            survey += leaf.points
    share = (total * 100 / maximum).quantize(CENT, rounding=ROUND_HALF_UP) if maximum else Decimal(0)
    return UnitResult(
        unit=unit,
        total=total.quantize(CENT),
        maximum=maximum.quantize(CENT),
        share=share,
        survey=survey.quantize(CENT),
        areas={code: (p.quantize(CENT), m.quantize(CENT)) for code, (p, m) in areas.items()},
    )


def band_for(share: Decimal, bands: Sequence[tuple[str, Decimal]]) -> str:
    """The first band (highest threshold first) whose threshold the share reaches; "" below all."""
    for name, threshold in sorted(bands, key=lambda band: band[1], reverse=True):
        if share >= threshold:
            return name
    return ""


def rank_results(results: Sequence[UnitResult], bands: Sequence[tuple[str, Decimal]]) -> list[UnitResult]:
    """Competition ranks by share of the applicable maximum (ties share a rank), then bands; best first.

    The share, not the raw total, ranks units because their maxima differ when criteria do not apply.
    """
    ranks = stats.competition_ranks({r.unit: r.share for r in results}, True)
    for result in results:
        result.rank = ranks[result.unit]
        result.band = band_for(result.share, bands)
    return sorted(results, key=lambda r: (r.rank, r.unit))


def differences(pairs: Mapping[str, tuple[Decimal | None, Decimal | None]]) -> dict[str, Decimal | None]:
    """Appraised minus self-assessed points per key; None where either side is missing."""
    return {
        key: (appraised - self_points) if self_points is not None and appraised is not None else None
        for key, (self_points, appraised) in pairs.items()
    }
