"""One benchmark run inside Django, against the database in DATABASE_URL.

Prints one JSON document: data generation time, and per page the server time (p50/p95 over
--requests requests, measured in-process with the test client, so no network is involved), the
query count, and the compressed size of the HTML. Run by bench/run.py; not a test.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_dashboard.settings.production")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402

from bench import national  # noqa: E402
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue  # noqa: E402

# province: what `make run` builds (the seed, then `demo_data`); national: the seed, then the 34
# provinces from the registry with demo values for every district and commune (bench/national.py).
SIZES = ("province", "national")

# Every public page of the URL conf, and the years that change what it reads: a district year
# (2022, 2023) and a commune year (2026). The page cache is cleared before each uncached request.
PAGES = [
    ("home", "/"),
    ("indicator list", "/indicators/"),
    ("indicator", "/indicators/ho-so-truc-tuyen/?units=807,805"),
    ("indicator (ranking, district year)", "/indicators/ho-so-tre-han/?year=2022"),
    ("indicator (ranking, commune year)", "/indicators/ho-so-tre-han/?year=2026"),
    ("indicator (with the new units)", "/indicators/ho-so-truc-tuyen/?units=807,805&successors=1"),
    ("unit (district)", "/units/807/"),
    ("unit (commune)", "/units/28159/"),
    ("unit (province)", "/units/80/"),
    ("compare", "/compare/?units=807,805,806&indicators=ho-so-truc-tuyen,thanh-toan-truc-tuyen,ho-so-dung-han"),
    ("area", "/areas/tthc/"),
    ("scorecard (district year)", "/scorecard/?year=2023"),
    ("scorecard (commune year)", "/scorecard/?year=2026"),
    ("district index", "/index/?year=2023"),
    ("district index, one district", "/index/805/?year=2023"),
    ("source list", "/sources/"),
    ("sources", "/sources/bao-long-an-mot-cua-2024/"),
    ("export csv (one district)", "/api/values.csv?unit=807"),
    ("export json (one indicator)", "/api/values.json?indicator=ho-so-truc-tuyen"),
    ("indicator table xlsx", "/indicators/ho-so-truc-tuyen/?_export=xlsx"),
    ("open-data page", "/open-data/"),
    ("data package (everything)", "/api/datapackage.zip"),
]
# Pages too slow to request 30 times: every approved value of the country, zipped.
REQUESTS_AT_MOST = {"data package (everything)": 3}


def generate(size: str) -> dict:
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("seed", verbosity=0)  # as `make run`: targets, events and deadlines draw on the pages
    after_seed = time.perf_counter()
    if size == "national":
        built = national.build()
    else:
        call_command("demo_data", verbosity=0)
        built = {}
    with connection.cursor() as cursor:
        # As after any bulk load: the planner needs statistics. Without them SQLite reads the home
        # page's headline figures by indicator and year for the whole country (4,000 units) and keeps
        # the province's: 170–280 ms at national size, against under 5 ms by unit once it knows the numbers.
        cursor.execute("ANALYZE")
    finished = time.perf_counter()
    return {
        "seed_seconds": round(after_seed - started, 2),
        # The registry's 34 provinces (national only), then the demo values and PostgreSQL's ANALYZE.
        **({"registry_seconds": built["units_seconds"]} if built else {}),
        "demo_seconds": round(finished - after_seed - built.get("units_seconds", 0), 2),
        "units": AdministrativeUnit.objects.count(),
        "units_by_level": dict(
            AdministrativeUnit.objects.order_by().values("level").annotate(n=Count("pk")).values_list("level", "n")
        ),
        "values": IndicatorValue.objects.count(),
        "indicators": Indicator.objects.count(),
        "invalid_values": national.invalid_values(),
    }


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def database_backend_schedstat() -> Path | None:
    """/proc/<pid>/schedstat of the PostgreSQL server process serving this connection, where this
    machine runs it and lets us read it; None on SQLite (in-process) or when it cannot be read."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        path = Path(f"/proc/{cursor.fetchone()[0]}/schedstat")
    try:
        path.read_text()
    except OSError:
        return None
    return path


