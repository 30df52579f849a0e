"""Staged uploads: the stored preview, their lifetime (expiry, the per-user cap, `purge_imports`), and
re-importing an unchanged file."""

import io
from datetime import UTC, datetime, timedelta
from unittest import mock

import time_machine
from django.core.management import call_command
from django.test import Client, override_settings

from indicators import imports
from indicators.models import IndicatorValue, ValueImport
from tests.factories import submit, upload
from tests.views.test_import_hostile import GOOD_ROWS, HEADER

# --- the stored preview ----------------------------------------------------------------------------


def test_the_preview_is_checked_again_when_the_data_has_changed(client_a, admin_a, django_capture_on_commit_callbacks):
    response = upload(client_a, (HEADER + GOOD_ROWS).encode(), "so-lieu.csv")
    with mock.patch.object(imports, "read_table", side_effect=AssertionError("read again")) as read:
        for _ in range(3):
            preview = client_a.get(response["Location"])
            assert preview.status_code == 200
            assert "3 số liệu hợp lệ" in preview.content.decode()
    assert read.call_count == 0
    with django_capture_on_commit_callbacks(execute=True):  # the data version moves on commit
        submit(admin_a, "805", 2024, {"sipas": 80})
    html = client_a.get(response["Location"]).content.decode()
    assert "bị khóa" in html
    # And in the viewer's language: the stored result was in Vietnamese.
    client_a.cookies["django_language"] = "en"
    assert "is therefore locked" in client_a.get(response["Location"]).content.decode()


# --- staged uploads expire and are capped per user -------------------------------------------------

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def test_unconfirmed_uploads_expire_and_are_deleted_when_a_new_one_is_staged(client_a, admin_b):
    with time_machine.travel(T0, tick=False):
        old = upload(client_a, (HEADER + GOOD_ROWS).encode(), "cu.csv")
    with time_machine.travel(T0 + timedelta(hours=23), tick=False):
        assert client_a.get(old["Location"]).status_code == 200
    with time_machine.travel(T0 + timedelta(hours=25), tick=False):
        expired = client_a.get(old["Location"])
        assert expired.status_code == 410
        assert "đã hết hạn" in expired.content.decode()
        # Someone else's upload clears every expired one on the way.
        other = Client()
        other.force_login(admin_b)
        upload(other, (HEADER + "807,sipas,2024,80,,,,\n").encode(), "moi.csv")
    assert list(ValueImport.objects.values_list("filename", flat=True)) == ["moi.csv"]


def test_purge_imports_deletes_only_expired_unconfirmed_uploads(client_a):
    with time_machine.travel(T0, tick=False):
        applied = upload(client_a, (HEADER + GOOD_ROWS).encode(), "da-nhap.csv")
        assert client_a.post(applied["Location"] + "confirm/").status_code == 302
        upload(client_a, (HEADER + GOOD_ROWS).encode(), "cu.csv")
    with time_machine.travel(T0 + timedelta(hours=30), tick=False):
        upload(client_a, (HEADER + GOOD_ROWS).encode(), "moi.csv")  # clears "cu.csv" on the way
        out = io.StringIO()
        call_command("purge_imports", "--language", "en", stdout=out)
    assert out.getvalue().strip() == "Deleted 0 unconfirmed uploads older than 24 hours."
    with time_machine.travel(T0 + timedelta(hours=55), tick=False):
        out = io.StringIO()
        call_command("purge_imports", "--language", "en", stdout=out)
    assert out.getvalue().strip() == "Deleted 1 unconfirmed upload older than 24 hours."
    assert sorted(ValueImport.objects.values_list("filename", flat=True)) == ["da-nhap.csv"]


@override_settings(IMPORT_MAX_STAGED_PER_USER=3)
def test_a_user_keeps_at_most_the_newest_unconfirmed_uploads(client_a, admin_b):
    other = Client()
    other.force_login(admin_b)
    upload(other, (HEADER + "807,sipas,2024,80,,,,\n").encode(), "cua-b.csv")
    locations = []
    for number in range(5):
        with time_machine.travel(T0 + timedelta(minutes=number), tick=False):
            response = upload(client_a, (HEADER + GOOD_ROWS).encode(), f"tep-{number}.csv")
            assert response.status_code == 302
            locations.append(response["Location"])
    mine = ValueImport.objects.filter(user__username="tantru").order_by("created_at")
    assert list(mine.values_list("filename", flat=True)) == ["tep-2.csv", "tep-3.csv", "tep-4.csv"]
    assert ValueImport.objects.filter(user=admin_b).count() == 1
    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        assert client_a.get(locations[0]).status_code == 404
        assert client_a.get(locations[-1]).status_code == 200


# --- re-importing an unchanged file changes nothing -----------------------------------------------


def test_reimporting_an_identical_file_on_the_upload_page_writes_nothing(client_a):
    content = (HEADER + GOOD_ROWS).encode()
    first = upload(client_a, content, "so-lieu.csv")
    done = client_a.post(first["Location"] + "confirm/", follow=True)
    assert "3 số liệu mới, 0 số liệu được cập nhật, 0 số liệu không đổi" in done.content.decode()
    history, versions = IndicatorValue.history.count(), list(IndicatorValue.objects.values_list("pk", "version"))
    again = upload(client_a, content, "so-lieu.csv")
    client_a.cookies["django_language"] = "en"
    done = client_a.post(again["Location"] + "confirm/", follow=True)
    assert "0 figures created, 0 figures updated, 3 figures unchanged" in done.content.decode()
    assert IndicatorValue.history.count() == history
    assert list(IndicatorValue.objects.values_list("pk", "version")) == versions


def test_reimporting_an_identical_file_with_import_values_reports_nothing_updated(seeded, tmp_path):
    path = tmp_path / "so-lieu.csv"
    path.write_text(HEADER + GOOD_ROWS, encoding="utf-8")
    call_command("import_values", str(path), stdout=io.StringIO())
    history = IndicatorValue.history.count()
    out = io.StringIO()
    call_command("import_values", str(path), "--language", "en", stdout=out)
    assert "0 figures created, 0 figures updated, 3 figures unchanged (Draft)" in out.getvalue()
    assert IndicatorValue.history.count() == history
    # One changed row is one update, with its history row; the other two stay as they were.
    path.write_text(HEADER + GOOD_ROWS.replace("2023,80", "2023,81"), encoding="utf-8")
    out = io.StringIO()
    call_command("import_values", str(path), stdout=out)
    assert "0 số liệu mới, 1 số liệu được cập nhật, 2 số liệu không đổi (Nháp)" in out.getvalue()
    assert IndicatorValue.history.count() == history + 1


def test_import_values_speaks_vietnamese_by_default_with_plurals_in_english(seeded, tmp_path):
    path = tmp_path / "so-lieu.csv"
    path.write_text(HEADER + "805,sipas,2024,80,,,,\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import_values", str(path), "--dry-run", stdout=out)
    assert "Đã đọc 1 dòng từ so-lieu.csv" in out.getvalue()
    assert "chạy thử: không ghi gì" in out.getvalue()
    out = io.StringIO()
    call_command("import_values", str(path), "--dry-run", "--language", "en", stdout=out)
    assert "1 row read from so-lieu.csv" in out.getvalue()
    assert "1 valid figure, 0 empty rows skipped, 0 warnings" in out.getvalue()
