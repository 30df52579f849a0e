"""One commune year through the services, start to finish, and what each step leaves behind."""

from decimal import Decimal

from indicators.models import Assessment, Indicator, IndicatorValue, Publication, PublishedResult
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


def test_the_published_district_results_show_on_the_existing_pages_and_exports(
    client, seeded, index_staff, district_admin, commune_admin
):
    """A 2024 district set writes the catalogue's district index score and rank: the indicator pages,
    the district index and the open data then show them, citing the publication."""
    from django.urls import reverse

    from indicators.models import DISTRICT_ADMIN_GROUP
    from tests.factories import make_user
    from tests.index_process.helpers import published_year, small_set

    other = make_user("cangiuoc-cs", group=DISTRICT_ADMIN_GROUP, units=["807"])
    criteria_set = small_set(
        index_staff,
        score_indicator=Indicator.objects.get(role=Indicator.Role.INDEX_SCORE),
        rank_indicator=Indicator.objects.get(role=Indicator.Role.INDEX_RANK),
    )
    published = published_year(index_staff, {"805": district_admin, "807": other}, criteria_set, {"807": {"1.1.a": 10}})
    rank = IndicatorValue.objects.get(indicator__role="index_rank", unit__code="805", year=2024)
    assert (rank.value, rank.source, rank.status) == (1, published.source, "approved")
    data = client.get(reverse("values-json"), {"unit": "805", "indicator": rank.indicator.code}).json()
    (row,) = [r for r in data["values"] if r["year"] == 2024]
    assert row["value"] == 1 and row["source_title"] == published.decision and row["is_demo"] is False
    page = client.get(reverse("indicator-detail", args=[rank.indicator.code]), {"year": 2024}).content.decode()
    assert published.decision in page
