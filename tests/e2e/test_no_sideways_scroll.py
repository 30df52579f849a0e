"""No page of the site scrolls sideways on a 360 px phone (issue 14, item 3).

Every pattern of the URL conf (tests/site_urls.py walks the resolver; its authorisation matrix gives
each role's outcome and a real sample URL), plus a few more real arguments from the seeded data
(a province, a district and a commune; an indicator of each kind), is opened in Chromium at 360 px
as each role that gets the page (200): the anonymous visitor, a district's and a commune's admin
(the unit admin role, which also self-assesses in the index process), and provincial staff (who also
run the index process), in Vietnamese and in English. One browser; one context per role, whose
language cookie is switched. A public page differs between roles only in its header, so the signed-in
roles walk their own pages and the home page.

A response that is not an HTML page (a CSV, a spreadsheet, JSON, an evidence file) is not a page
and is left out. Django's own admin (superusers only, /admin/) is left out: it is Django's
stylesheet, not the site's, and nobody administers reference data on a phone; its login page,
which anybody can reach, is walked.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.site_urls import all_routes, expectation_for, has_expectation, sample_url

pytestmark = pytest.mark.e2e

WIDTH = 360
LANGUAGES = ("vi", "en")
# Who walks, and which column of the authorisation matrix says what they get.
WALKERS = {
    "anonymous": "anonymous",
    "tantru": "admin_a",  # Huyện Tân Trụ's admin (805), whose unit the matrix's sample URLs name
    "xacangiuoc": "admin_b",  # Xã Cần Giuộc's admin: a unit admin the samples do not name
    "sonoivu": "staff",
}

# Elements that reach past the right edge, other than those inside a box that scrolls on its own:
# what a failure names, so that it says where to look.
TOO_WIDE = """() => {
  const width = document.scrollingElement.clientWidth;
  const scrolls = (e) => { for (let p = e.parentElement; p; p = p.parentElement) {
    const overflow = getComputedStyle(p).overflowX; if (overflow !== "visible") return true; } return false; };
  return [...document.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > width + 1 && !scrolls(e))
    .slice(0, 3)
    .map((e) => `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${e.className && typeof e.className === "string"
      ? "." + e.className.trim().split(/\\s+/).join(".") : ""} (${Math.round(e.getBoundingClientRect().right)} px)`);
}"""


def extra_urls() -> list[str]:
    """More real arguments for the pages whose look depends on them: each level of unit, an
    indicator of each kind (a share, a count, a rank, a score), a chart with a district's successors."""
    from indicators.models import AdministrativeUnit, Indicator

    units = [
        AdministrativeUnit.objects.filter(level=level).order_by("code").values_list("code", flat=True).first()
        for level in ("province", "district", "commune")
    ]
    kinds = Indicator.objects.order_by("code").values_list("unit_kind", "code")
    indicators = list(dict(reversed(list(kinds))).values())  # the first indicator of each kind
    return [
        *(f"/units/{code}/" for code in units if code),
        *(f"/indicators/{code}/" for code in indicators),
        "/indicators/ho-so-truc-tuyen/?units=807,805,28159&successors=1",  # the line chart at its fullest
        "/compare/?units=807,805,28159",
        "/index/807/?year=2023",  # Cần Giuộc, the seed's district, with its published rank
    ]


def pages_for(role: str) -> list[str]:
    """The URL of every pattern `role` gets with 200 on GET, in URL-conf order, then the extra ones.

    The public pages differ between visitors only in the header (base.html is the one template that
    looks at the user), so a signed-in role walks the pages the anonymous visitor cannot open, and the
    home page for its header; the anonymous visitor walks every public page.
    """
    urls = []
    for route in all_routes():
        if route.pattern.startswith("admin/") and route.name != "admin:login":
            continue
        if not has_expectation(route):
            pytest.fail(f"{route} has no line in tests/site_urls.py's matrix")
        outcomes = expectation_for(route).outcomes
        if outcomes[role] == 200 and (role == "anonymous" or outcomes["anonymous"] != 200 or route.name == "home"):
            urls.append(sample_url(route))
    return urls + (extra_urls() if role == "anonymous" else [])


def _session_cookie(user, base_url: str) -> list[dict]:
    """A signed-in session for `user`, made by Django's test client and handed to the browser."""
    if user is None:
        return []
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return [{"name": name, "value": client.cookies[name].value, "url": base_url}]


def _width_of(page, url: str) -> tuple[int, list[str]] | None:
    """The page's scroll width once its scripts have run (charts drawn, pickers built), and what
    sticks out; None when the URL is not an HTML page."""
    try:
        response = page.goto(url, wait_until="load")
    except PlaywrightError as error:
        if "Download is starting" in str(error):
            return None  # a file sent as an attachment
        raise
    assert response is not None and response.ok, f"{url}: {response and response.status}"
    if not response.headers.get("content-type", "").startswith("text/html"):
        return None
    # The charts as a first visit shows them: the pictures drawn on the server (plotly comes on a reach).
    charts = page.locator("[data-chart]")
    for index in range(charts.count()):
        expect(charts.nth(index).locator(".chart-picture svg").first).to_be_attached(timeout=15_000)
    width = page.evaluate("document.scrollingElement.scrollWidth")
    return width, (page.evaluate(TOO_WIDE) if width > WIDTH else [])


def test_no_page_scrolls_sideways_at_360_px_for_any_role_in_either_language(
    browser, live_server, site_data, matrix_data, commune_admin
):
    users = {"anonymous": None, "tantru": matrix_data["admin_a"], "sonoivu": matrix_data["staff"]}
    users["xacangiuoc"] = commune_admin
    failures, walked = [], 0
    for username, role in WALKERS.items():
        context = browser.new_context(viewport={"width": WIDTH, "height": 780}, locale="vi-VN", is_mobile=False)
        try:
            context.add_cookies(_session_cookie(users[username], live_server.url))
            page = context.new_page()
            for language in LANGUAGES:
                context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
                for url in pages_for(role):
                    measured = _width_of(page, live_server.url + url)
                    if measured is None:
                        continue
                    walked += 1
                    width, culprits = measured
                    if width > WIDTH:
                        failures.append(f"{url} ({username}, {language}): {width} px wide; " + ", ".join(culprits))
        finally:
            context.close()
    assert walked > 60, f"only {walked} pages walked: the walk lost its pages"
    assert not failures, f"{len(failures)} of {walked} pages scroll sideways at {WIDTH} px:\n" + "\n".join(failures)
