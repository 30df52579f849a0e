"""A commune admin enters and submits the commune's 2026 figures, and provincial staff approve them:
on a 360 px phone and on a desktop, in Vietnamese and in English.

Since 1 July 2025 a commune's admin reports its figures (the districts' end with 2024). The clock is
set to 1 December 2026 (running), so that 2026 is this year whatever day the test runs on.
"""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators.models import Indicator, IndicatorValue
from tests.conftest import TODAY
from tests.factories import COMMUNE_A, PASSWORD

pytestmark = pytest.mark.e2e

YEAR = 2026
ENTRY_PATH = f"/entry/{COMMUNE_A}/{YEAR}/"
REVIEW_PATH = f"/review/{COMMUNE_A}/{YEAR}/"
SIPAS, ONLINE = "sipas", "ho-so-truc-tuyen"
# What each language shows. Figures are read by one rule on every page (numbers.parse_number): the
# English page takes "91.5" (a lone dot before other than 3 digits is the decimal mark) and shows the
# saved figure back in the one style, "91,5".
TEXT = {
    "vi": {
        "typed": {SIPAS: "91,5", ONLINE: "97"},
        "submit": "Lưu và gửi Sở Nội vụ",
        "submitted": "Đã gửi 2 số liệu cho Sở Nội vụ thẩm định",
        "review": "Thẩm định",
        "approve_all": "Duyệt tất cả",
        "approved": "Đã duyệt 2 số liệu",
        "empty_queue": "Không có số liệu nào chờ thẩm định",
        "title": "Xã Cần Giuộc: số liệu năm 2026",
    },
    "en": {
        "typed": {SIPAS: "91.5", ONLINE: "97"},
        "submit": "Save and submit to the Department of Home Affairs",
        "submitted": "Submitted 2 figure(s) to the Department of Home Affairs for review",
        "review": "Review",
        "approve_all": "Approve all",
        "approved": "Approved 2 figure(s)",
        "empty_queue": "No figures are awaiting review",
        "title": "Xã Cần Giuộc: figures for 2026",
    },
}
VIEWPORTS = {"phone": {"width": 360, "height": 780}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def running_clock(time_machine):
    """1 December 2026 in Vietnam, and the clock goes on (the browser and the server need time to pass)."""
    time_machine.move_to(TODAY, tick=True)


@pytest.fixture
def people(running_clock, site_data, commune_admin, staff):
    return {"commune_admin": commune_admin, "staff": staff}


def sign_in(journey, username: str, language: str, next_path: str):
    """A fresh session for `username`, in `language` (the site's language cookie)."""
    context = journey.page.context
    context.clear_cookies()
    context.add_cookies([{"name": "django_language", "value": language, "url": journey.base_url}])
    journey.goto(f"/accounts/login/?next={next_path}")
    form = journey.page.locator("form.login-form")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    journey.page.wait_for_url(f"**{next_path}")


# Elements that reach past the screen's right edge, other than those inside a box that scrolls.
WIDER_THAN_THE_SCREEN = """
[...document.querySelectorAll("body *")]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => !e.closest(".table-scroll"))
  .slice(0, 5).map(e => e.tagName + "." + e.className)
"""


def assert_fits_the_screen(page, context: str):
    """Nothing wider than the screen: a wide table scrolls in its own box, the page does not."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    if overflow > 1:
        pytest.fail(
            f"{context}: the page is {overflow}px wider than the screen: {page.evaluate(WIDER_THAN_THE_SCREEN)}"
        )


def stored(code):
    return IndicatorValue.objects.select_related("source").get(unit__code=COMMUNE_A, year=YEAR, indicator__code=code)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("screen", sorted(VIEWPORTS))
def test_a_commune_admin_submits_2026_and_provincial_staff_approve(journey, people, screen, language):
    page, text = journey.page, TEXT[language]
    page.set_viewport_size(VIEWPORTS[screen])
    names = dict(
        Indicator.objects.filter(code__in=(SIPAS, ONLINE)).values_list(
            "code", "name" if language == "vi" else "name_en"
        )
    )

    # The commune admin finds the commune's 2026 form from their list; the district years are not there.
    sign_in(journey, "xacangiuoc", language, "/entry/")
    expect(page.locator(f'a[href="{ENTRY_PATH}"]')).to_have_count(1)
    expect(page.locator(f'a[href="/entry/{COMMUNE_A}/2024/"]')).to_have_count(0)
    assert_fits_the_screen(page, "entry list")
    journey.check_accessibility(f"entry list ({screen}, {language})")
    page.locator(f'a[href="{ENTRY_PATH}"]').click()
    page.wait_for_url(f"**{ENTRY_PATH}")
    expect(page.locator("h1")).to_contain_text(text["title"])
    expect(page.locator('input[name="xep-hang-chi-so-cchc__value"]')).to_have_count(0)  # a district's index
    assert_fits_the_screen(page, "entry form")
    journey.check_accessibility(f"entry form ({screen}, {language})")

    for code, typed in text["typed"].items():
        page.get_by_label(names[code], exact=True).fill(typed)
    page.get_by_role("button", name=text["submit"]).click()
    page.wait_for_url(f"**{ENTRY_PATH}")
    expect(page.get_by_text(text["submitted"])).to_be_visible()
    expect(page.get_by_label(names[SIPAS], exact=True)).to_be_disabled()  # locked until reviewed
    expect(page.get_by_label(names[SIPAS], exact=True)).to_have_value("91,5")
    assert {code: stored(code).value for code in (SIPAS, ONLINE)} == {SIPAS: Decimal("91.5"), ONLINE: Decimal(97)}
    assert {stored(code).status for code in (SIPAS, ONLINE)} == {IndicatorValue.Status.SUBMITTED}
    assert {stored(code).source.publisher for code in (SIPAS, ONLINE)} == {"Xã Cần Giuộc"}

    # Provincial staff find it in their queue and approve the commune's year.
    sign_in(journey, "sonoivu", language, "/review/")
    row = page.locator("tr").filter(has_text="Xã Cần Giuộc").filter(has_text=str(YEAR))
    expect(row).to_have_count(1)
    expect(row.locator("td.num")).to_have_text("2")
    assert_fits_the_screen(page, "review queue")
    journey.check_accessibility(f"review queue ({screen}, {language})")
    row.get_by_role("link", name=text["review"]).click()
    page.wait_for_url(f"**{REVIEW_PATH}")
    expect(page.locator(".review-item.waiting")).to_have_count(2)
    assert_fits_the_screen(page, "review page")
    journey.check_accessibility(f"review of Xã Cần Giuộc 2026 ({screen}, {language})")
    page.get_by_role("button", name=text["approve_all"]).click()
    page.wait_for_url("**/review/")
    expect(page.get_by_text(text["approved"])).to_be_visible()
    expect(page.get_by_text(text["empty_queue"])).to_be_visible()
    assert {stored(code).status for code in (SIPAS, ONLINE)} == {IndicatorValue.Status.APPROVED}
