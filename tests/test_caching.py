"""Public pages are cached per data version: never stale, 304 on a revisit, one query when cached."""

import contextlib
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.test import Client

from cchc_dashboard.env import cache_from_url
from indicators.models import DataVersion, IndicatorValue

PAGE = "/indicators/ho-so-truc-tuyen/?units=805"


def test_a_cached_page_costs_one_query(demo_seeded, client, django_assert_num_queries):
    client.get(PAGE)
    with django_assert_num_queries(1):  # the data version; the page itself comes from the cache
        response = client.get(PAGE)
    assert response.status_code == 200
    assert "Huyện Tân Trụ" in response.content.decode()


def test_an_unchanged_page_answers_304_to_a_revisit(demo_seeded, client):
    first = client.get(PAGE)
    again = client.get(PAGE, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304
    assert client.get(PAGE, headers={"if-modified-since": first["Last-Modified"]}).status_code == 304


@pytest.mark.django_db(transaction=True)
def test_an_approval_shows_at_once_on_a_cached_page(client):
    first = client.get(PAGE)
    value = IndicatorValue.objects.get(indicator__code="ho-so-truc-tuyen", unit__code="805", year=2024)
    value.status = IndicatorValue.Status.DRAFT
    value.value = Decimal("77.7")
    value.save()
    assert "77,7" not in client.get(PAGE).content.decode()
    with transaction.atomic():
        value.status = IndicatorValue.Status.APPROVED
        value.save()
    response = client.get(PAGE, headers={"if-none-match": first["ETag"]})
    assert response.status_code == 200
    assert "77,7" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_version_is_bumped_once_per_transaction_and_only_on_commit():
    before = DataVersion.objects.get(pk=1).version
    values = list(IndicatorValue.objects.all()[:3])
    with transaction.atomic():
        for value in values:
            value.note = "sửa"
            value.save()
        assert DataVersion.objects.get(pk=1).version == before
    assert DataVersion.objects.get(pk=1).version == before + 1


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_bumps_nothing_and_a_savepoint_loses_only_its_own_bump():
    from indicators.caching import current_data_version, data_changed

    def version():
        return current_data_version()[0]

    start = version()
    with contextlib.suppress(RuntimeError), transaction.atomic():
        data_changed()
        raise RuntimeError
    assert version() == start
    with transaction.atomic():  # the bump queued before the savepoint survives its rollback
        data_changed()
        with contextlib.suppress(RuntimeError), transaction.atomic():
            data_changed()
            raise RuntimeError
    assert version() == start + 1
    with transaction.atomic():  # a change after a rolled-back savepoint queues the bump again
        with contextlib.suppress(RuntimeError), transaction.atomic():
            data_changed()
            raise RuntimeError
        data_changed()
        data_changed()
    assert version() == start + 2
    data_changed()  # outside a transaction: at once
    assert version() == start + 3


def test_a_logged_in_user_is_never_served_someone_elses_cached_page(demo_seeded, client):
    user = get_user_model().objects.create_user("can-bo-so", password="mat-khau-rat-dai-123")
    client.force_login(user)
    assert "can-bo-so" in client.get(PAGE).content.decode()
    client.logout()
    assert "can-bo-so" not in client.get(PAGE).content.decode()


def test_cache_url_chooses_the_backend():
    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    redis = cache_from_url("redis://cache:6379/1")
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://cache:6379/1"
    # A cache host that stops answering must not hold every request for the OS's TCP timeout.
    assert redis["OPTIONS"]["socket_connect_timeout"] <= 1 and redis["OPTIONS"]["socket_timeout"] <= 1
    # Only backends whose client is installed (and tested against a real server) are accepted.
    for url in ("ftp://nope", "memcached://cache:11211"):
        with pytest.raises(ImproperlyConfigured, match="redis://"):
            cache_from_url(url)


@pytest.mark.django_db(transaction=True)
def test_an_edited_event_or_deadline_shows_at_once_and_a_new_day_is_a_new_page(client, monkeypatch):
    from datetime import date

    from django.utils import timezone

    from indicators.models import Event, ReportingDeadline

    event = Event.objects.get(date=date(2021, 7, 15))
    event.title = "Sự kiện đã sửa"
    event.save()
    assert "Sự kiện đã sửa" in client.get("/units/807/").content.decode()
    deadline = ReportingDeadline.objects.first()
    deadline.note = "sửa"
    before = client.get("/units/807/")["ETag"]
    deadline.save()
    assert client.get("/units/807/")["ETag"] != before
    # Overdue lists, freshness and the citation's date depend on the day: tomorrow is another page.
    today = client.get("/units/807/")["ETag"]
    assert client.get("/units/807/", headers={"if-none-match": today}).status_code == 304
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2099, 1, 1))
    assert client.get("/units/807/", headers={"if-none-match": today}).status_code == 200


# --- Every public page is cached; nothing one visitor may see is stored for the others ----------
INDEX_PAGES = ["/index/?year=2023", "/index/805/?year=2023"]


@pytest.fixture
def pinned_clock():
    """Page keys carry today's date: two requests must not straddle midnight."""
    import time_machine

    with time_machine.travel(datetime(2026, 6, 15, 9, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")), tick=False):
        yield


@pytest.mark.parametrize("url", INDEX_PAGES)
def test_the_index_pages_are_cached_and_answer_304_to_a_revisit(
    demo_seeded, pinned_clock, client, url, django_assert_num_queries
):
    first = client.get(url)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the data version; the page comes from the cache
        again = client.get(url)
    assert again.content == first.content
    assert client.get(url, headers={"if-none-match": first["ETag"]}).status_code == 304
    assert "public" in first["Cache-Control"]


def test_a_flash_message_left_at_logout_is_never_shown_to_the_next_visitor(admin_a, pinned_clock, client):
    from tests.factories import PASSWORD

    assert client.post("/accounts/login/", {"username": "tantru", "password": PASSWORD}).status_code == 302
    saved = client.post("/entry/805/2024/", {"sipas__value": "90"})  # Tân Trụ is A's district
    assert saved.status_code == 302
    # The admin logs out without opening the page that would have shown "saved".
    assert client.post("/accounts/logout/").status_code == 302
    own = client.get("/")
    assert "Đã lưu nháp" in own.content.decode()  # their own message, on their own page
    assert "no-store" in own["Cache-Control"]
    for _ in range(2):
        assert "Đã lưu nháp" not in Client().get("/").content.decode()


def test_a_page_that_sets_a_cookie_is_not_stored_for_others(seeded, pinned_clock, rf, settings):
    from django.http import HttpResponse

    from indicators.caching import public_page

    served = []

    @public_page
    def view(request):
        served.append(request)
        response = HttpResponse(f"for visitor {len(served)}")
        response.set_cookie("visitor", str(len(served)))
        return response

    def anonymous_get():
        from django.contrib.auth.models import AnonymousUser

        request = rf.get("/a-page/")
        request.user = AnonymousUser()
        return view(request)

    first = anonymous_get()
    assert "no-store" in first["Cache-Control"]
    assert anonymous_get().content == b"for visitor 2"
