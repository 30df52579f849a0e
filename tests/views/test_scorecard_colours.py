"""The scorecard's rank bands (issue 14, 7): a colour-blind-safe palette (ColorBrewer's RdBu) whose
text passes WCAG AA (4.5:1) on every band, a symbol for each band besides its colour, and a visible
key. The colours are read from static/css/site.css, where they are defined, and checked with WCAG
2.x's relative luminance; the browser check with axe-core is tests/e2e/test_scorecard_colours.py."""

import re
from pathlib import Path

import pytest

CSS_FILE = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"
CSS = re.sub(r"/\*.*?\*/", "", CSS_FILE.read_text(encoding="utf-8"), flags=re.S)  # without its comments
BANDS = range(1, 6)
# ColorBrewer 2.0, RdBu, 5 classes (colorbrewer2.org: "colorblind safe"), best band first.
RDBU_5 = ["#0571b0", "#92c5de", "#f7f7f7", "#f4a582", "#ca0020"]


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour written #rrggbb or #rgb."""
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    lighter, darker = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def declarations(selector: str) -> dict[str, str]:
    """The declarations of the rules whose selector list names `selector` (a later one wins)."""
    found = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", CSS):
        if selector in [s.strip() for s in selectors.split(",")]:
            for prop, value in re.findall(r"([\w-]+)\s*:\s*([^;]+)", body):
                found[prop] = value.strip()
    return found


def band_colours(band: int) -> tuple[str, str]:
    rule = declarations(f".rank-band.band-{band}")
    assert "background" in rule and "color" in rule, f"band {band} names its background and its text colour"
    return rule["background"], rule["color"]


def test_the_wcag_formula_gives_the_published_figures():
    """Positive controls: black on white is 21:1, and the old grey on orange was the 3.71:1 the issue reports."""
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast("#57606a", "#fdb863") == pytest.approx(3.71, abs=0.02)  # --muted on the old band 4


@pytest.mark.parametrize("band", BANDS)
def test_every_band_has_text_of_at_least_aa_contrast(band):
    background, text = band_colours(band)
    assert contrast(background, text) >= 4.5, (band, background, text, round(contrast(background, text), 2))


def test_the_rank_and_any_link_in_a_band_keep_the_bands_text_colour():
    """<small> is muted grey elsewhere on the site; in a band it would fail (3.7:1 on the old orange)."""
    assert declarations(".rank-band small").get("color") == "inherit"
    assert declarations(".rank-band a").get("color") == "inherit"
    for band in BANDS:
        for selector in (f".rank-band.band-{band} small", f".rank-band.band-{band} a"):
            assert "color" not in declarations(selector), f"{selector} would override the band's text colour"


def test_the_bands_are_colorbrewers_rdbu_best_in_blue_worst_in_red_not_red_and_green():
    assert [band_colours(band)[0].lower() for band in BANDS] == RDBU_5
    # Lightness runs dark, light, lightest, light, dark: the two ends stand out from the middle in grey too.
    lum = [relative_luminance(colour) for colour in RDBU_5]
    assert lum[0] < lum[1] < lum[2] and lum[4] < lum[3] < lum[2]


def test_each_band_has_its_own_symbol_that_screen_readers_skip():
    symbols = []
    for band in BANDS:
        rule = CSS.split(f".rank-band.band-{band} small::before {{", 1)[1].split("}", 1)[0]
        contents = re.findall(r'content:\s*("[^"]*")(\s*/\s*"")?', rule)
        assert len(contents) == 2, "a plain fallback, then the same symbol with an empty alternative text"
        assert contents[0][0] == contents[1][0] and contents[1][1], rule
        symbols.append(contents[0][0])
    assert len(set(symbols)) == 5, symbols
    assert symbols[0].startswith('"\\25B2') and symbols[4].startswith('"\\25BC'), "▲ for the best, ▼ for the worst"


def test_the_page_has_a_visible_key_to_every_band(seeded, client):
    html = client.get("/scorecard/").content.decode()
    key = html.split('<ul class="legend-bands"', 1)[1].split("</ul>", 1)[0]
    assert 'aria-hidden="true"' not in key, "the key is read out, not hidden"
    words_of_bands = ["tốt nhất", "thứ hai", "ở giữa", "thứ tư", "kém nhất"]
    for band, words in zip(BANDS, words_of_bands, strict=True):
        assert f'<span class="rank-band band-{band}"><small></small></span>nhóm 20% {words}</li>' in key
