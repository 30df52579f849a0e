"""Every POST of the entry, review and import pages is refused without a CSRF token, and writes nothing."""

import pytest
from django.test import Client
from django.urls import reverse
from simple_history.utils import get_history_model_for_model

from indicators.models import IndicatorValue, ValueImport
from tests.test_permission_matrix import MATRIX, url_for, url_names

# Every URL that accepts a POST from someone (the superuser may use them all).
POST_URLS = [n for n in url_names() if MATRIX[n]["POST"]["superuser"] != 405]


def _state():
    history = get_history_model_for_model(IndicatorValue)
    return (
        IndicatorValue.objects.count(),
        history.objects.count(),
        ValueImport.objects.count(),
        ValueImport.objects.filter(applied_at__isnull=False).count(),
    )


def test_every_post_url_is_covered():
    assert set(POST_URLS) == {"entry:form", "entry:import", "entry:import-confirm", "review:unit-year"}


@pytest.mark.parametrize("name", POST_URLS)
def test_post_without_csrf_token_is_refused_and_writes_nothing(name, users, matrix_objects):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["superuser"])
    url = url_for(name, matrix_objects)
    before = _state()
    payload = {"sipas__value": "90", "action": "submit", "decision": "approve:all"}
    response = client.post(url, payload)
    assert response.status_code == 403
    assert _state() == before


def test_post_with_the_csrf_token_goes_through(users, matrix_objects):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["admin_a"])
    url = reverse("entry:form", args=["805", 2024])
    client.get(url)
    token = client.cookies["csrftoken"].value
    response = client.post(url, {"csrfmiddlewaretoken": token, "sipas__value": "90", "sipas__version": "0"})
    assert response.status_code == 302
    assert IndicatorValue.objects.get(unit__code="805", year=2024, indicator__code="sipas").status == "draft"
