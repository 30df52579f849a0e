"""The write side of the CCHC index process, part two: appraisal, survey points, the council's
approval and publication. All or nothing, versioned and with history, like part one
(services/index_process.py).

Publishing writes the official figures: the set's score and rank indicators get one approved figure
per unit, whose source is the publication. A published result is corrected only by a new
publication: staff reopen the year (with a reason), change the appraisal, the council approves again
and the new publication supersedes the old, which is kept, as the figures' history keeps both values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import caching, imports
from indicators.domain.numbers import plain_number
from indicators.imports import annex
from indicators.index_permissions import is_index_staff
from indicators.models import (
    AdministrativeUnit,
    Assessment,
    AssessmentScore,
    CriteriaSet,
    Criterion,
    HistoryReason,
    IndicatorValue,
    Publication,
    PublishedResult,
    Source,
    SurveyScore,
)
from indicators.selectors import index_process as index_selectors
from indicators.services.history import save_with_history
from indicators.services.index_process import TEXT_MAX, conflict, point_error, refuse_when_locked, save_tracked

ACCEPT, ADJUST, NOT_APPLICABLE = "accept", "adjust", "not_applicable"


def _require_staff(user) -> None:
    if not is_index_staff(user):
        raise PermissionDenied


# --- appraisal ------------------------------------------------------------------------------------


@dataclass
class AppraisalDecision:
    """Staff's decision on one criterion. `action` "" leaves it as it is."""

    criterion: Criterion
    action: str
    points: Decimal | None = None
    reason: str = ""
    version: int = 0


@transaction.atomic
def save_appraisal(
    *, user, assessment: Assessment, decisions: Sequence[AppraisalDecision], version: int, finish: bool = False
) -> int:
    """Decide criteria of a submitted assessment, and finish the appraisal when `finish` (only when
    every criterion is decided and no explanation is awaited). Returns how many criteria changed."""
    _require_staff(user)
    assessment = (
        Assessment.objects.select_for_update(of=("self",)).select_related("criteria_set", "unit").get(pk=assessment.pk)
    )
    criteria_set = assessment.criteria_set
    refuse_when_locked(criteria_set)
    if assessment.version != version:
        raise conflict(assessment)
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError(_("Chỉ thẩm định bản tự đánh giá đã nộp và chưa thẩm định xong."))
    scores = {
        s.criterion_id: s
        for s in AssessmentScore.objects.select_for_update(of=("self",))
        .filter(assessment=assessment)
        .select_related("criterion")
    }
    computed = index_selectors.indicator_points(criteria_set=criteria_set, unit=assessment.unit)
    errors: dict[str, str] = {}
    changed = []
    for decision in decisions:
        if not decision.action:
            continue
        score = scores.get(decision.criterion.pk)
        if score is None:
            raise ValidationError(
                _("Tiêu chí %(code)s không thuộc bản tự đánh giá này.") % {"code": decision.criterion.code}
            )
        if score.version != decision.version:
            raise conflict(score)
        problem = _decide(score, decision, computed)
        if problem:
            errors[score.criterion.code] = problem
        else:
            changed.append(score)
    if errors:
        raise ValidationError(errors)
    for score in changed:
        score.version += 1
        save_tracked(score, user=user, reason="appraised")
    if finish:
        undecided = [s.criterion.code for s in scores.values() if not s.is_decided]
        if undecided:
            raise ValidationError(
                _(
                    "Chưa thể kết thúc thẩm định: còn %(n)d tiêu chí chưa quyết định "
                    "hoặc đang chờ giải trình (%(codes)s)."
                )
                % {"n": len(undecided), "codes": ", ".join(undecided[:20])}
            )
        assessment.status = Assessment.Status.APPRAISED
        assessment.appraised_at = timezone.now()
        assessment.appraised_by = user
    if changed or finish:
        assessment.version += 1
        save_tracked(assessment, user=user, reason="appraisal finished" if finish else "appraised")
    return len(changed)


