"""HTTP semantics at every URL: signed-in pages are never stored by a cache, and HEAD works wherever GET does."""

from __future__ import annotations

import pytest

from tests.site_urls import ROLES, all_routes, expectation_for


def _urls():
    for route in all_routes():
        expect = expectation_for(route)
        yield route.url(**expect.params) + (f"?{expect.query}" if expect.query else "")


def _directives(response) -> set[str]:
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",") if part.strip()}


@pytest.mark.parametrize("role", [role for role in ROLES if role != "anonymous"])
def test_every_response_to_a_signed_in_user_is_private_and_not_stored(matrix_data, client, role):
    client.force_login(matrix_data[role])
    wrong = []
    for url in _urls():
        response = client.get(url)
        directives = _directives(response)
        if not {"private", "no-store"} <= directives or "public" in directives:
            wrong.append(f"{url} ({response.status_code}): Cache-Control {response.get('Cache-Control')!r}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)


# Django's admin login sends a signed-in superuser on to /admin/ for GET only; HEAD gets the form (200).
GET_ONLY_REDIRECTS = {("superuser", "/admin/login/")}


@pytest.mark.parametrize("role", ROLES)
def test_head_answers_wherever_get_does(matrix_data, client, role):
    if role != "anonymous":
        client.force_login(matrix_data[role])
    wrong = []
    for url in _urls():
        get = client.get(url)
        head = client.head(url)
        same = head.status_code == get.status_code and head.get("Location") == get.get("Location")
        if (role, url) in GET_ONLY_REDIRECTS:
            same = head.status_code == 200
        if not same or (get.status_code == 200 and head.get("Content-Type") != get.get("Content-Type")):
            wrong.append(f"{url}: GET {get.status_code}, HEAD {head.status_code}")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
