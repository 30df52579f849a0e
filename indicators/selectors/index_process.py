"""The read side of the CCHC index process: what each of its pages needs, in a fixed number of
queries whatever the number of units, criteria or years. Returns data (rows and dataclasses).

- the unit admin's self-assessment form, the staff's appraisal form (with self vs appraised
  differences per criterion and per area) and the set's overview for the council;
- the results to publish (ranked, banded), and the public ranking and unit pages, which read only
  what was published.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q

from indicators.domain import index_tree
from indicators.models import (
    AdministrativeUnit,
    AppraisalMessage,
    Assessment,
    AssessmentScore,
    CriteriaSet,
    Criterion,
    Evidence,
    IndicatorValue,
    Publication,
    SurveyScore,
)
from indicators.selectors.common import by_name


def area_code(code: str) -> str:
    return code.split(".", 1)[0]


@dataclass
class Node:
    """One criterion on a page, with whatever the page shows of it."""

    criterion: Criterion
    score: AssessmentScore | None = None
    evidence: list[Evidence] = field(default_factory=list)
    messages: list[AppraisalMessage] = field(default_factory=list)
    computed: Decimal | None = None  # an automatic criterion's points from its indicator
    survey: SurveyScore | None = None
    self_points: Decimal | None = None  # a group's: the sum of its leaves'
    appraised_points: Decimal | None = None
    published: Decimal | None = None
    published_applies: bool = True
    group_difference: Decimal | None = None  # a group's: the sum of its leaves' differences

    @property
    def difference(self) -> Decimal | None:
        """Appraised minus self-assessed points: a leaf's when both are known; a group's over its leaves
        that have both (automatic and survey criteria, which the unit does not score, do not count)."""
        if not self.criterion.is_leaf:
            return self.group_difference
        if self.self_points is None or self.appraised_points is None:
            return None
        return self.appraised_points - self.self_points

    @property
    def depth(self) -> int:
        return self.criterion.depth


def criteria_of(criteria_set: CriteriaSet) -> list[Criterion]:
    return list(criteria_set.criteria.select_related("indicator").order_by("order"))


def sum_up(nodes: list[Node]) -> None:
    """Give each group the sums of its leaves' self and appraised points (None where nothing is known)."""
    by_code = {n.criterion.code: n for n in nodes}
    for node in reversed(nodes):  # children come after their parents in annex order
        criterion = node.criterion
        if criterion.is_leaf:
            continue
        children = [by_code[c] for c in by_code if c.rpartition(".")[0] == criterion.code]
        for attribute in ("self_points", "appraised_points"):
            values = [getattr(child, attribute) for child in children if getattr(child, attribute) is not None]
            setattr(node, attribute, sum(values, Decimal(0)) if values else None)
        differences = [child.difference for child in children if child.difference is not None]
        node.group_difference = sum(differences, Decimal(0)) if differences else None


def indicator_points(*, criteria_set: CriteriaSet, unit: AdministrativeUnit) -> dict[int, Decimal | None]:
    """Automatic criteria's points from the unit's approved, real figures of the year (one query)."""
    leaves = [c for c in criteria_set.criteria.select_related("indicator") if c.method == Criterion.Method.INDICATOR]
    if not leaves:
        return {}
    values = dict(
        IndicatorValue.objects.published()
        .without_demo()
        .filter(unit=unit, year=criteria_set.year, indicator__in=[c.indicator_id for c in leaves])
        .values_list("indicator_id", "value")
    )
    return {
        c.pk: index_tree.indicator_points(
            c.max_points, values.get(c.indicator_id), c.target, c.indicator.higher_is_better is not False
        )
        for c in leaves
    }


def evidence_by_criterion(assessment: Assessment | None) -> dict[int, list[Evidence]]:
    if assessment is None or assessment.pk is None:
        return {}
    found: dict[int, list[Evidence]] = defaultdict(list)
    for evidence in Evidence.objects.filter(assessment=assessment).prefetch_related("criteria").order_by("pk"):
        for criterion in evidence.criteria.all():
            found[criterion.pk].append(evidence)
    return found


