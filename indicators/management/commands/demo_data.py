from django.core.management.base import BaseCommand, CommandError

from indicators.domain import demo
from indicators.models import ENTRY_LEVELS, YEAR_MAX, YEAR_MIN, AdministrativeUnit, Indicator
from indicators.selectors.common import province, province_units_query
from indicators.services import demo as demo_services

# name -> (provinces, units per province, level): the synthetic units added on top of the real ones.
SCALES = {
    "province": None,
    "national": (62, 11, AdministrativeUnit.Level.DISTRICT),  # + Long An's 15: about 700 districts
    "communes": (34, 97, AdministrativeUnit.Level.COMMUNE),  # about 3,300 communes since July 2025
}


class Command(BaseCommand):
    help = (
        "Fill every unit x year x indicator that has no figure with a synthetic demo value (source kind "
        "'synthetic demo'): each unit for the years it reports for (the districts to 2024, the communes "
        "from 2025) and the indicators of its level. Deterministic for a seed; never overwrites a value, so "
        "run it after the real figures are loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2024)
        parser.add_argument("--first-year", type=int, default=demo.FIRST_YEAR)
        parser.add_argument("--last-year", type=int, default=demo.LAST_YEAR)
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
            default="province",
            help="province: the districts and communes of CCHC_PROVINCE_CODE (the districts of the provinces "
            "that formed it); national: ~700 synthetic districts besides every district; "
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
        if scale == "province":
            try:
                units = province_units_query(province())
            except AdministrativeUnit.DoesNotExist:
                raise CommandError("The province is not loaded: run `manage.py seed` first.") from None
        else:
            units = AdministrativeUnit.objects.filter(level=SCALES[scale][2])
            if scale == "communes":  # the synthetic ones only
                units = units.filter(is_synthetic=True)
        units = list(units.filter(level__in=ENTRY_LEVELS).order_by("code"))
        # In the order the indicators were added: the generator draws each unit-year's figures in turn,
        # so an indicator added to the catalogue leaves every earlier indicator's demo figures as they were.
        catalogue = list(Indicator.objects.order_by("pk"))
        if not units or not catalogue:
            raise CommandError("No units or indicators: load the fixtures first (make seed).")
        result = demo_services.generate_demo_values(
            seed=seed, years=range(first_year, last_year + 1), units=units, indicators=catalogue
        )
        levels = ", ".join(
            f"{sum(1 for u in units if u.level == level)} {AdministrativeUnit.Level(level).name.lower()}s"
            for level in ENTRY_LEVELS
        )
        self.stdout.write(
            f"Demo data: {result.created} values created, {result.skipped_existing} left as they were "
            f"({levels}, {len(catalogue)} indicators, {first_year}-{last_year}, each unit within its validity)."
        )
