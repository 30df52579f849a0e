"""Hostile text in every free-text field comes out inert: on every public page (the district index
included), in chart JSON and in the CSV, JSON and XLSX exports. The one escaping suite of the project."""

import csv
import html as htmllib
import io
import json
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, ReformArea, Source
from tests.site_urls import all_routes, expectation_for
from tests.views.test_exports import read_csv

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{ 7*7 }}{% debug %}"
JS_URL = "javascript:alert(1)"
FORMULA = '=HYPERLINK("http://evil.example","x")'
HOSTILE_INPUTS = [SCRIPT, IMG, TEMPLATE, JS_URL, FORMULA, "+1+1", "-1+1", "@SUM(A1)", "\tTAB"]


@pytest.fixture
def hostile(units_in_force, matrix_data):  # matrix_data: the published index year of 805 and 807 too
    AdministrativeUnit.objects.filter(code="807").update(name=FORMULA + IMG + SCRIPT, note=TEMPLATE + IMG)
    AdministrativeUnit.objects.filter(code="805").update(name="+1+1" + SCRIPT)
    # An old province and a commune: their names head rankings, unit lists and chart titles.
    AdministrativeUnit.objects.filter(code="72").update(name=IMG + SCRIPT)
    AdministrativeUnit.objects.filter(code="28159").update(name=SCRIPT + FORMULA)
    Indicator.objects.filter(code="ho-so-truc-tuyen").update(
        name="@SUM(A1)" + IMG,
        name_en=SCRIPT,
        short_name=IMG,
        short_name_en=IMG,
        definition=SCRIPT + TEMPLATE,
        why_it_matters=IMG,
    )
    ReformArea.objects.filter(code="chinh-quyen-so").update(name=IMG + SCRIPT, description=SCRIPT)
    Source.objects.filter(code="bao-long-an-mot-cua-2024").update(
        title="-1+1" + SCRIPT + TEMPLATE, publisher=IMG, author=SCRIPT, url=JS_URL, note=IMG, date_note=SCRIPT
    )
    IndicatorValue.objects.filter(unit__code="807", year=2023).update(
        quote="\tTAB" + IMG + TEMPLATE, note=SCRIPT, review_comment=IMG
    )


def public_urls():
    for route in all_routes():
        if route.pattern.startswith(("admin/", "accounts/logout", "lang/")) or route.pattern == "healthz":
            continue
        expect = expectation_for(route)
        if expect.outcomes.get("anonymous") != 200:
            continue  # not a public page
        yield route.url(**expect.params) + (f"?{expect.query}" if expect.query else "")


EXTRA_URLS = [
    "/indicators/ho-so-truc-tuyen/?units=807,805&year=2023",
    "/indicators/ho-so-truc-tuyen/?units=807,805&successors=1",
    "/indicators/ho-so-tre-han/?year=2022&include_demo=1",
    "/index/807/?year=2023&sipas=50",
    "/compare/?units=807,805&indicators=ho-so-truc-tuyen,thanh-toan-truc-tuyen",
    "/units/805/",
    "/areas/chinh-quyen-so/",
    "/scorecard/?year=2023",
    "/scorecard/?year=2025",
    "/units/80/",
    "/units/80/?in=2024",
    "/units/28159/",
    "/units/807/",
    "/compare/?units=807,28159",
    "/indicators/ho-so-truc-tuyen/?year=2023",
    "/indicators/ho-so-truc-tuyen/?units=28159&year=2025",
    "/index/?year=2023&province=72",
    "/index/703/?year=2023",
]


