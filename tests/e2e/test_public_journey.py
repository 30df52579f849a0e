"""Journey 1, the public: home → an indicator → two districts → another year → CSV → the communes
that took over from them → English."""

import csv
import io

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_the_public_compares_two_districts_downloads_the_csv_and_reads_it_in_english(journey):
    page = journey.page
    journey.goto("/")
    expect(page.locator("h1")).to_contain_text("Cải cách hành chính")
    journey.check_accessibility("home")

    page.locator(".card h3 a").first.click()
    page.wait_for_url("**/indicators/*/")
    journey.wait_for_charts()
    journey.check_accessibility("indicator page")

    # Two districts, and another ranking year: the picker's chips dropped, two names typed.
    chips = page.locator(".ts-control .item")
    while chips.count():
        chips.first.locator("button.remove").click()
    search = page.get_by_role("combobox", name="Đơn vị trên biểu đồ đường")
    for name in ("huyen can giuoc", "huyen tan tru"):  # "can giuoc" alone finds the commune first
        search.fill(name)
        search.press("Enter")
    page.get_by_label("Năm xếp hạng").select_option("2022")
    page.get_by_role("button", name="Cập nhật").click()
    page.wait_for_url("**units=807**")
    expect(page.locator("#chart-controls")).not_to_have_attribute("aria-busy", "true")
    assert "units=807,805" in page.url and "year=2022" in page.url
    assert journey.wait_for_charts() >= 2
    line_chart = page.locator("[data-chart=line-figure]")
    expect(line_chart.locator(".legend")).to_contain_text("Cần Giuộc")
    expect(line_chart.locator(".legend")).to_contain_text("Tân Trụ")
    expect(page.locator("#bar-heading")).to_contain_text("2022")

    with page.expect_download() as download_info:
        page.locator(".downloads").get_by_role("link", name="CSV", exact=True).click()
    download = download_info.value
    text = download.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and {row["Mã đơn vị"] for row in rows} == {"807", "805"}

    # The communes that took over from the two districts, as series of their own, with the 2025 warning.
    page.get_by_label("Hiện cả các xã, phường kế thừa các huyện đã chọn từ 1/7/2025 (chuỗi riêng)").check()
    page.get_by_role("button", name="Cập nhật").click()
    page.wait_for_url("**successors=1**")
    expect(page.locator("#chart-controls")).not_to_have_attribute("aria-busy", "true")
    journey.wait_for_charts()
    expect(line_chart.locator(".legend")).to_contain_text("Xã Cần Giuộc (đơn vị mới từ 01/07/2025)")
    expect(page.locator(".warn-crossing")).to_be_visible()
    expect(page.locator(".levels-note").first).to_contain_text("Từ năm 2025 số liệu thuộc các xã, phường")
    journey.check_accessibility("indicator page with the new units")

    page.get_by_role("link", name="EN", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#bar-heading")).to_contain_text("2022")
    assert "units=807" in page.url, "the language switch keeps the chosen districts"
    journey.wait_for_charts()
    journey.check_accessibility("indicator page in English")
