"""The scorecard's colours in Chromium (issue 14, 7): axe-core finds no contrast failure on any cell,
each band shows its own symbol besides its colour, and the key says what the bands mean.

axe cannot judge a cell scrolled out of the table's box (it reports it "incomplete", not failed), so
the box is opened to its full size before the contrast run: every one of the 96 × 43 cells is checked.
"""

import pytest
from playwright.sync_api import expect

CONTRAST_ONLY = """async () => {
  // The page's content: on a phone the site nav scrolls in its own row, where axe cannot always tell
  // a link's background (test_accessibility_pages checks the nav).
  const result = await axe.run({include: ['#main']}, {runOnly: ['color-contrast']});
  const nodes = (list) => list.flatMap(rule => rule.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary));
  return {violations: nodes(result.violations), incomplete: nodes(result.incomplete),
          passed: result.passes.reduce((sum, rule) => sum + rule.nodes.length, 0)};
}"""


@pytest.mark.parametrize(("width", "language"), [(360, "vi"), (1366, "en")])
def test_every_scorecard_cell_passes_axes_contrast_check_and_each_band_has_a_symbol(journey, width, language):
    page = journey.page
    page.set_viewport_size({"width": width, "height": 900})
    if language == "en":
        journey.goto("/lang/en/?next=/")
    journey.goto("/scorecard/?year=2025")
    journey.check_accessibility(f"scorecard 2025, {language}, {width}px")  # loads axe (or skips without it)

    key = page.locator("ul.legend-bands")
    expect(key).to_be_visible()
    words = ["best 20%", "worst 20%"] if language == "en" else ["nhóm 20% tốt nhất", "nhóm 20% kém nhất"]
    expect(key.locator("li").first).to_have_text(words[0])
    expect(key.locator("li").last).to_have_text(words[1])
    # The symbol of each band, as the browser draws it before the rank ("▲▲ #3/96"), the same in the key.
    symbols = page.evaluate(
        """() => [1, 2, 3, 4, 5].map(band => [
             getComputedStyle(document.querySelector(`#scorecard-table td.band-${band} small`), '::before').content,
             getComputedStyle(document.querySelector(`.legend-bands .band-${band} small`), '::before').content])"""
    )
    assert [cell for cell, _ in symbols] == [in_key for _, in_key in symbols]
    drawn = [cell.split('"')[1].strip("\xa0") for cell, _ in symbols]
    assert drawn == ["▲▲", "▲", "◆", "▼", "▼▼"], drawn

    page.locator(".table-box").evaluate("box => { box.style.overflow = 'visible'; box.style.maxHeight = 'none'; }")
    result = page.evaluate(CONTRAST_ONLY)
    assert result["violations"] == [], result["violations"][:5]
    assert result["incomplete"] == [], result["incomplete"][:5]
    assert result["passed"] > 96 * 43, "every cell was checked"
