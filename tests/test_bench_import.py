"""The import benchmark (bench/import_speed.py, a step of `make bench`) runs from a fresh database: it
broke unnoticed when the units stopped being a fixture (the registry loads them) and again when the
import refused, rightly, figures of indicators a district does not report."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_import_benchmark_imports_every_row_it_makes_into_a_fresh_database(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/bench.sqlite3",
        "DJANGO_SETTINGS_MODULE": "cchc_dashboard.settings.production",
        "DJANGO_SECRET_KEY": "bench-test-" + "x" * 50,
        "DJANGO_SECURE": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.pop("DJANGO_DEBUG", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    done = subprocess.run(
        [sys.executable, "bench/import_speed.py", "--rows", "300"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["rows"] == result["imported"] == 300
    assert result["history_rows"] >= 300
    assert result["rows_per_second"] > 0
