"""Load the fixtures without touching what is already stored (except a demo value, which a real
figure of the fixtures replaces).

`loaddata` overwrites a row that has the fixture's natural key (code) with the fixture's version, so
running it on every `make run` silently undid admins' edits and staff's decisions, with no history
row. Here a row that is already stored is left as it is; if it differs from its fixture, the fields
that differ are reported, so an operator can see where the database and the fixtures part ways.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Model

# The province whose former districts the article's figures describe: the new Tây Ninh (80), formed
# from Long An and the former Tây Ninh. Its units come from the registry (services/units.py), not a fixture.
SEED_PROVINCE = "80"

# In dependency order: areas before the indicators' figures, sources before the figures and the targets.
# province_values: the published provincial results and the former Tây Ninh's district index
# (docs/province_figures.md), after the catalogue and the sources they name.
SEED_FIXTURES = [
    "reform_areas",
    "indicators",
    # The 766 groups and the raw counts of the reports that the importers read (imports/layout_files/).
    "indicators_importers",
    "sources",
    "seed_values",
    "province_values",
    "targets",
    "scoring",
    "events",
    "deadlines",
]


@dataclass
class Kept:
    """A stored row that differs from its fixture and was left as stored."""

    label: str  # app_label.model
    key: str
    fields: list[str]

    def __str__(self):
        return f"seed: kept {self.label} {self.key} as stored (differs from fixture in: {', '.join(self.fields)})"


@dataclass
class SeedResult:
    added: int = 0
    unchanged: int = 0
    kept: list[Kept] = field(default_factory=list)


def fixture_path(name: str) -> Path:
    for folder in settings.FIXTURE_DIRS:
        path = Path(folder) / f"{name}.json"
        if path.exists():
            return path
    raise FileNotFoundError(f"No fixture {name}.json in {settings.FIXTURE_DIRS}")


def _key(instance: Model) -> str:
    if hasattr(instance, "natural_key"):
        return "/".join(str(part) for part in instance.natural_key())
    return str(instance)


def _stored(instance: Model) -> Model | None:
    """The stored row the fixture's row stands for, by natural key, else by a unique constraint."""
    model = type(instance)
    manager = model._default_manager
    if hasattr(instance, "natural_key"):
        # The deserializer has looked the natural key up and set the primary key when the row exists.
        return manager.filter(pk=instance.pk).first() if instance.pk is not None else None
    for constraint in model._meta.total_unique_constraints:
        names = [model._meta.get_field(name).attname for name in constraint.fields]
        return manager.filter(**{name: getattr(instance, name) for name in names}).first()
    return manager.filter(pk=instance.pk).first() if instance.pk is not None else None


def _differences(instance: Model, stored: Model, names) -> list[str]:
    differing = []
    for name in names:
        model_field = instance._meta.get_field(name)
        if model_field.many_to_many or getattr(model_field, "auto_now", False):
            continue  # a timestamp every save sets is no edit to report
        if model_field.value_from_object(instance) != model_field.value_from_object(stored):
            differing.append(name)
    return differing


def _is_demo_value(instance: Model) -> bool:
    from indicators.models import IndicatorValue

    return isinstance(instance, IndicatorValue) and instance.is_demo


@transaction.atomic
def load_missing(names=SEED_FIXTURES) -> SeedResult:
    """Add every fixture row that is not stored yet; report, and keep, stored rows that differ."""
    result = SeedResult()
    inserted_models = set()
    for name in names:
        for record in json.loads(fixture_path(name).read_text(encoding="utf-8")):
            # One record at a time, so that a row's foreign keys may name rows saved just before it.
            (deserialized,) = serializers.deserialize("python", [record])
            instance = deserialized.object
            stored = _stored(instance)
            if stored is None:
                if instance.pk is not None and type(instance)._default_manager.filter(pk=instance.pk).exists():
                    instance.pk = None  # the fixture's id is taken by another row: insert under a new one
                deserialized.save()
                inserted_models.add(type(instance))
                result.added += 1
                continue
            if _is_demo_value(stored) and not _is_demo_value(instance):
                # A real figure the fixtures gained since demo data was made in its place: the demo
                # value gives way (it has no history and nothing refers to it); a real one never does.
                deserialized.save()
                inserted_models.add(type(instance))
                result.added += 1
                continue
            differing = _differences(instance, stored, record["fields"])
            if differing:
                result.kept.append(Kept(instance._meta.label_lower, _key(stored), differing))
            else:
                result.unchanged += 1
    if inserted_models:
        # Rows inserted with the fixture's ids leave PostgreSQL's sequences behind, as loaddata would.
        statements = connection.ops.sequence_reset_sql(no_style(), list(inserted_models))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    return result
