"""Who may see and do what in the CCHC index process: predicates, and helpers for views that raise
Http404 for what exists but is not the user's (a unit admin cannot even learn whether another unit
has an assessment or a piece of evidence) and PermissionDenied when the role does not allow the page.

- A unit's admin self-assesses their own units (managed_unit_ids), and answers the appraisal's
  requests on them.
- Provincial staff (and superusers) import criteria sets, appraise, enter survey points, record the
  council's approval and publish.
- The public sees published results only; evidence files only when the set says so.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from indicators.models import (
    AdministrativeUnit,
    Assessment,
    AssessmentScore,
    CriteriaSet,
    Evidence,
    managed_unit_ids,
    sees_all_values,
)


def is_index_staff(user) -> bool:
    """Provincial staff and superusers run the process."""
    return sees_all_values(user)


def may_assess(user, unit: AdministrativeUnit) -> bool:
    """The unit is one the user administers (the rule itself, not has_perm, which says yes to superusers)."""
    return unit is not None and unit.pk in managed_unit_ids(user)


def is_unit_admin(user) -> bool:
    return bool(managed_unit_ids(user))


def require_staff(user) -> None:
    if not is_index_staff(user):
        raise PermissionDenied


def require_some_role(user) -> None:
    if not (is_index_staff(user) or is_unit_admin(user)):
        raise PermissionDenied


def get_set(code: str) -> CriteriaSet:
    found = CriteriaSet.objects.select_related("province").filter(code=code).first()
    if found is None:
        raise Http404
    return found


def get_set_for_staff(user, code: str) -> CriteriaSet:
    require_staff(user)
    return get_set(code)


def set_unit(criteria_set: CriteriaSet, unit_code: str) -> AdministrativeUnit:
    """The unit with this code that the set assesses (a child of its province, of its level, reporting
    in its year); 404 for any other."""
    unit = criteria_set.units().filter(code=unit_code).first()
    if unit is None:
        raise Http404
    return unit


def get_unit_for_assessment(user, set_code: str, unit_code: str) -> tuple[CriteriaSet, AdministrativeUnit]:
    """A set and one of the user's units it assesses; 403 for a role that assesses nothing, 404 otherwise."""
    if not is_unit_admin(user):
        raise PermissionDenied
    criteria_set = get_set(set_code)
    unit = set_unit(criteria_set, unit_code)
    if not may_assess(user, unit):
        raise Http404
    return criteria_set, unit


def get_unit_for_appraisal(user, set_code: str, unit_code: str) -> tuple[CriteriaSet, AdministrativeUnit]:
    criteria_set = get_set_for_staff(user, set_code)
    return criteria_set, set_unit(criteria_set, unit_code)


def get_score_for_thread(user, pk: int) -> AssessmentScore:
    """A criterion's thread that the user takes part in: staff any, a unit admin their units' only."""
    require_some_role(user)
    score = (
        AssessmentScore.objects.select_related("criterion", "assessment__unit", "assessment__criteria_set__province")
        .filter(pk=pk)
        .first()
    )
    if score is None or not (is_index_staff(user) or may_assess(user, score.assessment.unit)):
        raise Http404
    return score


def may_see_evidence_file(user, evidence: Evidence, *, published: bool) -> bool:
    """Staff and the unit's admins always; anyone else only once published and when the set says files are public."""
    if is_index_staff(user) or may_assess(user, evidence.assessment.unit):
        return True
    return published and evidence.assessment.criteria_set.evidence_public


def get_evidence_for_change(user, pk: int) -> Evidence:
    """Evidence the user may remove: a unit admin's own unit's only (403 for a role that has no unit)."""
    if not is_unit_admin(user):
        raise PermissionDenied
    evidence = Evidence.objects.select_related("assessment__unit", "assessment__criteria_set").filter(pk=pk).first()
    if evidence is None or not may_assess(user, evidence.assessment.unit):
        raise Http404
    return evidence


def assessment_visible_to(user, assessment: Assessment) -> bool:
    return is_index_staff(user) or may_assess(user, assessment.unit)
