"""Public pages: approved figures only, escaped, with a pinned number of queries."""

from django.urls import reverse

from indicators.models import AdministrativeUnit, IndicatorValue


def test_home_lists_the_units_and_the_article_figures_with_qualifiers(
    demo_seeded, client, django_assert_max_num_queries
):
    # One query for the units, one for the quoted figures with their indicator, unit and source.
    with django_assert_max_num_queries(2):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Huyện Cần Giuộc" in html
    assert "gần 95%" in html
    assert "hơn 31%" in html
    assert "hồ sơ trực tuyến của huyện đạt gần 95%" in html


def test_home_never_shows_a_draft_figure(seeded, client):
    IndicatorValue.objects.filter(indicator__code="thanh-toan-truc-tuyen").update(status="draft")
    html = client.get(reverse("home")).content.decode()
    assert "thanh toán trực tuyến đạt hơn 31%" not in html


def test_home_escapes_a_hostile_unit_name(seeded, client):
    AdministrativeUnit.objects.filter(code="807").update(name="</script><img src=x onerror=alert(1)>")
    html = client.get(reverse("home")).content.decode()
    assert "<img src=x onerror=alert(1)>" not in html
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
