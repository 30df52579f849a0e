"""Load a `manage.py backup` file into a new, migrated database, in one transaction.

    manage.py migrate && manage.py restore var/backup-2025-01-31.json

`migrate` itself writes a few rows: content types, permissions, the data-version row and the two
role groups (with no members). Those are expected. Any other data (a figure, a user, a unit, another
group) means the database is in use, and restore refuses: merging a backup into live data would mix
two histories. Either the whole file loads or nothing does.

The stored files come back from the archive beside the JSON (`<file>.files.tar`, written by backup)
through the storage API, once the data has loaded; a backup whose rows name files it does not hold
is refused before anything is written.
"""

import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.contrib.auth.models import Group
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction

from indicators.management.commands.backup import EXCLUDED, files_archive, stored_files
from indicators.models import FORMER_UNIT_ADMIN_GROUP, PROVINCIAL_STAFF_GROUP, UNIT_ADMIN_GROUP

# The groups the migrations create (0001_squashed, renamed by 0004_unit_admin_group).
ROLE_GROUPS = [UNIT_ADMIN_GROUP, PROVINCIAL_STAFF_GROUP]


@contextmanager
def _only_this_file(file: str):
    """The file under a name loaddata cannot confuse with a neighbour: given "x.json" it would also
    find "x.json.gz" beside it and refuse both ("Multiple fixtures named")."""
    path = Path(file).resolve()
    if not path.is_file():
        raise CommandError(f"No such file: {file}")
    compressed = path.suffix in {".gz", ".bz2", ".xz", ".lzma", ".zip"}
    suffix = "".join(path.suffixes[-2:] if compressed else path.suffixes[-1:])
    with tempfile.TemporaryDirectory() as folder:
        link = Path(folder) / f"backup{suffix}"
        link.symlink_to(path)
        yield str(link)


def _non_empty_models() -> list[str]:
    found = []
    for model in apps.get_models():
        label = model._meta.label_lower
        if label.split(".")[0] in EXCLUDED or label in EXCLUDED:
            continue
        rows = model._default_manager.all()
        if model is Group:
            rows = rows.exclude(name__in=ROLE_GROUPS)
        if rows.exists():
            found.append(label)
    return found


def _rename_former_unit_admin_group() -> None:
    """A backup made before the unit admin role had its name brings back "District admin" with its
    members: they become unit admins, as the migration made them."""
    former = Group.objects.filter(name=FORMER_UNIT_ADMIN_GROUP).first()
    if former is None:
        return
    current = Group.objects.filter(name=UNIT_ADMIN_GROUP).first()
    if current is None:
        former.name = UNIT_ADMIN_GROUP
        former.save(update_fields=["name"])
        return
    current.user_set.add(*former.user_set.all())
    former.delete()


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into a new, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The JSON file written by `manage.py backup`.")

    def handle(self, *args, file, **options):
        with transaction.atomic():
            occupied = _non_empty_models()
            if occupied:
                raise CommandError(
                    f"The database already holds data ({', '.join(occupied)}). Restore into a new database: "
                    "create it, run `manage.py migrate`, then `manage.py restore`."
                )
            # The backup brings the role groups back with their members and permissions; the empty
            # ones migrate made would clash with them by name.
            Group.objects.filter(name__in=ROLE_GROUPS).delete()
            with _only_this_file(file) as fixture:
                call_command("loaddata", fixture, verbosity=0)
            _rename_former_unit_admin_group()
            for name in ROLE_GROUPS:  # a backup from before a role existed
                Group.objects.get_or_create(name=name)
            restored = _restore_files(file)
        self.stdout.write(self.style.SUCCESS(f"Restored {file} (and {restored} stored files)"))


def _restore_files(file: str) -> int:
    """The files the restored rows name, from the archive beside the backup, through the storage API.

    Runs inside the restore's transaction: a missing or unsafe file raises, and the data is rolled back.
    """
    needed = stored_files()
    if not needed:
        return 0
    archive_path = Path(files_archive(file))
    if not archive_path.is_file():
        raise CommandError(f"The backup names {len(needed)} stored files but {archive_path} is missing.")
    with tarfile.open(archive_path, "r") as archive:
        members = {m.name: m for m in archive.getmembers() if m.isfile()}
        missing = [name for _storage, name in needed if name not in members]
        if missing:
            raise CommandError(f"{archive_path} lacks {len(missing)} files, e.g. {missing[0]}.")
        for storage, name in needed:
            path = PurePosixPath(name)
            if path.is_absolute() or ".." in path.parts:
                raise CommandError(f"Refusing a stored file name outside the storage: {name!r}.")
            content = archive.extractfile(members[name]).read()
            if storage.exists(name):
                storage.delete(name)
            from django.core.files.base import ContentFile

            saved = storage.save(name, ContentFile(content))
            if saved != name:
                raise CommandError(f"The storage renamed {name!r} to {saved!r}.")
    return len(needed)
