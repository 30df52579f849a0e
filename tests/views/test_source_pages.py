"""The sources' pages. English ones named the demo source in Vietnamese ("Dữ liệu minh họa (giả lập) —
không phải số liệu chính thức"), as did the unit report's list of sources and the indicator table's
downloads (issue 14, item 4); a published article keeps the title it was published under, on English
pages too. And the demo source's page listed 500 of its thousands of figures without saying so."""

import html
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from indicators.domain.formatting import format_number
from indicators.models import IndicatorValue, Source
from indicators.selectors.sources import SOURCE_FIGURES_SHOWN
from indicators.services import demo as demo_services
from tests.views.test_exports import body

pytestmark = pytest.mark.django_db

TITLE_VI = "Dữ liệu minh họa (giả lập) — không phải số liệu chính thức"
TITLE_EN = "Demo data (synthetic) — not official figures"
PUBLISHER_EN = "CCHC dashboard (made by the demo_data command)"


def page(client, url: str, language: str) -> str:
    client.get(reverse("switch-language", args=[language]), {"next": "/"})
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(body(response).decode("utf-8-sig"))  # a CSV download starts with a BOM


@pytest.mark.parametrize(
    "url",
    [f"/sources/{demo_services.DEMO_SOURCE_CODE}/", "/units/807/report/", "/indicators/ho-so-truc-tuyen/?_export=csv"],
)
def test_english_pages_and_downloads_name_the_demo_source_in_english(client, demo_seeded, url):
    english = page(client, url, "en")
    assert TITLE_EN in english
    assert TITLE_VI not in english
    vietnamese = page(client, url, "vi")
    assert TITLE_VI in vietnamese
    assert TITLE_EN not in vietnamese


def test_the_demo_sources_page_gives_its_publisher_in_the_pages_language(client, demo_seeded):
    url = f"/sources/{demo_services.DEMO_SOURCE_CODE}/"
    assert PUBLISHER_EN in page(client, url, "en")
    assert demo_services.DEMO_SOURCE_PUBLISHER in page(client, url, "vi")


def test_a_published_article_keeps_its_title_on_english_pages(client, seeded):
    article = Source.objects.filter(kind=Source.Kind.NEWS_ARTICLE).first()
    assert article.title_en == ""
    english = page(client, f"/sources/{article.code}/", "en")
    assert f"<h1>{article.title}</h1>" in english


def test_the_migration_gives_the_stored_demo_source_its_english_and_keeps_an_edited_title(demo_seeded):
    demo = Source.objects.filter(code=demo_services.DEMO_SOURCE_CODE)
    demo.update(title_en="", publisher_en="", publisher="Sở Nội vụ")
    migration = importlib.import_module("indicators.migrations.0010_source_title_en")

    migration.english_demo_source(apps, None)

    source = demo.get()
    assert (source.title, source.title_en) == (TITLE_VI, TITLE_EN)
    assert source.publisher_en == "", "an edited publisher gets no English of another text"
    assert migration.DEMO_SOURCE_TITLE_EN == demo_services.DEMO_SOURCE_TITLE_EN


def test_the_demo_sources_page_lists_its_first_figures_and_says_how_many_there_are(
    client, demo_seeded, django_assert_max_num_queries
):
    """The demo source cites every demo figure (thousands): its page lists the first 200 by unit code,
    not a 79,000 px table on a phone, and says where all of them are."""
    total = IndicatorValue.objects.published().filter(source__code=demo_services.DEMO_SOURCE_CODE).count()
    assert total > SOURCE_FIGURES_SHOWN
    url = f"/sources/{demo_services.DEMO_SOURCE_CODE}/"
    client.get(reverse("switch-language", args=["vi"]), {"next": "/"})
    with django_assert_max_num_queries(5):  # data version, the source, its first figures, their count, reused codes
        response = client.get(url)
    text = html.unescape(response.content.decode())
    assert text.count("</tr>") == SOURCE_FIGURES_SHOWN + 1  # the header row and the figures
    assert f"Trang này liệt kê 200 trên {format_number(total)} số liệu" in text
    assert 'href="/open-data/">dữ liệu mở</a>' in text
    english = page(client, url, "en")
    assert f"This page lists 200 of the {total:,} figures taken from this source" in english


def test_an_articles_page_lists_all_its_figures_with_no_count_notice(client, seeded):
    article = Source.objects.get(code="bao-long-an-mot-cua-2024")
    cited = IndicatorValue.objects.published().filter(source=article).count()
    text = page(client, f"/sources/{article.code}/", "vi")
    assert 0 < cited < SOURCE_FIGURES_SHOWN
    assert text.count("</tr>") == cited + 1
    assert "Trang này liệt kê" not in text
