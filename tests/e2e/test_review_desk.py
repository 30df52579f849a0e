"""The review desk as provincial staff see it in Chromium: at 1366 px every Approve and Return button
is inside the window (no sideways scrolling to reach a decision), at 360 px the page never scrolls
sideways, in Vietnamese and in English; the warning the district confirmed sits on its figure."""

import pytest
from playwright.sync_api import expect

from indicators.models import IndicatorValue
from indicators.services import review as review_services
from tests.factories import PASSWORD, UNIT_A, submit

pytestmark = pytest.mark.e2e

REVIEW_PATH = f"/review/{UNIT_A}/2024/"
TEXT = {
    "vi": {"approve": "Duyệt", "warning": "tối đa là 94,7%", "previous": "Đã duyệt năm 2022", "pp": "+2,5 điểm %"},
    "en": {"approve": "Approve", "warning": "at most 94.7%", "previous": "Approved for 2022", "pp": "+2.5 pp"},
}


@pytest.fixture
def waiting(site_data, admin_a, staff):
    """Tân Trụ's 2022 figures approved, a 2023 draft, and six 2024 figures waiting, one with the
    on-time warning (23.504 received and 1.234 late cap the share at 94,7%, not 97,5%)."""
    submit(admin_a, UNIT_A, 2022, {"ho-so-tiep-nhan": 20000, "ho-so-tre-han": 1500, "ho-so-dung-han": "95"})
    pks = IndicatorValue.objects.filter(unit__code=UNIT_A, year=2022, status="submitted").values_list("pk", flat=True)
    review_services.review_values(user=staff, value_ids=list(pks), approve=True)
    figures = {"ho-so-tiep-nhan": 23504, "ho-so-tre-han": 1234, "ho-so-dung-han": "97.5", "sipas": "92.5"}
    submit(admin_a, UNIT_A, 2024, {**figures, "ho-so-so-hoa": "61.2", "van-ban-dien-tu": "80"})
    return IndicatorValue.objects.filter(unit__code=UNIT_A, year=2024, status="submitted").count()


def page_width(page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_decision_is_within_reach_at_1366_and_360_px(journey, waiting, language):
    page, text = journey.page, TEXT[language]
    journey.login("sonoivu", PASSWORD, next_path="/review/")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": journey.base_url}])

    page.set_viewport_size({"width": 1366, "height": 900})
    journey.goto(REVIEW_PATH)
    cards = page.locator(".review-item.waiting")
    expect(cards).to_have_count(waiting)
    share = cards.filter(has_text=text["warning"])
    expect(share).to_have_count(1)
    expect(share).to_contain_text(text["previous"])
    expect(share).to_contain_text(text["pp"])
    buttons = page.locator('button[name="decision"]')
    assert buttons.count() == 2 * waiting + 2  # each figure's Approve and Return, and the two for all
    for index in range(buttons.count()):
        box = buttons.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 1366, (index, box)
    assert page_width(page) <= 1366
    journey.check_accessibility(f"review desk at 1366 px ({language})")

    page.set_viewport_size({"width": 360, "height": 800})
    journey.goto(REVIEW_PATH)
    assert page_width(page) <= 360
    for index in range(buttons.count()):
        box = buttons.nth(index).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 360, (index, box)
    journey.check_accessibility(f"review desk at 360 px ({language})")

    # On the phone, approve one figure from its card: the page comes back with one fewer waiting.
    cards.first.get_by_role("button", name=text["approve"], exact=True).click()
    page.wait_for_load_state()
    expect(page.locator(".review-item.waiting")).to_have_count(waiting - 1)
    assert page_width(page) <= 360
