"""The read side of the published CCHC index, public: the sets published, a year's ranking and one
unit's published tree. Only what was published is read: drafts, self-assessed points, reasons and
threads never are. A fixed number of queries whatever the number of units."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from indicators.domain.text import collation_key
from indicators.models import (
    AdministrativeUnit,
    Assessment,
    CriteriaSet,
    Criterion,
    Evidence,
    Publication,
    PublishedResult,
)
from indicators.selectors.index_process import Node, criteria_of, evidence_by_criterion, latest_publications, sum_up


def published_sets() -> list[tuple[CriteriaSet, Publication]]:
    """Sets with at least one publication, newest year first, with the latest publication (two queries)."""
    sets = list(CriteriaSet.objects.filter(publications__isnull=False).distinct().select_related("province"))
    latest = latest_publications(sets)
    return sorted(((s, latest[s.pk]) for s in sets), key=lambda pair: (-pair[0].year, pair[0].level))


@dataclass
class PublicRanking:
    criteria_set: CriteriaSet
    publication: Publication
    earlier: list[Publication]
    results: list[PublishedResult]
    areas: list[Criterion]
    bands: list

    @property
    def band_classes(self) -> dict[str, str]:
        """Band name -> its colour class: the best band green, the lowest red, those between in between."""
        return band_classes([b.name for b in self.bands])


def band_classes(names: list[str]) -> dict[str, str]:
    """Names best first -> "band-good", "band-fair", "band-average", "band-weak"."""
    if not names:
        return {}
    middle = ["band-fair", "band-average"]
    out = {}
    for position, name in enumerate(names):
        if position == 0:
            out[name] = "band-good"
        elif position == len(names) - 1:
            out[name] = "band-weak"
        else:
            out[name] = middle[min(position - 1, 1)]
    return out


def public_ranking(*, criteria_set: CriteriaSet) -> PublicRanking | None:
    """The latest publication's ranking, its areas and bands, and the publications it corrected."""
    publications = list(criteria_set.publications.select_related("source").order_by("-number"))
    if not publications:
        return None
    latest = publications[0]
    # Tied ranks in the alphabet's order of the names (the database would put "Xã Đức Lập" after "Xã Vĩnh").
    results = sorted(latest.results.select_related("unit"), key=lambda r: (r.rank, collation_key(r.unit.name)))
    areas = list(criteria_set.criteria.filter(depth=1).order_by("order"))
    return PublicRanking(criteria_set, latest, publications[1:], results, areas, list(criteria_set.bands.all()))


@dataclass
class PublicUnit:
    criteria_set: CriteriaSet
    publication: Publication
    result: PublishedResult
    nodes: list[Node]
    evidence_files_public: bool


def public_unit(*, criteria_set: CriteriaSet, unit: AdministrativeUnit) -> PublicUnit | None:
    """One unit's published tree (points as published, group sums) with its evidence titles and references."""
    publication = criteria_set.publications.select_related("source").order_by("-number").first()
    if publication is None:
        return None
    result = publication.results.filter(unit=unit).first()
    if result is None:
        return None
    assessment = Assessment.objects.filter(criteria_set=criteria_set, unit=unit).first()
    evidence = evidence_by_criterion(assessment)
    nodes = []
    for criterion in criteria_of(criteria_set):
        node = Node(criterion=criterion, evidence=evidence.get(criterion.pk, []))
        if criterion.is_leaf:
            published = result.leaf_points.get(criterion.code)
            node.published_applies = published is not None or criterion.code not in result.leaf_points
            node.appraised_points = Decimal(published) if published is not None else None
        nodes.append(node)
    sum_up(nodes)
    return PublicUnit(criteria_set, publication, result, nodes, criteria_set.evidence_public)


def evidence_is_published(evidence: Evidence) -> bool:
    """The evidence's unit is in its set's latest publication (one query)."""
    return PublishedResult.objects.filter(
        publication__criteria_set_id=evidence.assessment.criteria_set_id, unit_id=evidence.assessment.unit_id
    ).exists()
