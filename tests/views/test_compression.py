"""Public pages go out compressed; nothing holding a secret does (BREACH)."""

import gzip

import pytest
from django.urls import reverse

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/indicators/ho-so-truc-tuyen/", "/api/values.json?indicator=ho-so-truc-tuyen"])
def test_a_public_page_is_gzipped_for_an_anonymous_visitor(client, seeded, url):
    response = client.get(url, **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(gzip.decompress(body)) > len(body)


def test_a_page_is_not_compressed_for_a_browser_that_does_not_ask(client, seeded):
    assert not client.get("/").has_header("Content-Encoding")


def test_a_signed_in_page_is_not_compressed(admin_a, client):
    client.force_login(admin_a)
    response = client.get(reverse("entry:list"), **GZIP)
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
    assert not client.get("/", **GZIP).has_header("Content-Encoding")  # a public page, but for a signed-in user


def test_a_page_with_a_csrf_token_is_not_compressed_even_anonymously(client, seeded):
    response = client.get(reverse("login"), **GZIP)
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content
    assert not response.has_header("Content-Encoding")