def _decide(score: AssessmentScore, decision: AppraisalDecision, computed: dict[int, Decimal | None]) -> str | None:
    """Apply one decision to the score in memory; the reason it cannot be, or None."""
    criterion = score.criterion
    reason = decision.reason.strip()[:TEXT_MAX]
    if score.explanation_requested:
        return _("Đang chờ đơn vị giải trình tiêu chí này.")
    if decision.action == ACCEPT:
        if criterion.method == Criterion.Method.INDICATOR:
            points = computed.get(criterion.pk)
            if points is None:
                return _("Chưa có số liệu đã duyệt của chỉ tiêu: hãy điều chỉnh điểm kèm lý do.")
            score.decision, score.appraised_points = AssessmentScore.Decision.ACCEPTED, points
        elif score.not_applicable:
            score.decision, score.appraised_points = AssessmentScore.Decision.NOT_APPLICABLE, None
        elif score.self_points is None:
            return _("Đơn vị chưa chấm tiêu chí này: hãy điều chỉnh điểm kèm lý do.")
        else:
            score.decision, score.appraised_points = AssessmentScore.Decision.ACCEPTED, score.self_points
        score.reason = reason
        return None
    if decision.action == ADJUST:
        if decision.points is None:
            return _("Cần điểm thẩm định.")
        problem = point_error(criterion, decision.points)
        if problem:
            return problem
        if not reason:
            return _("Cần lý do khi điều chỉnh điểm.")
        score.decision, score.appraised_points, score.reason = (
            AssessmentScore.Decision.ADJUSTED,
            decision.points,
            reason,
        )
        return None
    if decision.action == NOT_APPLICABLE:
        if not reason:
            return _("Cần lý do khi xác định tiêu chí không áp dụng.")
        score.decision, score.appraised_points, score.reason = AssessmentScore.Decision.NOT_APPLICABLE, None, reason
        return None
    return _("Quyết định không hợp lệ.")


@transaction.atomic
def reopen_appraisal(*, user, assessment: Assessment, reason: str) -> None:
    """Take a finished appraisal back to decide again, while the council has not approved the year."""
    _require_staff(user)
    assessment = Assessment.objects.select_for_update(of=("self",)).select_related("criteria_set").get(pk=assessment.pk)
    refuse_when_locked(assessment.criteria_set)
    if assessment.status != Assessment.Status.APPRAISED:
        raise ValidationError(_("Bản này chưa thẩm định xong."))
    if not reason.strip():
        raise ValidationError(_("Cần lý do mở lại thẩm định."))
    assessment.status = Assessment.Status.SUBMITTED
    assessment.appraised_at = None
    assessment.version += 1
    save_tracked(assessment, user=user, reason=f"reopened: {reason.strip()[:200]}")


# --- survey points --------------------------------------------------------------------------------


@dataclass
class SurveyEntry:
    unit: AdministrativeUnit
    criterion: Criterion
    points: Decimal
    source: str
    row: int = 0  # the file's row, for messages


@transaction.atomic
def save_survey_points(*, user, criteria_set: CriteriaSet, entries: Sequence[SurveyEntry]) -> int:
    """Survey points per unit and survey criterion, with their source; all or nothing. Returns rows written."""
    _require_staff(user)
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    refuse_when_locked(criteria_set)
    units = set(criteria_set.units().values_list("pk", flat=True))
    errors = []
    seen = set()
    for entry in entries:
        where = _("dòng %(row)d: ") % {"row": entry.row} if entry.row else ""
        if entry.criterion.criteria_set_id != criteria_set.pk or entry.criterion.method != Criterion.Method.SURVEY:
            errors.append(
                where + _("%(code)s không phải tiêu chí điều tra của bộ này.") % {"code": entry.criterion.code}
            )
        elif entry.unit.pk not in units:
            errors.append(where + _("%(unit)s không thuộc bộ tiêu chí này.") % {"unit": entry.unit.name})
        elif (key := (entry.unit.pk, entry.criterion.pk)) in seen:
            errors.append(
                where + _("%(unit)s, %(code)s bị lặp.") % {"unit": entry.unit.name, "code": entry.criterion.code}
            )
        else:
            seen.add(key)
            problem = point_error(entry.criterion, entry.points)
            if problem:
                errors.append(where + f"{entry.unit.name}: {problem}")
            elif not entry.source.strip():
                errors.append(where + _("%(unit)s: cần ghi nguồn của điểm điều tra.") % {"unit": entry.unit.name})
    if errors:
        raise ValidationError(errors)
    existing = {
        (s.unit_id, s.criterion_id): s
        for s in SurveyScore.objects.select_for_update().filter(criteria_set=criteria_set)
    }
    written = 0
    for entry in entries:
        row = existing.get((entry.unit.pk, entry.criterion.pk))
        source = entry.source.strip()[:300]
        if row is not None and (row.points, row.source) == (entry.points, source):
            continue
        if row is None:
            row = SurveyScore(criteria_set=criteria_set, unit=entry.unit, criterion=entry.criterion, version=0)
        row.points, row.source, row.entered_by = entry.points, source, user
        row.version += 1
        save_tracked(row, user=user, reason="survey")
        written += 1
    return written


