from django.core.management.base import BaseCommand

from indicators.seeding import SEED_FIXTURES, SEED_PROVINCE, load_missing
from indicators.services.units import load_province


class Command(BaseCommand):
    help = (
        "Load the article's province from the registry (load_units --province 80), then add the reference data "
        "and the article's figures (fixtures/) that are not in the database yet. "
        "Rows already stored are never changed: one that differs from its fixture is reported and kept."
    )

    def handle(self, *args, **options):
        # The article's districts come from the official registry, with the province they formed.
        # Only what is missing: a stored unit someone edited is kept (`load_units` applies registry changes).
        units = load_province(SEED_PROVINCE, update=False)
        result = load_missing(SEED_FIXTURES)
        if options["verbosity"] >= 1:
            for kept in units.kept:
                self.stdout.write(self.style.WARNING(kept))
            for kept in result.kept:
                self.stdout.write(self.style.WARNING(str(kept)))
            self.stdout.write(units.summary())
            stored = result.unchanged + len(result.kept)
            self.stdout.write(
                f"seed: {_rows(result.added)} added, {_rows(stored)} already stored "
                f"({len(result.kept)} of them differ from the fixtures and were kept as stored)."
            )


def _rows(count: int) -> str:
    return f"{count} row" if count == 1 else f"{count} rows"
