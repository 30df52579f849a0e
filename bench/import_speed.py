"""Import speed: 100,000 rows from CSV through `manage.py import_values` (full validation, history),
against PostgreSQL's COPY of the same rows into a plain table as the ceiling. Run by bench/run.py.

Prints one JSON document. The database in DATABASE_URL must be freshly migrated.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_dashboard.settings.production")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from indicators.domain import demo  # noqa: E402
from indicators.domain.numbers import plain_number  # noqa: E402
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue  # noqa: E402
from indicators.services import demo as demo_services  # noqa: E402

COLUMNS = ["unit_code", "indicator_code", "year", "value", "qualifier"]
YEARS = range(2011, 2015)  # years the demo data does not use, so every row is new


def rows(limit: int) -> list[list[str]]:
    """`limit` consistent figures (ranks a permutation per province and year) for the national units."""
    units = list(AdministrativeUnit.objects.districts())
    # What a district reports (the generator's figures for the others would be refused, rightly), and
    # no invented official index result (demo_profile "none").
    indicators = [i for i in Indicator.objects.for_level("district") if i.demo_profile != Indicator.DemoProfile.NONE]
    specs = demo_services.demo_specs(indicators)
    score_code = next(i.code for i in indicators if i.role == Indicator.Role.INDEX_SCORE)
    rank_code = next(i.code for i in indicators if i.role == Indicator.Role.INDEX_RANK)
    figures, scores = [], defaultdict(dict)
    for unit in units:
        for f in demo.district_figures(seed=7, unit_code=unit.code, years=YEARS, indicators=specs):
            figures.append(f)
            if f.indicator_code == score_code:
                scores[(unit.parent_id, f.year)][unit.code] = f.value
    for (_parent, year), by_unit in scores.items():
        for code, rank in demo.province_ranks(scores=by_unit).items():
            figures.append(demo.Figure(rank_code, code, year, demo.Decimal(rank)))
    return [[f.unit_code, f.indicator_code, str(f.year), plain_number(f.value), "exact"] for f in figures[:limit]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    # As `make run` seeds: the catalogue, the sources, and the province's units from the registry (the
    # units are no fixture since the registry loads them).
    call_command("seed", verbosity=0)
    demo_services.ensure_synthetic_units(provinces=62, units_per_province=11, level="district")
    demo_services.ensure_synthetic_indicators(total=40)
    data = rows(args.rows)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(data)
        path = handle.name
    before = IndicatorValue.objects.count()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "manage.py", "import_values", path, "--status", "approved", "--no-progress"],
        cwd=ROOT,
        check=False,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        sys.exit(f"import_values failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    seconds = time.perf_counter() - started
    imported = IndicatorValue.objects.count() - before
    history = IndicatorValue.history.count()
    result = {
        "database": connection.vendor,
        "rows": len(data),
        "imported": imported,
        "history_rows": history,
        "seconds": round(seconds, 2),
        "rows_per_second": round(imported / seconds),
    }
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE copy_ceiling (unit_code text, indicator_code text, year int, value numeric, "
                "qualifier text)"
            )
            started = time.perf_counter()
            with (
                open(path, "rb") as source,
                cursor.cursor.copy("COPY copy_ceiling FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            ):
                while chunk := source.read(1 << 16):
                    copy.write(chunk)
            copy_seconds = time.perf_counter() - started
        result["copy_seconds"] = round(copy_seconds, 3)
        result["copy_rows_per_second"] = round(len(data) / copy_seconds)
    os.unlink(path)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
