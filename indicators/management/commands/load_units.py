from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from indicators.domain import registry
from indicators.services.units import load_province, load_provinces


class Command(BaseCommand):
    help = (
        "Load one of the 34 provinces from the official registry (the vietnamadminunits package): the province, "
        "its communes from 01/07/2025, the provinces and districts that formed it (to 30/06/2025), and the "
        "successions between them. Run it again after a registry update: it changes what the registry changed "
        "and never touches a figure. --all loads the 34 (the benchmark's national size)."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--province",
            default=None,
            help="The province's official code since 01/07/2025, e.g. 80 (Tây Ninh) or 01 (Hà Nội). "
            "Default: CCHC_PROVINCE_CODE.",
        )
        which.add_argument(
            "--all", dest="load_all", action="store_true", help="Load all 34 provinces, one after another."
        )
        parser.add_argument(
            "--only-missing",
            action="store_true",
            help="Add what is missing and keep every stored row as it is, reporting those that differ "
            "from the registry (what `make run` does).",
        )

    def handle(self, *args, province, load_all, only_missing, **options):
        update = not only_missing
        if load_all:
            results = load_provinces(update=update)
        else:
            code = province or settings.CCHC_PROVINCE_CODE
            try:
                results = [load_province(code, update=update)]
            except registry.UnknownProvince as error:
                names = ", ".join(f"{p.code} {p.short_name}" for p in registry.provinces())
                raise CommandError(
                    f"Unknown province code {error.code!r}. The 34 province codes are: {names}."
                ) from None
        for result in results:
            if options["verbosity"] >= 2:
                for change in result.changes:
                    self.stdout.write(f"  changed {change}")
            if options["verbosity"] >= 1:
                for kept in result.kept:
                    self.stdout.write(self.style.WARNING(kept))
                self.stdout.write(result.summary())
