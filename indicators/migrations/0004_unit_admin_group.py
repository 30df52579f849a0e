"""The "District admin" group becomes "Unit admin": since 1 July 2025 the admin of a unit is a commune's.

Renamed in place, so that its members (and, through them, their unit assignments) keep working. If a
"Unit admin" group already exists, the old group's members join it and the old group goes.
"""

from django.db import migrations

OLD, NEW = "District admin", "Unit admin"


def rename(apps, old, new):
    Group = apps.get_model("auth", "Group")
    source = Group.objects.filter(name=old).first()
    if source is None:
        Group.objects.get_or_create(name=new)
        return
    target = Group.objects.filter(name=new).first()
    if target is None:
        source.name = new
        source.save(update_fields=["name"])
        return
    target.user_set.add(*source.user_set.all())
    target.permissions.add(*source.permissions.all())
    source.delete()


def forwards(apps, schema_editor):
    rename(apps, OLD, NEW)


def backwards(apps, schema_editor):
    rename(apps, NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("indicators", "0003_units_in_periods"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
