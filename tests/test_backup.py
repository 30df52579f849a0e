"""Backup and restore: a round trip through an empty database gives back the same data."""

import json
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from indicators.models import IndicatorValue
from tests.conftest import ROLE_PASSWORD

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
def full_site(demo_seeded, roles):
    """Figures with a history of edits by named users, groups with permissions, a lockout-free site."""
    staff = Group.objects.get(name="Provincial staff")
    staff.permissions.add(Permission.objects.get(codename="change_indicatorvalue"))
    value = IndicatorValue.objects.get(indicator__code="ho-so-truc-tuyen", unit__code="807", year=2023)
    for n, status in enumerate(["submitted", "approved"], start=1):
        value.status = status
        value.note = f"lần sửa {n}: <b>ghi chú</b>"
        value.version += 1
        value._history_user = roles["provincial_staff"]
        value.save()
    return roles


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database_gives_back_everything(full_site, tmp_path):
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    call_command("backup", output=str(first))
    before = counts()
    assert before["indicators.historicalindicatorvalue"] >= 2
    assert before["auth.user"] == 4 and before["auth.group"] == 2

    call_command("flush", interactive=False, verbosity=0)  # an empty, migrated database
    assert IndicatorValue.objects.count() == 0
    call_command("restore", str(first))

    after = counts()
    for label in before:
        if not label.startswith(("sessions.", "axes.")):
            assert after[label] == before[label], label
    call_command("backup", output=str(second))
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

    value = IndicatorValue.objects.get(indicator__code="ho-so-truc-tuyen", unit__code="807", year=2023)
    assert value.value == Decimal("95") and value.qualifier == "approximately" and value.status == "approved"
    history = list(value.history.order_by("history_date").values_list("status", "history_user__username"))
    assert history[-2:] == [("submitted", "so-noi-vu"), ("approved", "so-noi-vu")]
    staff = Group.objects.get(name="Provincial staff")
    assert staff.permissions.filter(codename="change_indicatorvalue").exists()
    assert staff.user_set.get().check_password(ROLE_PASSWORD), "password hashes survive"


def test_restore_refuses_a_database_that_already_has_data(seeded, tmp_path):
    path = tmp_path / "backup.json"
    call_command("backup", output=str(path))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path))
