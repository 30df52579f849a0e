"""The import benchmark (bench/import_speed.py, a step of `make bench`) runs from a fresh database: it
broke unnoticed when the units stopped being a fixture (the registry loads them) and again when the
import refused, rightly, figures of indicators a district does not report."""

from bench import run


def test_the_import_benchmark_imports_every_row_it_makes_into_a_fresh_database(tmp_path):
    result = run.import_speed(f"sqlite:///{tmp_path}/bench.sqlite3", 300)  # as `make bench` runs it

    assert result["rows"] == result["imported"] == 300
    assert result["history_rows"] >= 300
    assert result["rows_per_second"] > 0
