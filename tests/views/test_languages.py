"""Languages and numbers on the public pages, in Vietnamese and in English (issue 14, item 4):
changes of a share in percentage points, medians with their unit, our notes in English (quotes as
published), English unit names in English sentences, nav labels, and lists in the Vietnamese
alphabet's order."""

import re

import pytest
from django.urls import reverse

from tests.domain.test_text import LONG_AN_IN_ORDER

pytestmark = pytest.mark.django_db


def page(client, url: str, language: str) -> str:
    """The page as a visitor sees it after choosing `language` with the site's switch."""
    client.get(reverse("switch-language", args=[language]), {"next": "/"})
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def cards(html: str) -> dict[str, str]:
    """The home page's headline cards: indicator code → the card's text, tags stripped."""
    found = {}
    for code, body in re.findall(
        r'<article class="card">\s*<h3><a href="/indicators/([^/]+)/">(.*?)</article>', html, re.S
    ):
        found[code] = " ".join(re.sub(r"<[^>]+>", " ", body).split())
    return found


def change_line(card_text: str) -> str:
    match = re.search(r"[▲▼=] (.*?) (so với năm trước|compared with the previous year)", card_text)
    assert match, card_text
    return match.group(1)


# --- Year-on-year changes ----------------------------------------------------------------------


@pytest.mark.parametrize(("language", "unit"), [("vi", "điểm %"), ("en", "pp")])
def test_home_cards_give_a_change_of_a_share_in_percentage_points(demo_seeded, client, language, unit):
    found = cards(page(client, "/", language))
    share = change_line(found["ho-so-truc-tuyen"])
    assert re.fullmatch(rf"\d+([.,]\d)? {re.escape(unit)}", share), share
    count = change_line(found["ho-so-tre-han"])  # a count keeps its unit: a plain number
    assert re.fullmatch(r"\d[\d.,]*", count), count


@pytest.mark.parametrize(("language", "unit"), [("vi", "điểm %"), ("en", "pp")])
def test_most_improved_list_gives_a_change_of_a_share_in_percentage_points(demo_seeded, client, language, unit):
    html = page(client, "/indicators/ho-so-truc-tuyen/", language)
    listed = re.search(r'<ol class="improved">(.*?)</ol>', html, re.S).group(1)
    changes = re.findall(r"</a>: ([^<]*?)(?: <span| <abbr|</li>)", listed)
    assert changes
    for text in changes:
        assert re.fullmatch(rf"[+−]?\d+([.,]\d+)? {re.escape(unit)}", text.strip()), text


def test_most_improved_list_keeps_a_count_in_its_own_unit(demo_seeded, client):
    html = page(client, "/indicators/ho-so-tre-han/", "vi")
    listed = re.search(r'<ol class="improved">(.*?)</ol>', html, re.S).group(1)
    changes = re.findall(r"</a>: ([^<]*?)(?: <span| <abbr|</li>)", listed)
    assert changes and all(re.fullmatch(r"[+−]?[\d.]+", text.strip()) for text in changes), changes


# --- Medians on the area page --------------------------------------------------------------------


@pytest.mark.parametrize(("language", "share"), [("vi", r"\d+(,\d+)?%"), ("en", r"\d+(\.\d+)?%")])
def test_area_page_gives_medians_of_shares_with_the_percent_sign(demo_seeded, client, language, share):
    html = page(client, "/areas/chinh-quyen-so/", language)
    row = re.search(r'href="/indicators/ho-so-truc-tuyen/".*?</tr>', html, re.S).group(0)
    cells = re.findall(r'<td class="num">\s*([^<\s]+)', row)
    assert re.fullmatch(share, cells[0]), cells
    counts = re.search(r'href="/indicators/ho-so-tre-han/".*?</tr>', page(client, "/areas/tthc/", language), re.S)
    assert "%" not in re.findall(r'<td class="num">\s*([^<\s]+)', counts.group(0))[0]


# --- Our notes in English, the quotes as published ----------------------------------------------


def test_english_home_page_carries_english_notes_and_the_quotes_as_published(seeded, client):
    html = page(client, "/", "en")
    assert "An English quote, as published." in html
    assert "Câu trích tiếng Anh" not in html  # the Vietnamese note is gone
    assert "Thành tích năm 2023 theo bài báo" not in html
    assert "A 2023 result according to the article" in html
    # The quote stays in its own words, with an English label.
    assert "As published:" in html
    assert "hồ sơ trực tuyến của huyện đạt gần 95%" in html


def test_vietnamese_home_page_keeps_the_vietnamese_notes(seeded, client):
    html = page(client, "/", "vi")
    assert "Câu trích tiếng Anh, giữ nguyên như trên trang." in html
    assert "An English quote" not in html and "As published:" not in html


