"""Pages that stay readable with 96–168 units: the searchable unit picker, the ranking cut to the top,
the bottom and the chosen units, long tables in a scrolling box, and query counts that do not grow
with the number of units.

These tests build the extra units they need (168 communes, as Hồ Chí Minh City has), so that they hold
whether the province's pages compare its 15 districts or its 96 communes.
"""

import json
import re
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.domain.text import fold
from indicators.models import AdministrativeUnit, Indicator
from indicators.selectors import common
from indicators.templatetags.unit_picker import TOM_SELECT_JS, vendor_url

INDICATOR = "ho-so-truc-tuyen"
LARGEST_PROVINCE = 168  # communes of Hồ Chí Minh City from 01/07/2025


def html_of(response) -> str:
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def picker_options(html: str) -> dict[str, dict]:
    """The unit picker's <option>s by code: name, search key, whether chosen, and their group."""
    select = re.search(r'<select multiple name="units" id="unit-picker".*?</select>', html, re.S)
    assert select, "no unit picker on the page"
    options = {}
    for group, body in re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select.group(0), re.S):
        for code, search, chosen, name in re.findall(
            r'<option value="([^"]+)" data-search="([^"]*)"( selected)?>([^<]*)</option>', body
        ):
            options[code] = {"name": name, "search": search, "selected": bool(chosen), "group": group}
    return options


def chart_json(html: str, chart_id: str) -> dict:
    match = re.search(rf'<script id="{chart_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no json_script {chart_id}"
    return json.loads(match.group(1))


def add_communes(count: int) -> list[AdministrativeUnit]:
    """`count` more communes of the province the pages compare, in force from 01/07/2025, each with a
    2025 demo figure for every indicator."""
    from indicators.services import demo as demo_services

    province = common.province()
    communes = AdministrativeUnit.objects.bulk_create(
        AdministrativeUnit(
            code=f"99{n:03d}",
            name=f"Xã Thử Nghiệm {n}",
            slug=f"xa-thu-nghiem-{n}",
            level=AdministrativeUnit.Level.COMMUNE,
            kind=AdministrativeUnit.Kind.XA,
            parent=province,
            valid_from=date(2025, 7, 1),
        )
        for n in range(count)
    )
    communes = list(AdministrativeUnit.objects.filter(code__startswith="99", level="commune", parent=province))
    demo_services.generate_demo_values(
        seed=3, years=[2025], units=communes, indicators=list(Indicator.objects.for_level("commune"))
    )
    return communes


def queries_of(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        html_of(client.get(url))
    return len(captured)


# --- The picker ----------------------------------------------------------------------------------


def test_the_indicator_page_offers_every_unit_in_a_labelled_multi_select_grouped_by_period(demo_seeded, client):
    html = html_of(client.get(f"/indicators/{INDICATOR}/?units=807"))
    options = picker_options(html)
    units = common.province_districts(province=common.province())
    assert set(options) == {unit.code for unit in units}, "every unit the page compares, each once"
    assert '<label for="unit-picker"' in html, "the picker has a label"
    assert 'aria-describedby="unit-picker-hint"' in html and 'id="unit-picker-hint"' in html
    assert [code for code, option in options.items() if option["selected"]] == ["807"]
    # One group per ranking: the communes from 01/07/2025, then each old province's districts to 30/06/2025.
    for unit in units:
        group = options[unit.code]["group"]
        if unit.level == AdministrativeUnit.Level.DISTRICT:
            assert "huyện của" in group and "đến 30/06/2025" in group, group
        else:
            assert group.startswith("96 ") and "từ 01/07/2025" in group, group
    groups = list(dict.fromkeys(option["group"] for option in options.values()))
    assert len(groups) == 3 and groups[0].startswith("96 "), "today's communes first, then Long An, the former Tây Ninh"
    assert groups[1].startswith("15 huyện của Tỉnh Long An") and groups[2].startswith("9 huyện của Tỉnh Tây Ninh (72")
    assert 'type="checkbox" name="units"' not in html, "no checkbox wall"


def test_each_option_carries_its_name_folded_for_a_search_without_diacritics(demo_seeded, client):
    options = picker_options(html_of(client.get(f"/indicators/{INDICATOR}/")))
    can_giuoc = options["807"]
    assert can_giuoc["name"] == "Huyện Cần Giuộc"
    assert can_giuoc["search"] == "huyen can giuoc 807" == f"{fold(can_giuoc['name'])} 807"
    assert all(option["search"] == option["search"].encode("ascii", "ignore").decode() for option in options.values())


def test_the_picker_without_javascript_submits_repeated_units_like_a_shared_link(demo_seeded, client):
    """A plain multi-select sends units=807&units=805; the site's links write units=807,805."""
    repeated = picker_options(html_of(client.get(f"/indicators/{INDICATOR}/?units=807&units=805")))
    joined = picker_options(html_of(client.get(f"/indicators/{INDICATOR}/?units=807,805")))
    assert {c for c, o in repeated.items() if o["selected"]} == {c for c, o in joined.items() if o["selected"]}
    assert {c for c, o in joined.items() if o["selected"]} == {"807", "805"}


def test_the_compare_page_uses_the_same_picker(demo_seeded, client):
    html = html_of(client.get("/compare/?units=807,805&indicators=ho-so-truc-tuyen"))
    options = picker_options(html)
    assert {code for code, option in options.items() if option["selected"]} == {"807", "805"}
    assert 'type="checkbox" name="units"' not in html
    assert "data-live-form" in html and 'id="compare-controls"' in html


def test_the_picker_is_served_from_our_own_static_files_with_no_inline_script(demo_seeded, client):
    html = html_of(client.get(f"/indicators/{INDICATOR}/"))
    scripts = re.findall(r"<script\b[^>]*>", html)
    sources = [re.search(r'src="([^"]+)"', tag).group(1) for tag in scripts if "src=" in tag]
    assert {"/static/js/fold.js", "/static/js/unit-picker.js", "/static/js/live-form.js"} <= set(sources)
    assert all(source.startswith("/static/") for source in sources), "no CDN"
    assert all("src=" in tag or 'type="application/json"' in tag for tag in scripts)
    if vendor_url(TOM_SELECT_JS):
        assert f"/static/{TOM_SELECT_JS}" in sources
        assert '<link rel="stylesheet" href="/static/vendor/tom-select/tom-select.min.css">' in html


def test_without_tom_select_installed_the_page_keeps_the_plain_multi_select(demo_seeded, client, monkeypatch):
    """No npm at install time: no link to a file that is not there (a 404, or a 500 with the manifest)."""
    vendor_url.cache_clear()
    monkeypatch.setattr("indicators.templatetags.unit_picker.finders.find", lambda path: None)
    try:
        html = html_of(client.get(f"/indicators/{INDICATOR}/"))
        assert "tom-select" not in html
        assert '<select multiple name="units" id="unit-picker"' in html
        assert "/static/js/unit-picker.js" in html, "the script stays, and leaves the select as it is"
    finally:
        vendor_url.cache_clear()


def test_the_picker_speaks_english_on_the_english_page(demo_seeded, client):
    client.cookies["django_language"] = "en"
    html = html_of(client.get(f"/indicators/{INDICATOR}/"))
    assert ">Units on the line chart</label>" in html
    assert "15 districts of Long An province" in html
    assert 'data-placeholder="Type a unit’s name…"' in html
    assert "units. Type a name to search, with or without diacritics" in html
    assert "units. Hold Ctrl" in html
    assert "Full ranking: " in html
    names = [trace.get("name") for trace in chart_json(html, "line-figure")["data"]]
    assert "Middle half of the units that year (P25–P75)" in names and "Median of the units that year" in names


# --- 168 communes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"/indicators/{INDICATOR}/?units=807,805",
        f"/indicators/{INDICATOR}/?year=2025",
        "/compare/?units=807,805&indicators=ho-so-truc-tuyen,thanh-toan-truc-tuyen",
        "/scorecard/?year=2025",
    ],
)
def test_a_page_makes_as_many_queries_with_168_more_communes(demo_seeded, client, uncached_pages, url):
    before = queries_of(client, url)
    add_communes(LARGEST_PROVINCE)
    assert queries_of(client, url) == before


