"""Every public page makes as many queries with 168 units as with a few (issue 13 §7).

Each page anonymous visitors get (walked from the URL conf by tests/site_urls.py, so a new public
page fails here until it is pinned), rendered without the page cache, in two provinces:

- Tây Ninh (80), the configured province, as `make run` builds it: 24 districts to 2024 (Long An's
  15, with the article's figures, and the former Tây Ninh's 9) and 96 communes from 2025;
- Hồ Chí Minh City (79), configured instead: the largest province, 38 districts to 2024 (of three
  old provinces) and 168 communes from 01/07/2025, loaded from the registry with demo values
  (districts 2019–2024, communes 2025–2026) by bench/national.py, as the benchmark's national size.

The same pin for both. A page whose count grows with its units (a query per unit, per row of a
ranking, per successor) fails the second render.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.db import transaction

from bench import national
from tests.site_urls import EXPECTATIONS, PUBLIC, all_routes, sample_url

BIG_PROVINCE = national.LARGEST
# Tây Ninh's units in the sample URLs become Hồ Chí Minh City's in the same place: national.SAME_PLACE.

# More URLs of a route than its sample: the years that change what a page reads (a district year,
# a commune year), and the unit page for each level.
VARIANTS = {
    "indicators/<slug:code>/": [
        "/indicators/ho-so-truc-tuyen/?units=807,805",
        "/indicators/ho-so-tre-han/?year=2022&include_demo=1",
        "/indicators/ho-so-tre-han/?year=2026",
        "/indicators/ho-so-truc-tuyen/?units=807,805&successors=1",
    ],
    "units/<str:code>/": ["/units/28159/", "/units/80/"],
    # The printable report: a district (to 2024) and a commune (from 2025).
    "units/<str:code>/report/": ["/units/807/report/", "/units/28159/report/"],
    "compare/": ["/compare/?units=807,805,806&indicators=ho-so-truc-tuyen,thanh-toan-truc-tuyen,ho-so-dung-han"],
    "scorecard/": ["/scorecard/?year=2023", "/scorecard/?year=2026"],
    "index/": ["/index/"],
    "index/<str:code>/": ["/index/807/?year=2023"],
    "api/values.csv": ["/api/values.csv?unit=807"],
    "api/values.json": ["/api/values.json?indicator=ho-so-truc-tuyen"],
}

# Queries per public route, the most any of its URLs makes; the same for both provinces.
# What each query is for is said beside the page's own pin in tests/views/test_public.py and
# test_district_index.py; an export is read to its end, as its rows stream.
PINS = {
    "": 10,
    "indicators/": 1,
    "indicators/<slug:code>/": 10,  # 9, and 10 with the units that took over in 2025 (successors=1)
    "units/<str:code>/": 13,
    # the units with the code, successions, predecessions, indicators, own and sibling values,
    # targets, events, data version, reused codes
    "units/<str:code>/report/": 9,
    "compare/": 8,
    "areas/<slug:code>/": 4,
    "scorecard/": 7,
    "sources/": 2,
    "sources/<slug:code>/": 3,
    "api/values.csv": 2,
    # The indicator codes asked for, the values, then their indicators, units and sources by id
    # (each unit's and source's fields read once, not on each of its rows: open_data.VALUE_FIELDS).
    "api/values.json": 5,
    # The data version, the sources, indicators, units and successions, and the values by chunks of
    # 20,000 (one here; 21 at national size: they grow with the values, not with the units shown).
    "api/datapackage.zip": 6,
    "open-data/": 1,  # the data version (public_page)
    "accounts/login/": 0,
    "healthz": 1,  # the database answers
    "index/": 8,
    "index/<str:code>/": 9,
    # The official index's published results (issue 15), the year matrix_data publishes for 805 and 807.
    "official-index/": 2,
    "official-index/<slug:code>/": 5,
    "official-index/<slug:code>/results.<str:file_format>": 5,
    "official-index/<slug:code>/<str:unit_code>/": 8,
}


def public_routes():
    """The routes every role, anonymous visitors first, gets with a 200."""
    return [
        route
        for route in all_routes()
        if route.pattern in EXPECTATIONS and EXPECTATIONS[route.pattern].outcomes == PUBLIC
    ]


def public_urls() -> list[tuple[str, str]]:
    """(route pattern, URL): each public route's sample URL, then its variants."""
    urls = []
    for route in public_routes():
        for url in [sample_url(route), *VARIANTS.get(route.pattern, [])]:
            if (route.pattern, url) not in urls:
                urls.append((route.pattern, url))
    return urls


