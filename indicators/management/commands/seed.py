from django.core.management import call_command
from django.core.management.base import BaseCommand

# In dependency order: areas and units before the indicators' figures, sources before the targets.
SEED_FIXTURES = [
    "reform_areas",
    "indicators",
    "units",
    "sources",
    "seed_values",
    "targets",
    "scoring",
    "events",
    "deadlines",
]


class Command(BaseCommand):
    help = (
        "Load the reference data and the article's figures (every fixture in fixtures/). loaddata matches "
        "rows by their natural keys (codes), so loading twice changes nothing."
    )

    def handle(self, *args, **options):
        call_command("loaddata", *SEED_FIXTURES, verbosity=options["verbosity"])
