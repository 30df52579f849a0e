from django.core.management.base import BaseCommand, CommandError

from indicators.domain import demo
from indicators.models import YEAR_MAX, YEAR_MIN, AdministrativeUnit, Indicator
from indicators.services import demo as demo_services

# name -> (provinces, units per province, level): the synthetic units added on top of the real ones.
SCALES = {
    "province": None,
    "national": (62, 11, AdministrativeUnit.Level.DISTRICT),  # + Long An's 15: about 700 districts
    "communes": (34, 97, AdministrativeUnit.Level.COMMUNE),  # about 3,300 communes since July 2025
}


class Command(BaseCommand):
    help = (
        "Fill every district x year x indicator that has no figure with a synthetic demo value "
        "(source kind 'synthetic demo'), and the units that succeeded them in July 2025 with a short series "
        "of their own. Deterministic for a seed; never overwrites a value."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--first-year", type=int, default=demo.FIRST_YEAR)
        parser.add_argument("--last-year", type=int, default=demo.LAST_YEAR)
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="province",
            help="province: Long An's districts only; national: ~700 synthetic districts; "
            "communes: ~3,300 synthetic communes.",
        )
        parser.add_argument(
            "--indicators",
            type=int,
            default=0,
            help="Pad the catalogue with synthetic indicators up to this many (benchmark only).",
        )

    def handle(self, *args, seed, first_year, last_year, scale, indicators, **options):
        if not YEAR_MIN <= first_year <= last_year <= YEAR_MAX:
            raise CommandError(f"Years must satisfy {YEAR_MIN} <= first-year <= last-year <= {YEAR_MAX}.")
        if SCALES[scale]:
            provinces, per_province, level = SCALES[scale]
            demo_services.ensure_synthetic_units(provinces=provinces, units_per_province=per_province, level=level)
        if indicators:
            demo_services.ensure_synthetic_indicators(total=indicators)
        level = SCALES[scale][2] if SCALES[scale] else AdministrativeUnit.Level.DISTRICT
        units = AdministrativeUnit.objects.filter(level=level)
        if scale == "communes":  # the synthetic ones only
            units = units.filter(is_synthetic=True)
        units = list(units)
        # In the order the indicators were added: the generator draws each unit-year's figures in turn,
        # so an indicator added to the catalogue leaves every earlier indicator's demo figures as they were.
        catalogue = list(Indicator.objects.order_by("pk"))
        if not units or not catalogue:
            raise CommandError("No units or indicators: load the fixtures first (make seed).")
        result = demo_services.generate_demo_values(
            seed=seed, years=range(first_year, last_year + 1), units=units, indicators=catalogue
        )
        self.stdout.write(
            f"Demo data: {result.created} values created, {result.skipped_existing} left as they were "
            f"({len(units)} units, {len(catalogue)} indicators, {first_year}-{last_year})."
        )
        if scale == "province":
            # The new units that took over from the districts in July 2025 get their own short series.
            successors = demo_services.generate_successor_demo_values(
                seed=seed, predecessors=units, indicators=catalogue
            )
            self.stdout.write(
                f"Demo data for the units created in the 2025 reorganisation: {successors.created} values created, "
                f"{successors.skipped_existing} left as they were (up to {demo.SUCCESSOR_LAST_YEAR})."
            )