def test_english_source_page_gives_its_note_in_english(seeded, client):
    html = page(client, "/sources/nq-76-cp-2021/", "en")
    assert "Sets the 6 areas of administrative reform" in html
    assert "Xác định 6 lĩnh vực" not in html
    assert "Xác định 6 lĩnh vực" in page(client, "/sources/nq-76-cp-2021/", "vi")


def test_english_index_page_gives_the_method_in_english(demo_seeded, client):
    html = page(client, "/index/", "en")
    assert "Reconstructed index, version" in html
    assert "Built by this project so that the calculation is open" in html
    assert "Chỉ số tái dựng" not in html and "Do dự án tự xây dựng" not in html
    vi = page(client, "/index/", "vi")
    assert "Chỉ số tái dựng, phiên bản" in vi and "Reconstructed index" not in vi


# --- Unit names in English sentences; nav labels -------------------------------------------------


def test_english_unit_page_says_districts_of_long_an_province(demo_seeded, client):
    html = page(client, "/units/807/", "en")
    assert "districts of Long An province" in html
    assert "of Tỉnh Long An" not in html
    assert "huyện của Tỉnh Long An" in page(client, "/units/807/", "vi")


def test_english_index_page_names_the_old_province_in_english(demo_seeded, client):
    html = page(client, "/index/", "en")
    assert "districts of Long An province" in html
    assert "of Tỉnh Long An" not in html and ", Tỉnh Long An" not in html


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("vi", ["Tổng quan", "Chỉ tiêu", "So sánh", "Bảng điểm", "Nguồn"]),
        ("en", ["Overview", "Indicators", "Compare", "Scorecard", "Official indices", "Sources"]),
    ],
)
def test_nav_labels_read_as_a_menu(seeded, client, language, labels):
    html = page(client, "/", language)
    nav = re.search(r'<ul class="nav">(.*?)</ul>', html, re.S).group(1)
    texts = [" ".join(t.split()) for t in re.findall(r"<a [^>]*>([^<]+)</a>", nav)]
    for label in labels:
        assert label in texts, texts
    if language == "en":
        assert "Indicator" not in texts and "Source" not in texts


# --- Lists in the Vietnamese alphabet's order -----------------------------------------------------


def _group_units(html: str, summary_start: str) -> list[str]:
    match = re.search(
        rf"<summary>{re.escape(summary_start)}[^<]*</summary>\s*<ul class=\"unit-list\">(.*?)</ul>", html, re.S
    )
    assert match, summary_start
    return re.findall(r"<a [^>]*>([^<]+)</a>", match.group(1))


@pytest.mark.parametrize(
    ("language", "summary"), [("vi", "15 huyện của Tỉnh Long An"), ("en", "15 districts of Long An province")]
)
def test_long_an_page_lists_its_districts_in_alphabetical_order(seeded, client, language, summary):
    html = page(client, "/units/80/?in=2024", language)
    assert _group_units(html, summary) == LONG_AN_IN_ORDER


def test_picker_offers_long_an_districts_in_alphabetical_order(demo_seeded, client):
    html = page(client, "/indicators/ho-so-truc-tuyen/?year_to=2024", "vi")
    offered = re.findall(r'<option value="(\d{3})"[^>]*>([^<(]+?)(?: \(|<)', html)
    names = list(dict.fromkeys(name.strip() for code, name in offered if name.strip() in LONG_AN_IN_ORDER))
    assert names == LONG_AN_IN_ORDER


def test_index_ranking_breaks_ties_and_lists_units_alphabetically(demo_seeded, client):
    # The index page's district links follow its ranking; its province switch and the district
    # page's own lists are covered by the shared ordering function (tests/domain/test_text.py).
    html = page(client, "/units/807/", "vi")
    became = re.findall(r'<li><a href="/units/\d+/">(Xã [^<(]+?) \(', html)
    # The main successor first, then the others in the alphabet's order.
    assert became[0] == "Xã Cần Giuộc"
    assert became[1:] == ["Xã Mỹ Lộc", "Xã Phước Lý", "Xã Phước Vĩnh Tây", "Xã Tân Tập"]


@pytest.mark.parametrize(("sort", "descending"), [("", False), ("&sort=-unit", True)])
def test_indicator_table_lists_units_alphabetically(demo_seeded, client, sort, descending):
    url = f"/indicators/ho-so-truc-tuyen/?units=807,802,800,794,797&year_from=2023&year_to=2024{sort}"
    html = page(client, url, "vi")
    table = re.search(r'id="table-heading".*?</table>', html, re.S).group(0)
    rows = re.findall(r'<tr[^>]*>\s*<td\s*><a href="/units/\d+/[^"]*">([^<]+)</a>', table)
    expected = ["Huyện Cần Giuộc", "Huyện Đức Hòa", "Thành phố Tân An", "Huyện Thạnh Hóa", "Huyện Vĩnh Hưng"]
    assert list(dict.fromkeys(rows)) == (expected[::-1] if descending else expected)
