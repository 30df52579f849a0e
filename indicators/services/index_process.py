"""The write side of the CCHC index process, part one: criteria sets, self-assessment and evidence.

Every write is one transaction: checked in full first, then written, or nothing is. Rows the unit
and staff edit carry a version (optimistic locking: a save built from an older version is refused
with who changed it) and a history (django-simple-history, with the user and the reason).
Evidence and the threads on criteria are in services/index_evidence.py; appraisal, survey points,
the council and publication in services/index_publication.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from indicators import imports
from indicators.domain.numbers import plain_number
from indicators.imports import annex
from indicators.index_permissions import is_index_staff, may_assess
from indicators.models import (
    AdministrativeUnit,
    Assessment,
    AssessmentScore,
    CriteriaBand,
    CriteriaSet,
    Criterion,
    Evidence,
    Indicator,
)
from indicators.services import index_notifications

TEXT_MAX = 5000


class IndexConflict(Exception):
    """Someone else saved this after the page was loaded; str(error) says who and when."""


def conflict(row) -> IndexConflict:
    """The refusal of a save built from an older version of `row`, naming the last writer (its history)."""
    record = row.history.select_related("history_user").first() if row.pk else None
    who = record.history_user.get_username() if record and record.history_user else _("người khác")
    when = formats.date_format(
        timezone.localtime(record.history_date if record else timezone.now()), "SHORT_DATETIME_FORMAT"
    )
    return IndexConflict(
        _("Bản này vừa được %(who)s lưu lúc %(when)s. Không có gì được lưu: hãy tải lại trang rồi nhập lại.")
        % {"who": who, "when": when}
    )


def save_tracked(row, *, user, reason: str) -> None:
    """full_clean, then save, with the user and the reason in the row's history."""
    row.full_clean()
    row._history_user = user
    row._change_reason = reason
    row.save()


# --- criteria sets --------------------------------------------------------------------------------


@dataclass
class SetMeta:
    """What the import form says about the set; the tree comes from the file."""

    code: str
    name: str
    year: int
    level: str
    province: AdministrativeUnit
    opens_on: date
    closes_on: date
    bands: list[tuple[str, Decimal]]
    name_en: str = ""
    decision: str = ""
    evidence_public: bool = False
    score_indicator: Indicator | None = None
    rank_indicator: Indicator | None = None
    is_sample: bool = False
    note: str = ""


class AnnexRejected(Exception):
    """The file's rows do not make a valid set; `errors` lists each problem with its row."""

    def __init__(self, errors: list):
        self.errors = errors
        super().__init__(_("Bộ tiêu chí không được nhập: %(n)d lỗi. Không có gì được lưu.") % {"n": len(errors)})


def read_criteria_file(content: bytes, filename: str) -> annex.AnnexResult:
    """The annex read and checked; ImportFileError when the file itself cannot be read."""
    imports.check_upload_size(len(content))
    table = annex.read_rows(content, filename, columns=annex.ANNEX_COLUMNS, required=annex.ANNEX_REQUIRED)
    codes = _indicator_codes(table)
    known = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    return annex.read_annex(table, indicators=known)


def _indicator_codes(table) -> set[str]:
    return {str(row.get("indicator_code") or "").strip() for _number, row in table.rows} - {""}


@transaction.atomic
def import_criteria_set(*, user, meta: SetMeta, content: bytes, filename: str, operator: bool = False) -> CriteriaSet:
    """A new set from an annex file: every row checked (points add up, codes form a tree) before
    anything is written. AnnexRejected lists the row errors; nothing is then written.

    `operator`: the shell command (`manage.py load_criteria_set`), run by whoever runs the site.
    """
    if not operator and not is_index_staff(user):
        raise PermissionDenied
    result = read_criteria_file(content, filename)
    if not result.ok:
        raise AnnexRejected(result.errors)
    criteria_set = CriteriaSet(
        code=meta.code,
        name=meta.name,
        name_en=meta.name_en,
        province=meta.province,
        year=meta.year,
        level=meta.level,
        decision=meta.decision,
        opens_on=meta.opens_on,
        closes_on=meta.closes_on,
        evidence_public=meta.evidence_public,
        score_indicator=meta.score_indicator,
        rank_indicator=meta.rank_indicator,
        is_sample=meta.is_sample,
        note=meta.note,
        created_by=user,
    )
    save_tracked(criteria_set, user=user, reason="imported")
    indicators = {i.code: i for i in Indicator.objects.filter(code__in={n.indicator_code for n in result.nodes} - {""})}
    stored: dict[str, Criterion] = {}
    for order, node in enumerate(result.nodes, start=1):
        criterion = Criterion(
            criteria_set=criteria_set,
            parent=stored.get(node.parent_code),
            code=node.code,
            name=node.name,
            name_en=node.name_en,
            max_points=node.max_points,
            method=node.method,
            guidance=node.guidance,
            evidence_required=node.evidence_required,
            indicator=indicators.get(node.indicator_code),
            target=node.target,
            order=order,
            depth=node.depth,
            is_placeholder=node.is_placeholder,
            source_note=node.source_note,
        )
        criterion.full_clean()
        criterion.save()
        stored[node.code] = criterion
    for name, threshold in meta.bands:
        band = CriteriaBand(criteria_set=criteria_set, name=name, min_share=threshold)
        band.full_clean()
        band.save()
    return criteria_set


