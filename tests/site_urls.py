"""Every URL pattern of the project, walked from the URL conf, what each role gets there, and a
concrete URL for each.

Used by the authorisation matrix, the CSRF sweep, the CSP, header, outage and escaping tests, so that
a new page is covered (or fails loudly for want of an entry) without anyone remembering to list it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

_NAMED_GROUP = r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)"
_CONVERTER = r"<(?:\w+:)?(\w+)>"
_UNNAMED_GROUP = r"\((?!\?)[^()]*\)"


@dataclass(frozen=True)
class Route:
    pattern: str  # the joined pattern text, e.g. "indicators/<slug:code>/" or "admin/^(?P<app_label>auth)/$"
    name: str  # "namespace:name", or "" for unnamed patterns

    @property
    def parameters(self) -> list[str]:
        """Named parameters; unnamed regex groups are called _1, _2, ... in order."""
        names = re.findall(_NAMED_GROUP + "|" + _CONVERTER, self.pattern)
        named = [a or b for a, b in names]
        unnamed = re.findall(_UNNAMED_GROUP, re.sub(_NAMED_GROUP, "", self.pattern))
        return named + [f"_{n}" for n in range(1, len(unnamed) + 1)]

    def url(self, **values) -> str:
        """The pattern with each parameter replaced by values[name]."""
        missing = [name for name in self.parameters if name not in values]
        if missing:
            raise KeyError(f"{self} needs sample values for {missing}")
        text = re.sub(_NAMED_GROUP, lambda m: str(values[m.group(1)]), self.pattern)
        text = re.sub(_CONVERTER, lambda m: str(values[m.group(1)]), text)
        counter = iter(range(1, 100))
        text = re.sub(_UNNAMED_GROUP, lambda m: str(values[f"_{next(counter)}"]), text)
        return "/" + text.replace("^", "").replace("$", "")

    def __str__(self):
        return f"/{self.pattern}" + (f" (name {self.name!r})" if self.name else "")


def all_routes() -> list[Route]:
    """Every URLPattern of ROOT_URLCONF, depth first, in URL-conf order."""
    routes: list[Route] = []

    def walk(patterns, prefix: str, namespace: str):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name}" if entry.name else ""
                routes.append(Route(prefix + str(entry.pattern), name))

    walk(get_resolver().url_patterns, "", "")
    return routes


# --- The authorisation matrix: what each role gets at every URL ---------------------------------
# One table for the whole site. A new URL without a line here (or a prefix rule) fails
# tests/views/test_authorization_matrix.py by name. Sample URLs use district A's unit (Tân Trụ,
# 805): A gets it, B gets 404 (nothing is revealed), a role that may not use the page gets 403 and
# anonymous visitors are sent to the login page.

ROLES = ("anonymous", "admin_a", "admin_b", "staff", "superuser")


@dataclass(frozen=True)
class Redirect:
    """A 302 whose Location starts with `to` (any redirect when `to` is empty)."""

    to: str = ""

    def __str__(self):
        return f"302 → {self.to or 'anywhere'}"


LOGIN = Redirect("/accounts/login/")
ADMIN_LOGIN = Redirect("/admin/login/")
QUEUE = Redirect("/review/")  # provincial staff are sent on to their review queue
DONE = Redirect()  # a POST that went through


@dataclass(frozen=True)
class Expect:
    """Sample parameters for the URL, what each role gets on GET (a status code or a Redirect) and,
    where the matrix states it, on POST."""

    outcomes: dict
    params: dict = field(default_factory=dict)
    query: str = ""
    post: dict | None = None


def everyone(outcome) -> dict:
    return dict.fromkeys(ROLES, outcome)


def by_role(*outcomes) -> dict:
    """Outcomes in ROLES order: anonymous, admin of A (Tân Trụ), admin of B (Cần Giuộc), staff, superuser."""
    return dict(zip(ROLES, outcomes, strict=True))


PUBLIC = everyone(200)
TARGET_MANAGERS = by_role(LOGIN, 403, 403, 200, 200)  # provincial staff (and superusers) manage targets
ONLY_GET = by_role(LOGIN, 405, 405, 405, 405)
ONLY_POST = ONLY_GET
FIRST_TARGET = "first-target"  # resolved to a real primary key when the URL is built
A_UPLOAD = "a-upload"  # district A's upload in `matrix_data`
A_VALUE = "a-value"  # one of district A's figures
A_LAYOUT_UPLOAD = "a-layout-upload"  # district A's upload of a staff-records report in `matrix_data`

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
    "api/datapackage.zip": Expect(PUBLIC),
    "open-data/": Expect(PUBLIC),
    "accounts/login/": Expect(PUBLIC),
    "accounts/logout/": Expect(everyone(405)),  # POST only (CSRF-protected): a link cannot log anyone out
    "lang/<str:code>/": Expect(everyone(Redirect("/")), {"code": "en"}),  # sets the language cookie only
    "healthz": Expect(PUBLIC),
    "index/": Expect(PUBLIC, query="year=2023"),
    "index/<str:code>/": Expect(PUBLIC, {"code": "805"}, query="year=2023"),
    "targets/": Expect(TARGET_MANAGERS),
    "targets/new/": Expect(TARGET_MANAGERS),
    "targets/<int:pk>/": Expect(TARGET_MANAGERS, {"pk": FIRST_TARGET}),
    "targets/<int:pk>/delete/": Expect(TARGET_MANAGERS, {"pk": FIRST_TARGET}),  # GET asks to confirm
    # Entry, review, import and history: GET and POST for every role.
    "entry/": Expect(by_role(LOGIN, 200, 200, QUEUE, 200), post=ONLY_GET),
    # An empty POST changes nothing on a unit-year without drafts: a redirect with "no change".
    "entry/<str:unit_code>/<int:year>/": Expect(
        by_role(LOGIN, 200, 404, 403, 200),
        {"unit_code": "805", "year": 2024},
        post=by_role(LOGIN, DONE, 404, 403, DONE),
    ),
    "entry/values/<int:pk>/history/": Expect(by_role(LOGIN, 200, 404, 200, 200), {"pk": A_VALUE}, post=ONLY_GET),
    # An upload with no file is refused with the form and 400.
    "entry/import/": Expect(by_role(LOGIN, 200, 200, 403, 200), post=by_role(LOGIN, 400, 400, 403, 400)),
    "entry/import/template.<str:file_format>": Expect(
        by_role(LOGIN, 200, 200, 403, 200), {"file_format": "csv"}, post=ONLY_GET
    ),
    "entry/import/<int:pk>/": Expect(by_role(LOGIN, 200, 404, 403, 200), {"pk": A_UPLOAD}, post=ONLY_GET),
    # Confirming A's (valid) upload: applied for A and the superuser, hidden from B.
    "entry/import/<int:pk>/confirm/": Expect(ONLY_POST, {"pk": A_UPLOAD}, post=by_role(LOGIN, DONE, 404, 403, DONE)),
    # Reports of other systems: unit admins and provincial staff upload (staff: the 766 table only);
    # an upload with no file is refused with the form and 400. An upload is its uploader's alone.
    "entry/systems/": Expect(by_role(LOGIN, 200, 200, 200, 200), post=by_role(LOGIN, 400, 400, 400, 400)),
    "entry/systems/<int:pk>/": Expect(by_role(LOGIN, 200, 404, 404, 200), {"pk": A_LAYOUT_UPLOAD}, post=ONLY_GET),
    "entry/systems/<int:pk>/confirm/": Expect(
        ONLY_POST, {"pk": A_LAYOUT_UPLOAD}, post=by_role(LOGIN, DONE, 404, 404, DONE)
    ),
    # Only staff save a name mapping; an empty one is refused with 400.
    "entry/systems/<int:pk>/mapping/": Expect(
        ONLY_POST, {"pk": A_LAYOUT_UPLOAD}, post=by_role(LOGIN, 403, 404, 404, 400)
    ),
    "review/": Expect(by_role(LOGIN, 403, 403, 200, 200), post=ONLY_GET),
    # A POST without a decision is refused with 400.
    "review/<str:unit_code>/<int:year>/": Expect(
        by_role(LOGIN, 403, 403, 200, 200), {"unit_code": "805", "year": 2024}, post=by_role(LOGIN, 403, 403, 400, 400)
    ),
}


def admin_expectation(route: Route) -> Expect:
    """/admin/ is for superusers only; everyone else is sent to the admin login page.

    Provincial staff and district admins are not `is_staff`: they work in /review/ and /entry/.
    """
    from django.contrib.contenttypes.models import ContentType

    from indicators.models import AdministrativeUnit, IndicatorValue

    outsiders = dict.fromkeys(ROLES[:-1], ADMIN_LOGIN)
    superuser = 200
    params: dict = {}
    pattern = route.pattern
    if route.name == "admin:login":
        return Expect({**dict.fromkeys(ROLES[:-1], 200), "superuser": Redirect("/admin/")})
    if route.name == "admin:logout":
        return Expect({**dict.fromkeys(ROLES[:-1], Redirect("/admin/")), "superuser": 405})
    if pattern.startswith(
        ("admin/axes/", "admin/indicators/valueimport/", "admin/indicators/criteriaset/")
    ) and route.name.endswith("_add"):
        # Lockout records and upload records are written by the site only, never by hand; a criteria
        # set is made by importing its annex (so that its points add up).
        superuser = 403
    elif route.name == "admin:autocomplete":
        superuser = 403  # no model and field named: refused, nothing listed
    elif route.name == "admin:view_on_site":
        unit = AdministrativeUnit.objects.first()
        params = {"content_type_id": ContentType.objects.get_for_model(unit).pk, "object_id": unit.pk}
        superuser = 404  # units have no "view on site" URL
    elif route.name == "admin:app_list":
        params = {"app_label": "indicators"}
    elif route.name == "admin:auth_user_password_change":
        params = {"id": first_pk("auth", "user")}
    elif pattern.endswith("(?P<url>.*)$"):
        params = {"url": "khong-co/"}
        superuser = 404
    elif route.name.endswith("_simple_history"):
        record = IndicatorValue.history.order_by("history_id").first()
        params = {"_1": record.id, "_2": record.history_id}
    elif "object_id" in route.parameters:
        app_label, model_name = pattern.split("/")[1:3]
        params = {"object_id": first_pk(app_label, model_name)}
        if not route.name:
            superuser = Redirect(f"/admin/{app_label}/{model_name}/{params['object_id']}/change/")
    return Expect({**outsiders, "superuser": superuser}, params)


def _index_process_expectations() -> dict[str, Expect]:
    from tests.index_process.matrix import INDEX_EXPECTATIONS

    return INDEX_EXPECTATIONS


EXPECTATIONS.update(_index_process_expectations())  # the CCHC index process: tests/index_process/matrix.py

PREFIX_RULES = {"admin/": admin_expectation}


def first_pk(app_label: str, model_name: str):
    from django.apps import apps

    instance = apps.get_model(app_label, model_name).objects.order_by("pk").first()
    assert instance is not None, f"the matrix data has no {app_label}.{model_name}: add one in `matrix_data`"
    return instance.pk


def _sample(value):
    """Placeholders in EXPECTATIONS whose primary keys exist only once the matrix data is loaded."""
    from indicators.models import IndicatorValue, ValueImport

    if callable(value):  # a lookup of its own (tests/index_process/matrix.py)
        return value()
    if value == FIRST_TARGET:
        return first_pk("indicators", "target")
    if value == A_UPLOAD:
        return ValueImport.objects.filter(user__username="tantru").order_by("pk").values_list("pk", flat=True).first()
    if value == A_LAYOUT_UPLOAD:
        from indicators.models import LayoutImport

        return LayoutImport.objects.filter(value_import__user__username="tantru").values_list("pk", flat=True).first()
    if value == A_VALUE:
        return IndicatorValue.objects.get(unit__code="805", year=2023, indicator__code="luot-nguoi-den-moi-ngay").pk
    return value


def has_expectation(route: Route) -> bool:
    return route.pattern in EXPECTATIONS or any(route.pattern.startswith(prefix) for prefix in PREFIX_RULES)


def expectation_for(route: Route) -> Expect | None:
    if route.pattern in EXPECTATIONS:
        expect = EXPECTATIONS[route.pattern]
        return Expect(expect.outcomes, {k: _sample(v) for k, v in expect.params.items()}, expect.query, expect.post)
    for prefix, rule in PREFIX_RULES.items():
        if route.pattern.startswith(prefix):
            return rule(route)
    return None


def sample_url(route: Route, *, query: bool = True) -> str:
    """A concrete URL for the route, from the matrix's sample parameters (and its query string)."""
    expect = expectation_for(route)
    url = route.url(**expect.params)
    return url + (f"?{expect.query}" if query and expect.query else "")
