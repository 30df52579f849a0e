"""With the database down, every page answers a plain 503 page; /healthz says so in JSON."""

import json
from unittest import mock

import pytest
from django.db import OperationalError, connections
from django.test import Client, RequestFactory

from cchc_dashboard.views import server_error
from tests.site_urls import all_routes, expectation_for


def database_down():
    """Every new query fails as if the server were gone (the connection is already open in tests)."""

    def refuse(*args, **kwargs):
        # A new exception each time: one instance raised again and again grows its traceback with
        # every raise, and logging the 146th took seconds.
        raise OperationalError("could not connect to server")

    return mock.patch.object(type(connections["default"]), "ensure_connection", side_effect=refuse)


def assert_plain_503(response, language="vi"):
    assert response.status_code == 503
    html = response.content.decode()
    assert f'lang="{language}"' in html
    assert "Traceback" not in html and "OperationalError" not in html and "could not connect" not in html
    assert response["Retry-After"] == "60"
    if language == "vi":
        assert "Tạm thời không phục vụ được" in html


def _page_urls(data):
    urls = []
    for route in all_routes():
        if route.pattern == "healthz" or route.pattern.startswith("lang/"):  # the switch sets a cookie
            continue
        expect = expectation_for(route)
        urls.append(route.url(**expect.params) + (f"?{expect.query}" if expect.query else ""))
    return urls


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_answers_503_when_the_database_is_down(matrix_data, signed_in):
    client = Client(raise_request_exception=False)
    if signed_in:
        client.force_login(matrix_data["admin_a"])  # a session to load, from the database
    urls = _page_urls(matrix_data)
    statuses = {}
    with database_down():
        for url in urls:
            response = client.get(url)
            statuses[url] = response.status_code
            if response.status_code == 503:
                assert_plain_503(response)
    # A page that needs no database (the login form, a redirect) may still answer; none may fail.
    assert all(status in (503, 200, 302, 405) for status in statuses.values()), statuses
    assert 500 not in statuses.values()
    assert statuses["/"] == 503 and statuses["/api/values.csv"] == 503


def test_the_503_page_is_in_english_for_an_english_visitor(seeded):
    client = Client(raise_request_exception=False)
    client.cookies["django_language"] = "en"
    with database_down():
        response = client.get("/indicators/ho-so-truc-tuyen/")
    assert_plain_503(response, language="en")
    assert response["Content-Language"] == "en"


class FailsOnTheWayOut:
    """Stands for a middleware (say, the session saving) that hits the dead database after the view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        raise OperationalError("server closed the connection unexpectedly")


def test_a_database_error_outside_a_view_also_gets_the_503_page(seeded, settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.views.test_reliability.FailsOnTheWayOut"]
    response = Client(raise_request_exception=False).get("/sources/")
    assert_plain_503(response)


def test_handler500_turns_only_database_errors_into_503(seeded):
    request = RequestFactory().get("/")
    try:
        raise OperationalError("down")
    except OperationalError:
        assert server_error(request).status_code == 503
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500


def test_healthz_reports_a_reachable_database(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": {"default": "ok"}, "cache": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_reports_an_unreachable_database_with_503(db, client):
    with database_down():
        response = client.get("/healthz")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {"status": "unavailable", "database": {"default": "unreachable"}, "cache": "ok"}
