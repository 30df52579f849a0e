"""The benchmark: `make bench` (see bench/README.md). Not part of `make test`.

For each database (SQLite, and PostgreSQL when initdb/pg_ctl are on PATH) and each data size, it
builds a fresh database with the demo generator, then measures every public page and export
(bench/measure.py), the compressed transfer of a first visit, and throughput under gunicorn with
wrk. It writes bench/results/latest.md and latest.json.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
BUDGET_MS = {"province": 100, "national": 150}
TRANSFER_BUDGET = 500 * 1024


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(database_url: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY=secrets.token_urlsafe(40),
        DJANGO_SECURE="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_LEVEL="WARNING",
    )
    return env


@contextlib.contextmanager
def throwaway_postgres():
    """A PostgreSQL cluster in a temporary folder, owned by the postgres user; None if unavailable."""
    if not (shutil.which("initdb") and shutil.which("pg_ctl")):
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix="cchc-bench-pg-"))
    port = free_port()
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(folder, "postgres", "postgres")
    subprocess.run(
        [
            *as_postgres,
            "initdb",
            "-D",
            str(folder / "data"),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *as_postgres,
            "pg_ctl",
            "-D",
            str(folder / "data"),
            "-l",
            str(folder / "log"),
            "-w",
            "-o",
            f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=256MB",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgres://postgres@127.0.0.1:{port}"
    finally:
        subprocess.run([*as_postgres, "pg_ctl", "-D", str(folder / "data"), "-m", "fast", "stop"], capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


def create_pg_database(server: str, name: str) -> str:
    subprocess.run(["psql", f"{server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
    subprocess.run(["psql", f"{server}/postgres", "-qc", f"CREATE DATABASE {name}"], check=True)
    return f"{server}/{name}"


def measure(database_url: str, size: str, requests: int, *, largest: bool = False) -> dict:
    """One size on one database; `largest`: on the national database just built, the pages of the
    province with the most communes (Hồ Chí Minh City) instead of the configured one."""
    extra = ["--skip-generate", "--largest"] if largest else []
    env = base_env(database_url) | ({"CCHC_PROVINCE_CODE": "79"} if largest else {})
    output = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "measure.py"), "--size", size, "--requests", str(requests), *extra],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def import_speed(database_url: str, rows: int) -> dict:
    env = base_env(database_url)
    subprocess.run([PYTHON, "manage.py", "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    output = subprocess.run(
        [PYTHON, str(ROOT / "bench" / "import_speed.py"), "--rows", str(rows)],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,  # its errors go to the console: they said nothing when it broke
        text=True,
    )
    return json.loads(output.stdout.strip().splitlines()[-1])


def collect_static(database_url: str) -> None:
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"], env=base_env(database_url), cwd=ROOT, check=True
    )


def transfer_size(html_gzip: int, html: str) -> dict:
    """Bytes a first visit transfers: the page plus each static file it references, compressed the
    way whitenoise serves them (brotli when the browser accepts it, else gzip)."""
    total_br, total_gz = html_gzip, html_gzip
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    for asset in assets:
        path = ROOT / "staticfiles" / asset
        raw = path.read_bytes()
        br = path.with_name(path.name + ".br")
        gz = path.with_name(path.name + ".gz")
        total_br += br.stat().st_size if br.exists() else len(raw)
        total_gz += gz.stat().st_size if gz.exists() else len(gzip.compress(raw))
    return {"assets": len(assets), "brotli_bytes": total_br, "gzip_bytes": total_gz}


@contextlib.contextmanager
def gunicorn(database_url: str, **extra_env):
    port = free_port()
    env = base_env(database_url) | extra_env
    process = subprocess.Popen(
        [
            str(Path(PYTHON).with_name("gunicorn")),
            "cchc_dashboard.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        for _ in range(100):
            with contextlib.suppress(OSError):
                urllib.request.urlopen(f"http://127.0.0.1:{port}/sources/", timeout=2)
                break
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def wrk(url: str, seconds: int) -> dict:
    output = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", url], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    return {
        "requests_per_second": round(rate, 1),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "p99": f"{p99.group(1)}{p99.group(2)}" if p99 else "?",
    }


def throughput(database_url: str, seconds: int) -> dict:
    page = "/indicators/ho-so-truc-tuyen/?units=807,805"
    results = {}
    with gunicorn(database_url) as base:
        urllib.request.urlopen(base + page).read()  # warm the cache
        results["cached page"] = wrk(base + page, seconds)
        results["static file (ceiling)"] = wrk(base + "/static/css/site.css", seconds)
    with gunicorn(database_url, CCHC_PAGE_CACHE_SECONDS="0") as base:
        results["uncached page"] = wrk(base + page, seconds)
    ceiling = results["static file (ceiling)"]["requests_per_second"]
    for row in results.values():
        row["share_of_static"] = round(row["requests_per_second"] / ceiling, 2) if ceiling else None
    return results


def label(run: dict) -> str:
    """The size and the province whose pages were measured: "national, 79"."""
    return f"{run['size']}, {run['province']}" if run.get("province") else run["size"]


def verdict(name: str, uncached: dict, budget: int | None) -> str:
    """The budget column: exports, the XLSX table and the data package are downloads, not pages, and
    have none (the data package streams every approved value of the country: seconds, by design)."""
    if budget is None or name.startswith(("export", "indicator table", "data package")):
        return ""
    if uncached["p95_ms"] <= budget:
        return "met"
    cpu = uncached.get("cpu_p95_ms")
    return f"MISSED (>{budget})" + (" (CPU met)" if cpu is not None and cpu <= budget else "")


def markdown(report: dict) -> str:
    lines = ["# Benchmark results", "", f"Machine: {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M')}.", ""]
    lines += [
        "## Data generation",
        "",
        "| database | size | units (province / district / commune) | values | seed (s) | registry (s) "
        "| demo data (s) | values outside validity or level |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in report["runs"]:
        if "generation" not in run:
            continue  # the largest province's pages, measured on the national database already listed
        g = run["generation"]
        levels = g.get("units_by_level", {})
        by_level = " / ".join(str(levels.get(level, 0)) for level in ("province", "district", "commune"))
        invalid = sum(g.get("invalid_values", {}).values())
        lines.append(
            f"| {run['database']} | {run['size']} | {g.get('units')} ({by_level}) | {g.get('values')} | "
            f"{g.get('seed_seconds')} | {g.get('registry_seconds', '–')} | {g.get('demo_seconds')} | {invalid} |"
        )
    lines += [
        "",
        "## Server time per page (in-process, ms) and queries",
        "",
        "Wall: the time a request took. CPU: the processor time it used, in this process and in the",
        "PostgreSQL server's process for it; it leaves out waiting for a core, so it is what a quiet",
        "machine would show when the load average is above the number of cores. The budget is on the",
        "wall time; a page that misses it on the wall clock but meets it in CPU time missed it for want",
        "of a free core.",
        "",
        "| database | size | page | uncached p50 | uncached p95 | CPU p50 | CPU p95 | cached p50 | cached p95 "
        "| queries | budget |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for run in report["runs"]:
        budget = BUDGET_MS.get(run["size"])
        size = label(run)
        for name, page in run["pages"].items():
            u, c = page["uncached"], page["cached"]
            if "status" in u:
                lines.append(f"| {run['database']} | {size} | {name} | HTTP {u['status']} | | | | | | | not measured |")
                continue
            lines.append(
                f"| {run['database']} | {size} | {name} | {u['p50_ms']} | {u['p95_ms']} | "
                f"{u.get('cpu_p50_ms', '–')} | {u.get('cpu_p95_ms', '–')} | "
                f"{c['p50_ms']} | {c['p95_ms']} | {u['queries']} | {verdict(name, u, budget)} |"
            )
    loads = [
        f"{run['database']} / {label(run)}: {run['load_before'][0]:.1f} → {run['load_after'][0]:.1f}"
        for run in report["runs"]
        if "load_before" in run
    ]
    if loads:
        lines += [
            "",
            f"Load average (1 min) before → after measuring, on {os.cpu_count()} cores: " + "; ".join(loads) + ".",
        ]
    if report.get("transfer"):
        lines += [
            "",
            "## First visit, compressed transfer (page + its static files)",
            "",
            "| page | assets | brotli (KB) | gzip (KB) | budget 500 KB |",
            "|---|---:|---:|---:|---|",
        ]
        for name, t in report["transfer"].items():
            transfer_verdict = "met" if t["brotli_bytes"] <= TRANSFER_BUDGET else "MISSED"
            lines.append(
                f"| {name} | {t['assets']} | {t['brotli_bytes'] / 1024:.0f} | {t['gzip_bytes'] / 1024:.0f} "
                f"| {transfer_verdict} (gzip {'met' if t['gzip_bytes'] <= TRANSFER_BUDGET else 'missed'}) |"
            )
    if report.get("throughput"):
        lines += [
            "",
            f"## Throughput, gunicorn 2 workers, wrk -t2 -c16 ({report['throughput_db']})",
            "",
            "| target | requests/s | share of static | p99 | non-2xx |",
            "|---|---:|---:|---|---:|",
        ]
        for name, t in report["throughput"].items():
            lines.append(
                f"| {name} | {t['requests_per_second']} | {t['share_of_static']} | {t['p99']} | {t['non_2xx']} |"
            )
    if report.get("imports"):
        lines += [
            "",
            "## Import speed (manage.py import_values: full validation, history rows)",
            "",
            "| database | rows | seconds | rows/s | COPY rows/s (ceiling) | budget ≥ 5,000 rows/s |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for r in report["imports"]:
            budget = "met" if r["rows_per_second"] >= 5000 else "MISSED"
            lines.append(
                f"| {r['database']} | {r['imported']} | {r['seconds']} | {r['rows_per_second']} | "
                f"{r.get('copy_rows_per_second', '–')} | {budget if r['database'] == 'postgresql' else ''} |"
            )
    for note in report.get("notes", []):
        lines += ["", f"Note: {note}"]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="province,national", help="province, national")
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--wrk-seconds", type=int, default=10)
    parser.add_argument("--import-rows", type=int, default=100_000, help="0 skips the import benchmark")
    parser.add_argument(
        "--skip-largest",
        action="store_true",
        help="At national size, measure only the configured province's pages, not also Hồ Chí Minh City's.",
    )
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    sizes = args.sizes.split(",")
    report = {"runs": [], "notes": []}
    province_sqlite = None
    # Pages link their static files through whitenoise's manifest, so it must exist before measuring.
    collect_static(f"sqlite:///{RESULTS / 'bench-static.sqlite3'}")
    with throwaway_postgres() as pg_server:
        for database in args.databases.split(","):
            if database == "postgres" and pg_server is None:
                report["notes"].append("PostgreSQL skipped: initdb/pg_ctl not on PATH.")
                continue
            for size in sizes:
                if database == "sqlite":
                    path = RESULTS / f"bench-{size}.sqlite3"
                    path.unlink(missing_ok=True)
                    url = f"sqlite:///{path}"
                    province_sqlite = url if size == "province" else province_sqlite
                else:
                    url = create_pg_database(pg_server, f"bench_{size}")
                print(f"[bench] {database} / {size} ...", flush=True)
                report["runs"].append(measure(url, size, args.requests))
                if size == "national" and not args.skip_largest:
                    print(f"[bench] {database} / {size}, Hồ Chí Minh City's pages ...", flush=True)
                    report["runs"].append(measure(url, size, args.requests, largest=True))
            if args.import_rows:
                print(f"[bench] {database} / import ...", flush=True)
                if database == "sqlite":
                    path = RESULTS / "bench-import.sqlite3"
                    path.unlink(missing_ok=True)
                    url = f"sqlite:///{path}"
                else:
                    url = create_pg_database(pg_server, "bench_import")
                report.setdefault("imports", []).append(import_speed(url, args.import_rows))
        if province_sqlite:
            client_pages = [
                "/",
                "/indicators/ho-so-truc-tuyen/?units=807,805",
                "/units/807/",
                "/compare/",
                "/scorecard/",
            ]
            report["transfer"] = {}
            with gunicorn(province_sqlite) as base:
                for page in client_pages:
                    html = urllib.request.urlopen(base + page).read()
                    report["transfer"][page] = transfer_size(len(gzip.compress(html, 6)), html.decode())
            if shutil.which("wrk"):
                report["throughput"] = throughput(province_sqlite, args.wrk_seconds)
                report["throughput_db"] = "SQLite, province size"
            else:
                report["notes"].append("Throughput skipped: wrk is not installed (apt-get install wrk).")
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2))
    text = markdown(report)
    (RESULTS / "latest.md").write_text(text)
    print(text)


if __name__ == "__main__":
    main()
