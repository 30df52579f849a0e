"""Every page of the index process renders for the role it is for, in both languages, and the public
pages show only what was published."""

import pytest
from django.urls import reverse

from indicators.models import Assessment, Evidence
from tests.index_process.helpers import COMMUNE_A, COMMUNE_B, published_year, self_assess, unit_of


@pytest.fixture
def published(commune_set, commune_admin, other_commune_admin, index_staff):
    return published_year(index_staff, {COMMUNE_A: commune_admin, COMMUNE_B: other_commune_admin}, commune_set)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_page_renders_for_its_role(client, published, commune_set, commune_admin, index_staff, language):
    client.cookies["django_language"] = language
    code = commune_set.code
    evidence = Evidence.objects.filter(assessment__unit__code=COMMUNE_A).first()
    client.force_login(index_staff)
    for url in (
        reverse("index_process:home"),
        reverse("index_process:set-import"),
        reverse("index_process:set", args=[code]),
        reverse("index_process:survey", args=[code]),
        reverse("index_process:appraise", args=[code, COMMUNE_A]),
        reverse("index_process:notifications"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert client.get(reverse("index_process:set-template")).status_code == 200
    client.force_login(commune_admin)
    for url in (reverse("index_process:home"), reverse("index_process:assess", args=[code, COMMUNE_A])):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("index_process:evidence-file", args=[evidence.pk])).status_code == 200
    client.logout()
    for url in (
        reverse("official-index"),
        reverse("official-ranking", args=[code]),
        reverse("official-unit", args=[code, COMMUNE_A]),
        reverse("official-export", args=[code, "csv"]),
        reverse("official-export", args=[code, "xlsx"]),
    ):
        assert client.get(url).status_code == 200, url


def test_the_public_never_sees_drafts_self_assessed_points_or_appraisal_comments(
    client, commune_set, commune_admin, index_staff, other_commune_admin
):
    unit = unit_of(commune_set, COMMUNE_B)
    self_assess(other_commune_admin, commune_set, unit, submit=False)
    assert client.get(reverse("official-ranking", args=[commune_set.code])).status_code == 404
    assert client.get(reverse("official-unit", args=[commune_set.code, COMMUNE_B])).status_code == 404
    assert Assessment.objects.filter(unit=unit).exists()
