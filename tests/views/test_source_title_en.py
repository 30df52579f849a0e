"""The demo source's title and publisher in the page's language (issue 14, item 4): English pages said
"Dữ liệu minh họa (giả lập) — không phải số liệu chính thức" on the source's page, in the unit report's
list of sources and in the indicator table's downloads. A published article keeps the title it was
published under, on English pages too."""

import html
import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from indicators.models import Source
from indicators.services import demo as demo_services

pytestmark = pytest.mark.django_db

TITLE_VI = "Dữ liệu minh họa (giả lập) — không phải số liệu chính thức"
TITLE_EN = "Demo data (synthetic) — not official figures"
PUBLISHER_EN = "CCHC dashboard (made by the demo_data command)"


def page(client, url: str, language: str) -> str:
    client.get(reverse("switch-language", args=[language]), {"next": "/"})
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return html.unescape(body.decode("utf-8-sig"))


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
