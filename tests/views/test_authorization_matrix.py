"""The authorisation matrix: what each role gets at every URL of the project, on GET and (for the
entry, review, import and history pages) on POST; and every POST without a CSRF token is refused.

The URL list is walked from the URL conf (tests/site_urls.py), so a new URL without a line in
EXPECTATIONS (or a prefix rule) fails `test_every_url_has_an_expectation` by name.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from simple_history.utils import get_history_model_for_model

from indicators.models import IndicatorValue, Target, ValueImport
from tests.site_urls import (
    EXPECTATIONS,
    ROLES,
    Redirect,
    all_routes,
    expectation_for,
    has_expectation,
    sample_url,
)

# The URLs whose POST outcome the matrix states (entry, review, import and history).
POST_ROUTES = [route for route in all_routes() if route.pattern in EXPECTATIONS and EXPECTATIONS[route.pattern].post]


def test_every_url_has_an_expectation():
    missing = [str(route) for route in all_routes() if not has_expectation(route)]
    assert not missing, (
        "These URLs have no line in the authorisation matrix (tests/site_urls.py, EXPECTATIONS): say what "
        "each of anonymous, district admin A and B, provincial staff and superuser gets:\n  " + "\n  ".join(missing)
    )


def test_no_expectation_is_left_over_from_a_removed_url():
    patterns = {route.pattern for route in all_routes()}
    assert not set(EXPECTATIONS) - patterns


def _check(response, outcome) -> bool:
    if isinstance(outcome, Redirect):
        return response.status_code == 302 and response["Location"].startswith(outcome.to)
    return response.status_code == outcome


def _got(response) -> str:
    got = response.status_code
    return f"{got} → {response['Location']}" if got in (301, 302) else str(got)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says_at_every_url(matrix_data, client, role):
    if role != "anonymous":
        client.force_login(matrix_data[role])
    wrong, checked = [], 0
    for route in all_routes():
        expect = expectation_for(route)
        if expect is None:
            continue  # reported by test_every_url_has_an_expectation
        url = sample_url(route)
        response = client.get(url)
        checked += 1
        outcome = expect.outcomes[role]
        if not _check(response, outcome):
            wrong.append(f"{url}: expected {outcome}, got {_got(response)}")
    assert not wrong, f"{role}: " + "\n".join(wrong)
    assert checked == len(all_routes())


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", POST_ROUTES, ids=str)
def test_each_role_gets_what_the_matrix_says_on_post(route, role, matrix_data, client):
    expected = expectation_for(route).post[role]
    if role != "anonymous":
        client.force_login(matrix_data[role])
    url = sample_url(route)
    response = client.post(url)
    assert _check(response, expected), f"POST {url} as {role}: expected {expected}, got {_got(response)}"


def _state():
    history = get_history_model_for_model(IndicatorValue)
    return (
        IndicatorValue.objects.count(),
        history.objects.count(),
        ValueImport.objects.count(),
        ValueImport.objects.filter(applied_at__isnull=False).count(),
        Target.objects.count(),
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_post_without_a_csrf_token_is_refused_and_writes_nothing(matrix_data, role):
    """DESIGN.md: every POST is CSRF-protected: a forged form gets 403 at every URL, for every role."""
    client = Client(enforce_csrf_checks=True)
    if role != "anonymous":
        client.force_login(matrix_data[role])
    before = _state()
    payload = {"language": "en", "username": "x", "password": "y", "next": "/"}
    payload |= {"sipas__value": "90", "action": "submit", "decision": "approve:all"}
    accepted = []
    for route in all_routes():
        url = sample_url(route, query=False)
        response = client.post(url, payload)
        if response.status_code != 403:
            accepted.append(f"{role} POST {url}: {response.status_code}")
    assert not accepted, "\n".join(accepted)
    assert _state() == before


def test_post_with_the_csrf_token_goes_through(users):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin_a"])
    url = reverse("entry:form", args=["805", 2024])
    client.get(url)
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"csrfmiddlewaretoken": token, "sipas__value": "90", "sipas__version": "0"})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(unit__code="805", year=2024, indicator__code="sipas").status == "draft"


def test_district_admin_cannot_edit_other_district_by_any_url(users, client):
    client.force_login(users["admin_b"])
    for url in (reverse("entry:form", args=["805", 2024]), reverse("entry:form", args=["805", 2023])):
        assert client.get(url).status_code == 404
        assert client.post(url, {"sipas__value": "90", "action": "submit"}).status_code == 404
    assert not IndicatorValue.objects.filter(unit__code="805", indicator__code="sipas").exists()


def test_not_even_a_superuser_enters_figures_for_a_province(users, client):
    client.force_login(users["superuser"])
    stored = set(IndicatorValue.objects.filter(unit__level="province").values_list("pk", "value", "version"))
    # 80 is Long An in 2023 and the new Tây Ninh in 2025; 72 the former Tây Ninh: no district, no commune.
    for code, year in (("80", 2023), ("80", 2025), ("72", 2023)):
        url = reverse("entry:form", args=[code, year])
        assert client.get(url).status_code == 404
        assert client.post(url, {"sipas__value": "90", "action": "submit"}).status_code == 404
    # Nothing written: the provinces keep exactly their published figures (docs/province_figures.md).
    assert set(IndicatorValue.objects.filter(unit__level="province").values_list("pk", "value", "version")) == stored


def test_unknown_unit_and_out_of_range_years_are_404_not_500(users, client):
    client.force_login(users["superuser"])
    assert client.get(reverse("entry:form", args=["nope", 2024])).status_code == 404
    assert client.get(reverse("entry:form", args=["805", 2010])).status_code == 404
    assert client.get(reverse("entry:form", args=["805", 2099])).status_code == 404
    assert client.get(reverse("entry:import-template", args=["exe"])).status_code == 404
    assert client.get(reverse("entry:value-history", args=[999999])).status_code == 404
    assert client.get(reverse("review:unit-year", args=["nope", 2024])).status_code == 404
    assert client.get(reverse("review:unit-year", args=["805", 99999])).status_code == 404
    assert client.get(reverse("entry:form", args=["805", 99999])).status_code == 404


def test_a_user_without_a_role_gets_403_everywhere(seeded, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x" * 12))
    assert client.get(reverse("entry:list")).status_code == 403
    assert client.get(reverse("entry:import")).status_code == 403
    assert client.get(reverse("review:queue")).status_code == 403


def test_provincial_staff_are_sent_from_the_entry_list_to_their_review_queue(users, client):
    client.force_login(users["staff"])
    response = client.get(reverse("entry:list"))
    assert response["Location"] == reverse("review:queue")
