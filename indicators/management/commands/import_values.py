"""Import a large CSV/XLSX of figures from the shell, with the same checks as the upload page.

    manage.py import_values figures.csv [--user tantru] [--status draft] [--dry-run] [--language vi|en]

Without --user the command acts for the operator, who may import for every unit of any province (shell
access is already full access); with --user it is limited to that user's units in the site's province,
as on the site. Either way a unit code names the unit in force at the end of the row's year, and a
row outside the unit's years or for an indicator its level does not report is an error. A file with
any error writes nothing. Rows are written with bulk operations, each with its history row; a
figure the file repeats exactly is left alone. Everything the command prints, its own lines and the
row messages alike, is in one language (--language, the site's LANGUAGE_CODE by default).
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators import imports
from indicators.models import IndicatorValue
from indicators.selectors import import_lookups
from indicators.services.imports import write_import

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
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help=f"language of everything printed (default: {settings.LANGUAGE_CODE})",
        )

    def handle(self, *args, language, **options):
        with translation.override(language):
            self._import(**options)

    def _import(self, *, path, user, status, dry_run, batch_size, no_progress, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(_("Không có tệp: %(path)s") % {"path": file})
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(_("Không có người dùng: %(user)s") % {"user": user})
            if not actor.has_perm("indicators.import_values"):
                raise CommandError(_("%(user)s không được nhập số liệu (không phụ trách đơn vị nào).") % {"user": user})
        show = not no_progress and options.get("verbosity", 1) > 0 and getattr(sys.stderr, "isatty", lambda: False)()
        try:
            # The operator chose the file: rows and unpacked size are not capped here as on the site.
            limits = dataclasses.replace(imports.Limits.from_settings(), rows=sys.maxsize, unpacked_bytes=sys.maxsize)
            table = imports.read_table(file.read_bytes(), file.name, limits)
        except imports.ImportFileError as error:
            raise CommandError(str(error)) from error
        rows = len(table.rows)
        self.stdout.write(
            ngettext("Đã đọc %(n)d dòng từ %(file)s", "Đã đọc %(n)d dòng từ %(file)s", rows)
            % {"n": rows, "file": file.name}
        )
        context = import_lookups.import_context(table=table, user=actor)
        bar = ProgressBar(_("kiểm tra"), sys.stderr, show)
        check = imports.check_rows(table, context, progress=bar)
        bar.finish(len(table.rows))
        for warning in check.warnings[:MAX_WARNINGS_SHOWN]:
            self.stdout.write(_("cảnh báo: %(where)s: %(message)s") % _problem(warning))
        more = len(check.warnings) - MAX_WARNINGS_SHOWN
        if more > 0:
            self.stdout.write(ngettext("… và %(n)d cảnh báo nữa", "… và %(n)d cảnh báo nữa", more) % {"n": more})
        if check.errors:
            for error in check.errors[:MAX_ERRORS_SHOWN]:
                self.stderr.write(_("%(where)s: %(message)s") % _problem(error))
            more = len(check.errors) - MAX_ERRORS_SHOWN
            if more > 0:
                self.stderr.write(ngettext("… và %(n)d lỗi nữa", "… và %(n)d lỗi nữa", more) % {"n": more})
            n = len(check.errors)
            raise CommandError(
                ngettext("%(n)d lỗi; không có số liệu nào được ghi.", "%(n)d lỗi; không có số liệu nào được ghi.", n)
                % {"n": n}
            )
        figures, skipped, warnings = len(check.figures), check.skipped_empty, len(check.warnings)
        self.stdout.write(
            ", ".join(
                [
                    ngettext("%(n)d số liệu hợp lệ", "%(n)d số liệu hợp lệ", figures) % {"n": figures},
                    ngettext("bỏ qua %(n)d dòng trống", "bỏ qua %(n)d dòng trống", skipped) % {"n": skipped},
                    ngettext("%(n)d cảnh báo", "%(n)d cảnh báo", warnings) % {"n": warnings},
                ]
            )
        )
        if dry_run:
            self.stdout.write(_("chạy thử: không ghi gì"))
            return
        bar = ProgressBar(_("ghi"), sys.stderr, show)
        written = write_import(figures=check.figures, user=actor, status=status, batch_size=batch_size, progress=bar)
        bar.finish(len(check.figures))
        parts = [
            ngettext("%(n)d số liệu mới", "%(n)d số liệu mới", written.created) % {"n": written.created},
            ngettext("%(n)d số liệu được cập nhật", "%(n)d số liệu được cập nhật", written.updated)
            % {"n": written.updated},
            ngettext("%(n)d số liệu không đổi", "%(n)d số liệu không đổi", written.unchanged)
            % {"n": written.unchanged},
        ]
        label = IndicatorValue.Status(status).label
        self.stdout.write(self.style.SUCCESS(f"{', '.join(parts)} ({label})"))


def _problem(problem) -> dict:
    where = _("dòng %(row)d, %(column)s") % {"row": problem.row, "column": problem.column or "-"}
    return {"where": where, "message": problem.message}
