"""Load a `manage.py backup` file into an empty, migrated database, in one transaction.

    manage.py migrate && manage.py restore var/backup-2025-01-31.json

It refuses a database that already holds figures, users or reference data: merging a backup into
live data would mix two histories. Either the whole file loads or nothing does.
"""

from django.apps import apps
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction

from indicators.management.commands.backup import EXCLUDED


def _non_empty_models() -> list[str]:
    found = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if label.split(".")[0] in EXCLUDED or label in EXCLUDED:
            continue
        if model.objects.exists():
            found.append(label)
    return found


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file written by `manage.py backup`.")

    def handle(self, *args, file, **options):
        occupied = _non_empty_models()
        if occupied:
            raise CommandError(
                f"The database is not empty ({', '.join(occupied)}). Restore into a new database: "
                "create it, run `manage.py migrate`, then `manage.py restore`."
            )
        with transaction.atomic():
            call_command("loaddata", file, verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Restored {file}"))
