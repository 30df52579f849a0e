"""Load a criteria set of the CCHC index from a description (JSON) and its annex (CSV or XLSX).

    manage.py load_criteria_set                 # the shipped sample set (fixtures/index/*.json)
    manage.py load_criteria_set path/to/set.json

The JSON names the set (code, name, province code, year, level, period, bands, the indicators its
publication writes) and its criteria file, read with the same checks as the upload page. A set whose
code is already stored is left as it is, so the command can run on every `make run`.
"""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from indicators import imports
from indicators.models import AdministrativeUnit, CriteriaSet, Indicator
from indicators.services import index_process


def shipped() -> list[Path]:
    return sorted((Path(settings.BASE_DIR) / "fixtures" / "index").glob("*.json"))


def load(path: Path) -> tuple[CriteriaSet, bool]:
    """(the set, whether it was created now)."""
    spec = json.loads(path.read_text(encoding="utf-8"))
    found = CriteriaSet.objects.filter(code=spec["code"]).first()
    if found is not None:
        return found, False
    year = int(spec["year"])
    province = AdministrativeUnit.objects.by_code_in_year(spec["province"], year)

    def indicator(key):
        code = spec.get(key)
        return Indicator.objects.get(code=code) if code else None

    meta = index_process.SetMeta(
        code=spec["code"],
        name=spec["name"],
        name_en=spec.get("name_en", ""),
        year=year,
        level=spec["level"],
        province=province,
        opens_on=date.fromisoformat(spec["opens_on"]),
        closes_on=date.fromisoformat(spec["closes_on"]),
        bands=[(name, Decimal(threshold)) for name, threshold in spec["bands"]],
        decision=spec.get("decision", ""),
        evidence_public=bool(spec.get("evidence_public")),
        score_indicator=indicator("score_indicator"),
        rank_indicator=indicator("rank_indicator"),
        is_sample=bool(spec.get("is_sample")),
        note=spec.get("note", ""),
    )
    criteria_file = path.parent / spec["criteria_file"]
    created = index_process.import_criteria_set(
        user=None, meta=meta, content=criteria_file.read_bytes(), filename=criteria_file.name, operator=True
    )
    return created, True


class Command(BaseCommand):
    help = "Load a CCHC index criteria set (JSON + CSV/XLSX annex); without a file, the shipped sample set."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="Set descriptions (.json); default: fixtures/index/*.json")

    def handle(self, *args, files, **options):
        paths = [Path(f) for f in files] or shipped()
        for path in paths:
            try:
                criteria_set, created = load(path)
            except index_process.AnnexRejected as rejected:
                lines = "\n".join(f"  row {p.row}, {p.column}: {p.message}" for p in rejected.errors)
                raise CommandError(f"{path}: {rejected}\n{lines}") from rejected
            except (imports.ImportFileError, OSError, KeyError, ValueError) as error:
                raise CommandError(f"{path}: {error}") from error
            word = "loaded" if created else "already stored"
            self.stdout.write(
                f"load_criteria_set: {criteria_set.code} {word} ({criteria_set.criteria.count()} criteria)"
            )
