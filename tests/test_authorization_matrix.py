"""The authorisation matrix: what each role gets at every URL of the project.

The URL list is walked from the URL conf (tests/site_urls.py), so a new URL without a line in
EXPECTATIONS (or a prefix rule) fails `test_every_url_has_an_expectation` by name. Issue 4's
/entry/ and /review/ pages get their lines here: use role-specific statuses (A's unit in the sample
URL: A gets 200, B gets 404 or 403).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from indicators.models import AdministrativeUnit, IndicatorValue
from tests.site_urls import Route, all_routes

ROLES = ("anonymous", "district_admin_a", "district_admin_b", "provincial_staff", "superuser")


@dataclass(frozen=True)
class Redirect:
    """A 302 whose Location starts with `to` (any redirect when `to` is empty)."""

    to: str = ""

    def __str__(self):
        return f"302 → {self.to or 'anywhere'}"


LOGIN = Redirect("/accounts/login/")
ADMIN_LOGIN = Redirect("/admin/login/")


@dataclass(frozen=True)
class Expect:
    """Sample parameters for the URL, and what each role gets (a status code or a Redirect)."""

    outcomes: dict
    params: dict = field(default_factory=dict)
    query: str = ""


def everyone(outcome) -> dict:
    return dict.fromkeys(ROLES, outcome)


PUBLIC = everyone(200)
TARGET_MANAGERS = {
    "anonymous": LOGIN,
    "district_admin_a": 403,
    "district_admin_b": 403,
    "provincial_staff": 200,
    "superuser": 200,
}
FIRST_TARGET = "first-target"  # resolved to a real primary key when the URL is built

EXPECTATIONS: dict[str, Expect] = {
    "": Expect(PUBLIC),
    "indicators/": Expect(PUBLIC),
    "indicators/<slug:code>/": Expect(PUBLIC, {"code": "ho-so-truc-tuyen"}),
    "units/<str:code>/": Expect(PUBLIC, {"code": "807"}),
    "compare/": Expect(PUBLIC, query="units=807,805"),
    "areas/<slug:code>/": Expect(PUBLIC, {"code": "tthc"}),
    "scorecard/": Expect(PUBLIC),
    "sources/": Expect(PUBLIC),
    "sources/<slug:code>/": Expect(PUBLIC, {"code": "bao-long-an-mot-cua-2024"}),
    "api/values.csv": Expect(PUBLIC),
    "api/values.json": Expect(PUBLIC),
    "accounts/login/": Expect(PUBLIC),
    "accounts/logout/": Expect(everyone(405)),  # POST only (CSRF-protected): a link cannot log anyone out
    "lang/<str:code>/": Expect(everyone(Redirect("/")), {"code": "en"}),  # sets the language cookie only
    "healthz": Expect(PUBLIC),
    "index/": Expect(PUBLIC, query="year=2023"),
    "index/<str:code>/": Expect(PUBLIC, {"code": "805"}, query="year=2023"),
    # Targets are managed by provincial staff (and superusers); district admins are refused.
    "targets/": Expect(TARGET_MANAGERS),
    "targets/new/": Expect(TARGET_MANAGERS),
    "targets/<int:pk>/": Expect(TARGET_MANAGERS, {"pk": FIRST_TARGET}),
    "targets/<int:pk>/delete/": Expect(TARGET_MANAGERS, {"pk": FIRST_TARGET}),  # GET asks to confirm
}


def admin_expectation(route: Route) -> Expect:
    """/admin/ is for superusers only; everyone else is sent to the admin login page.

    Provincial staff and district admins are not `is_staff`: they work in /review/ and /entry/.
    """
    outsiders = dict.fromkeys(ROLES[:-1], ADMIN_LOGIN)
    superuser = 200
    params: dict = {}
    pattern = route.pattern
    if route.name == "admin:login":
        return Expect({**dict.fromkeys(ROLES[:-1], 200), "superuser": Redirect("/admin/")})
    if route.name == "admin:logout":
        return Expect({**dict.fromkeys(ROLES[:-1], Redirect("/admin/")), "superuser": 405})
    if pattern.startswith(("admin/axes/", "admin/indicators/valueimport/")) and route.name.endswith("_add"):
        superuser = 403  # lockout records and upload records are written by the site only, never by hand
    elif route.name == "admin:autocomplete":
        superuser = 403  # no model and field named: refused, nothing listed
    elif route.name == "admin:view_on_site":
        unit = AdministrativeUnit.objects.first()
        params = {"content_type_id": ContentType.objects.get_for_model(unit).pk, "object_id": unit.pk}
        superuser = 404  # units have no "view on site" URL
    elif route.name == "admin:app_list":
        params = {"app_label": "indicators"}
    elif route.name == "admin:auth_user_password_change":
        params = {"id": _first_pk("auth", "user")}
    elif pattern.endswith("(?P<url>.*)$"):
        params = {"url": "khong-co/"}
        superuser = 404
    elif route.name.endswith("_simple_history"):
        record = IndicatorValue.history.order_by("history_id").first()
        params = {"_1": record.id, "_2": record.history_id}
    elif "object_id" in route.parameters:
        app_label, model_name = pattern.split("/")[1:3]
        params = {"object_id": _first_pk(app_label, model_name)}
        if not route.name:
            superuser = Redirect(f"/admin/{app_label}/{model_name}/{params['object_id']}/change/")
    return Expect({**outsiders, "superuser": superuser}, params)


# Issue 4's pages: the GET cells of its own matrix (tests/test_permission_matrix.py, which also checks
# POST), read here so that the two cannot disagree. A is Tân Trụ's admin, B Cần Giuộc's.
ENTRY_ROLES = {
    "anonymous": "anonymous",
    "district_admin_a": "admin_a",
    "district_admin_b": "admin_b",
    "provincial_staff": "staff",
    "superuser": "superuser",
}


def entry_expectation(route: Route) -> Expect:
    from indicators.models import ValueImport
    from tests.test_permission_matrix import MATRIX

    outcomes = {}
    for role, entry_role in ENTRY_ROLES.items():
        status = MATRIX[route.name]["GET"][entry_role]
        if status == 302:
            status = LOGIN if role == "anonymous" else Redirect("/review/")  # staff go to their queue
        outcomes[role] = status
    params = {
        "unit_code": "805",
        "year": 2024,
        "file_format": "csv",
        "pk": ValueImport.objects.order_by("pk").values_list("pk", flat=True).first()
        if "import" in route.name
        else IndicatorValue.objects.filter(unit__code="805").order_by("pk").values_list("pk", flat=True).first(),
    }
    return Expect(outcomes, {name: params[name] for name in route.parameters})


PREFIX_RULES = {"admin/": admin_expectation, "entry/": entry_expectation, "review/": entry_expectation}


def _first_pk(app_label: str, model_name: str):
    instance = apps.get_model(app_label, model_name).objects.order_by("pk").first()
    assert instance is not None, f"the matrix data has no {app_label}.{model_name}: add one in `matrix_data`"
    return instance.pk


def expectation_for(route: Route) -> Expect | None:
    if route.pattern in EXPECTATIONS:
        expect = EXPECTATIONS[route.pattern]
        if FIRST_TARGET in expect.params.values():  # ids exist only once the matrix data is loaded
            params = {
                k: _first_pk("indicators", "target") if v == FIRST_TARGET else v for k, v in expect.params.items()
            }
            return Expect(expect.outcomes, params, expect.query)
        return expect
    for prefix, rule in PREFIX_RULES.items():
        if route.pattern.startswith(prefix):
            return rule(route)
    return None


def test_every_url_has_an_expectation():
    missing = [str(route) for route in all_routes() if not _has_expectation(route)]
    assert not missing, (
        "These URLs have no line in the authorisation matrix (tests/test_authorization_matrix.py, "
        "EXPECTATIONS): say what each of anonymous, district admin A and B, provincial staff and superuser "
        "gets:\n  " + "\n  ".join(missing)
    )


def _has_expectation(route: Route) -> bool:
    return route.pattern in EXPECTATIONS or any(route.pattern.startswith(prefix) for prefix in PREFIX_RULES)


def test_no_expectation_is_left_over_from_a_removed_url():
    patterns = {route.pattern for route in all_routes()}
    assert not set(EXPECTATIONS) - patterns


def _check(response, outcome) -> bool:
    if isinstance(outcome, Redirect):
        return response.status_code == 302 and response["Location"].startswith(outcome.to)
    return response.status_code == outcome


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says_at_every_url(matrix_data, client, role):
    if role != "anonymous":
        client.force_login(matrix_data[role])
    wrong, checked = [], 0
    for route in all_routes():
        expect = expectation_for(route)
        if expect is None:
            continue  # reported by test_every_url_has_an_expectation
        url = route.url(**expect.params) + (f"?{expect.query}" if expect.query else "")
        response = client.get(url)
        checked += 1
        outcome = expect.outcomes[role]
        if not _check(response, outcome):
            got = response.status_code
            if got in (301, 302):
                got = f"{got} → {response['Location']}"
            wrong.append(f"{url}: expected {outcome}, got {got}")
    assert not wrong, f"{role}: " + "\n".join(wrong)
    assert checked == len(all_routes())


def test_no_page_for_a_signed_in_role_leaks_a_stack_trace_or_debug_page(matrix_data, client):
    client.force_login(matrix_data["district_admin_a"])
    for route in all_routes():
        expect = expectation_for(route)
        response = client.get(route.url(**expect.params))
        body = response.content.decode(errors="replace") if not response.streaming else ""
        assert "Traceback" not in body and not re.search(r"technical_500|DEBUG = True", body), route


def test_every_post_without_a_csrf_token_is_refused(matrix_data):
    """DESIGN.md: every POST is CSRF-protected: a forged form gets 403 at every URL, for every role."""
    from django.test import Client

    accepted = []
    for role in ROLES:
        client = Client(enforce_csrf_checks=True)
        if role != "anonymous":
            client.force_login(matrix_data[role])
        for route in all_routes():
            url = route.url(**expectation_for(route).params)
            response = client.post(url, {"language": "en", "username": "x", "password": "y", "next": "/"})
            if response.status_code != 403:
                accepted.append(f"{role} POST {url}: {response.status_code}")
    assert not accepted, "\n".join(accepted)