@dataclass
class AssessmentPage:
    criteria_set: CriteriaSet
    unit: AdministrativeUnit
    assessment: Assessment | None
    nodes: list[Node]
    evidence: list[Evidence]
    areas: list[AreaDifference] = field(default_factory=list)
    survey_total: Decimal | None = None

    @property
    def leaves(self) -> list[Node]:
        return [n for n in self.nodes if n.criterion.is_leaf]

    @property
    def assessed_leaves(self) -> list[Node]:
        return [n for n in self.nodes if n.criterion.method == Criterion.Method.ASSESSED]

    @property
    def awaiting_answer(self) -> list[Node]:
        return [n for n in self.nodes if n.score is not None and n.score.explanation_requested]

    @property
    def undecided(self) -> int:
        return sum(1 for n in self.nodes if n.score is not None and not n.score.is_decided)


@dataclass
class AreaDifference:
    criterion: Criterion
    self_points: Decimal | None
    appraised_points: Decimal | None
    difference: Decimal | None


def assessment_page(
    *, criteria_set: CriteriaSet, unit: AdministrativeUnit, with_computed: bool = False
) -> AssessmentPage:
    """The tree of one unit's assessment: its scores, evidence and threads (the unit's form, the appraisal)."""
    assessment = Assessment.objects.filter(criteria_set=criteria_set, unit=unit).first()
    scores, messages = {}, defaultdict(list)
    if assessment is not None:
        scores = {s.criterion_id: s for s in AssessmentScore.objects.filter(assessment=assessment)}
        for message in AppraisalMessage.objects.filter(score__assessment=assessment).select_related("author"):
            messages[message.score_id].append(message)
    evidence = evidence_by_criterion(assessment)
    computed = indicator_points(criteria_set=criteria_set, unit=unit) if with_computed else {}
    surveys = {s.criterion_id: s for s in SurveyScore.objects.filter(criteria_set=criteria_set, unit=unit)}
    nodes = []
    for criterion in criteria_of(criteria_set):
        score = scores.get(criterion.pk)
        node = Node(
            criterion=criterion,
            score=score,
            evidence=evidence.get(criterion.pk, []),
            messages=messages.get(score.pk, []) if score else [],
            computed=computed.get(criterion.pk),
            survey=surveys.get(criterion.pk),
        )
        if score is not None:
            node.self_points = score.self_points
            if score.decision and score.decision != AssessmentScore.Decision.NOT_APPLICABLE:
                node.appraised_points = score.appraised_points
        elif node.survey is not None:
            node.appraised_points = node.survey.points
        nodes.append(node)
    sum_up(nodes)
    areas = [
        AreaDifference(n.criterion, n.self_points, n.appraised_points, n.difference)
        for n in nodes
        if n.criterion.depth == 1
    ]
    all_evidence = sorted({e.pk: e for items in evidence.values() for e in items}.values(), key=lambda e: e.pk)
    survey_total = sum((s.points for s in surveys.values()), Decimal(0)) if surveys else None
    return AssessmentPage(criteria_set, unit, assessment, nodes, all_evidence, areas, survey_total)


# --- the set as a whole --------------------------------------------------------------------------


@dataclass
class UnitProgress:
    unit: AdministrativeUnit
    assessment: Assessment | None
    self_total: Decimal | None = None
    appraised_total: Decimal | None = None
    difference: Decimal | None = None  # over the criteria the unit scored and staff decided
    areas: dict[str, Decimal | None] = field(default_factory=dict)  # area code -> its difference
    survey_points: Decimal | None = None
    awaiting: int = 0

    @property
    def status(self) -> str:
        return self.assessment.status if self.assessment else ""


@dataclass
class SetProgress:
    criteria_set: CriteriaSet
    units: list[UnitProgress]
    areas: list[Criterion]
    survey_criteria: list[Criterion]

    def _with(self, status) -> list[AdministrativeUnit]:
        return [p.unit for p in self.units if p.status == status]

    @property
    def appraised(self):
        return self._with(Assessment.Status.APPRAISED)

    @property
    def in_appraisal(self):
        return self._with(Assessment.Status.SUBMITTED)

    @property
    def drafts(self):
        return self._with(Assessment.Status.DRAFT)

    @property
    def not_started(self):
        return [p.unit for p in self.units if p.assessment is None]

    @property
    def missing_survey(self):
        needed = len(self.survey_criteria)
        return [
            p.unit
            for p in self.units
            if p.status == Assessment.Status.APPRAISED and needed and self._survey_counts.get(p.unit.pk, 0) < needed
        ]

    _survey_counts: dict = field(default_factory=dict)


