"""The scorecard's fixed column widths in Chromium (issue 14, speed): the browser lays the table out
from its <col> widths instead of measuring every cell first, which was most of the page's blocking
time on a phone. What a reader must not lose to it: no heading, name or figure is cut off by its
column ("more than 31%", "Documents unlawful/overlapping"), and the figures' columns are alike.
"""

import pytest

CELLS_CUT_OFF = """() => {
  const table = document.querySelector('#scorecard-table');
  const cut = [...table.querySelectorAll('th, td')].filter(cell => cell.scrollWidth > cell.clientWidth + 1);
  const headings = [...table.querySelectorAll('thead th')].slice(1);
  const widths = headings.map(th => Math.round(th.getBoundingClientRect().width));
  return {layout: getComputedStyle(table).tableLayout, cut: cut.map(cell => cell.textContent.trim()).slice(0, 10),
          widths: [...new Set(widths)], columns: widths.length};
}"""


@pytest.mark.parametrize(("width", "language"), [(360, "vi"), (360, "en"), (1366, "en")])
@pytest.mark.parametrize("year", [2023, 2026])
def test_scorecard_columns_have_fixed_widths_and_cut_off_no_text(journey, width, language, year):
    page = journey.page
    page.set_viewport_size({"width": width, "height": 800})
    if language == "en":
        journey.goto("/lang/en/?next=/")
    journey.goto(f"/scorecard/?year={year}")
    result = page.evaluate(CELLS_CUT_OFF)
    assert result["layout"] == "fixed"
    assert result["columns"] > 10
    assert len(result["widths"]) == 1, f"every indicator's column is as wide: {result['widths']}"
    assert result["cut"] == [], f"cut off in {year}, {language}, {width}px: {result['cut']}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
