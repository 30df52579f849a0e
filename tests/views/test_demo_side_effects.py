"""Issue 14 §5: what demo data did to the real figures' pages, as a visitor sees them.

- the timeliness table judged demo figures (dated the day the generator ran) as late;
- "Ẩn dữ liệu minh họa" lasted one page;
- with demo data hidden, the home cards called one district the median, the best and the worst,
  and computed a change from "gần 95%" as if it were 95;
- "MH" was explained only in a hover tooltip.
"""

import re
from datetime import datetime
from decimal import Decimal

import pytest

from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, Source
from tests.conftest import VIETNAM

DEMO_HIDDEN_NOTE = "Đang ẩn dữ liệu minh họa."
DEMO_BANNER = "Dữ liệu minh họa."


def text(response) -> str:
    return response.content.decode()


def freshness_rows(html: str) -> dict[str, str]:
    """Year -> the row's text, from the unit page's timeliness table."""
    table = html.split('id="freshness"', 1)[1].split("</table>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        year = re.search(r'<th scope="row">(\d{4})</th>', row)
        if year:
            rows[year.group(1)] = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))
    return rows


def card(html: str, code: str) -> str:
    """One home card's text, found by its indicator's link."""
    cards = html.split('<article class="card">')[1:]
    found = next(c.split("</article>", 1)[0] for c in cards if f"/indicators/{code}/" in c)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found))


# --- Timeliness: demo figures are not judged ------------------------------------------------------


def test_demo_years_are_marked_demo_not_late_and_real_years_keep_their_judgement(frozen_today, units_in_force, client):
    # The demo values were written "today" (1 December 2026), long after every deadline.
    rows = freshness_rows(text(client.get("/units/807/")))
    for year in ["2019", "2020", "2021", "2022", "2024"]:  # demo figures only
        assert "Số liệu minh họa: không xét hạn" in rows[year], rows[year]
        assert "Cập nhật sau hạn" not in rows[year], rows[year]
    # 2023 has the article's figures, updated on 01/03/2024 after the 31/01/2024 deadline, beside demo ones.
    assert "Cập nhật sau hạn" in rows["2023"] and "01/03/2024" in rows["2023"]
    assert "MH" in rows["2023"]  # its demo figures are counted apart, with the mark


def test_a_real_figure_on_time_is_on_time_though_the_year_has_demo_figures(frozen_today, units_in_force, client):
    value = IndicatorValue.objects.get(unit__code="807", year=2022, indicator__code="ho-so-truc-tuyen")
    value.source = Source.objects.exclude(kind=Source.Kind.SYNTHETIC_DEMO).first()
    value.save()
    # Entered on 15/01/2023, before the 31/01/2023 deadline for 2022.
    IndicatorValue.objects.filter(pk=value.pk).update(updated_at=datetime(2023, 1, 15, 9, 0, tzinfo=VIETNAM))
    rows = freshness_rows(text(client.get("/units/807/")))
    assert "Đúng hạn" in rows["2022"] and "15/01/2023" in rows["2022"], rows["2022"]


def test_without_demo_figures_the_empty_years_are_overdue(frozen_today, units_in_force, client):
    rows = freshness_rows(text(client.get("/units/807/?include_demo=0")))
    assert "Quá hạn, chưa có số liệu" in rows["2022"]
    assert "minh họa" not in rows["2022"]


def test_demo_figures_do_not_count_as_a_report_on_the_overdue_list(frozen_today, units_in_force, client):
    for url in ["/", "/?include_demo=0"]:
        overdue = text(client.get(url)).split('id="overdue-heading"', 1)[1].split("</section>", 1)[0]
        line_2024 = next(li for li in overdue.split("<li>") if "<strong>2024</strong>" in li)
        assert "Huyện Cần Giuộc" in line_2024, url  # demo figures only for 2024: not reported


# --- The demo choice sticks -----------------------------------------------------------------------


