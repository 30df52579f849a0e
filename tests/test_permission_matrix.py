"""Every entry, review, import and history URL × every role × GET and POST, with the expected status.

The list of URLs comes from the URL conf (every pattern in the "entry" and "review" namespaces), so
a new URL without a row in MATRIX fails `test_matrix_has_a_row_for_every_url` and its own cells.
A district admin who tries another district's page gets 404 (nothing is revealed); a role that may
not use a page at all gets 403; anonymous visitors are sent to the login page.
"""

import pytest
from django.urls import URLResolver, get_resolver, reverse

from indicators.models import IndicatorValue

NAMESPACES = ("entry", "review")
ROLES = ("anonymous", "admin_a", "admin_b", "staff", "superuser")
METHODS = ("GET", "POST")


def url_names() -> list[str]:
    names = []
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace in NAMESPACES:
            names.extend(f"{pattern.namespace}:{p.name}" for p in pattern.url_patterns)
    return sorted(names)


def row(get: tuple, post: tuple) -> dict:
    """Statuses in ROLES order: anonymous, admin of A (Tân Trụ), admin of B (Cần Giuộc), staff, superuser."""
    return {"GET": dict(zip(ROLES, get, strict=True)), "POST": dict(zip(ROLES, post, strict=True))}


LOGIN = 302
ONLY_GET = (LOGIN, 405, 405, 405, 405)
ONLY_POST = (LOGIN, 405, 405, 405, 405)

MATRIX = {
    # Staff land here after logging in (LOGIN_REDIRECT_URL) and are sent on to their queue.
    "entry:list": row(get=(LOGIN, 200, 200, 302, 200), post=ONLY_GET),
    # An empty POST changes nothing on a unit-year without drafts: a redirect with "no change".
    "entry:form": row(get=(LOGIN, 200, 404, 403, 200), post=(LOGIN, 302, 404, 403, 302)),
    "entry:value-history": row(get=(LOGIN, 200, 404, 200, 200), post=ONLY_GET),
    # An upload with no file is refused with the form and 400.
    "entry:import": row(get=(LOGIN, 200, 200, 403, 200), post=(LOGIN, 400, 400, 403, 400)),
    "entry:import-template": row(get=(LOGIN, 200, 200, 403, 200), post=ONLY_GET),
    "entry:import-preview": row(get=(LOGIN, 200, 404, 403, 200), post=ONLY_GET),
    # Confirming A's (valid) upload: applied for A and the superuser, hidden from B.
    "entry:import-confirm": row(get=ONLY_POST, post=(LOGIN, 302, 404, 403, 302)),
    "review:queue": row(get=(LOGIN, 403, 403, 200, 200), post=ONLY_GET),
    # A POST without a decision is refused with 400.
    "review:unit-year": row(get=(LOGIN, 403, 403, 200, 200), post=(LOGIN, 403, 403, 400, 400)),
}


def url_for(name: str, objects) -> str:
    args = {
        "entry:form": ["805", 2024],
        "entry:value-history": [objects["value"].pk],
        "entry:import-template": ["csv"],
        "entry:import-preview": [objects["upload"].pk],
        "entry:import-confirm": [objects["upload"].pk],
        "review:unit-year": ["805", 2024],
    }.get(name, [])
    return reverse(name, args=args)


def test_matrix_has_a_row_for_every_url():
    assert set(url_names()) == set(MATRIX), "add the new URL to MATRIX with a status for every role"


def test_matrix_size():
    cells = [(n, m, r) for n in url_names() for m in METHODS for r in ROLES]
    assert len(cells) == len(MATRIX) * len(METHODS) * len(ROLES) == 90


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", url_names())
def test_permission_matrix(name, method, role, users, matrix_objects, client):
    expected = MATRIX[name][method][role]  # a KeyError here is a missing cell
    if users[role] is not None:
        client.force_login(users[role])
    url = url_for(name, matrix_objects)
    response = client.get(url) if method == "GET" else client.post(url)
    assert response.status_code == expected, f"{method} {url} as {role}"
    if expected == LOGIN and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_district_admin_cannot_edit_other_district_by_any_url(users, client):
    client.force_login(users["admin_b"])
    for url in (reverse("entry:form", args=["805", 2024]), reverse("entry:form", args=["805", 2023])):
        assert client.get(url).status_code == 404
        assert client.post(url, {"sipas__value": "90", "action": "submit"}).status_code == 404
    assert not IndicatorValue.objects.filter(unit__code="805", indicator__code="sipas").exists()


def test_not_even_a_superuser_enters_figures_for_a_province(users, client):
    client.force_login(users["superuser"])
    for code in ("80", "72", "TN2025"):  # Long An, the old and the new Tây Ninh: not districts
        url = reverse("entry:form", args=[code, 2023])
        assert client.get(url).status_code == 404
        assert client.post(url, {"sipas__value": "90", "action": "submit"}).status_code == 404
    assert not IndicatorValue.objects.filter(unit__level="province", indicator__code="sipas").exists()


def test_unknown_unit_and_out_of_range_years_are_404_not_500(users, client):
    client.force_login(users["superuser"])
    assert client.get(reverse("entry:form", args=["nope", 2024])).status_code == 404
    assert client.get(reverse("entry:form", args=["805", 2010])).status_code == 404
    assert client.get(reverse("entry:form", args=["805", 2099])).status_code == 404
    assert client.get(reverse("entry:import-template", args=["exe"])).status_code == 404
    assert client.get(reverse("entry:value-history", args=[999999])).status_code == 404
    assert client.get(reverse("review:unit-year", args=["nope", 2024])).status_code == 404
    assert client.get(reverse("review:unit-year", args=["805", 99999])).status_code == 404


def test_a_user_without_a_role_gets_403_everywhere(seeded, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("nobody", password="x" * 12))
    assert client.get(reverse("entry:list")).status_code == 403
    assert client.get(reverse("entry:import")).status_code == 403
    assert client.get(reverse("review:queue")).status_code == 403


def test_provincial_staff_are_sent_from_the_entry_list_to_their_review_queue(users, client):
    client.force_login(users["staff"])
    response = client.get(reverse("entry:list"))
    assert response["Location"] == reverse("review:queue")