def test_168_communes_are_all_in_the_picker_and_the_ranking_chart_shows_the_top_the_bottom_and_the_chosen(
    demo_seeded, client, uncached_pages
):
    communes = add_communes(LARGEST_PROVINCE)
    chosen = communes[80].code
    html = html_of(client.get(f"/indicators/{INDICATOR}/?year=2025&units={chosen}"))
    assert {c.code for c in communes} <= set(picker_options(html))

    bar = chart_json(html, "bar-figure")["data"][0]
    gaps = [label for label in bar["y"] if label.startswith("⋯")]
    assert len(bar["y"]) <= 5 + 5 + 1 + 2 and gaps, "13 rows at most, not 264"
    assert any(label.endswith(communes[80].name) for label in bar["y"]), "the chosen commune is drawn"
    assert "Biểu đồ chỉ vẽ 5 đơn vị đầu, 5 đơn vị cuối và các đơn vị đã chọn" in html

    # The full ranking is one click away, without JavaScript: a <details> with every unit.
    full = re.search(r'<details id="full-ranking">.*?</details>', html, re.S).group(0)
    rows = re.findall(r"<tr[ >]", full.split("<tbody>")[1])
    reporting = common.province_units_query(common.province()).reporting_in(2025).count()
    assert len(rows) >= LARGEST_PROVINCE and len(rows) <= reporting
    assert re.search(rf'<tr class="chosen"><td>\d+/\d+</td><td><a href="[^"]*">{communes[80].name}</a>', full)
    assert f"Toàn bộ xếp hạng: {len(rows)} đơn vị" in full


def test_the_line_chart_draws_the_chosen_units_over_the_distribution_of_all_units(demo_seeded, client):
    html = html_of(client.get(f"/indicators/{INDICATOR}/?units=807,805"))
    traces = chart_json(html, "line-figure")["data"]
    names = [trace.get("name", "") for trace in traces]
    band = names.index("Nửa giữa các đơn vị cùng năm (P25–P75)")
    median = names.index("Trung vị các đơn vị cùng năm")
    chosen = [i for i, name in enumerate(names) if name.startswith(("Huyện Cần Giuộc", "Huyện Tân Trụ"))]
    assert len(chosen) == 2 and band < min(chosen) and median < min(chosen), "the chosen lines on top"
    # No band trace runs from 2024 into 2025: the districts and the communes are two distributions.
    for trace in traces:
        if trace.get("legendgroup") in ("band", "median"):
            assert not {2024, 2025} <= set(trace["x"]), trace["x"]


# --- Long tables ---------------------------------------------------------------------------------


def test_the_scorecard_scrolls_inside_a_focusable_box_with_a_sticky_header_and_first_column(demo_seeded, client):
    html = html_of(client.get("/scorecard/"))
    box = re.search(r'<div class="table-scroll table-box"[^>]*>\s*<table class="data scorecard"', html)
    assert box, "the scorecard sits in the scrolling box"
    assert 'tabindex="0"' in box.group(0) and 'role="region"' in box.group(0) and "aria-label=" in box.group(0)
    css = (Path(__file__).resolve().parents[2] / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert ".table-box thead th { position: sticky; top: 0;" in css
    assert ".table-box tbody th:first-child, .table-box tbody td:first-child { position: sticky; left: 0;" in css
