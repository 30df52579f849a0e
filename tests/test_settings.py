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
        env={**base, "DJANGO_SETTINGS_MODULE": "cchc_dashboard.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_refuse_to_start_with_debug_off_and_no_secret_key(tmp_path):
    result = start_django(DJANGO_SECRET_KEY_FILE=str(tmp_path / "no-such-file"))
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
            "DJANGO_SETTINGS_MODULE": "cchc_dashboard.settings.production",
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


# --- manage.py and gunicorn as a user runs them ----------------------------------------------------


def run(args, *, env=None, timeout=60):
    """A command from the project folder with only the environment given (no DJANGO_* from this shell)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(args, cwd=ROOT, env={**base, **(env or {})}, capture_output=True, text=True, timeout=timeout)  # noqa: S603 - our own commands


def manage(*args, **env):
    return run([sys.executable, "manage.py", *args], env=env)


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "secret_key"
    path.write_text("k" * 50 + "\n")
    path.chmod(0o600)
    return path


def test_the_secret_key_is_read_from_var_secret_key_by_default():
    result = run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY_FILE)",
        ],
        env={"DJANGO_SETTINGS_MODULE": "cchc_dashboard.settings.production", "DJANGO_DEBUG": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(ROOT / "var" / "secret_key")


@pytest.mark.parametrize("command", [["demo_data", "--help"], ["backup", "--help"], ["createsuperuser", "--help"]])
def test_readme_commands_run_without_a_secret_key_in_the_environment(key_file, command):
    result = manage(*command, DJANGO_SECRET_KEY_FILE=str(key_file))
    assert result.returncode == 0, result.stderr
    assert "usage: manage.py" in result.stdout
    assert "Traceback" not in result.stderr


def test_a_secret_key_file_is_read_whole_line_and_the_environment_wins(key_file):
    code = "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
    env = {"DJANGO_SETTINGS_MODULE": "cchc_dashboard.settings.production", "DJANGO_SECRET_KEY_FILE": str(key_file)}
    assert run([sys.executable, "-c", code], env=env).stdout.strip() == "k" * 50
    assert run([sys.executable, "-c", code], env={**env, "DJANGO_SECRET_KEY": "e" * 50}).stdout.strip() == "e" * 50


def test_production_without_any_secret_key_refuses_in_one_line(tmp_path):
    result = manage("check", DJANGO_SECRET_KEY_FILE=str(tmp_path / "missing"))
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        f"Configuration error: DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off (or a key in "
        f"{tmp_path / 'missing'}, which `make run` creates)."
    ]


def test_a_bad_setting_stops_manage_py_with_one_line(key_file):
    result = manage("check", DJANGO_DEBUG="perhaps", DJANGO_SECRET_KEY_FILE=str(key_file))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Configuration error: DJANGO_DEBUG must be one of")


def test_a_bad_setting_stops_gunicorn_with_one_line_and_no_traceback(key_file, tmp_path):
    result = run(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "cchc_dashboard.wsgi", "--bind", "127.0.0.1:0", "--workers", "2"],
        env={"DJANGO_DEBUG": "perhaps", "DJANGO_SECRET_KEY_FILE": str(key_file), "HOME": str(tmp_path)},
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if "DJANGO_DEBUG" in line]
    assert errors == [errors[0]] and errors[0].startswith("Configuration error: DJANGO_DEBUG must be one of")


def test_gunicorn_keeps_its_control_socket_under_var_not_in_the_home_folder(tmp_path):
    result = run(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--print-config", "cchc_dashboard.wsgi"],
        env={"DJANGO_SECRET_KEY": "s" * 50, "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    socket = next(
        line.split("=", 1)[1].strip() for line in result.stdout.splitlines() if line.startswith("control_socket ")
    )
    assert socket == str(ROOT / "var" / "gunicorn.ctl")
    assert "--config gunicorn.conf.py" in (ROOT / "Makefile").read_text()


def test_management_commands_print_no_axes_banner():
    result = manage("check", DJANGO_SECRET_KEY="s" * 50)
    assert result.returncode == 0, result.stderr
    assert "AXES" not in result.stdout + result.stderr