def set_progress(*, criteria_set: CriteriaSet) -> SetProgress:
    """Every unit of the set with its assessment's state and totals (self, appraised, by area): five queries."""
    units = by_name(criteria_set.units())
    criteria = criteria_of(criteria_set)
    areas = [c for c in criteria if c.depth == 1]
    survey_criteria = [c for c in criteria if c.method == Criterion.Method.SURVEY]
    assessments = {a.unit_id: a for a in Assessment.objects.filter(criteria_set=criteria_set)}
    self_by: dict[int, Decimal] = defaultdict(Decimal)
    appraised_by: dict[int, Decimal] = defaultdict(Decimal)
    difference_by: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    awaiting: dict[int, int] = defaultdict(int)
    code_of = {c.pk: c.code for c in criteria}
    rows = AssessmentScore.objects.filter(assessment__criteria_set=criteria_set).values_list(
        "assessment__unit_id", "criterion_id", "self_points", "appraised_points", "decision", "explanation_requested"
    )
    for unit_id, criterion_id, self_points, appraised, decision, requested in rows:
        decided = bool(decision) and appraised is not None
        if self_points is not None:
            self_by[unit_id] += self_points
        if decided:
            appraised_by[unit_id] += appraised
        if self_points is not None and decided:
            difference_by[unit_id][area_code(code_of[criterion_id])] += appraised - self_points
        awaiting[unit_id] += int(requested)
    surveys: dict[int, Decimal] = defaultdict(Decimal)
    survey_counts: dict[int, int] = defaultdict(int)
    for unit_id, points in SurveyScore.objects.filter(criteria_set=criteria_set).values_list("unit_id", "points"):
        surveys[unit_id] += points
        survey_counts[unit_id] += 1
    progress = []
    for unit in units:
        assessment = assessments.get(unit.pk)
        row = UnitProgress(unit=unit, assessment=assessment, awaiting=awaiting.get(unit.pk, 0))
        if assessment is not None:
            row.self_total = self_by.get(unit.pk, Decimal(0))
            if assessment.status == Assessment.Status.APPRAISED:
                # What the unit will get: the appraisal and the survey points together.
                row.appraised_total = appraised_by.get(unit.pk, Decimal(0)) + surveys.get(unit.pk, Decimal(0))
            if unit.pk in difference_by:
                row.areas = {a.code: difference_by[unit.pk].get(a.code) for a in areas}
                row.difference = sum(difference_by[unit.pk].values(), Decimal(0))
        row.survey_points = surveys.get(unit.pk)
        progress.append(row)
    result = SetProgress(criteria_set, progress, areas, survey_criteria)
    result._survey_counts = dict(survey_counts)
    return result


def results_to_publish(*, criteria_set: CriteriaSet):
    """[(unit, UnitResult, {leaf code: points or None where not applicable})] for every appraised unit,
    ranked by share of its applicable maximum, with its band (four queries)."""
    criteria = criteria_of(criteria_set)
    leaves = [c for c in criteria if c.is_leaf]
    survey_codes = frozenset(c.code for c in leaves if c.method == Criterion.Method.SURVEY)
    appraised = list(
        Assessment.objects.filter(criteria_set=criteria_set, status=Assessment.Status.APPRAISED).select_related("unit")
    )
    decided: dict[int, dict[int, AssessmentScore]] = defaultdict(dict)
    for score in AssessmentScore.objects.filter(assessment__in=appraised):
        decided[score.assessment_id][score.criterion_id] = score
    surveys = {(s.unit_id, s.criterion_id): s.points for s in SurveyScore.objects.filter(criteria_set=criteria_set)}
    bands = [(b.name, b.min_share) for b in criteria_set.bands.all()]
    out, by_unit = [], {}
    for assessment in appraised:
        parts, points_by_code = [], {}
        for leaf in leaves:
            if leaf.method == Criterion.Method.SURVEY:
                points, applies = surveys.get((assessment.unit_id, leaf.pk), Decimal(0)), True
            else:
                score = decided[assessment.pk].get(leaf.pk)
                applies = score is not None and score.decision != AssessmentScore.Decision.NOT_APPLICABLE
                points = (score.appraised_points or Decimal(0)) if applies else Decimal(0)
            points_by_code[leaf.code] = points if applies else None
            parts.append(index_tree.LeafResult(leaf.code, area_code(leaf.code), leaf.max_points, points, applies))
        result = index_tree.unit_result(assessment.unit.code, parts, survey_codes)
        by_unit[assessment.unit.code] = (assessment.unit, points_by_code)
        out.append(result)
    ranked = index_tree.rank_results(out, bands)
    return [(by_unit[r.unit][0], r, by_unit[r.unit][1]) for r in ranked]


