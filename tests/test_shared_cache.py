"""Several app servers share the page cache in Redis (CACHE_URL=redis://...), as docs/deploy.md says.

Against a real redis-server started here: pages are cached in it, /healthz reports it, and when it
stops, pages are still served (uncached), the failure is logged and /healthz says "degraded".
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from django.test import Client

from cchc_dashboard.env import cache_from_url
from tests.site_urls import all_routes, expectation_for

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
PAGE = "/indicators/ho-so-truc-tuyen/?units=805"


def _real_clock_env() -> dict[str, str]:
    """The environment without libfaketime: CI reruns the suite with the clock moved, and redis-server
    cannot start under it. The clock under test is the app's, not the cache server's."""
    return {k: v for k, v in os.environ.items() if k != "LD_PRELOAD" and not k.startswith("FAKETIME")}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """redis-server on a fixed loopback port, nothing written to disk; it can be stopped and started again."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        arguments = ["--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        arguments += ["--dir", str(self.workdir), "--logfile", str(self.workdir / "redis.log")]
        self.process = subprocess.Popen(  # noqa: S603 - a fixed binary and our own arguments
            [REDIS_SERVER, *arguments], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=_real_clock_env()
        )
        deadline = time.monotonic() + 10
        while not self._answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                log_file = self.workdir / "redis.log"
                log = log_file.read_text(errors="replace") if log_file.exists() else "(no log written)"
                pytest.fail(f"redis-server did not start: {log}")
            time.sleep(0.05)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


@pytest.fixture
def redis_server(tmp_path):
    if not Path(REDIS_SERVER).exists():
        pytest.skip("needs redis-server (Debian package `redis-server`) to test the shared cache")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def shared_cache(settings, redis_server):
    """The app's cache is the Redis server, configured exactly as CACHE_URL=redis://... configures it."""
    from indicators import caching

    caching.forget_cache_failure()
    settings.CACHES = {"default": cache_from_url(redis_server.url)}
    yield redis_server
    redis_server.stop()
    caching.forget_cache_failure()  # a failure here must not pause other tests' cache
    settings.CACHES = {"default": cache_from_url("locmem://")}


def _public_urls() -> list[str]:
    urls = []
    for route in all_routes():
        expect = expectation_for(route)
        if expect is None or expect.outcomes["anonymous"] != 200 or route.pattern == "healthz":
            continue
        urls.append(route.url(**expect.params) + (f"?{expect.query}" if expect.query else ""))
    return urls


def test_pages_are_cached_in_the_shared_redis(demo_seeded, shared_cache, client, django_assert_num_queries):
    first = client.get(PAGE)
    assert first.status_code == 200
    with django_assert_num_queries(1):  # the data version; the page comes from Redis
        again = client.get(PAGE)
    assert again.status_code == 200
    assert again.content == first.content
    # Another app server (a new connection to the same Redis) finds the page there too.
    assert any(key.startswith(b":1:cchc:page:") for key in _redis_keys(shared_cache.url))


def _redis_keys(url: str) -> list[bytes]:
    import redis

    return redis.Redis.from_url(url).keys("*")


def test_healthz_reports_the_shared_cache(db, shared_cache, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": {"default": "ok"}, "cache": "ok"}
    assert not [key for key in _redis_keys(shared_cache.url) if b"healthz" in key], "the probe cleans up"


def test_when_redis_stops_part_way_pages_are_served_uncached_and_healthz_says_degraded(
    matrix_data, shared_cache, caplog
):
    client = Client(raise_request_exception=False)
    warm = client.get(PAGE)
    assert warm.status_code == 200
    assert client.get("/healthz").json()["cache"] == "ok"

    shared_cache.stop()
    with caplog.at_level(logging.WARNING, logger="indicators.caching"):
        again = client.get(PAGE)
        statuses = {url: client.get(url).status_code for url in _public_urls()}
    assert again.status_code == 200
    assert "Huyện Tân Trụ" in again.content.decode()
    assert {url: status for url, status in statuses.items() if status != 200} == {}
    assert {"/index/?year=2023", "/index/805/?year=2023", "/api/values.csv"} <= set(statuses)
    warnings = [r for r in caplog.records if r.name == "indicators.caching" and r.levelno == logging.WARNING]
    assert warnings and "Cache unavailable" in warnings[0].getMessage()

    health = client.get("/healthz")
    # Pages still work, and every app server shares this cache: keep the server in rotation, say why.
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": {"default": "ok"}, "cache": "unreachable"}


def test_when_redis_comes_back_pages_are_cached_in_it_again(demo_seeded, shared_cache, client):
    shared_cache.stop()
    assert client.get(PAGE).status_code == 200
    assert client.get("/healthz").json()["status"] == "degraded"
    shared_cache.start()
    # The load balancer's next probe finds the cache again; from then on pages are stored in it.
    assert client.get("/healthz").json() == {"status": "ok", "database": {"default": "ok"}, "cache": "ok"}
    assert client.get(PAGE).status_code == 200
    assert any(key.startswith(b":1:cchc:page:") for key in _redis_keys(shared_cache.url))
