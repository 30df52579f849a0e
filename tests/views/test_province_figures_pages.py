"""The published provincial and district figures on the unit pages, each with its quote and source."""

import re

import pytest
from django.utils.html import escape

from indicators.models import AdministrativeUnit, IndicatorValue
from indicators.selectors.units import unit_page

LONG_AN_PAR_YEARS = range(2019, 2025)


@pytest.fixture
def long_an(seeded):
    return AdministrativeUnit.objects.by_code_in_year("80", 2024)


def quoted_items(html: str) -> list[str]:
    match = re.search(r'<h2 id="quoted-heading">.*?<ul class="quotes">(.*?)</ul>', html, re.S)
    assert match, "no list of quoted figures"
    return re.findall(r"<li>(.*?)</li>", match.group(1), re.S)


def starting(items: list[str], text: str) -> list[str]:
    """The items whose text (without the indicator's link) starts with `text`."""
    return [item for item in items if re.sub(r"<[^>]+>", "", item).startswith(text)]


def test_long_ans_profile_has_its_par_index_for_2019_to_2024_each_with_its_quote(seeded):
    long_an = AdministrativeUnit.objects.by_code_in_year("80", 2024)
    page = unit_page(unit=long_an, include_demo=False)
    (par,) = [row for _area, rows in page["groups"] for row in rows if row.indicator.code == "xep-hang-par-index"]
    assert {p.year: int(p.value) for p in par.trend if p} == {2019: 5, 2020: 7, 2021: 22, 2022: 8, 2023: 8, 2024: 16}
    quoted = {(indicator.code, p.year) for indicator, p in page["quoted"]}
    assert {("xep-hang-par-index", year) for year in LONG_AN_PAR_YEARS} <= quoted
    assert {("par-index", year) for year in (2019, 2020, 2021, 2022, 2024)} <= quoted
    assert all(p.quote and p.source_code for _indicator, p in page["quoted"])


def test_long_ans_page_shows_its_par_index_2019_to_2024_with_the_quotes(demo_seeded, client, uncached_pages, long_an):
    response = client.get("/units/80/?in=2024")  # 80 is Long An to 30/06/2025, the new Tây Ninh after
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Tỉnh Long An" in html
    items = quoted_items(html)
    for year in LONG_AN_PAR_YEARS:
        (item,) = starting(items, f"Xếp hạng PAR INDEX của tỉnh, {year}:")
        figure = IndicatorValue.objects.get(indicator__code="xep-hang-par-index", unit=long_an, year=year)
        assert f"<strong>{int(figure.value)}</strong>" in item
        assert f"<q>{escape(figure.quote)}</q>" in item
        assert f'href="/sources/{figure.source.code}/"' in item
    (score_2019,) = starting(items, "Chỉ số cải cách hành chính cấp tỉnh (PAR INDEX), 2019:")
    assert "<strong>84,33</strong>" in score_2019  # Vietnamese decimals, both places kept
    assert "demo-tag" not in "".join(items)


def test_hoa_thanhs_page_shows_its_2023_index_result_with_its_quote(demo_seeded, client, uncached_pages):
    response = client.get("/units/709/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Thị xã Hòa Thành" in html
    items = quoted_items(html)
    quote = "1 UBND thị xã Hòa Thành 100 88.35 88.35% Tốt"
    (score,) = starting(items, "Điểm chỉ số CCHC cấp huyện, 2023:")
    assert "<strong>88,35</strong>" in score and quote in score
    assert 'href="/sources/tayninh-gov-cchc-2023/"' in score
    (rank,) = starting(items, "Xếp hạng chỉ số CCHC cấp huyện, 2023:")
    assert "<strong>1</strong>" in rank and quote in rank
    # Its 2022 first place too, and nothing quoted that is demo data.
    assert any("93,08" in i for i in starting(items, "Điểm chỉ số CCHC cấp huyện, 2022:"))
    assert "demo-tag" not in "".join(items)


def test_a_page_without_quoted_figures_has_no_empty_quotes_section(demo_seeded, client):
    html = client.get("/units/794/").content.decode()  # Tân An: demo data only
    assert "quoted-heading" not in html


def test_hoa_thanhs_page_makes_the_unit_pages_fixed_number_of_queries(
    demo_seeded, client, uncached_pages, django_assert_max_num_queries
):
    with django_assert_max_num_queries(13):  # the pin of /units/807/ in test_public.py: quotes cost none
        assert client.get("/units/709/").status_code == 200
