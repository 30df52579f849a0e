"""What a failing shared cache costs each page: `python bench/cache_down.py [--requests 50]`.

Not part of `make test`. For a Redis that answers, one that is stopped (connection refused) and a
host that accepts connections but never answers (a hung or firewalled server), it times the page
cache's read and write as a page makes them (indicators/caching.py), in milliseconds per page.
Needs /usr/bin/redis-server (Debian package `redis-server`) for the first case; no database.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def per_page_ms(url: str, requests: int) -> tuple[float, float]:
    from django.test import override_settings

    from cchc_dashboard.env import cache_from_url
    from indicators import caching

    caching.forget_cache_failure()  # each case starts with a cache believed healthy
    times = []
    with override_settings(CACHES={"default": cache_from_url(url)}):  # a fresh client for this URL
        for n in range(requests):
            start = time.perf_counter()
            if caching.cache_get(f"bench:{n}") is None:
                caching.cache_set(f"bench:{n}", b"x" * 50_000, 60)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc_dashboard.settings.production")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()

    cases = []
    redis_binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    with tempfile.TemporaryDirectory() as workdir:
        if Path(redis_binary).exists():
            port = free_port()
            server = subprocess.Popen(
                [redis_binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", workdir],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                time.sleep(0.5)
                cases.append(("Redis answering", per_page_ms(f"redis://127.0.0.1:{port}/0", args.requests)))
            finally:
                server.terminate()
                server.wait()
            cases.append(("Redis stopped (refused)", per_page_ms(f"redis://127.0.0.1:{port}/0", args.requests)))
        silent = socket.socket()
        silent.bind(("127.0.0.1", 0))
        silent.listen(1000)  # accepts into the backlog, never reads or answers
        cases.append(
            ("host silent (hung)", per_page_ms(f"redis://127.0.0.1:{silent.getsockname()[1]}/0", args.requests))
        )
    print(f"| shared cache | median ms per page | worst ms per page |  ({args.requests} pages each)")
    print("|---|---|---|")
    for name, (median, worst) in cases:
        print(f"| {name} | {median:.2f} | {worst:.1f} |")


if __name__ == "__main__":
    main()