def cpu_seconds(backend: Path | None) -> float:
    """CPU time used so far by this process and by the database server's process for it (seconds).

    Unlike the wall clock, it does not count the time spent waiting for a core, so it stays close to
    what a quiet machine would show when other work shares the cores (load average above their number).
    """
    used = time.process_time()
    if backend is not None:
        used += int(backend.read_text().split()[0]) / 1e9  # nanoseconds on the CPU
    return used


def percentiles(timings: list[float]) -> tuple[float, float]:
    """p50 and p95 (nearest rank) in milliseconds, rounded to 0.1."""
    timings = sorted(timings)
    return round(statistics.median(timings), 1), round(timings[max(0, int(len(timings) * 0.95) - 1)], 1)


def measure_page(client: Client, url: str, requests: int, *, cached: bool) -> dict:
    if not cached:
        cache.clear()
    response = client.get(url)
    if response.status_code != 200:  # reported, not fatal: a page being rewritten must not stop the run
        return {"status": response.status_code}
    body = body_of(response)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    if not cached:
        cache.clear()
    with connection.execute_wrapper(count):
        body_of(client.get(url))
    backend = database_backend_schedstat()
    timings, cpu = [], []
    for _ in range(requests):
        if not cached:
            cache.clear()
        started, started_cpu = time.perf_counter(), cpu_seconds(backend)
        body_of(client.get(url))
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((cpu_seconds(backend) - started_cpu) * 1000)
    p50, p95 = percentiles(timings)
    cpu_p50, cpu_p95 = percentiles(cpu)
    return {
        "p50_ms": p50,
        "p95_ms": p95,
        "cpu_p50_ms": cpu_p50,
        "cpu_p95_ms": cpu_p95,
        "queries": len(queries),
        "html_bytes": len(body),
        "gzip_bytes": len(gzip.compress(body, 6)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", choices=SIZES, required=True)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--skip-generate", action="store_true")
    parser.add_argument(
        "--largest",
        action="store_true",
        help="Measure Hồ Chí Minh City's pages (168 communes; run with CCHC_PROVINCE_CODE=79) on a national database.",
    )
    parser.add_argument(
        "--pages",
        default="",
        help="Measure only the pages whose name contains one of these words (comma-separated); "
        "'none' measures nothing (generation only).",
    )
    parser.add_argument(
        "--accept-encoding",
        default="",
        help="Send this Accept-Encoding (say 'gzip', as a browser does): the public pages are then "
        "compressed on every request, cached or not, and the times include it.",
    )
    args = parser.parse_args()
    wanted = [word for word in args.pages.split(",") if word]
    result = {"size": args.size, "database": connection.vendor, "province": settings.CCHC_PROVINCE_CODE}
    if args.largest and settings.CCHC_PROVINCE_CODE != national.LARGEST:
        parser.error(f"--largest needs CCHC_PROVINCE_CODE={national.LARGEST}")
    if not args.skip_generate:
        result["generation"] = generate(args.size)
    result["load_before"] = os.getloadavg()
    result["accept_encoding"] = args.accept_encoding or "identity"
    headers = {"HTTP_ACCEPT_ENCODING": args.accept_encoding} if args.accept_encoding else {}
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False, **headers)
    result["pages"] = {}
    for name, url in PAGES:
        if wanted and not any(word in name for word in wanted):
            continue
        url = national.in_largest_province(url) if args.largest else url
        result["pages"][name] = {
            "url": url,
            "uncached": measure_page(
                client, url, min(args.requests, REQUESTS_AT_MOST.get(name, args.requests)), cached=False
            ),
            "cached": measure_page(
                client, url, min(args.requests, REQUESTS_AT_MOST.get(name, args.requests)), cached=True
            ),
        }
    result["load_after"] = os.getloadavg()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
