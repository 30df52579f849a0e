"""The home page's figures quoted from documents: the first ten, then the rest behind a summary; a
quote that two figures come from (a unit's score and rank in one table) is written out once, and
every figure still links to its source. (How they look on a phone, as cards, is in
tests/e2e/test_phone_charts.py.)"""

import re

from indicators.models import IndicatorValue


def quoted_rows(html: str) -> tuple[list[str], list[str]]:
    """The rows shown at once and the rows behind "Xem thêm …"."""
    section = html.split('<h2 id="quoted-heading">', 1)[1].split("</section>", 1)[0]
    shown, _, more = section.partition('<details class="quotes-more">')
    rows = lambda text: re.findall(r"<tr>\s*<td class=\"quote-unit\".*?</tr>", text, re.S)  # noqa: E731
    return rows(shown), rows(more)


def test_the_home_page_shows_ten_quoted_figures_and_the_rest_behind_a_summary(seeded, client):
    quoted = IndicatorValue.objects.published().without_demo().exclude(quote="").count()
    assert quoted > 10, "the seed quotes more than ten figures"
    html = client.get("/").content.decode()
    shown, more = quoted_rows(html)
    assert len(shown) == 10
    assert len(shown) + len(more) == quoted
    assert f"Xem thêm {quoted - 10} số liệu trích dẫn" in html


def test_a_quote_two_figures_share_is_written_once_and_both_link_their_source(seeded, client):
    html = client.get("/").content.decode()
    shown, more = quoted_rows(html)
    rows = shown + more
    repeats = [row for row in rows if "Cùng trích dẫn với số liệu ngay trên." in row]
    assert repeats, "the seed has a score and a rank from one table's line"
    for row in repeats:
        assert "<q>" not in row
    assert all('href="/sources/' in row for row in rows), "every figure links to its source"
    # The quote is written out on the row before each repeat.
    for index, row in enumerate(rows):
        if row in repeats and index not in (0, len(shown)):
            assert "<q>" in rows[index - 1] or rows[index - 1] in repeats


def test_in_english_the_summary_is_english(seeded, client):
    client.cookies["django_language"] = "en"
    html = client.get("/").content.decode()
    assert re.search(r"<summary>\s*\d+ more quoted figures\s*</summary>", html)
