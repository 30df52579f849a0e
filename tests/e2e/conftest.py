"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live_server.

Never `playwright install`: the browser is the system one (`apt-get install chromium`, as .ci/run
does). Without it these tests skip with the reason (and CI turns that skip into a failure).
"""

import os
import shutil

import pytest

from tests.e2e.journeys import Journey

# Playwright's sync API runs an event loop in this thread; Django's ORM would otherwise refuse to
# run here ("You cannot call this from an async context"). The ORM calls are ours, not async code.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium")
    if not chromium:
        pytest.skip("no `chromium` on PATH: apt-get install chromium (never `playwright install`)")
    return {**browser_type_launch_args, "executable_path": chromium, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {
        **browser_context_args,
        "locale": "vi-VN",
        "accept_downloads": True,
        "viewport": {"width": 1280, "height": 900},
    }


@pytest.fixture
def site_data(transactional_db, demo_seeded):
    """The seed and demo data (built once per run, tests/conftest.py), committed so that the live
    server's thread sees them."""


@pytest.fixture
def journey(page, live_server, site_data):
    """A Journey on a fresh page; fails the test if the browser logged an error on the way."""
    trip = Journey(page, live_server.url)
    yield trip
    trip.assert_no_browser_errors()
