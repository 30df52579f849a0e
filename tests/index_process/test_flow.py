"""One commune year through the services, start to finish, and what each step leaves behind."""

from decimal import Decimal

from indicators.models import Assessment, IndicatorValue, Publication, PublishedResult
from tests.index_process.helpers import (
    COMMUNE_A,
    COMMUNE_B,
    appraise_all,
    approve_and_publish,
    self_assess,
    survey_all,
    unit_of,
)


def test_a_commune_year_runs_from_self_assessment_to_the_official_figures(
    commune_set, commune_admin, other_commune_admin, index_staff
):
    unit_a, unit_b = unit_of(commune_set, COMMUNE_A), unit_of(commune_set, COMMUNE_B)
    first = self_assess(commune_admin, commune_set, unit_a)
    second = self_assess(other_commune_admin, commune_set, unit_b, {"8.2": 0, "1.2": 0})
    assert first.status == second.status == Assessment.Status.SUBMITTED
    appraise_all(index_staff, first, adjust={"8.2": 1})
    appraise_all(index_staff, second)
    survey_all(index_staff, commune_set, [unit_a, unit_b], Decimal(25))
    published = approve_and_publish(index_staff, commune_set)

    results = {r.unit.code: r for r in PublishedResult.objects.filter(publication=published).select_related("unit")}
    assert set(results) == {COMMUNE_A, COMMUNE_B}
    assert results[COMMUNE_A].rank == 1 and results[COMMUNE_B].rank == 2
    assert results[COMMUNE_A].max_points == Decimal(100)
    assert results[COMMUNE_A].survey_points == Decimal(25)
    assert results[COMMUNE_A].band in {"Tốt", "Khá", "Kém"}
    assert set(results[COMMUNE_A].area_points) == {str(n) for n in range(1, 9)}
    score = IndicatorValue.objects.get(indicator__code="diem-chi-so-cchc-cap-xa", unit=unit_a, year=2025)
    rank = IndicatorValue.objects.get(indicator__code="xep-hang-chi-so-cchc-cap-xa", unit=unit_a, year=2025)
    assert score.status == rank.status == IndicatorValue.Status.APPROVED
    assert score.source == rank.source == published.source
    assert score.value == results[COMMUNE_A].share and rank.value == 1
    assert Publication.objects.filter(criteria_set=commune_set).count() == 1
