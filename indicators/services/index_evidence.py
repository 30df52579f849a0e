"""The write side of the CCHC index process, part two: evidence (a file checked from its content, a
reference to an official document, or both, for one or more criteria) and the thread on a criterion
(staff ask for an explanation, the unit answers). All or nothing, with history, like part one
(services/index_process.py).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from indicators import caching
from indicators.domain import file_types
from indicators.index_permissions import is_index_staff, may_assess
from indicators.models import (
    AdministrativeUnit,
    AppraisalMessage,
    Assessment,
    AssessmentScore,
    CriteriaSet,
    Criterion,
    Evidence,
)
from indicators.services import index_notifications
from indicators.services.index_process import (
    TEXT_MAX,
    locked_assessment,
    refuse_when_locked,
    require_unit,
    save_tracked,
    scored_leaves,
)

# --- evidence -------------------------------------------------------------------------------------


@dataclass
class EvidenceInput:
    title: str
    criteria: list[Criterion]
    document_number: str = ""
    issued_on: date | None = None
    issuer: str = ""
    location: str = ""
    filename: str = ""
    content: bytes | None = None  # None: a reference to a document, without a file


def evidence_max_bytes() -> int:
    return settings.INDEX_EVIDENCE_MAX_BYTES


@transaction.atomic
def add_evidence(*, user, criteria_set: CriteriaSet, unit: AdministrativeUnit, data: EvidenceInput) -> Evidence:
    """One piece of evidence for one or more criteria of the unit's assessment: a file checked from its
    content (type and size), a reference to an official document, or both. While the assessment is a
    draft any assessed criterion; once submitted only criteria on which staff asked for an explanation.
    """
    require_unit(user, criteria_set, unit)
    refuse_when_locked(criteria_set)
    errors: dict[str, list[str]] = {}
    assessment, created = locked_assessment(criteria_set, unit, user=user)
    leaves = {c.pk: c for c in scored_leaves(criteria_set) if c.method == Criterion.Method.ASSESSED}
    chosen = [leaves[c.pk] for c in data.criteria if c.pk in leaves]
    if not chosen or len(chosen) != len(data.criteria):
        errors.setdefault("criteria", []).append(_("Chọn ít nhất một tiêu chí do đơn vị tự chấm."))
    if not created and assessment.status != Assessment.Status.DRAFT:
        asked = set(
            AssessmentScore.objects.filter(assessment=assessment, explanation_requested=True).values_list(
                "criterion_id", flat=True
            )
        )
        if not chosen or not {c.pk for c in chosen} <= asked:
            errors.setdefault("criteria", []).append(
                _("Bản tự đánh giá đã nộp: chỉ bổ sung tài liệu cho tiêu chí Sở đề nghị giải trình.")
            )
    file_type = None
    if data.content is not None:
        try:
            file_type = file_types.check_evidence_file(data.content, data.filename, max_bytes=evidence_max_bytes())
        except file_types.FileTypeError as error:
            errors.setdefault("file", []).append(str(error))
    elif not (data.document_number.strip() and data.issuer.strip()):
        errors.setdefault("file", []).append(
            _("Cần tải tệp lên, hoặc ghi số, ký hiệu và cơ quan ban hành của văn bản (hoặc cả hai).")
        )
    if not data.title.strip():
        errors.setdefault("title", []).append(_("Cần tên tài liệu."))
    if errors:
        raise ValidationError(errors)
    if created:
        assessment.version = 1
        save_tracked(assessment, user=user, reason="saved")
    evidence = Evidence(
        assessment=assessment,
        title=data.title.strip()[:300],
        document_number=data.document_number.strip()[:100],
        issued_on=data.issued_on,
        issuer=data.issuer.strip()[:300],
        location=data.location.strip()[:200],
        uploaded_by=user,
    )
    stored_name = None
    try:
        if data.content is not None:
            evidence.original_name = file_types.clean_filename(data.filename)
            evidence.content_type = file_type.content_type
            evidence.size = len(data.content)
            evidence.sha256 = hashlib.sha256(data.content).hexdigest()
            evidence.file.save(evidence.original_name, ContentFile(data.content), save=False)
            stored_name = evidence.file.name
        save_tracked(evidence, user=user, reason="saved")
        evidence.criteria.set(chosen)
    except Exception:
        if stored_name:  # the row is not written: neither is its file
            evidence.file.storage.delete(stored_name)
        raise
    caching.data_changed()
    return evidence


@transaction.atomic
def remove_evidence(*, user, evidence: Evidence) -> None:
    """Only while the assessment is a draft; the file goes once the transaction commits."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("criteria_set", "unit")
        .get(pk=evidence.assessment_id)
    )
    require_unit(user, assessment.criteria_set, assessment.unit)
    refuse_when_locked(assessment.criteria_set)
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("Bản tự đánh giá đã nộp: không xóa được tài liệu kiểm chứng."))
    name, storage = evidence.file.name, evidence.file.storage
    evidence._history_user = user
    evidence._change_reason = "deleted"
    evidence.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
    caching.data_changed()


# --- the thread on a criterion --------------------------------------------------------------------


def _thread_body(body: str) -> str:
    text = (body or "").strip()
    if not text:
        raise ValidationError(_("Nội dung trống."))
    return text[:TEXT_MAX]


@transaction.atomic
def request_explanation(*, user, score: AssessmentScore, body: str) -> AppraisalMessage:
    """Staff ask the unit to explain (or add evidence to) one criterion; the unit's admins get an email."""
    if not is_index_staff(user):
        raise PermissionDenied
    score = (
        AssessmentScore.objects.select_for_update(of=("self",))
        .select_related("assessment__criteria_set", "assessment__unit", "criterion")
        .get(pk=score.pk)
    )
    refuse_when_locked(score.assessment.criteria_set)
    if score.assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError(_("Chỉ đề nghị giải trình khi bản tự đánh giá đang chờ thẩm định."))
    message = AppraisalMessage(score=score, kind=AppraisalMessage.Kind.REQUEST, body=_thread_body(body), author=user)
    message.full_clean()
    message.save()
    score.explanation_requested = True
    score.decision = AssessmentScore.Decision.PENDING
    score.version += 1
    save_tracked(score, user=user, reason="explanation requested")
    index_notifications.after_commit(index_notifications.notify_explanation_requested, score)
    return message


@transaction.atomic
def answer_explanation(*, user, score: AssessmentScore, body: str) -> AppraisalMessage:
    """The unit's admin answers a request; the criterion goes back to staff to decide."""
    score = (
        AssessmentScore.objects.select_for_update(of=("self",))
        .select_related("assessment__criteria_set", "assessment__unit", "criterion")
        .get(pk=score.pk)
    )
    if not may_assess(user, score.assessment.unit):
        raise PermissionDenied
    refuse_when_locked(score.assessment.criteria_set)
    if not score.explanation_requested:
        raise ValidationError(_("Sở Nội vụ không đề nghị giải trình tiêu chí này."))
    message = AppraisalMessage(score=score, kind=AppraisalMessage.Kind.ANSWER, body=_thread_body(body), author=user)
    message.full_clean()
    message.save()
    score.explanation_requested = False
    score.version += 1
    save_tracked(score, user=user, reason="explained")
    return message