def parse_bands(text: str) -> list[tuple[str, Decimal]]:
    """ "Tốt: 80\\nKhá: 60\\nKém: 0" -> [("Tốt", 80), ...]; ValidationError naming the bad line."""
    from indicators.domain.numbers import NumberError, parse_number

    bands: list[tuple[str, Decimal]] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, threshold = line.rpartition(":")
        try:
            if not sep or not name.strip():
                raise NumberError("")
            value = parse_number(threshold)
        except NumberError as error:
            raise ValidationError(
                _("Dòng %(n)d: viết “Tên xếp loại: tỷ lệ tối thiểu”, ví dụ “Tốt: 80”.") % {"n": number}
            ) from error
        if value > 100:
            raise ValidationError(_("Dòng %(n)d: tỷ lệ tối đa là 100.") % {"n": number})
        bands.append((name.strip()[:50], value))
    if not bands:
        raise ValidationError(_("Cần ít nhất một xếp loại."))
    if len({name for name, _value in bands}) != len(bands):
        raise ValidationError(_("Tên xếp loại bị lặp."))
    return bands


# --- self-assessment ------------------------------------------------------------------------------


@dataclass
class SelfScore:
    """What the form says about one assessed criterion. `version`: the score row's, as the form saw it (0: none)."""

    criterion: Criterion
    points: Decimal | None
    not_applicable: bool = False
    explanation: str = ""
    version: int = 0


@dataclass
class SaveOutcome:
    assessment: Assessment
    changed: int = 0
    submitted: bool = False
    problems: list[str] = field(default_factory=list)


def scored_leaves(criteria_set: CriteriaSet) -> list[Criterion]:
    """The leaves that get a score row: the assessed ones and the automatic ones (survey points live apart)."""
    return list(
        criteria_set.criteria.filter(method__in=[Criterion.Method.ASSESSED, Criterion.Method.INDICATOR]).order_by(
            "order"
        )
    )


def require_unit(user, criteria_set: CriteriaSet, unit: AdministrativeUnit) -> None:
    if not may_assess(user, unit) or not criteria_set.units().filter(pk=unit.pk).exists():
        raise PermissionDenied


def refuse_when_locked(criteria_set: CriteriaSet) -> None:
    if criteria_set.is_locked:
        raise ValidationError(_("Hội đồng đã thông qua kết quả năm này: không thể sửa."))


def locked_assessment(criteria_set: CriteriaSet, unit: AdministrativeUnit, *, user) -> tuple[Assessment, bool]:
    """The unit's assessment, locked for this transaction; created (as a draft) when there is none."""
    # Saves of one unit take turns: without the lock two first saves would both insert.
    list(AdministrativeUnit.objects.select_for_update().filter(pk=unit.pk).values_list("pk", flat=True))
    assessment = Assessment.objects.select_for_update().filter(criteria_set=criteria_set, unit=unit).first()
    if assessment is not None:
        return assessment, False
    assessment = Assessment(criteria_set=criteria_set, unit=unit, version=0)
    return assessment, True


def evidence_counts(assessment: Assessment) -> dict[int, int]:
    """Criterion id -> pieces of evidence attached to it in this assessment (one query)."""
    if assessment.pk is None:
        return {}
    rows = (
        Evidence.criteria.through.objects.filter(evidence__assessment=assessment)
        .values("criterion_id")
        .annotate(n=Count("evidence_id"))
    )
    return {row["criterion_id"]: row["n"] for row in rows}


def submission_problems(
    criteria_set: CriteriaSet, assessment: Assessment, scores: dict[int, AssessmentScore], *, today: date, leader: str
) -> list[str]:
    """Why the assessment cannot be submitted today (empty: it can)."""
    problems = []
    if today < criteria_set.opens_on:
        problems.append(_("Chưa đến thời gian tự đánh giá: mở từ %(d)s.") % {"d": f"{criteria_set.opens_on:%d/%m/%Y}"})
    elif today > criteria_set.closes_on:
        problems.append(
            _("Đã hết hạn nộp tự đánh giá (%(d)s). Bản nháp vẫn được lưu nhưng không nộp được nữa.")
            % {"d": f"{criteria_set.closes_on:%d/%m/%Y}"}
        )
    if not leader.strip():
        problems.append(_("Cần ghi tên lãnh đạo ký báo cáo tự đánh giá."))
    counts = evidence_counts(assessment)
    for score in scores.values():
        criterion = score.criterion
        if criterion.method != Criterion.Method.ASSESSED:
            continue
        if score.self_points is None and not score.not_applicable:
            problems.append(_("Tiêu chí %(code)s chưa chấm điểm.") % {"code": criterion.code})
        elif (
            criterion.evidence_required
            and not score.not_applicable
            and not counts.get(criterion.pk)
            and not score.explanation.strip()
        ):
            problems.append(
                _("Tiêu chí %(code)s chưa có tài liệu kiểm chứng: cần giải trình.") % {"code": criterion.code}
            )
    return problems


