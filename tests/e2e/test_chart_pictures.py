"""A journalist's first visit to an indicator page on a phone (issue 14, speed), in Chromium: the chart
is the picture drawn on the server, with its legend, and no plotly.js is fetched; reaching for the
chart (its "Biểu đồ tương tác" button) fetches plotly and draws it in place; a choice changed
afterwards (the live form) redraws the charts with plotly, without a full reload."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "has_touch": True}  # a phone's touch screen, for the tap below


def test_a_first_visit_on_a_phone_shows_the_picture_and_plotly_comes_only_when_asked_for(journey):
    page = journey.page
    page.set_viewport_size(PHONE)
    plotly = []
    page.on("request", lambda request: plotly.append(request.url) if "plotly" in request.url else None)
    journey.goto("/indicators/ho-so-truc-tuyen/?units=805")
    page.wait_for_load_state("networkidle")
    chart = page.locator("[data-chart=line-figure]")
    drawing = chart.locator(".drawing-narrow")
    expect(drawing).to_be_visible()
    expect(chart.locator(".drawing-medium")).to_be_hidden()
    legend = chart.locator(".chart-legend")
    expect(legend).to_contain_text("Huyện Tân Trụ")
    assert legend.bounding_box()["y"] < PHONE["height"], "the legend is on the first screen"
    # Its 12-unit labels are at least 11 px on the screen, and nothing sticks out sideways.
    scale = drawing.evaluate("svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width")
    assert 12 * scale >= 11
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.mouse.wheel(0, 3000)  # scrolling past the charts fetches nothing either
    page.wait_for_timeout(500)
    assert plotly == [], "no plotly.js on a first visit"
    journey.check_accessibility("indicator page's pictures, 360 px", impacts=None)
    page.evaluate("window.loadedOnce = true")  # gone if the page reloads

    page.mouse.wheel(0, -6000)
    height = chart.bounding_box()["height"]
    button = chart.get_by_role("button", name="Biểu đồ tương tác")
    button.focus()
    page.keyboard.press("Enter")
    expect(chart.locator(".main-svg").first).to_be_attached(timeout=15_000)
    expect(chart.locator(".chart-picture")).to_have_count(0)
    assert any("plotly" in url for url in plotly)
    assert chart.bounding_box()["height"] >= height - 1, "the box kept the picture's height"
    expect(chart.locator(".legend")).to_contain_text("Huyện Tân Trụ")

    page.locator("details.choices > summary").click()
    page.get_by_label("Năm xếp hạng").select_option("2022")
    page.wait_for_url("**year=2022**")
    expect(page.locator("#bar-heading")).to_contain_text("2022")
    expect(page.locator("[data-chart=line-figure] .main-svg").first).to_be_attached(timeout=15_000)
    expect(page.locator("[data-chart=line-figure] .chart-picture")).to_have_count(0)
    assert page.evaluate("window.loadedOnce") is True, "redrawn with plotly without a full reload"
    journey.check_accessibility("indicator page drawn by plotly, 360 px", impacts=None)


def test_a_tap_on_a_compare_chart_draws_it_with_plotly_in_place(journey):
    page = journey.page
    page.set_viewport_size(PHONE)
    journey.goto("/compare/?units=807,805&indicators=ho-so-truc-tuyen,thanh-toan-truc-tuyen")
    chart = page.locator("[data-chart=compare-0]")
    expect(chart.locator(".drawing-narrow")).to_be_visible()
    chart.locator(".drawing-narrow").tap()
    expect(chart.locator(".main-svg").first).to_be_attached(timeout=15_000)
    expect(chart.locator(".legend")).to_contain_text("Huyện Cần Giuộc")
    journey.wait_for_charts()


def swipe_up(page, *, x: float, y: float, distance: float) -> None:
    """A finger drawn up the screen from (x, y), as Chromium gets it from a touch screen: touchStart,
    moves, touchEnd through the DevTools protocol (Playwright's touchscreen only taps)."""
    session = page.context.new_cdp_session(page)
    steps = 10
    session.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, steps + 1):
        point = {"x": x, "y": y - distance * step / steps}
        session.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
        page.wait_for_timeout(16)
    session.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    session.detach()


def test_a_swipe_over_a_chart_scrolls_the_page_and_fetches_no_plotly(journey):
    """On a phone a chart fills the screen: a reader who scrolls past it with a finger starts on it,
    and that must stay a scroll (no 277 KB of plotly, the picture stays), where a tap is a reach."""
    page = journey.page
    page.set_viewport_size(PHONE)
    plotly = []
    page.on("request", lambda request: plotly.append(request.url) if "plotly" in request.url else None)
    journey.goto("/compare/?units=807,805&indicators=ho-so-truc-tuyen,thanh-toan-truc-tuyen")
    chart = page.locator("[data-chart=compare-0]")
    drawing = chart.locator(".drawing-narrow")
    drawing.scroll_into_view_if_needed()
    box = drawing.bounding_box()
    before = page.evaluate("window.scrollY")
    swipe_up(page, x=box["x"] + box["width"] / 2, y=box["y"] + box["height"] * 0.8, distance=300)
    page.wait_for_timeout(800)
    assert page.evaluate("window.scrollY") > before + 100, "the finger scrolled the page"
    assert plotly == [], "a swipe is not a reach for the chart"
    expect(chart.locator(".chart-picture")).to_have_count(1)
    expect(chart.locator(".main-svg")).to_have_count(0)

    drawing.tap()  # the same finger's tap, afterwards, is
    expect(chart.locator(".main-svg").first).to_be_attached(timeout=15_000)
    assert any("plotly" in url for url in plotly)
