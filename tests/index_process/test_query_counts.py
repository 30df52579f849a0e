"""Every page of the index process makes a fixed number of queries, whatever the number of units,
criteria, evidence and years: measured with two published years (a 2024 district set and the 2025
commune set) at two sizes, and pinned (uncached)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from indicators.models import DISTRICT_ADMIN_GROUP
from tests.factories import make_user
from tests.index_process.helpers import published_year, small_set

COMMUNES = ["28159", "28165", "28177", "28201", "28207", "28075"]
DISTRICTS = ["805", "807", "806", "804"]

# Page -> its pinned query count, uncached. Signed in, the first three are the session, the user and
# their groups (and, for a unit admin, their units); the rest are the page's own selectors.
PINS = {
    "home-staff": 8,  # the sets with their counts, their publications, their units
    "home-unit": 9,  # the user's units, the sets of their provinces, the assessments
    "set-import": 10,  # the province and its lineage, the indicators offered (score and rank)
    "set": 14,  # the set, its units, criteria, assessments, scores, survey points, bands, publications
    "survey": 9,  # the set, its units, survey criteria, stored points
    "assess": 15,  # the set, the unit, the assessment, scores, threads, evidence with criteria, survey
    "appraise": 16,  # as assess, plus the automatic criteria's figures
    "notifications": 6,  # the user's setting
    "official-index": 2,  # published sets, their latest publications
    "official-ranking": 5,  # the set, its publications, results with units, areas, bands
    "official-unit": 8,  # the set, the unit, the publication, its result, the assessment's evidence, the tree
    "official-export": 5,  # as the ranking
}


def _build(staff, size: int):
    """Two published years with `size` units each (and evidence for every one), one draft in the second."""
    admins = {}
    for code in COMMUNES[:size] + DISTRICTS[:size]:
        admins[code] = make_user(f"admin-{code}", group=DISTRICT_ADMIN_GROUP, units=[code])
    from tests.index_process.helpers import shipped_set

    district_set = small_set(staff)
    published_year(staff, {c: admins[c] for c in DISTRICTS[:size]}, district_set)
    commune_set = shipped_set()
    published_year(staff, {c: admins[c] for c in COMMUNES[:size]}, commune_set)
    return commune_set, admins


def _urls(commune_set, first):
    code = commune_set.code
    evidence_pk = commune_set.assessments.get(unit__code=first).evidence.first().pk
    return {
        "home-staff": reverse("index_process:home"),
        "home-unit": reverse("index_process:home"),
        "set-import": reverse("index_process:set-import"),
        "set": reverse("index_process:set", args=[code]),
        "survey": reverse("index_process:survey", args=[code]),
        "assess": reverse("index_process:assess", args=[code, first]),
        "appraise": reverse("index_process:appraise", args=[code, first]),
        "notifications": reverse("index_process:notifications"),
        "official-index": reverse("official-index"),
        "official-ranking": reverse("official-ranking", args=[code]),
        "official-unit": reverse("official-unit", args=[code, first]),
        "official-export": reverse("official-export", args=[code, "xlsx"]),
        "_evidence": evidence_pk,
    }


def _count(client, user, url) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def _who(page, staff, admin):
    if page in ("home-staff", "set-import", "set", "survey", "appraise", "notifications"):
        return staff
    if page in ("home-unit", "assess"):
        return admin
    return None


@pytest.mark.parametrize("size", [2, 5])
def test_every_page_makes_a_fixed_number_of_queries(
    client, uncached_pages, index_staff, size, django_assert_max_num_queries
):
    commune_set, admins = _build(index_staff, size)
    first = COMMUNES[0]
    urls = _urls(commune_set, first)
    counts = {}
    for page, pin in PINS.items():
        user = _who(page, index_staff, admins[first])
        counts[page] = _count(client, user, urls[page])
        client.logout()
        if user is not None:
            client.force_login(user)
        with django_assert_max_num_queries(pin):
            client.get(urls[page])
    assert counts == PINS
