"""The review queue in Chromium with a province's communes waiting: staff sort it by a heading and page
through it at 360 and 1366 px, in Vietnamese and English; the page never scrolls sideways (the table
scrolls in its own box) and axe finds nothing, moderate included."""

import pytest
from playwright.sync_api import expect

from indicators.models import IndicatorValue
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

TEXT = {
    "vi": {"count": "Số liệu chờ", "next": "Trang sau", "review": "Thẩm định", "page": "Trang 2/3"},
    "en": {"count": "Pending figures", "next": "Next page", "review": "Review", "page": "Page 2/3"},
}


@pytest.fixture
def waiting(site_data):
    """The 96 communes' 2025 and the 24 districts' 2024 waiting: 120 unit-years, 3 pages of 50; a
    commune in five has two figures waiting (the demo figures are marked as sent: the queue reads only
    status and time)."""
    values = IndicatorValue.objects.filter(indicator__code="sipas")
    values = values.filter(unit__level="commune", year=2025) | values.filter(unit__level="district", year=2024)
    ids = list(values.values_list("pk", flat=True))
    IndicatorValue.objects.filter(pk__in=ids).update(status=IndicatorValue.Status.SUBMITTED)
    fifth = IndicatorValue.objects.filter(indicator__code="ho-so-so-hoa", unit__level="commune", year=2025)
    extra = list(fifth.order_by("unit__code").values_list("pk", flat=True))[::5]
    IndicatorValue.objects.filter(pk__in=extra).update(status=IndicatorValue.Status.SUBMITTED)
    return len(ids)


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("width", [360, 1366])
def test_staff_sort_the_queue_and_page_through_it(journey, waiting, staff, language, width):
    page, text = journey.page, TEXT[language]
    assert waiting == 120
    page.set_viewport_size({"width": width, "height": 800})
    journey.login("sonoivu", PASSWORD, next_path="/review/")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": journey.base_url}])
    journey.goto("/review/")
    expect(page.locator("tbody tr")).to_have_count(50)

    # Most waiting first: one click for ascending, a second for descending, told to screen readers.
    heading = page.get_by_role("columnheader", name=text["count"])
    heading.get_by_role("link").click()
    page.wait_for_url("**/review/?sort=count")
    heading.get_by_role("link").click()
    page.wait_for_url("**/review/?sort=-count")
    expect(heading).to_have_attribute("aria-sort", "descending")
    expect(page.locator("tbody tr").first.locator("td.num")).to_have_text("2")

    page.get_by_role("link", name=text["next"]).click()
    page.wait_for_url("**/review/?sort=-count&page=2")
    expect(page.get_by_text(text["page"])).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(50)
    expect(page.locator("tbody tr").first.locator("td.num")).to_have_text("1")  # the 20 twos fill part of page 1
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"the queue's page is {overflow}px wider than the screen"
    journey.check_accessibility(f"review queue, page 2 ({width}px, {language})", impacts=None)

    row = page.locator("tbody tr").first
    row.get_by_role("link", name=text["review"]).click()
    page.wait_for_url("**/review/*/20*/")
    expect(page.locator(".review-item.waiting")).to_have_count(1)
