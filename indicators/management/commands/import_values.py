"""Import a large CSV/XLSX of figures from the shell, with the same checks as the upload page.

    manage.py import_values figures.csv [--user tantru] [--status draft] [--dry-run]

Without --user the command acts for the operator, who may import for every unit (shell access is
already full access); with --user it is limited to that user's units, as on the site. A file with
any error writes nothing. Rows are written with bulk operations, each with its history row.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from indicators import imports, selectors, services
from indicators.models import IndicatorValue

MAX_ERRORS_SHOWN = 50
MAX_WARNINGS_SHOWN = 10


class ProgressBar:
    """A one-line progress bar on stderr, redrawn in place; silent when stderr is not a terminal."""

    def __init__(self, label: str, stream, enabled: bool):
        self.label, self.stream, self.enabled = label, stream, enabled
        self.started = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or not total:
            return
        width = 30
        filled = int(width * done / total)
        rate = done / max(time.monotonic() - self.started, 1e-6)
        self.stream.write(
            f"\r{self.label:<10} [{'#' * filled}{'.' * (width - filled)}] {done:>7}/{total} ({rate:,.0f}/s)"
        )
        self.stream.flush()

    def finish(self, total: int) -> None:
        if self.enabled and total:
            self(total, total)
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Import figures from a CSV or XLSX file (same columns as the template on /entry/import/)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="CSV or XLSX file")
        parser.add_argument("--user", help="act as this user: only their units, recorded in the history")
        parser.add_argument(
            "--status",
            default=IndicatorValue.Status.DRAFT,
            choices=[c for c, _label in IndicatorValue.Status.choices],
            help="status of the imported figures (default: draft)",
        )
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, path, user, status, dry_run, batch_size, no_progress, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"No such user: {user}")
            if not actor.has_perm("indicators.import_values"):
                raise CommandError(f"{user} may not import figures (not a district admin of any unit).")
        show = not no_progress and options.get("verbosity", 1) > 0 and getattr(sys.stderr, "isatty", lambda: False)()
        try:
            table = imports.read_table(file.read_bytes(), file.name)
        except imports.ImportFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{len(table.rows)} rows read from {file.name}")
        context = selectors.import_context(table=table, user=actor)
        bar = ProgressBar("checking", sys.stderr, show)
        check = imports.check_rows(table, context, progress=bar)
        bar.finish(len(table.rows))
        for warning in check.warnings[:MAX_WARNINGS_SHOWN]:
            self.stdout.write(f"warning: row {warning.row}, {warning.column}: {warning.message}")
        if len(check.warnings) > MAX_WARNINGS_SHOWN:
            self.stdout.write(f"... and {len(check.warnings) - MAX_WARNINGS_SHOWN} more warnings")
        if check.errors:
            for error in check.errors[:MAX_ERRORS_SHOWN]:
                self.stderr.write(f"row {error.row}, {error.column or '-'}: {error.message}")
            more = len(check.errors) - MAX_ERRORS_SHOWN
            if more > 0:
                self.stderr.write(f"... and {more} more errors")
            raise CommandError(f"{len(check.errors)} errors; nothing was written.")
        self.stdout.write(
            f"{len(check.figures)} figures valid, {check.skipped_empty} empty rows skipped, "
            f"{len(check.warnings)} warnings"
        )
        if dry_run:
            self.stdout.write("dry run: nothing written")
            return
        bar = ProgressBar("writing", sys.stderr, show)
        written = services.write_import(
            figures=check.figures, user=actor, status=status, batch_size=batch_size, progress=bar
        )
        bar.finish(len(check.figures))
        self.stdout.write(self.style.SUCCESS(f"{written.created} created, {written.updated} updated ({status})"))