def assert_inert_html(url: str, page: str):
    assert "<script>alert" not in page, url
    assert "<img src=x" not in page, url
    assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", page, re.I), url
    # Chart data: JSON that parses, cannot close its <script>, and holds no live tag for plotly.
    for chart_id, data in re.findall(r'<script id="([\w-]+)" type="application/json">(.*?)</script>', page, re.S):
        figure = json.loads(data)
        assert "<" not in data, f"{url} #{chart_id}: json_script escapes < as \\u003C"
        for text in _strings(figure):
            assert not re.search(r"<\s*(script|img|iframe|svg)", text, re.I), f"{url} #{chart_id}: {text!r}"
            assert not re.search(r"href\s*=\s*[\"']?\s*javascript:", text, re.I), f"{url} #{chart_id}"


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_hostile_text_is_escaped_on_every_public_page(hostile, client, language):
    client.cookies["django_language"] = language
    seen_escaped = False
    for url in [*public_urls(), *EXTRA_URLS]:
        response = client.get(url)
        assert response.status_code == 200, url
        if "text/html" not in response["Content-Type"]:
            continue
        page = response.content.decode()
        assert_inert_html(url, page)
        seen_escaped |= htmllib.escape(SCRIPT, quote=False) in page
    assert seen_escaped, "the hostile names are shown (escaped), not dropped"


def test_hostile_source_url_is_never_a_link(hostile, client):
    page = client.get("/sources/bao-long-an-mot-cua-2024/").content.decode()
    assert "javascript:" not in page.lower(), "only http(s) addresses are shown as links; this one is left out"
    assert htmllib.escape(SCRIPT, quote=False) in page, "the title is shown, escaped"


def test_template_syntax_in_data_is_shown_literally_not_evaluated(hostile, client):
    page = client.get("/indicators/ho-so-truc-tuyen/").content.decode()
    assert "{{ 7*7 }}{% debug %}" in page


def test_csv_export_escapes_formula_cells_and_keeps_the_text(hostile, client):
    response = client.get("/api/values.csv?unit=807,805")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t")), f"{column}: {cell!r}"
    names = {row["unit_name"] for row in rows}
    assert "'" + FORMULA + IMG + SCRIPT in names and "'+1+1" + SCRIPT in names
    quoted = next(r for r in rows if r["unit_code"] == "807" and r["year"] == "2023" and r["source_url"])
    assert quoted["quote"] == "'\tTAB" + IMG + TEMPLATE
    assert quoted["source_url"] == JS_URL and quoted["source_title"] == "'-1+1" + SCRIPT + TEMPLATE


def test_json_export_keeps_text_exact_as_json_not_html(hostile, client):
    response = client.get("/api/values.json?unit=807")
    assert response["Content-Type"].startswith("application/json")
    values = response.json()["values"]
    assert {v["unit_name"] for v in values} == {FORMULA + IMG + SCRIPT}
    assert any(v["quote"] == "\tTAB" + IMG + TEMPLATE for v in values)


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_indicator_table_exports_escape_formula_cells(hostile, client, export):
    response = client.get(f"/indicators/ho-so-truc-tuyen/?units=807,805&_export={export}")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if export == "csv":
        cells = [cell for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for cell in row]
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        cells = [cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
        assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row), "no formula cells"
    assert "'" + FORMULA + IMG + SCRIPT in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t"))]


@pytest.mark.parametrize("hostile", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd"])
def test_csv_escapes_formula_cells_but_not_numbers(seeded, client, hostile):
    AdministrativeUnit.objects.filter(code="807").update(name=hostile)
    IndicatorValue.objects.filter(unit__code="807").update(note=hostile)
    rows = read_csv(client.get(reverse("values-csv"), {"unit": "807"}))
    assert {row["unit_name"] for row in rows} == {"'" + hostile}
    assert {row["note"] for row in rows} == {"'" + hostile}
    assert rows[0]["value"].isdigit()


def test_indicator_table_xlsx_escapes_formula_cells(units_in_force, client):
    AdministrativeUnit.objects.filter(code="807").update(name='=HYPERLINK("http://evil")')
    response = client.get("/indicators/ho-so-truc-tuyen/?units=807&_export=xlsx")
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    cells = [cell.value for row in sheet.iter_rows() for cell in row]
    assert '\'=HYPERLINK("http://evil")' in cells
    assert not any(isinstance(c, str) and c.startswith("=") for c in cells)
    assert any(isinstance(c, int | float) and not isinstance(c, bool) and c > 2000 for c in cells), "years stay numbers"
