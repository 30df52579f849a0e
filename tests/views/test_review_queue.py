"""The staff review queue (/review/) as staff use it with a province's communes: sorted by each column,
paged 50 at a time, in Vietnamese and English, safe against a hand-made query string, and closed to
everyone but provincial staff."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from indicators.models import IndicatorValue
from indicators.presentation.review_tables import PER_PAGE

QUEUE = reverse("review:queue")
LONG_AN = [  # issue 14's order of Long An's districts (the Vietnamese alphabet, type words ignored)
    "Bến Lức",
    "Cần Đước",
    "Cần Giuộc",
    "Châu Thành",
    "Đức Hòa",
    "Đức Huệ",
    "Kiến Tường",
    "Mộc Hóa",
    "Tân An",
    "Tân Hưng",
    "Tân Thạnh",
    "Tân Trụ",
    "Thạnh Hóa",
    "Thủ Thừa",
    "Vĩnh Hưng",
]
ROW = re.compile(
    r"<tr>\s*<td[^>]*>(?P<name>[^<]+) <small>\((?P<code>[^)]+)\)</small></td>\s*<td[^>]*>(?P<year>\d+)</td>"
    r"\s*<td class=\"num\">(?P<count>\d+)</td>\s*<td[^>]*>(?P<when>[^<]+)</td>\s*<td[^>]*>(?P<action>.*?)</td>\s*</tr>",
    re.S,
)


@pytest.fixture
def waiting(demo_seeded):
    """The 24 districts' 2023 and 2024 (Long An's and the former Tây Ninh's) and the new Tây Ninh's 96
    communes' 2025 waiting for review: 144 unit-years on 3 pages, each with 1-3 figures, sent at times
    that follow neither the codes nor the names. Demo figures are marked as submitted in bulk: the
    queue only reads status and time."""
    base = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    values = IndicatorValue.objects.filter(
        indicator__code__in=["sipas", "ho-so-so-hoa", "ho-so-truc-tuyen"],
        year__in=[2023, 2024, 2025],
    ).filter(unit__level__in=["district", "commune"])
    keys = sorted(set(values.values_list("unit_id", "year")))
    assert len(keys) > 2 * PER_PAGE
    for i, (unit_id, year) in enumerate(keys):
        mine = values.filter(unit_id=unit_id, year=year).order_by("indicator__code")
        ids = list(mine.values_list("pk", flat=True))[: 1 + i % 3]
        sent = base + timedelta(minutes=(i * 37) % len(keys))
        IndicatorValue.objects.filter(pk__in=ids).update(status=IndicatorValue.Status.SUBMITTED, updated_at=sent)
    return len(keys)


def rows(response) -> list[dict]:
    assert response.status_code == 200, response.content[:300]
    html = response.content.decode()
    tbody = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    found = [m.groupdict() for m in ROW.finditer(tbody)]
    assert len(found) == tbody.count("<tr>"), "a row the pattern did not read"
    return found


def all_rows(client, **params) -> list[dict]:
    """Every row of the queue, page after page, as the pager's links lead."""
    found, page = [], 1
    while True:
        response = client.get(QUEUE, {**params, "page": page})
        found += rows(response)
        if 'rel="next"' not in response.content.decode():
            return found
        page += 1


def truth() -> dict[tuple[str, int], dict]:
    """What the database says is waiting, by (code, year)."""
    out = {}
    for value in IndicatorValue.objects.filter(status=IndicatorValue.Status.SUBMITTED).select_related("unit"):
        row = out.setdefault((value.unit.code, value.year), {"name": value.unit.name, "count": 0, "last": None})
        row["count"] += 1
        row["last"] = max(filter(None, [row["last"], value.updated_at]))
    return out


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_the_queue_lists_every_waiting_unit_year_once_oldest_first_50_a_page(waiting, staff_client):
    first = staff_client.get(QUEUE)
    assert len(rows(first)) == PER_PAGE
    listed = all_rows(staff_client)
    db = truth()
    assert len(listed) == len(db) == waiting
    assert {(r["code"], int(r["year"])): int(r["count"]) for r in listed} == {k: v["count"] for k, v in db.items()}
    # The default order is the oldest waiting first, as it always was.
    assert [(r["code"], int(r["year"])) for r in listed] == sorted(db, key=lambda k: (db[k]["last"], k))
    # Every row links to its unit-year's review page.
    for r in listed:
        assert f'href="/review/{r["code"]}/{r["year"]}/"' in r["action"]
    html = first.content.decode()
    assert 'aria-sort="ascending"' in html and html.count("aria-sort=") == 1
    assert f"Trang 1/{-(-waiting // PER_PAGE)}: dòng 1–50 trong {waiting}." in html
    assert 'aria-current="page">1<' in html


