"""The scorecard's cells, written in Python since issue 13's budget (presentation/scorecards.py): on a
small known dataset each cell says what the template wrote before, in both languages: the figure
with its qualifier, the demo marker, the rank in the group with its band, the link to the unit,
a dash for a gap. Its colours: tests/views/test_scorecard_colours.py."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, Source

YEAR = 2021  # no seed figure that year: the only figures are the ones below

# (unit, indicator, value, qualifier, demo)
FIGURES = [
    ("807", "ho-so-dung-han", "95.5", "approximately", False),  # ↑: the best of three
    ("805", "ho-so-dung-han", "1234.25", "exact", True),  # not a real share, a wide number: grouping
    ("806", "ho-so-dung-han", "88", "more_than", False),
    ("807", "ho-so-tre-han", "12", "exact", True),  # ↓: 12 and 12 share the first rank
    ("805", "ho-so-tre-han", "12", "exact", True),
    ("806", "ho-so-tre-han", "40", "less_than", True),
    ("807", "ho-so-tiep-nhan", "23504", "exact", False),  # neutral: no rank, no colour
]


@pytest.fixture
def known_figures(seeded):
    real = Source.objects.exclude(kind=Source.Kind.SYNTHETIC_DEMO).first()
    demo = Source.objects.create(code="minh-hoa-thu", title="Dữ liệu minh họa", kind=Source.Kind.SYNTHETIC_DEMO)
    for code, indicator, value, qualifier, is_demo in FIGURES:
        IndicatorValue.objects.create(
            indicator=Indicator.objects.get(code=indicator),
            unit=AdministrativeUnit.objects.by_code_in_year(code, YEAR),
            year=YEAR,
            value=Decimal(value),
            qualifier=qualifier,
            status=IndicatorValue.Status.APPROVED,
            source=demo if is_demo else real,
        )


def cells_of(html: str) -> dict[str, dict[str, str]]:
    """The body cells by the unit's code (from its link) and the indicator's code (from its column's link)."""
    table = html.split('<table class="data scorecard"', 1)[1].split("</table>", 1)[0]
    head, body = table.split("</thead>", 1)
    columns = re.findall(r'<th scope="col" class="num"><a href="/indicators/([^/]+)/', head)
    grid = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", body, re.S):
        code = re.search(r'href="/units/([^/]+)/', row).group(1)
        cells = re.findall(r"<td[^>]*>.*?</td>", row, re.S)
        assert len(cells) == len(columns), "one cell per indicator"
        grid[code] = dict(zip(columns, cells, strict=True))
        grid[code]["_th"] = '<th scope="row">' + row.split("</th>", 1)[0] + "</th>"
    return grid


def test_each_cell_shows_its_figure_qualifier_demo_marker_and_rank_in_the_group(known_figures, client):
    cells = cells_of(client.get(f"/scorecard/?year={YEAR}").content.decode())
    assert cells["807"]["_th"] == '<th scope="row"><a href="/units/807/">Huyện Cần Giuộc</a></th>'
    assert cells["807"]["ho-so-dung-han"] == '<td class="num rank-band band-2">gần 95,5%<small>#2/3</small></td>'
    assert cells["805"]["ho-so-dung-han"] == '<td class="num rank-band band-1">1.234,3%*<small>#1/3</small></td>'
    assert cells["806"]["ho-so-dung-han"] == '<td class="num rank-band band-4">hơn 88%<small>#3/3</small></td>'
    # Lower is better; a tie shares its rank ("1, 1, 3").
    assert cells["807"]["ho-so-tre-han"] == '<td class="num rank-band band-1">12*<small>#1/3</small></td>'
    assert cells["805"]["ho-so-tre-han"] == '<td class="num rank-band band-1">12*<small>#1/3</small></td>'
    assert cells["806"]["ho-so-tre-han"] == '<td class="num rank-band band-4">dưới 40*<small>#3/3</small></td>'
    # A neutral indicator is neither ranked nor coloured; a gap is a dash, never a zero.
    assert cells["807"]["ho-so-tiep-nhan"] == '<td class="num ">23.504</td>'
    assert cells["805"]["ho-so-tiep-nhan"] == '<td class="num ">–</td>'
    assert cells["801"]["ho-so-dung-han"] == '<td class="num ">–</td>', "a district with no figure is still listed"


def test_the_cells_follow_the_pages_language(known_figures, client):
    client.get(reverse("switch-language", args=["en"]), {"next": "/"})
    cells = cells_of(client.get(f"/scorecard/?year={YEAR}").content.decode())
    assert cells["807"]["ho-so-dung-han"] == '<td class="num rank-band band-2">nearly 95.5%<small>#2/3</small></td>'
    assert cells["805"]["ho-so-dung-han"] == '<td class="num rank-band band-1">1,234.3%*<small>#1/3</small></td>'
    assert cells["806"]["ho-so-tre-han"] == '<td class="num rank-band band-4">less than 40*<small>#3/3</small></td>'
    assert cells["807"]["ho-so-tiep-nhan"] == '<td class="num ">23,504</td>'


def test_hiding_demo_data_leaves_the_real_figures_ranked_among_themselves(known_figures, client):
    cells = cells_of(client.get(f"/scorecard/?year={YEAR}&include_demo=0").content.decode())
    assert cells["807"]["ho-so-dung-han"] == '<td class="num rank-band band-1">gần 95,5%<small>#1/2</small></td>'
    assert cells["805"]["ho-so-dung-han"] == '<td class="num ">–</td>'
    assert cells["806"]["ho-so-dung-han"] == '<td class="num rank-band band-3">hơn 88%<small>#2/2</small></td>'
    assert "*" not in "".join(cell for row in cells.values() for cell in row.values())


def test_a_unit_whose_code_names_another_unit_is_linked_with_the_year(known_figures, client):
    """ "80" is Long An to 2024 and the new Tây Ninh from 2025: its link says which one."""
    from indicators.presentation.scorecards import unit_link

    unit = AdministrativeUnit.objects.by_code_in_year("807", YEAR)
    assert unit_link(unit, year=YEAR, shared_codes=frozenset()) == "/units/807/"
    assert unit_link(unit, year=YEAR, shared_codes=frozenset({"807"})) == f"/units/807/?in={YEAR}"


def test_a_units_name_is_escaped_in_its_row(known_figures, client):
    AdministrativeUnit.objects.filter(code="807").update(name='Huyện <script>alert("x")</script> & Co')
    html = client.get(f"/scorecard/?year={YEAR}").content.decode()
    assert "<script>alert" not in html
    assert "Huyện &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co" in html