# --- the council and publication ------------------------------------------------------------------


def approval_problems(criteria_set: CriteriaSet) -> list[str]:
    """Why the council cannot approve the year yet (empty: it can)."""
    status = index_selectors.set_progress(criteria_set=criteria_set)
    problems = []
    if not status.appraised:
        problems.append(_("Chưa có đơn vị nào được thẩm định xong."))
    if status.in_appraisal:
        problems.append(
            _("Còn %(n)d đơn vị đã nộp nhưng chưa thẩm định xong: %(units)s.")
            % {"n": len(status.in_appraisal), "units": ", ".join(u.name for u in status.in_appraisal[:10])}
        )
    if status.missing_survey:
        problems.append(
            _("Còn %(n)d đơn vị đã thẩm định chưa có điểm điều tra: %(units)s.")
            % {"n": len(status.missing_survey), "units": ", ".join(u.name for u in status.missing_survey[:10])}
        )
    return problems


@transaction.atomic
def approve_by_council(*, user, criteria_set: CriteriaSet, decision: str, version: int) -> None:
    """Record the council's approval: the year is locked from then on."""
    _require_staff(user)
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if criteria_set.version != version:
        raise conflict(criteria_set)
    if criteria_set.is_locked:
        raise ValidationError(_("Hội đồng đã thông qua năm này."))
    if not decision.strip():
        raise ValidationError(_("Cần ghi văn bản (biên bản, tờ trình) của Hội đồng."))
    problems = approval_problems(criteria_set)
    if problems:
        raise ValidationError(problems)
    criteria_set.council_approved_at = timezone.now()
    criteria_set.council_approved_by = user
    criteria_set.council_decision = decision.strip()[:300]
    criteria_set.version += 1
    save_tracked(criteria_set, user=user, reason="council approved")


@transaction.atomic
def reopen_for_correction(*, user, criteria_set: CriteriaSet, reason: str, version: int) -> None:
    """Withdraw the council's approval so that the appraisal can be corrected, then published again."""
    _require_staff(user)
    criteria_set = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if criteria_set.version != version:
        raise conflict(criteria_set)
    if not criteria_set.is_locked:
        raise ValidationError(_("Năm này chưa được Hội đồng thông qua."))
    if not reason.strip():
        raise ValidationError(_("Cần lý do mở lại để đính chính."))
    criteria_set.council_approved_at = None
    criteria_set.version += 1
    save_tracked(criteria_set, user=user, reason=f"reopened: {reason.strip()[:200]}")