def test_sorting_by_unit_follows_the_vietnamese_alphabet_without_type_words(waiting, staff_client):
    listed = all_rows(staff_client, sort="unit")
    # Long An's districts are 794-808; the former Tây Ninh's (a second Châu Thành among them) are not.
    long_an = [
        r["name"].split(" ", 1 + r["name"].startswith(("Thị xã", "Thành phố")))[-1]
        for r in listed
        if r["year"] == "2024" and 794 <= int(r["code"]) <= 808
    ]
    assert long_an == LONG_AN
    # D before Đ, as the alphabet has it (folding the marks away would put Đức before Dương).
    names_2024 = [r["name"] for r in listed if r["year"] == "2024"]
    assert names_2024.index("Huyện Dương Minh Châu") < names_2024.index("Huyện Đức Hòa")
    # A unit's years stay together, earliest first; descending reverses the whole list.
    names = [r["name"] for r in listed]
    assert all(names.index(n) + names.count(n) - 1 == len(names) - 1 - names[::-1].index(n) for n in set(names))
    backwards = all_rows(staff_client, sort="-unit")
    assert [(r["code"], r["year"]) for r in backwards] == [(r["code"], r["year"]) for r in reversed(listed)]


def test_sorting_by_year_count_and_time_both_ways(waiting, staff_client):
    db = truth()
    by_year = [int(r["year"]) for r in all_rows(staff_client, sort="year")]
    assert by_year == sorted(by_year) and by_year[0] == 2023 and by_year[-1] == 2025
    assert [int(r["year"]) for r in all_rows(staff_client, sort="-year")] == sorted(by_year, reverse=True)

    most = all_rows(staff_client, sort="-count")
    counts = [int(r["count"]) for r in most]
    assert counts == sorted(counts, reverse=True) and counts[0] == 3 and counts[-1] == 1
    assert [int(r["count"]) for r in all_rows(staff_client, sort="count")] == sorted(counts)

    newest = all_rows(staff_client, sort="-last_change")
    times = [db[(r["code"], int(r["year"]))]["last"] for r in newest]
    assert times == sorted(times, reverse=True)
    # The header of the sorted column says so, and its link offers the other direction.
    html = staff_client.get(QUEUE, {"sort": "-count"}).content.decode()
    assert re.search(
        r'<th scope="col" class="[^"]*\bdesc\b[^"]*" aria-sort="descending"><a href="\?sort=count">Số liệu chờ</a>',
        html,
    )


def test_pages_and_sorting_go_together(waiting, staff_client):
    second = staff_client.get(QUEUE, {"sort": "-count", "page": 2})
    html = second.content.decode()
    assert 'aria-current="page">2<' in html
    # The pager keeps the sort; a new sort starts again at page 1.
    assert 'href="?sort=-count&amp;page=3"' in html and 'href="?sort=-count&amp;page=1"' in html
    assert 'href="?sort=-year"' in staff_client.get(QUEUE, {"sort": "year", "page": 2}).content.decode()
    page_one = rows(staff_client.get(QUEUE, {"sort": "-count"}))
    page_two = rows(second)
    assert not {(r["code"], r["year"]) for r in page_one} & {(r["code"], r["year"]) for r in page_two}
    assert int(page_one[-1]["count"]) >= int(page_two[0]["count"])