def test_hiding_demo_data_holds_on_the_pages_linked_from_there(units_in_force, client):
    page = text(client.get("/units/807/"))
    assert DEMO_BANNER in page
    hide = re.search(r'href="([^"]*/demo/hide/[^"]*)"', page).group(1).replace("&amp;", "&")
    response = client.get(hide, follow=True)
    assert response.redirect_chain[-1][0] == "/units/807/"
    assert DEMO_BANNER not in text(response) and DEMO_HIDDEN_NOTE in text(response)
    # Every link followed from there: an indicator link of the page, the nav, another unit.
    indicator_link = re.search(r'href="(/indicators/ho-so-truc-tuyen/\?units=807)"', text(response)).group(1)
    for url in [indicator_link, "/", "/scorecard/?year=2023", "/compare/", "/units/805/", "/index/805/"]:
        html = text(client.get(url))
        assert DEMO_BANNER not in html and DEMO_HIDDEN_NOTE in html, url
        assert "Dữ liệu minh họa (giả lập)" not in html, url  # no demo source named
    assert "minh họa" not in " ".join(t.get("name", "") for t in _line_traces(client, indicator_link))


def _line_traces(client, url):
    import json

    html = text(client.get(url))
    found = re.search(r'<script id="line-figure" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))["data"]


def test_the_choice_shows_its_state_and_showing_brings_demo_data_back(units_in_force, client):
    client.get("/demo/hide/?next=/")
    html = text(client.get("/units/805/"))
    show = re.search(r'href="([^"]*/demo/show/[^"]*)"', html).group(1).replace("&amp;", "&")
    assert "Hiện dữ liệu minh họa" in html
    response = client.get(show, follow=True)
    assert response.redirect_chain[-1][0] == "/units/805/"
    assert DEMO_BANNER in text(response) and "Đang hiện." in text(response)
    assert DEMO_BANNER in text(client.get("/scorecard/"))  # and on the next pages


@pytest.mark.parametrize("choice", ["show", "hide"])
def test_the_demo_banner_closes_every_element_it_opens(units_in_force, client, choice):
    """Both states of the banner sit before <main>, closed: a banner left open swallows <main>, and the
    live update (live-form.js), which swaps the banner for the new page's, then swaps the form too."""
    client.get(f"/demo/{choice}/?next=/")
    html = text(client.get("/units/805/"))
    start = html.rindex("<", 0, html.index('class="demo-banner'))
    banner = html[start : html.index('<main id="main"')]
    for tag in ("section", "div"):
        assert banner.count(f"<{tag}") == banner.count(f"</{tag}>"), (choice, tag, banner)


def test_a_shared_link_with_include_demo_wins_over_the_cookie(units_in_force, client):
    client.get("/demo/hide/?next=/")
    assert DEMO_BANNER in text(client.get("/units/805/?include_demo=1"))
    client.get("/demo/show/?next=/")
    html = text(client.get("/units/805/?include_demo=0"))
    assert DEMO_BANNER not in html and DEMO_HIDDEN_NOTE in html


def test_the_cached_page_of_one_choice_is_never_served_for_the_other(units_in_force, client, settings):
    settings.CCHC_PAGE_CACHE_SECONDS = 600
    first = client.get("/units/805/")  # cached with demo data
    assert DEMO_BANNER in text(first) and "Cookie" in first["Vary"]
    client.get("/demo/hide/?next=/")
    hidden = client.get("/units/805/")
    assert DEMO_BANNER not in text(hidden) and hidden["ETag"] != first["ETag"]
    client.cookies.pop("cchc_demo")
    assert DEMO_BANNER in text(client.get("/units/805/"))
    # A browser revalidating its copy after hiding gets the hidden page, not a 304 for the old one.
    client.get("/demo/hide/?next=/")
    assert client.get("/units/805/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_choice_is_a_cookie_and_the_next_page_loses_include_demo(client, db):
    response = client.get("/demo/hide/?next=/compare/%3Funits%3D807%26include_demo%3D1")
    assert response.status_code == 302 and response["Location"] == "/compare/?units=807"
    cookie = response.cookies["cchc_demo"]
    assert cookie.value == "hide" and cookie["httponly"] and cookie["samesite"] == "Lax"
    response = client.get("/demo/show/?next=/")
    assert response.cookies["cchc_demo"].value == ""  # deleted


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)"])
def test_the_choice_never_redirects_off_the_site(client, db, target):
    response = client.get("/demo/hide/", {"next": target})
    assert response.status_code == 302 and response["Location"] == "/"


def test_an_unknown_choice_is_404(client, db):
    assert client.get("/demo/maybe/?next=/").status_code == 404


def test_a_junk_cookie_shows_the_demo_data(units_in_force, client):
    client.cookies["cchc_demo"] = "<script>"
    assert DEMO_BANNER in text(client.get("/units/805/"))


# --- Home cards with demo data hidden -------------------------------------------------------------


def test_one_district_is_not_called_the_median_best_and_worst(units_in_force, client):
    html = text(client.get("/?include_demo=0"))  # 2023: only Cần Giuộc has a real online share
    online = card(html, "ho-so-truc-tuyen")
    assert "chỉ có 1 huyện có số liệu" in online
    assert "Huyện Cần Giuộc : gần 95%" in online  # its own figure, with its qualifier
    assert "Tốt nhất" not in online and "Kém nhất" not in online
    assert "so với năm trước" not in online
    assert online.count("Huyện Cần Giuộc") == 1


def _real_online_shares(figures):
    """Real "share filed online" figures, {(unit code, year): (value, qualifier)}; Cần Giuộc 2023 is the article's."""
    source = Source.objects.exclude(kind=Source.Kind.SYNTHETIC_DEMO).first()
    indicator = Indicator.objects.get(code="ho-so-truc-tuyen")
    for (code, year), (value, qualifier) in figures.items():
        unit = AdministrativeUnit.objects.by_code_in_year(code, year)
        IndicatorValue.objects.update_or_create(
            indicator=indicator,
            unit=unit,
            year=year,
            defaults={"value": Decimal(value), "qualifier": qualifier, "status": "approved", "source": source},
        )


def test_no_change_is_computed_from_a_median_of_gan_95(units_in_force, client):
    _real_online_shares(
        {
            ("805", 2023): ("90", "exact"),
            ("806", 2023): ("97", "exact"),  # with Cần Giuộc's "gần 95%", the middle one
            ("807", 2022): ("90", "exact"),
            ("805", 2022): ("80", "exact"),
            ("806", 2022): ("92", "exact"),
        }
    )
    online = card(text(client.get("/?include_demo=0")), "ho-so-truc-tuyen")
    assert "gần 95%" in online.split("Tốt nhất")[0]  # the median keeps its qualifier
    assert "không tính thay đổi" in online and "▲" not in online and "so với năm trước" not in online
    best, worst = re.search(r"Tốt nhất: (.*?) \(.*Kém nhất: (.*?) \(", online).groups()
    assert best.strip() != worst.strip()


def test_an_exact_median_gets_its_change(units_in_force, client):
    _real_online_shares(
        {
            ("805", 2023): ("96", "exact"),  # now the middle one, exact
            ("806", 2023): ("97", "exact"),
            ("807", 2022): ("90", "exact"),
            ("805", 2022): ("80", "exact"),
            ("806", 2022): ("92", "exact"),
        }
    )
    online = card(text(client.get("/?include_demo=0")), "ho-so-truc-tuyen")
    assert "96%" in online and "▲ 6 điểm % so với năm trước" in online


# --- "MH" is explained in words on the page -------------------------------------------------------


def _visible(html: str) -> str:
    """The page's text as a touch screen shows it: no attributes (titles), no tags."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("url", ["/units/807/", "/indicators/ho-so-truc-tuyen/?year=2024", "/index/807/?year=2023"])
def test_the_mh_mark_is_explained_in_visible_text(units_in_force, client, url):
    html = text(client.get(url))
    assert re.search(r'<abbr class="demo-tag" title="Dữ liệu minh họa">MH</abbr>', html), url
    assert "MH = số liệu minh họa (giả lập), không phải số liệu chính thức." in _visible(html), url


def test_no_key_where_no_demo_figure_shows(units_in_force, client):
    assert "MH = số liệu minh họa" not in _visible(text(client.get("/units/807/?include_demo=0")))


def test_the_unit_page_links_its_printable_report(units_in_force, client):
    assert 'href="/units/807/report/"' in text(client.get("/units/807/"))
    assert 'href="/units/80/report/?in=2024"' in text(client.get("/units/80/?in=2024"))
