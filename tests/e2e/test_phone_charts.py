"""The chart pages as a journalist on a phone sees them (issue 14, item 3), in Chromium.

- The indicator page's chart is on the first screen at 360 px: the choices (units, years) fold behind
  their summary, "Chọn đơn vị và năm (1)", which counts the units chosen; at desktop width they are
  simply shown.
- A choice changes the chart without a full reload, and the address with it, on the indicator and
  the compare page.
- On the chart, the legend does not run into the year axis's title, and the notes of the events
  (Resolution 76, the 2025 reorganisation) sit above the plot, inside the figure, not over the lines.
"""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1366, "height": 900}
WORDS = {
    "vi": {"choices": "Chọn đơn vị và năm", "picker": "Đơn vị trên biểu đồ đường"},
    "en": {"choices": "Choose units and year", "picker": "Units on the line chart"},
}


def in_language(journey, language):
    journey.page.context.add_cookies([{"name": "django_language", "value": language, "url": journey.base_url}])


def top_on_the_page(locator) -> float:
    """How far down the page the element begins, wherever the page is scrolled to."""
    return locator.evaluate("element => element.getBoundingClientRect().top + window.scrollY")


def box(locator):
    found = locator.bounding_box()
    assert found is not None, f"{locator} is not drawn"
    return found


@pytest.mark.parametrize("language", ["vi", "en"])
def test_on_a_phone_the_chart_is_on_the_first_screen_and_the_folded_choices_update_it_in_place(journey, language):
    page, words = journey.page, WORDS[language]
    page.set_viewport_size(PHONE)
    in_language(journey, language)
    journey.goto("/indicators/ho-so-truc-tuyen/?units=805")
    journey.wait_for_charts()
    chart = page.locator("[data-chart=line-figure]")
    assert top_on_the_page(chart) + 200 < PHONE["height"], "at least the chart's first 200 px are on the first screen"
    summary = page.locator("details.choices > summary")
    expect(summary).to_contain_text(f"{words['choices']} (1")
    search = page.get_by_role("combobox", name=words["picker"])
    expect(search).to_be_hidden()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    page.evaluate("window.loadedOnce = true")  # gone if the page reloads

    summary.click()
    expect(search).to_be_visible()
    search.fill("huyen can giuoc")
    search.press("Enter")
    page.wait_for_url("**units=805,807**")
    expect(chart.locator(".legend")).to_contain_text("Huyện Cần Giuộc")
    expect(summary).to_contain_text(f"{words['choices']} (2")
    assert page.evaluate("window.loadedOnce") is True, "the chart changed without a full reload"
    page.get_by_label("Năm xếp hạng" if language == "vi" else "Ranking year").select_option("2022")
    page.wait_for_url("**year=2022**")
    expect(page.locator("#bar-heading")).to_contain_text("2022")
    assert page.evaluate("window.loadedOnce") is True
    assert "units=805,807" in page.url
    journey.check_accessibility(f"indicator page on a phone with its choices open, {language}")


def test_at_desktop_width_the_choices_are_shown_without_opening_anything(journey):
    page = journey.page
    page.set_viewport_size(DESKTOP)
    journey.goto("/indicators/ho-so-truc-tuyen/?units=805")
    expect(page.get_by_role("combobox", name=WORDS["vi"]["picker"])).to_be_visible()
    expect(page.locator("details.choices > summary")).to_be_hidden()
    expect(page.get_by_label("Năm xếp hạng")).to_be_visible()


def test_the_compare_page_folds_its_choices_and_ticking_an_indicator_adds_its_chart_in_place(journey):
    page = journey.page
    page.set_viewport_size(PHONE)
    journey.goto("/compare/?units=805,807&indicators=ho-so-truc-tuyen")
    journey.wait_for_charts()
    first_chart = page.locator("[data-chart=compare-0]")
    assert top_on_the_page(first_chart) < PHONE["height"], "the first chart is on the first screen"
    summary = page.locator("details.choices > summary")
    expect(summary).to_contain_text("Chọn đơn vị (2) và chỉ tiêu (1)")
    page.evaluate("window.loadedOnce = true")
    summary.click()
    page.get_by_label("Hồ sơ đúng hạn (%)").check()
    page.wait_for_url(lambda url: "ho-so-dung-han" in url and "ho-so-truc-tuyen" in url)  # in the form's order
    expect(page.locator("[data-chart=compare-1]")).to_be_attached()
    journey.wait_for_charts()
    expect(summary).to_contain_text("Chọn đơn vị (2) và chỉ tiêu (2)")
    assert page.evaluate("window.loadedOnce") is True, "the charts changed without a full reload"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_legend_clears_the_axis_title_and_the_event_notes_stay_above_the_plot(journey, viewport):
    page = journey.page
    page.set_viewport_size(viewport)
    journey.goto("/indicators/ho-so-truc-tuyen/?units=807,805,28159&successors=1")  # 2019-2026: three events
    journey.make_charts_interactive()  # plotly's legend and notes, as the reader who asked for them sees them
    chart = page.locator("[data-chart=line-figure]")
    chart.scroll_into_view_if_needed()
    figure, plot = box(chart), box(chart.locator(".nsewdrag").first)  # the plot area, where the lines are
    assert (
        box(chart.locator(".legend"))["y"]
        >= box(chart.locator(".xtitle"))["y"] + box(chart.locator(".xtitle"))["height"]
    )
    notes = chart.locator(".annotation-text", has_text=" · ")
    assert notes.count() == 3, "Resolution 76, Resolution 202 and the end of the districts"
    for index in range(notes.count()):
        note = box(notes.nth(index))
        assert note["y"] + note["height"] <= plot["y"], f"note {index + 1} runs into the plot"
        assert note["y"] >= figure["y"], f"note {index + 1} is cut off at the top"
        assert note["x"] + note["width"] <= figure["x"] + figure["width"] + 1, (
            f"note {index + 1} is cut off at the right"
        )
    title = box(chart.locator(".gtitle"))
    assert title["y"] >= figure["y"], "the chart's title is cut off at the top"


def test_on_a_phone_the_home_pages_quoted_figures_are_cards_with_their_fields_named(journey):
    page = journey.page
    page.set_viewport_size(PHONE)
    journey.goto("/")
    card = page.locator(".quotes-table tbody tr").first
    assert card.evaluate("row => getComputedStyle(row).display") == "block"
    assert box(card)["width"] <= PHONE["width"]
    year = card.locator("td[data-label]").nth(2)
    assert "Năm" in year.evaluate("cell => getComputedStyle(cell, '::before').content")
    expect(card.locator("q")).to_be_visible()  # the quote stays with its figure
    # The rest are behind their summary: the page was 20,000 px tall with every figure as a table row.
    expect(page.locator("details.quotes-more > summary")).to_contain_text("Xem thêm")
    assert page.evaluate("document.scrollingElement.scrollHeight") < 9000
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
