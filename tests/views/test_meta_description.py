"""Issue 14: every page has a meta description in the page's language; the main pages say what they
hold (the indicator's and the unit's names among it), not the site-wide default."""

import html
import re

import pytest

DESCRIPTION = re.compile(r'<meta name="description" content="([^"]*)">')
MAIN_PAGES = {
    "home": "/",
    "indicator": "/indicators/ho-so-truc-tuyen/",
    "unit": "/units/807/",
    "compare": "/compare/?units=807,805&indicators=ho-so-truc-tuyen",
    "scorecard": "/scorecard/",
    "index": "/index/",
    "index (district)": "/index/805/",
}


def description(client, path: str, language: str) -> str:
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200, path
    found = DESCRIPTION.findall(response.content.decode())
    assert len(found) == 1, f"{path}: {len(found)} meta descriptions"
    return html.unescape(found[0])


@pytest.mark.django_db
def test_each_main_page_describes_itself_in_the_pages_language(client, demo_seeded):
    default = {lang: description(client, "/sources/", lang) for lang in ("vi", "en")}
    assert "Số liệu cải cách hành chính" in default["vi"]
    assert "Administrative reform figures" in default["en"]
    seen = {}
    for name, path in MAIN_PAGES.items():
        vi, en = description(client, path, "vi"), description(client, path, "en")
        assert vi and en and vi != en, name
        assert vi != default["vi"] and en != default["en"], f"{name} uses the site-wide default"
        seen[name] = (vi, en)
    assert len({vi for vi, _ in seen.values()}) == len(MAIN_PAGES)  # no two pages say the same
    assert seen["indicator"][0].startswith("Tỷ lệ hồ sơ trực tuyến:")
    assert seen["unit"][0].startswith("Huyện Cần Giuộc:")
    assert not re.search(r"[ạảãấầẩẫậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", seen["scorecard"][1])
