"""Export everything the site holds as one JSON file that `manage.py restore` loads back.

    manage.py backup --output var/backup-2025-01-31.json

What is in it: reference data (units, successions, areas, indicators, sources, targets), every
figure with its full change history, users (with password hashes), groups and their permissions,
and the admin log. What is not: sessions and login-lockout records (short-lived), and content
types and permissions themselves, which `migrate` recreates; rows that refer to them do so by
natural key, so the file loads into any freshly migrated database.

Primary keys are kept: historical records refer to their figure by id, not by a foreign key.
Keep the file safe: it holds password hashes and unpublished figures.

Uploaded files (the index's evidence) are read through the storage API, whichever storage holds them,
into a tar archive beside the JSON: `backup-2025-01-31.json` gets `backup-2025-01-31.json.files.tar`.
`restore` loads both.
"""

import io
import os
import tarfile

from django.core.management import BaseCommand, call_command

# Transient or recreated by migrate; everything else in the database is exported.
# The data version is a cache key: a restore bumps it rather than bringing an old one back.
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "indicators.dataversion"]


class Command(BaseCommand):
    help = "Export all data (figures and their history, users, groups, reference data) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", required=True, help="The JSON file to write (.json, or .json.gz).")

    def handle(self, *args, output, **options):
        # Password hashes: readable by the owner only, from before the first byte is written (dumpdata
        # then truncates and fills this file, compressed or not, and keeps its mode).
        os.close(os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
        os.chmod(output, 0o600)
        call_command(
            "dumpdata",
            natural_foreign=True,
            exclude=EXCLUDED,
            indent=1,
            output=output,
            verbosity=0,
        )
        stored = write_files(files_archive(output))
        self.stdout.write(self.style.SUCCESS(f"Backup written to {output} (and {stored} stored files)"))


def files_archive(output: str) -> str:
    return f"{output}.files.tar"


def stored_files() -> list[tuple[object, str]]:
    """(storage, name) of every file a FileField of the database refers to."""
    from django.apps import apps
    from django.db import models

    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and not model._meta.label_lower.startswith("indicators.historical"):
                for name in model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True):
                    found.append((field.storage, name))
    return found


def write_files(path: str) -> int:
    """Every stored file into a tar archive at `path` (mode 0600, like the JSON); the count."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(path, 0o600)
    files = stored_files()
    with tarfile.open(path, "w") as archive:
        for storage, name in files:
            with storage.open(name, "rb") as handle:
                content = handle.read()
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mode = 0o600
            archive.addfile(info, io.BytesIO(content))
    return len(files)
