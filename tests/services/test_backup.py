"""Backup and restore: a round trip through an empty database gives back the same data."""

import gzip
import io
import json
import os
import re
import stat
import subprocess
import sys
import uuid
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.hashers import check_password
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import connection

from indicators.models import IndicatorValue
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
_DATETIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def _same_precision(value):
    """Django's serializer keeps milliseconds and drops ".000": a time of 15.000500 is written
    "15.000" the first time and "15" after the round trip. Compare both at millisecond precision."""
    if isinstance(value, str) and (match := _DATETIME.match(value)):
        return f"{match[1]}{(match[2] or '.000')[:4]}{match[3]}"
    if isinstance(value, dict):
        return {key: _same_precision(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_same_precision(item) for item in value]
    return value


def records(path) -> dict[str, list[dict]]:
    """The backup file as {model: [record, ...]} sorted, for comparison."""
    by_model: dict[str, list] = {}
    for row in _same_precision(json.loads(path.read_text(encoding="utf-8"))):
        by_model.setdefault(row["model"], []).append(row)
    return {model: sorted(rows, key=lambda r: json.dumps(r, sort_keys=True)) for model, rows in by_model.items()}


def counts() -> Counter:
    return Counter({m._meta.label_lower: m.objects.count() for m in apps.get_models()})


@pytest.fixture
def full_site(demo_seeded, users):
    """Figures with a history of edits by named users, groups with permissions, a lockout-free site.

    Demo values of two districts and one commune only: the round trip is about every kind of row, and
    restoring the province's 14,000 demo values (a lookup per foreign key) took a minute and a half.
    """
    IndicatorValue.objects.demo().exclude(unit__code__in=["805", "807", "28159"])._raw_delete("default")
    staff = Group.objects.get(name="Provincial staff")
    staff.permissions.add(Permission.objects.get(codename="change_indicatorvalue"))
    value = IndicatorValue.objects.get(indicator__code="ho-so-truc-tuyen", unit__code="807", year=2023)
    for n, status in enumerate(["submitted", "approved"], start=1):
        value.status = status
        value.note = f"lần sửa {n}: <b>ghi chú</b>"
        value.version += 1
        value._history_user = users["staff"]
        value.save()
    return users


def manage(*args, database_url: str):
    """manage.py as the README runs it, on another database (the real settings, a key in the environment)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY="k" * 50,
        DJANGO_SETTINGS_MODULE="cchc_dashboard.settings.production",
    )
    result = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture
def new_database(tmp_path):
    """The URL of a new, empty database on the same server as the tests' (a file for SQLite)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    name = f"cchc_restore_{uuid.uuid4().hex[:12]}"
    server = {k: settings[k.upper()] for k in ("host", "port", "user", "password") if settings[k.upper()]}
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    yield f"postgres://{auth}@{settings['HOST'] or 'localhost'}:{settings['PORT'] or 5432}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_then_migrate_and_restore_into_a_new_database_gives_back_everything(full_site, tmp_path, new_database):
    """The README's path exactly: backup; then on a new database `migrate`, then `restore`. No flush."""
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    call_command("backup", output=str(first))
    before = counts()
    assert before["indicators.historicalindicatorvalue"] >= 2
    assert before["auth.user"] == 4 and before["auth.group"] == 2

    manage("migrate", "--no-input", "-v0", database_url=new_database)
    assert "Restored" in manage("restore", str(first), database_url=new_database)
    manage("backup", "--output", str(second), database_url=new_database)

    restored, original = records(second), records(first)
    differing = {
        model: (
            [r for r in original.get(model, []) if r not in restored.get(model, [])][:2],
            [r for r in restored.get(model, []) if r not in original.get(model, [])][:2],
        )
        for model in set(original) | set(restored)
        if original.get(model) != restored.get(model)
    }
    assert not differing, f"the restored database backs up to different content (lost, gained): {differing}"

    history = [
        (r["fields"]["status"], r["fields"]["history_user"])
        for r in sorted(restored["indicators.historicalindicatorvalue"], key=lambda r: r["fields"]["history_date"])
        if r["fields"]["id"]
        == IndicatorValue.objects.get(indicator__code="ho-so-truc-tuyen", unit__code="807", year=2023).pk
    ]
    assert history[-2:] == [("submitted", ["sonoivu"]), ("approved", ["sonoivu"])]
    (staff,) = [g for g in restored["auth.group"] if g["fields"]["name"] == "Provincial staff"]
    assert ["change_indicatorvalue", "indicators", "indicatorvalue"] in staff["fields"]["permissions"]
    (user,) = [u for u in restored["auth.user"] if u["fields"]["username"] == "sonoivu"]
    assert check_password(PASSWORD, user["fields"]["password"]), "password hashes survive"

    # New rows get new ids after the restore (PostgreSQL's sequences follow the restored ids).
    out = manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; from indicators.models import IndicatorValue, Source; "
        "User.objects.create_user('moi', password='x'); "
        "Source.objects.create(code='nguon-moi', title='Nguồn mới', kind='official_document'); "
        "v = IndicatorValue.objects.get(indicator__code='ho-so-truc-tuyen', unit__code='807', year=2023); "
        "v.note = 'sau khi khôi phục'; v.save(); "
        "print('history', v.history.count())",
        database_url=new_database,
    )
    assert f"history {len(history) + 1}" in out


@pytest.mark.parametrize("name", ["backup.json", "backup.json.gz"])
def test_the_backup_file_is_readable_by_its_owner_only(seeded, tmp_path, name):
    path = tmp_path / name
    path.write_text("")
    path.chmod(0o644)  # an older backup of the same name
    call_command("backup", output=str(path), stdout=io.StringIO())
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    opened = gzip.open if name.endswith(".gz") else open
    with opened(path, "rt", encoding="utf-8") as file:
        assert json.load(file)


def test_restore_accepts_the_rows_migrate_writes_and_nothing_else(migrated_db, tmp_path):
    path = tmp_path / "backup.json"
    call_command("backup", output=str(path), stdout=io.StringIO())
    call_command("backup", output=f"{path}.gz", stdout=io.StringIO())  # "add .gz to compress", beside it
    Group.objects.create(name="Kiểm toán")
    with pytest.raises(CommandError, match=r"already holds data \(auth.group\)"):
        call_command("restore", str(path))
    assert Group.objects.count() == 3, "nothing changed"

    Group.objects.filter(name="Kiểm toán").delete()
    call_command("restore", str(path), stdout=io.StringIO())
    assert sorted(Group.objects.values_list("name", flat=True)) == ["Provincial staff", "Unit admin"]


def test_restore_refuses_a_database_that_already_has_data(seeded, tmp_path):
    path = tmp_path / "backup.json"
    call_command("backup", output=str(path))
    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(path))


def test_a_backup_from_before_the_unit_admin_role_restores_its_members_as_unit_admins(
    migrated_db, tmp_path, django_user_model
):
    Group.objects.filter(name="Unit admin").update(name="District admin")  # as the groups were then
    user = django_user_model.objects.create_user("tantru", password=PASSWORD)
    user.groups.add(Group.objects.get(name="District admin"))
    path = tmp_path / "backup.json"
    call_command("backup", output=str(path), stdout=io.StringIO())
    # A new database, as today's migrate leaves it.
    user.delete()
    Group.objects.filter(name="District admin").update(name="Unit admin")

    call_command("restore", str(path), stdout=io.StringIO())
    assert sorted(Group.objects.values_list("name", flat=True)) == ["Provincial staff", "Unit admin"]
    restored = django_user_model.objects.get(username="tantru")
    assert list(restored.groups.values_list("name", flat=True)) == ["Unit admin"]
