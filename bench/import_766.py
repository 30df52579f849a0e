"""Import speed of a national Decision 766 table: 3,321 communes × 6 figures, read, every name matched
against the units of 2025, checked and written (`manage.py import_layout --national`). Run by hand:

    DJANGO_DEBUG=1 DATABASE_URL=sqlite:////tmp/bench766.sqlite3 .venv/bin/python bench/import_766.py

The database must be freshly migrated; the script loads the 34 provinces from the registry and the
reference data itself. Prints one JSON document; rows per second is the line to quote.
"""

from __future__ import annotations

import csv
import io
import json
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_dashboard.settings.production")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402

from indicators.domain import registry  # noqa: E402
from indicators.domain.text import fold  # noqa: E402
from indicators.imports.layouts import get_layout  # noqa: E402
from indicators.seeding import SEED_FIXTURES, load_missing  # noqa: E402
from indicators.services import layout_imports  # noqa: E402
from indicators.services.units import load_province  # noqa: E402

MAXIMA = (18, 20, 22, 22, 18)


def national_table(rng: random.Random) -> bytes:
    """Every commune of the country, its name written as files write it, with its province (TINH)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Kỳ đánh giá: Năm 2025"])
    writer.writerow(["ID", "TEN", "TINH", "CKMB", "TDGQ", "MDSH", "TTTT", "MDHL", "TONG_SCORE"])
    row = 0
    for province in registry.provinces():
        communes = registry.province(province.code).communes
        shared = {
            fold(u.short_name) for u in communes if [fold(c.short_name) for c in communes].count(fold(u.short_name)) > 1
        }
        for unit in communes:
            row += 1
            name = (
                unit.name
                if fold(unit.short_name) in shared
                else (unit.name.upper() if row % 2 else f"UBND {unit.name}")
            )
            scores = [Decimal(rng.randint(m * 45, m * 98)) / 100 for m in MAXIMA]
            writer.writerow([row, name, province.name, *scores, sum(scores)])
    return out.getvalue().encode("utf-8-sig")


def main() -> None:
    started = time.monotonic()
    for province in registry.provinces():
        load_province(province.code)
    load_missing(SEED_FIXTURES)
    setup = time.monotonic() - started
    user = User.objects.create_user("bench766")
    content = national_table(random.Random(766))
    path = Path(tempfile.mkdtemp()) / "qd766_national_2025.csv"
    path.write_bytes(content)
    layout = get_layout("qd766")
    arguments = {"layout": layout, "year": 2025, "period": "Y", "filename": path.name, "content": content}

    started = time.monotonic()
    checked = layout_imports.check_file(user=None, national=True, **arguments)
    check_seconds = time.monotonic() - started
    assert not checked.check.errors, checked.check.errors[:5]
    started = time.monotonic()
    checked, written = layout_imports.import_from_shell(user=user, status="submitted", national=True, **arguments)
    import_seconds = time.monotonic() - started
    rows = len(checked.check.rows)
    print(
        json.dumps(
            {
                "database": django.db.connection.vendor,
                "setup_seconds": round(setup, 1),
                "rows": rows,
                "figures": len(checked.figures),
                "check_seconds": round(check_seconds, 2),
                "check_rows_per_second": round(rows / check_seconds),
                "import_seconds": round(import_seconds, 2),
                "import_rows_per_second": round(rows / import_seconds),
                "created": written.created,
            },
            indent=2,
        )
    )
    call_command("check", verbosity=0)


if __name__ == "__main__":
    main()
