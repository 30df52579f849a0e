"""Issue 14 §5 and §8 in Chromium: hiding demo data holds while a visitor clicks on through the site,
and a unit's report prints on A4 without the site's navigation, with the demo label on paper."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def test_hidden_demo_data_stays_hidden_through_the_nav_and_comes_back_when_asked(journey):
    page = journey.page
    journey.goto("/units/807/")
    banner = page.locator(".demo-banner")
    expect(banner).to_contain_text("Dữ liệu minh họa.")
    # The key is in words on the page, not only in a tooltip.
    expect(page.locator(".demo-key").first).to_be_visible()
    expect(page.locator(".demo-key").first).to_contain_text("số liệu minh họa (giả lập), không phải số liệu chính thức")

    banner.get_by_role("link", name="Ẩn dữ liệu minh họa").click()
    page.wait_for_url("**/units/807/")
    expect(banner).to_contain_text("Đang ẩn dữ liệu minh họa.")
    # Click on: the nav, a card, a unit link. Demo data never comes back.
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Bảng điểm").click()
    page.wait_for_url("**/scorecard/")
    expect(banner).to_contain_text("Đang ẩn dữ liệu minh họa.")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tổng quan").click()
    page.wait_for_url(re.compile(r"/$"))
    expect(banner).to_contain_text("Đang ẩn dữ liệu minh họa.")
    expect(page.locator(".card .demo-tag")).to_have_count(0)
    page.locator(".card h3 a").first.click()
    page.wait_for_url("**/indicators/*/")
    expect(banner).to_contain_text("Đang ẩn dữ liệu minh họa.")

    banner.get_by_role("link", name="Hiện dữ liệu minh họa").click()
    expect(banner).to_contain_text("Đang hiện.")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role("link", name="Tổng quan").click()
    expect(banner).to_contain_text("Dữ liệu minh họa.")


@pytest.mark.parametrize("width", [360, 1366])
def test_the_report_prints_on_a4_without_the_nav_and_with_the_demo_label(journey, width):
    page = journey.page
    page.set_viewport_size({"width": width, "height": 900})
    journey.goto("/units/807/")
    page.get_by_role("link", name=re.compile("Báo cáo để in")).click()
    page.wait_for_url("**/units/807/report/")
    expect(page.get_by_role("button", name="In báo cáo")).to_be_visible()
    # On screen at 360 px the page does not scroll sideways: the wide tables scroll in their box.
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.emulate_media(media="print")
    shown = page.evaluate(
        """() => ({
          header: document.querySelector('.site-header').offsetParent !== null,
          button: document.querySelector('[data-print]').offsetParent !== null,
          banner: document.querySelector('.demo-banner').offsetParent !== null,
          labels: [...document.querySelectorAll('td.demo-value')].every(td => {
            const tag = td.querySelector('.demo-tag');
            return tag && tag.offsetParent !== null && getComputedStyle(tag).borderTopStyle === 'solid';
          }),
          demoCells: document.querySelectorAll('td.demo-value').length,
          text: getComputedStyle(document.body).color,
        })"""
    )
    assert not shown["header"] and not shown["button"] and shown["banner"]
    assert shown["demoCells"] > 100 and shown["labels"]
    assert shown["text"] == "rgb(0, 0, 0)"
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 5 <= pages <= 12  # the cover with the first area, then one reform area per page


def test_the_print_button_opens_the_print_dialog(journey):
    page = journey.page
    journey.goto("/units/28159/report/")
    page.evaluate("window.__printed = 0; window.print = () => { window.__printed += 1; }")
    page.get_by_role("button", name="In báo cáo").click()
    assert page.evaluate("window.__printed") >= 1