@transaction.atomic
def publish(
    *, user, criteria_set: CriteriaSet, decision: str, published_on: date, note: str = "", version: int
) -> Publication:
    """Publish the approved results: total, points by area, rank and band per unit, and the official
    score and rank figures with this publication as their source."""
    _require_staff(user)
    criteria_set = (
        CriteriaSet.objects.select_for_update(of=("self",))
        .select_related("province", "score_indicator", "rank_indicator")
        .get(pk=criteria_set.pk)
    )
    if criteria_set.version != version:
        raise conflict(criteria_set)
    if not criteria_set.is_locked:
        raise ValidationError(_("Hội đồng chưa thông qua kết quả: chưa công bố được."))
    latest = criteria_set.publications.order_by("-number").first()
    if latest is not None and latest.created_at >= criteria_set.council_approved_at:
        raise ValidationError(
            _("Kết quả lần thông qua này đã được công bố. Đính chính: mở lại, sửa, thông qua rồi công bố lại.")
        )
    if not decision.strip():
        raise ValidationError(_("Cần số quyết định công bố."))
    if latest is not None and not note.strip():
        raise ValidationError(_("Lần công bố đính chính cần ghi lý do."))
    computed = index_selectors.results_to_publish(criteria_set=criteria_set)
    number = (latest.number if latest else 0) + 1
    source = Source(
        code=f"cong-bo-{criteria_set.code}-{number}"[:80],
        title=decision.strip()[:500],
        publisher=criteria_set.province.name,
        published_on=published_on,
        kind=Source.Kind.OFFICIAL_DOCUMENT,
        note=_("Công bố kết quả “%(set)s” (lần %(n)d).") % {"set": criteria_set.name, "n": number},
    )
    source.full_clean()
    source.save()
    publication = Publication(
        criteria_set=criteria_set,
        number=number,
        decision=decision.strip()[:300],
        published_on=published_on,
        source=source,
        note=note.strip()[:TEXT_MAX],
        published_by=user,
    )
    publication.full_clean()
    publication.save()
    results = []
    for unit, result, leaves in computed:
        row = PublishedResult(
            publication=publication,
            unit=unit,
            total_points=result.total,
            max_points=result.maximum,
            share=result.share,
            survey_points=result.survey,
            rank=result.rank,
            band=result.band,
            area_points={code: [str(p), str(m)] for code, (p, m) in result.areas.items()},
            leaf_points={code: None if points is None else str(points) for code, points in leaves.items()},
        )
        row.full_clean(exclude=["publication"])
        results.append(row)
    PublishedResult.objects.bulk_create(results)
    _write_figures(user=user, criteria_set=criteria_set, publication=publication, computed=computed)
    caching.data_changed()
    return publication


def _write_figures(*, user, criteria_set: CriteriaSet, publication: Publication, computed) -> None:
    """The official score and rank of each unit as approved figures citing the publication."""
    for indicator, pick in ((criteria_set.score_indicator, "share"), (criteria_set.rank_indicator, "rank")):
        if indicator is None:
            continue
        units = [unit for unit, _result, _leaves in computed]
        existing = {
            v.unit_id: v
            for v in IndicatorValue.objects.select_for_update().filter(
                indicator=indicator, year=criteria_set.year, unit__in=units
            )
        }
        for unit, result, _leaves in computed:
            value = Decimal(result.rank) if pick == "rank" else result.share
            figure = existing.get(unit.pk) or IndicatorValue(
                indicator=indicator, unit=unit, year=criteria_set.year, created_by=user, version=0
            )
            figure.value = value
            figure.qualifier = IndicatorValue.Qualifier.EXACT
            figure.source = publication.source
            figure.status = IndicatorValue.Status.APPROVED
            figure.quote = ""
            figure.note = _("%(decision)s: %(total)s/%(max)s điểm (%(share)s%%), hạng %(rank)d, %(band)s.") % {
                "decision": publication.decision,
                "total": plain_number(result.total),
                "max": plain_number(result.maximum),
                "share": plain_number(result.share),
                "rank": result.rank,
                "band": result.band or "–",
            }
            figure.version += 1
            save_with_history(figure, user=user, reason=HistoryReason.APPROVED)


# --- survey points from a file --------------------------------------------------------------------


def survey_entries_from_file(*, criteria_set: CriteriaSet, content: bytes, filename: str) -> list:
    """The file's rows as survey entries for the set; ValidationError with every row's problem.

    Columns unit_code, criterion_code, points and source (the survey that gave the points).
    """
    imports.check_upload_size(len(content))
    table = annex.read_rows(content, filename, columns=annex.SURVEY_COLUMNS, required=annex.SURVEY_REQUIRED)
    rows, problems = annex.read_survey(table)
    units = {u.code: u for u in criteria_set.units()}
    criteria = {c.code: c for c in criteria_set.criteria.filter(method=Criterion.Method.SURVEY)}
    messages = [_("dòng %(row)d: %(message)s") % {"row": p.row, "message": p.message} for p in problems]
    entries = []
    for row in rows:
        unit, criterion = units.get(row.unit_code), criteria.get(row.criterion_code)
        if unit is None:
            messages.append(
                _("dòng %(row)d: %(code)s không phải đơn vị của bộ tiêu chí này.")
                % {"row": row.row, "code": row.unit_code}
            )
        elif criterion is None:
            messages.append(
                _("dòng %(row)d: %(code)s không phải tiêu chí điều tra của bộ này.")
                % {"row": row.row, "code": row.criterion_code}
            )
        else:
            entries.append(SurveyEntry(unit, criterion, row.points, row.source, row.row))
    if messages:
        raise ValidationError(messages)
    return entries