@pytest.mark.parametrize(
    ("params", "page"),
    [
        ({"page": "999"}, "last"),  # a page that existed before staff approved: the last one
        ({"page": "0"}, 1),
        ({"page": "-3"}, 1),
        ({"page": "abc"}, 1),
        ({"page": ""}, 1),
        ({"page": "1e9"}, 1),
        ({"per_page": "0"}, 1),  # not offered: the queue stays 50 a page
        ({"per_page": "100000"}, 1),
        ({"sort": "nope"}, 1),
        ({"sort": "action"}, 1),  # the link column does not sort
        ({"sort": ""}, 1),
        ({"sort": "--year"}, 1),
        ({"sort": ["year", "x", "-count"]}, 1),
    ],
)
def test_a_hand_made_query_string_never_breaks_the_queue(waiting, staff_client, params, page):
    response = staff_client.get(QUEUE, params)
    assert response.status_code == 200
    pages = -(-waiting // PER_PAGE)
    number = pages if page == "last" else page
    assert f'aria-current="page">{number}<' in response.content.decode()
    assert 0 < len(rows(response)) <= PER_PAGE


def test_an_unknown_sort_keeps_the_oldest_first(waiting, staff_client):
    assert rows(staff_client.get(QUEUE, {"sort": "nope"})) == rows(staff_client.get(QUEUE))


def test_headers_and_pager_in_vietnamese_and_english(waiting, staff_client):
    vi = staff_client.get(QUEUE).content.decode()
    for text in ("Đơn vị</a>", "Năm</a>", "Số liệu chờ</a>", "Gửi lúc</a>", ">Thẩm định</a>", "Trang sau</a>"):
        assert text in vi
    staff_client.cookies["django_language"] = "en"
    en = staff_client.get(QUEUE, {"page": 2}).content.decode()
    assert '<html lang="en"' in en
    for text in ("Unit</a>", "Year</a>", "Pending figures</a>", "Submitted at</a>", ">Review</a>", "Next page</a>"):
        assert text in en
    assert "Previous page</a>" in en and f"Page 2/{-(-waiting // PER_PAGE)}: rows 51–100 of {waiting}." in en
    assert "Số liệu chờ" not in en and "Trang sau" not in en
    # Years stay plain digits in English too (2025, not "2,025"); the oldest, sent at 08:00 UTC, is
    # shown in the province's time (UTC+7) in each language's format.
    assert {r["year"] for r in rows(staff_client.get(QUEUE, {"page": 2}))} <= {"2023", "2024", "2025"}
    assert rows(staff_client.get(QUEUE))[0]["when"] == "02/03/2026 15:00"
    staff_client.cookies["django_language"] = "vi"
    assert rows(staff_client.get(QUEUE))[0]["when"] == "15:00 02/03/2026"


def test_an_empty_queue_says_so_without_a_pager(seeded, staff_client):
    html = staff_client.get(QUEUE, {"page": 4, "sort": "-count"}).content.decode()
    assert "Không có số liệu nào chờ thẩm định." in html
    assert 'class="pager"' not in html


def test_only_provincial_staff_see_the_queue(waiting, client, admin_a, commune_admin):
    for user in (admin_a, commune_admin):
        client.force_login(user)
        for params in ({}, {"sort": "-count", "page": 2}):
            response = client.get(QUEUE, params)
            assert response.status_code == 403
            assert "Tân Trụ" not in response.content.decode()
    client.logout()
    response = client.get(QUEUE, {"sort": "year", "page": 2})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login")) and "next=/review/" in response.url


def test_the_queue_takes_as_many_queries_for_any_page_and_sort(waiting, staff_client, django_assert_max_num_queries):
    # session, user, groups, the queue (one grouped query), two for the navigation's permissions:
    # the same for ~130 unit-years over three years as the review tests pin for four.
    for params in ({}, {"sort": "unit", "page": 3}, {"sort": "-count", "page": 999}):
        with django_assert_max_num_queries(6):
            response = staff_client.get(QUEUE, params)
        assert len(rows(response)) > 0