def point_error(criterion: Criterion, points: Decimal | None) -> str | None:
    if points is None:
        return None
    if points < 0:
        return _("Điểm không được âm.")
    if points > criterion.max_points:
        return _("Điểm %(points)s vượt điểm tối đa %(max)s của tiêu chí %(code)s.") % {
            "points": plain_number(points),
            "max": plain_number(criterion.max_points),
            "code": criterion.code,
        }
    if points != points.quantize(Decimal("0.01")):
        return _("Điểm có tối đa 2 chữ số thập phân.")
    return None


@transaction.atomic
def save_self_assessment(
    *,
    user,
    criteria_set: CriteriaSet,
    unit: AdministrativeUnit,
    scores: Sequence[SelfScore],
    leader_name: str,
    version: int,
    submit: bool = False,
    today: date | None = None,
) -> SaveOutcome:
    """Save the unit's self-assessment as a draft, and submit it when `submit`; all or nothing.

    A draft can be saved whenever the year is not locked; submission only while the period is open,
    with every criterion scored and an explanation for each required evidence that is missing.
    Raises PermissionDenied, IndexConflict (someone saved meanwhile) or ValidationError (a dict of
    criterion code -> message, or the submission's problems).
    """
    require_unit(user, criteria_set, unit)
    refuse_when_locked(criteria_set)
    today = today or timezone.localdate()
    assessment, created = locked_assessment(criteria_set, unit, user=user)
    if assessment.version != version:
        raise conflict(assessment)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("Bản tự đánh giá đã nộp: chỉ còn trả lời đề nghị giải trình của Sở."))
    leaves = {c.pk: c for c in scored_leaves(criteria_set)}
    existing = (
        {
            s.criterion_id: s
            for s in AssessmentScore.objects.select_for_update(of=("self",))
            .filter(assessment=assessment)
            .select_related("criterion")
        }
        if not created
        else {}
    )
    errors: dict[str, str] = {}
    changes: list[AssessmentScore] = []
    for entry in scores:
        criterion = leaves.get(entry.criterion.pk)
        if criterion is None or criterion.method != Criterion.Method.ASSESSED:
            raise ValidationError(_("Tiêu chí %(code)s không do đơn vị tự chấm.") % {"code": entry.criterion.code})
        current = existing.get(criterion.pk)
        if (current.version if current else 0) != entry.version:
            raise conflict(current or assessment)
        points = None if entry.not_applicable else entry.points
        problem = point_error(criterion, points)
        if problem:
            errors[criterion.code] = problem
            continue
        explanation = entry.explanation.strip()[:TEXT_MAX]
        if current is None:
            current = AssessmentScore(assessment=assessment, criterion=criterion, version=0)
        elif (current.self_points, current.not_applicable, current.explanation) == (
            points,
            entry.not_applicable,
            explanation,
        ):
            continue
        current.self_points, current.not_applicable, current.explanation = points, entry.not_applicable, explanation
        current.version += 1
        changes.append(current)
    if errors:
        raise ValidationError(errors)
    leader = leader_name.strip()[:200]
    if created or changes or leader != assessment.leader_name or submit:
        assessment.leader_name = leader
        assessment.version += 1
        save_tracked(assessment, user=user, reason="saved")
    for score in changes:
        score.assessment = assessment
        save_tracked(score, user=user, reason="saved")
        existing[score.criterion_id] = score
    for criterion in leaves.values():  # every scored leaf has its row, for the appraisal to decide
        if criterion.pk not in existing:
            row = AssessmentScore(assessment=assessment, criterion=criterion)
            save_tracked(row, user=user, reason="saved")
            existing[criterion.pk] = row
    outcome = SaveOutcome(assessment=assessment, changed=len(changes))
    if submit:
        problems = submission_problems(criteria_set, assessment, existing, today=today, leader=leader)
        if problems:
            raise ValidationError(problems)
        assessment.status = Assessment.Status.SUBMITTED
        assessment.submitted_at = timezone.now()
        assessment.submitted_by = user
        assessment.version += 1
        save_tracked(assessment, user=user, reason="submitted")
        outcome.submitted = True
        index_notifications.after_commit(index_notifications.notify_submitted, assessment)
    return outcome
