"""Journey 4, the public across the 2025 reorganisation: today's province → the province that shared its
code → one of its districts → the communes it became → back; the 2025 scorecard of the communes and
the index of the former Tây Ninh's districts. In Vietnamese and English, on a phone and a desktop."""

import pytest
from playwright.sync_api import expect

from tests.views.units_data import ensure_units_in_force_figures

pytestmark = pytest.mark.e2e

TEXTS = {
    # The merger's note is written in each language by load_units (note / note_en).
    "vi": {
        "long_an": "Tỉnh Long An (80, đến 30/06/2025)",
        "levels": "Từ năm 2025 số liệu thuộc các xã, phường",
        "merged": "Thị trấn Cần Giuộc",
    },
    "en": {
        "long_an": "Tỉnh Long An (80, until 30/06/2025)",
        "levels": "From 2025 the figures belong to the communes",
        "merged": "Cần Giuộc township",
    },
}


def assert_no_sideways_scroll(journey, context):
    """The page itself never scrolls sideways (a wide table scrolls inside its own box)."""
    overflow = journey.page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{context}: the page is {overflow}px wider than the window"


@pytest.mark.parametrize("width", [360, 1366])
def test_the_public_follows_a_unit_across_the_reorganisation_in_both_languages(journey, width):
    ensure_units_in_force_figures()  # committed: the live server's thread reads it
    page = journey.page
    page.set_viewport_size({"width": width, "height": 900})
    for language in ("vi", "en"):
        texts = TEXTS[language]
        journey.goto(f"/lang/{language}/?next=/units/80/")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("h1")).to_contain_text("Tỉnh Tây Ninh")
        members = page.locator(".members")
        expect(members.locator("summary").first).to_contain_text("96")
        journey.check_accessibility(f"province page, {language}, {width}px")
        assert_no_sideways_scroll(journey, f"province page, {language}")

        # Long An shares the code 80: one click away, named with its period.
        page.locator(".same-code").get_by_role("link", name=texts["long_an"]).click()
        page.wait_for_url("**/units/80/?in=2024")
        expect(page.locator("h1")).to_contain_text("Tỉnh Long An")
        page.locator(".members").get_by_role("link", name="Huyện Cần Giuộc", exact=True).click()
        page.wait_for_url("**/units/807/")
        became = page.locator(".successions li")
        expect(became).to_have_count(5)
        expect(became.first).to_contain_text("Xã Cần Giuộc")
        journey.check_accessibility(f"district page, {language}, {width}px")
        assert_no_sideways_scroll(journey, f"district page, {language}")

        became.first.get_by_role("link").click()
        page.wait_for_url("**/units/28159/")
        expect(page.locator(".levels-note")).to_contain_text(texts["levels"])
        expect(page.locator(".predecessions")).to_contain_text(texts["merged"])
        journey.check_accessibility(f"commune page, {language}, {width}px")
        page.locator(".predecessions").get_by_role("link").first.click()
        page.wait_for_url("**/units/807/")

        journey.goto("/scorecard/?year=2025")
        expect(page.locator("table.scorecard tbody th[scope=row]")).to_have_count(96)
        expect(page.locator(".levels-note")).to_contain_text(texts["levels"])
        journey.check_accessibility(f"scorecard 2025, {language}, {width}px")
        assert_no_sideways_scroll(journey, f"scorecard 2025, {language}")

        journey.goto("/index/?year=2023&province=72")
        expect(page.locator("#index-table tbody tr")).to_have_count(9)
        journey.check_accessibility(f"index of the former Tây Ninh, {language}, {width}px")
        assert_no_sideways_scroll(journey, f"index, {language}")
        page.locator("#index-table tbody tr").first.get_by_role("link").click()
        page.wait_for_url("**/index/7*/?year=2023")
        expect(page.locator("#official-vs-computed caption")).to_contain_text("9")
        journey.check_accessibility(f"a former Tây Ninh district's index, {language}, {width}px")
        assert_no_sideways_scroll(journey, f"district index, {language}")

        journey.goto("/indicators/ho-so-truc-tuyen/?units=807,28159")
        assert journey.wait_for_charts() >= 2
        expect(page.locator("[data-chart=line-figure] .legend")).to_contain_text("Xã Cần Giuộc")
        journey.check_accessibility(f"indicator page, {language}, {width}px")
        assert_no_sideways_scroll(journey, f"indicator page, {language}")
