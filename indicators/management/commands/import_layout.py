"""Import a report of another system from the shell, with the same checks as the importer page.

    manage.py import_layout FILE --layout qd766 --year 2025 [--period Y] --user sonoivu
        [--status submitted] [--national] [--dry-run] [--language vi|en]

The operator imports for every unit of the province in the period (with --national, of the whole
country: a national 766 table names each commune's province in its TINH column), in any layout, with
the status chosen (submitted by default, so that staff approve what was imported). A file with any
error writes nothing. The import is kept as a confirmed record of --user's. The last line gives the
speed in rows per second.
"""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from indicators import imports
from indicators.imports.layouts import all_layouts, get_layout
from indicators.imports.periods import ALL
from indicators.models import IndicatorValue
from indicators.services import layout_imports

MAX_ERRORS_SHOWN = 50


class Command(BaseCommand):
    help = "Import a report of another system (a layout of indicators/imports/layout_files/) from a CSV or XLSX."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--layout", required=True, choices=sorted(all_layouts()))
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--period", default="Y", choices=ALL)
        parser.add_argument("--user", help="who the import is recorded for (required unless --dry-run)")
        parser.add_argument("--status", default=IndicatorValue.Status.SUBMITTED, choices=IndicatorValue.Status.values)
        parser.add_argument("--national", action="store_true", help="match names against every unit of the country")
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--language", default=settings.LANGUAGE_CODE, choices=[c for c, _n in settings.LANGUAGES])

    def handle(self, *args, **options):
        with translation.override(options["language"]):
            self._import(options)

    def _import(self, options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        layout = get_layout(options["layout"])
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"no user {options['user']!r}")
        elif not options["dry_run"]:
            raise CommandError("--user is required to write (the import is kept as that user's record)")
        content = path.read_bytes()
        started = time.monotonic()
        arguments = {
            "layout": layout,
            "year": options["year"],
            "period": options["period"],
            "filename": path.name,
            "content": content,
        }
        try:
            if options["dry_run"]:
                checked = layout_imports.check_file(user=None, national=options["national"], **arguments)
                written = None
            else:
                checked, written = layout_imports.import_from_shell(
                    user=user, status=options["status"], national=options["national"], **arguments
                )
        except imports.ImportFileError as error:
            raise CommandError(str(error)) from error
        elapsed = max(time.monotonic() - started, 1e-6)
        check = checked.check
        for problem in check.errors[:MAX_ERRORS_SHOWN]:
            self.stderr.write(f"row {problem.row}, {problem.column or '-'}: {problem.message}")
        rows = len(check.rows)
        speed = f"{rows} rows in {elapsed:.2f} s ({rows / elapsed:,.0f} rows/s)"
        if check.errors:
            raise CommandError(f"{len(check.errors)} errors; nothing written. {speed}")
        if written is None:
            self.stdout.write(f"dry run: {len(checked.figures)} figures would be written. {speed}")
        else:
            self.stdout.write(
                f"import_layout: {written.created} new, {written.updated} updated, {written.unchanged} unchanged, "
                f"{check.waiting} quarter figures waiting. {speed}"
            )
