"""Targets: provincial staff (and superusers) create, edit and delete them; everyone else is refused."""

from decimal import Decimal

import pytest

from indicators.models import Target
from tests.factories import make_user


def target_data(**changes):
    from indicators.models import Indicator, Source

    data = {
        "indicator": Indicator.objects.get(code="ho-so-so-hoa").pk,
        "unit": "",
        "year": 2024,
        "value": "60",
        "source": Source.objects.get(code="ctr-3288-ubnd-2021").pk,
        "note": "Mục tiêu thử của tỉnh",
    }
    data.update(changes)
    return data


def test_provincial_staff_create_edit_and_delete_a_target(staff, client):
    client.force_login(staff)
    assert client.get("/targets/").status_code == 200
    response = client.post("/targets/new/", target_data())
    assert response.status_code == 302
    target = Target.objects.get(indicator__code="ho-so-so-hoa", year=2024)
    assert target.unit is None and target.value == 60
    assert client.post(f"/targets/{target.pk}/", target_data(value="65")).status_code == 302
    target.refresh_from_db()
    assert target.value == 65
    assert client.post(f"/targets/{target.pk}/delete/").status_code == 302
    assert not Target.objects.filter(pk=target.pk).exists()


def test_a_target_out_of_the_indicators_bounds_or_a_duplicate_is_refused(staff, client):
    client.force_login(staff)
    assert client.post("/targets/new/", target_data(value="150")).status_code == 400
    duplicate = target_data(indicator=Target.objects.get(indicator__code="thanh-toan-truc-tuyen").indicator_id)
    duplicate["year"] = 2025
    assert client.post("/targets/new/", duplicate).status_code == 400
    assert Target.objects.count() == 2


def test_superuser_may_manage_targets(superuser, client):
    client.force_login(superuser)
    assert client.get("/targets/new/").status_code == 200


@pytest.mark.parametrize("url", ["/targets/", "/targets/new/", "/targets/{pk}/", "/targets/{pk}/delete/"])
def test_other_users_get_403_and_anonymous_visitors_the_login_page(seeded, client, url):
    url = url.format(pk=Target.objects.first().pk)
    assert client.get(url).status_code == 302
    assert client.post(url, target_data()).status_code == 302
    client.force_login(make_user("someone"))
    assert client.get(url).status_code == 403
    assert client.post(url, target_data()).status_code == 403
    assert Target.objects.count() == 2


def test_unknown_target_is_404(staff, client):
    client.force_login(staff)
    assert client.get("/targets/999999/").status_code == 404


def test_a_target_is_typed_with_a_vietnamese_decimal_comma(staff, client):
    client.force_login(staff)
    assert client.post("/targets/new/", target_data(value="60,5")).status_code == 302
    assert Target.objects.get(indicator__code="ho-so-so-hoa", year=2024).value == Decimal("60.5")
