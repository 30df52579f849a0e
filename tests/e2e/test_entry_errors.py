"""A commune clerk saves the year's form with two mistakes (a share of 120% and "abc"), on a 360 px
phone and a 1366 px desktop, in Vietnamese and in English: the error summary at the top takes the
focus, its links take the focus to each field, the page never scrolls sideways, and nothing is saved.
"""

import pytest
from playwright.sync_api import expect

from indicators.models import IndicatorValue
from tests.conftest import TODAY
from tests.factories import COMMUNE_A, PASSWORD

pytestmark = pytest.mark.e2e

YEAR = 2026
ENTRY_PATH = f"/entry/{COMMUNE_A}/{YEAR}/"
SHARE, ONLINE = "sipas", "ho-so-truc-tuyen"
VIEWPORTS = {"phone": {"width": 360, "height": 780}, "desktop": {"width": 1366, "height": 900}}
TEXT = {
    "vi": {
        "heading": "Có lỗi cần sửa",
        "title": "Lỗi: ",
        "count": "2 lỗi",
        "save": "Lưu nháp",
        "bad": "không phải là số",
    },
    "en": {
        "heading": "There is a problem",
        "title": "Error: ",
        "count": "2 errors",
        "save": "Save draft",
        "bad": "is not a number",
    },
}


@pytest.fixture
def clerk(time_machine, site_data, commune_admin):
    time_machine.move_to(TODAY, tick=True)  # 2026 is this year, and the clock runs for the browser
    return commune_admin


def sign_in(journey, language):
    context = journey.page.context
    context.clear_cookies()
    context.add_cookies([{"name": "django_language", "value": language, "url": journey.base_url}])
    journey.goto(f"/accounts/login/?next={ENTRY_PATH}")
    form = journey.page.locator("form.login-form")
    form.locator("input[name=username]").fill("xacangiuoc")
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    journey.page.wait_for_url(f"**{ENTRY_PATH}")


def page_width(page):
    return page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")


def stored():
    return {
        v.indicator.code: (v.value, v.is_demo)
        for v in IndicatorValue.objects.filter(unit__code=COMMUNE_A, year=YEAR).select_related("indicator", "source")
    }


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
def test_the_error_summary_takes_the_focus_and_leads_to_each_field(journey, clerk, screen, language):
    page, text = journey.page, TEXT[language]
    page.set_viewport_size(VIEWPORTS[screen])
    sign_in(journey, language)
    scroll_width, viewport = page_width(page)
    assert scroll_width <= viewport, f"the form is {scroll_width}px wide on a {viewport}px screen"
    # Every dropdown is as wide as its column (a phone's: the screen, less the margins), never cut short.
    widths = page.evaluate(
        "[...document.querySelectorAll('.entry-form select')].map(s => [s.getBoundingClientRect().width,"
        " s.closest('.entry-meta-field').getBoundingClientRect().width])"
    )
    assert widths and all(select >= field - 1 for select, field in widths)
    if screen == "phone":
        assert min(select for select, _field in widths) > 0.8 * viewport
    before = stored()

    page.locator(f"#id_{SHARE}__value").fill("120")
    page.locator(f"#id_{ONLINE}__value").fill("abc")
    with journey.expect_document_status(400):  # the form again, with its errors
        page.get_by_role("button", name=text["save"], exact=True).click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')"), "the summary has the focus"
    assert page.title().startswith(text["title"])
    expect(summary.get_by_role("heading")).to_have_text(text["heading"])
    expect(summary).to_contain_text(text["count"])
    expect(summary).to_have_attribute("role", "alert")
    links = summary.locator("a")
    expect(links).to_have_count(2)
    expect(links.nth(0)).to_contain_text(text["bad"])
    expect(links.nth(1)).to_contain_text("100")
    scroll_width, viewport = page_width(page)
    assert scroll_width <= viewport, f"with its errors the form is {scroll_width}px wide on a {viewport}px screen"

    for index, field_id in enumerate([f"id_{ONLINE}__value", f"id_{SHARE}__value"]):
        if index:
            page.evaluate("window.scrollTo(0, 0)")
        expect(links.nth(index)).to_have_attribute("href", f"#{field_id}")
        links.nth(index).click()
        assert page.evaluate("document.activeElement.id") == field_id
        field = page.locator(f"#{field_id}")
        expect(field).to_be_in_viewport()
        expect(field).to_have_attribute("aria-invalid", "true")
        # The message beside the field is the one its aria-describedby names.
        described = field.get_attribute("aria-describedby")
        expect(page.locator(f"[id='{described}']")).to_be_in_viewport()
    expect(page.locator(f"#id_{ONLINE}__value")).to_have_value("abc")  # what was typed stays to be fixed
    assert stored() == before  # nothing saved: all or nothing
    journey.check_accessibility(f"entry form with errors ({screen}, {language})")