# --- pages of the process -------------------------------------------------------------------------


@dataclass
class SetSummary:
    criteria_set: CriteriaSet
    units: int
    submitted: int
    appraised: int
    published: Publication | None


def staff_dashboard() -> list[SetSummary]:
    """Every set with its counts (three queries, whatever the number of sets)."""
    sets = list(
        CriteriaSet.objects.select_related("province")
        .annotate(
            n_submitted=Count("assessments", filter=~Q(assessments__status=Assessment.Status.DRAFT)),
            n_appraised=Count("assessments", filter=Q(assessments__status=Assessment.Status.APPRAISED)),
        )
        .order_by("-year", "level")
    )
    latest = latest_publications(sets)
    counts = _unit_counts(sets)
    return [SetSummary(s, counts.get(s.pk, 0), s.n_submitted, s.n_appraised, latest.get(s.pk)) for s in sets]


def _unit_counts(sets) -> dict[int, int]:
    """How many units each set assesses, from one query over the sets' provinces' units."""
    rows = AdministrativeUnit.objects.filter(parent_id__in={s.province_id for s in sets}).values_list(
        "parent_id", "level", "valid_from", "valid_to"
    )
    counts: dict[int, int] = defaultdict(int)
    for parent_id, level, valid_from, valid_to in rows:
        probe = AdministrativeUnit(valid_from=valid_from, valid_to=valid_to)
        for criteria_set in sets:
            if (
                criteria_set.province_id == parent_id
                and criteria_set.level == level
                and probe.reports_in(criteria_set.year)
            ):
                counts[criteria_set.pk] += 1
    return counts


def latest_publications(sets) -> dict[int, Publication]:
    latest = {}
    for publication in Publication.objects.filter(criteria_set__in=list(sets)).order_by("criteria_set", "-number"):
        latest.setdefault(publication.criteria_set_id, publication)
    return latest


@dataclass
class UnitTask:
    criteria_set: CriteriaSet
    unit: AdministrativeUnit
    assessment: Assessment | None
    awaiting: int = 0


def unit_admin_dashboard(*, unit_ids) -> list[UnitTask]:
    """The sets that assess the user's units, with each unit's assessment (three queries)."""
    units = list(AdministrativeUnit.objects.filter(pk__in=unit_ids))
    parents = {u.parent_id for u in units}
    sets = list(CriteriaSet.objects.filter(province_id__in=parents).select_related("province").order_by("-year"))
    assessments = {
        (a.criteria_set_id, a.unit_id): a
        for a in Assessment.objects.filter(criteria_set__in=sets, unit__in=units).annotate(
            n_awaiting=Count("scores", filter=Q(scores__explanation_requested=True))
        )
    }
    tasks = []
    for criteria_set in sets:
        for unit in by_name(units):
            if (
                unit.parent_id == criteria_set.province_id
                and unit.level == criteria_set.level
                and unit.reports_in(criteria_set.year)
            ):
                assessment = assessments.get((criteria_set.pk, unit.pk))
                tasks.append(UnitTask(criteria_set, unit, assessment, getattr(assessment, "n_awaiting", 0)))
    return tasks


def survey_points(*, criteria_set: CriteriaSet) -> dict[tuple[int, int], SurveyScore]:
    """(unit id, criterion id) -> the stored survey points of the set (one query)."""
    return {(s.unit_id, s.criterion_id): s for s in SurveyScore.objects.filter(criteria_set=criteria_set)}