def render(client, url: str):
    """GET the page and read all of it: a streamed export runs its queries while it is read."""
    response = client.get(url)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


@pytest.fixture(scope="module")
def big_province(django_db_setup, django_db_blocker):
    """Hồ Chí Minh City with its demo values, loaded once for the module inside a transaction that is
    rolled back at its end; each test's own transaction is a savepoint inside it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            made = national.build(provinces=[BIG_PROVINCE], indicators=0)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield made
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


def test_every_public_page_is_pinned():
    missing = [route.pattern for route in public_routes() if route.pattern not in PINS]
    assert not missing, f"Pin the uncached query count of these public pages in PINS: {missing}"
    assert not set(PINS) - {route.pattern for route in public_routes()}, "a pin is left over from a removed page"


def test_the_big_province_is_the_largest(big_province, db):
    from indicators.models import AdministrativeUnit

    province = AdministrativeUnit.objects.by_code(BIG_PROVINCE)
    assert province.children.communes().count() == 168
    assert AdministrativeUnit.objects.districts().filter(parent__code=BIG_PROVINCE).count() == 22
    assert big_province["demo_values_created"] > 10_000


@pytest.mark.parametrize(("pattern", "url"), public_urls(), ids=[url for _pattern, url in public_urls()])
def test_public_page_makes_as_many_queries_with_168_units_as_with_a_few(
    big_province,
    demo_seeded,
    matrix_data,
    client,
    uncached_pages,
    settings,
    django_assert_max_num_queries,
    pattern,
    url,
):
    pin = PINS[pattern]
    with django_assert_max_num_queries(pin):
        response = render(client, url)
    assert response.status_code == 200, f"{url}: {response.status_code}"
    settings.CCHC_PROVINCE_CODE = BIG_PROVINCE
    # A published official index belongs to the units it ranks, whatever the configured province: its
    # pages are the same URL here (tests/index_process pins them with 2 and 5 ranked units).
    big = url if pattern.startswith("official-index/") else national.in_largest_province(url)
    with django_assert_max_num_queries(pin):
        response = render(client, big)
    assert response.status_code == 200, f"{big}: {response.status_code}"


@pytest.mark.parametrize("url", ["/scorecard/?year=2026", "/indicators/ho-so-tre-han/?year=2023"])
def test_the_pin_fails_a_page_that_makes_a_query_per_unit(
    big_province, demo_seeded, client, uncached_pages, settings, django_assert_max_num_queries, url
):
    """Positive control: one query more for each unit a page reads breaks its pin in the big province."""
    from django.db.models.signals import post_init

    from indicators.models import AdministrativeUnit

    def one_query_per_unit(sender, instance, **kwargs):
        AdministrativeUnit.objects.filter(pk=instance.pk).exists()

    settings.CCHC_PROVINCE_CODE = BIG_PROVINCE
    post_init.connect(one_query_per_unit, sender=AdministrativeUnit)
    try:
        with pytest.raises(pytest.fail.Exception, match="queries"), django_assert_max_num_queries(PINS[_route(url)]):
            render(client, url)
    finally:
        post_init.disconnect(one_query_per_unit, sender=AdministrativeUnit)


def _route(url: str) -> str:
    return next(pattern for pattern, known in public_urls() if urlsplit(known).path == urlsplit(url).path)
