"""Issue 14: the six main pages on a phone (360 px), in Vietnamese and in English, have no axe-core
violation of any impact (moderate and minor included), their charts drawn, and no browser error."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PAGES = {
    "home": "/",
    "indicator": "/indicators/ho-so-truc-tuyen/?units=807,805",
    "unit": "/units/807/",
    "compare": "/compare/?units=807,805,806&indicators=ho-so-truc-tuyen,thanh-toan-truc-tuyen,ho-so-dung-han",
    "scorecard": "/scorecard/",
    "index": "/index/",
    "index (district)": "/index/805/",
}


@pytest.mark.parametrize("language", ["vi", "en"])
def test_main_pages_on_a_phone_have_no_accessibility_violation_of_any_impact(journey, language):
    page = journey.page
    page.set_viewport_size({"width": 360, "height": 780})
    if language == "en":
        journey.goto("/lang/en/?next=/")
    for name, path in PAGES.items():
        journey.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", language)
        journey.wait_for_charts()
        journey.check_accessibility(f"{name} ({language}, 360 px)", impacts=None)
