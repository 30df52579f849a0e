"""In a real browser (Chromium): provincial staff upload the province's 766 table, check every match in
the preview, confirm, approve a commune in the review queue, and the public page shows the figure. At
360 px and at desktop width, in Vietnamese and in English."""

import csv
import io

import pytest
from playwright.sync_api import expect

from indicators.models import IndicatorValue
from tests.e2e.conftest import browser_context_args, browser_type_launch_args, journey, site_data  # noqa: F401
from tests.factories import PASSWORD
from tests.importers.conftest import CAN_GIUOC, SAMPLES

pytestmark = pytest.mark.e2e

SAMPLE = SAMPLES / "qd766_tay_ninh_2025.csv"
WORDS = {
    "vi": {"upload": "Tải lên và xem trước", "approve": "Duyệt tất cả", "review": "Thẩm định", "matches": "Khớp theo"},
    "en": {"upload": "Upload and preview", "approve": "Approve all", "review": "Review", "matches": "Matched by"},
}


def sample_total(code: str) -> str:
    """The sample's TONG_SCORE for the commune, as the public page writes it in `language`."""
    from indicators.domain import registry

    names = {u.code: u for u in registry.province("80").communes}
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8-sig"))))
    header = rows.index(next(r for r in rows if r[:2] == ["ID", "TEN"]))
    index = [u.code for u in registry.province("80").communes].index(code)
    assert names[code].short_name.casefold() in rows[header + 1 + index][1].casefold()
    return rows[header + 1 + index][-1]


@pytest.mark.parametrize("width", [360, 1280], ids=["360px", "desktop"])
@pytest.mark.parametrize("language", ["vi", "en"])
def test_staff_upload_the_766_table_approve_it_and_the_public_page_shows_it(journey, staff, width, language):  # noqa: F811
    page, words = journey.page, WORDS[language]
    page.set_viewport_size({"width": width, "height": 800})
    journey.login("sonoivu", PASSWORD, next_path="/review/")
    page.wait_for_url("**/review/")
    if language == "en":
        page.context.add_cookies([{"name": "django_language", "value": "en", "url": journey.base_url}])

    journey.goto("/entry/systems/")
    journey.check_accessibility("importer upload")
    page.locator("#id_year").select_option("2025")
    page.locator("#id_period").select_option("Y")
    page.locator("#id_file").set_input_files(str(SAMPLE))
    page.get_by_role("button", name=words["upload"]).click()
    page.wait_for_url("**/entry/systems/*/")

    matches = page.locator("table.matches tbody tr")
    expect(matches).to_have_count(96)
    expect(page.locator("table.matches")).to_contain_text(words["matches"])
    expect(matches.filter(has_text=f"({CAN_GIUOC})")).to_have_count(1)
    expect(page.locator("tr.has-error")).to_have_count(0)
    journey.check_accessibility("importer preview")
    assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, "the page scrolls sideways"
    page.locator("form[action$='/confirm/'] button").click()
    page.wait_for_url("**/review/")
    assert IndicatorValue.objects.get(unit__code=CAN_GIUOC, year=2025, indicator__code="diem-qd-766").status == (
        "submitted"
    )

    journey.goto("/review/?sort=unit")  # the queue shows 50 a page: by name, Cần Giuộc is on the first
    row = page.locator("tr").filter(has_text=f"({CAN_GIUOC})").filter(has_text="2025")
    expect(row).to_have_count(1)
    row.get_by_role("link", name=words["review"]).click()
    page.wait_for_url(f"**/review/{CAN_GIUOC}/2025/")
    page.get_by_role("button", name=words["approve"]).click()
    page.wait_for_url("**/review/")
    value = IndicatorValue.objects.get(unit__code=CAN_GIUOC, year=2025, indicator__code="diem-qd-766")
    assert value.status == "approved" and str(value.value.normalize()) == sample_total(CAN_GIUOC)

    journey.goto(f"/indicators/diem-qd-766/?units={CAN_GIUOC}&year=2025")
    shown = sample_total(CAN_GIUOC).replace(".", "," if language == "vi" else ".")
    table = page.locator("table.data").filter(has_text="Cần Giuộc").last
    expect(table).to_contain_text(shown)
    journey.check_accessibility("public page after the import")
