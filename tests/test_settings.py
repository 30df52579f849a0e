"""Settings come from the environment and refuse to start on a dangerous or malformed value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from cchc_dashboard.env import env_bool, env_int

ROOT = Path(__file__).resolve().parents[1]


def start_django(**env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "cchc_dashboard.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_refuse_to_start_with_debug_off_and_no_secret_key():
    result = start_django()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_settings_start_with_a_secret_key_and_debug_is_off_by_default():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "cchc_dashboard.settings",
            "DJANGO_SECRET_KEY": "x" * 50,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_settings_refuse_a_malformed_debug_flag():
    result = start_django(DJANGO_DEBUG="perhaps")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be one of" in result.stderr


def test_env_readers(monkeypatch):
    monkeypatch.setenv("X_FLAG", "yes")
    monkeypatch.setenv("X_NUMBER", "12")
    assert env_bool("X_FLAG") is True
    assert env_int("X_NUMBER", 3) == 12
    assert env_int("X_MISSING", 3) == 3
    monkeypatch.setenv("X_NUMBER", "twelve")
    with pytest.raises(ImproperlyConfigured):
        env_int("X_NUMBER", 3)


def test_vietnamese_is_the_default_language_with_grouped_numbers(settings):
    from django.utils import formats, translation

    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    with translation.override("vi"):
        assert formats.number_format(1234.5, 1, force_grouping=True) == "1.234,5"


def test_sqlite_writers_queue_for_the_lock_instead_of_failing():
    """Two gunicorn workers saving at once on SQLite: BEGIN IMMEDIATE makes the second wait (bench/loadtest.py
    got "database is locked" 503s without it)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    options = connection.settings_dict["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"]
