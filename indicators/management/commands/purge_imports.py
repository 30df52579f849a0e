"""Delete uploads that were never confirmed and are older than IMPORT_STAGED_HOURS.

    manage.py purge_imports [--language vi|en]

Uploading a file does the same on the way, so this is for a quiet site (run it daily from cron).
Confirmed imports stay, as the record of what was imported.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import ngettext

from indicators.services.imports import purge_expired_imports


class Command(BaseCommand):
    help = "Delete unconfirmed uploads older than IMPORT_STAGED_HOURS."

    def add_arguments(self, parser):
        parser.add_argument(
            "--language", choices=[code for code, _name in settings.LANGUAGES], default=settings.LANGUAGE_CODE
        )

    def handle(self, *args, language, **options):
        with translation.override(language):
            deleted = purge_expired_imports()
            self.stdout.write(
                ngettext(
                    "Đã xóa %(n)d tệp tải lên chưa xác nhận quá %(hours)d giờ.",
                    "Đã xóa %(n)d tệp tải lên chưa xác nhận quá %(hours)d giờ.",
                    deleted,
                )
                % {"n": deleted, "hours": settings.IMPORT_STAGED_HOURS}
            )
