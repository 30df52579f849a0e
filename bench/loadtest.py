"""Load test: public reads mixed with data-entry writes against gunicorn, for 60 seconds.

    make loadtest                         (or: .venv/bin/python bench/loadtest.py --seconds 60)

Not part of `make test`. What it does:
1. builds a throwaway SQLite database in a temporary folder: migrations, the seed fixtures, the demo
   data, and a district admin ("loadtest-huyen") assigned to Long An's 15 districts;
2. serves it with gunicorn, 2 workers, on 127.0.0.1 and a free port (bench/run.py's `gunicorn`);
3. for `--seconds`, `--readers` threads request public pages (home, indicator, unit, area and compare
   pages, CSV and JSON exports) while `--writers` threads, each logged in as the district admin,
   load a yearly entry form, change three figures and save them as drafts, posting the form's CSRF
   token and the optimistic-lock versions it was built with (a 409 conflict is answered by loading
   the form again, as a person would);
4. stops by itself at the deadline or after `--max-requests`, stops gunicorn, and checks in the
   database that every landed save left exactly its three history rows;
5. writes bench/results/loadtest.md and loadtest.json.

Only the standard library and packages already in the virtualenv; every request goes to 127.0.0.1.
An error is any answer other than the expected status (200 for pages, 302 or 409 for a save) or any
failed connection; the run exits with status 1 if there was one.
"""

from __future__ import annotations

import argparse
import html.parser
import http.client
import http.cookies
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import PYTHON, RESULTS, ROOT, base_env, collect_static, gunicorn

USERNAME = "loadtest-huyen"
# Shares with no relation to other figures: any value from 50 to 94 saves without a warning.
WRITE_FIGURES = ["van-ban-qppl-ra-soat", "ho-so-so-hoa", "van-ban-dien-tu"]
WRITE_YEARS = range(2019, 2025)
READ_PATHS = [
    "/",
    "/indicators/",
    "/indicators/ho-so-truc-tuyen/",
    "/indicators/ho-so-truc-tuyen/?units=807,805&year=2022",
    "/indicators/sipas/?units=807,805,806",
    "/indicators/ho-so-dung-han/",
    "/indicators/xep-hang-chi-so-cchc/",
    "/units/807/",
    "/units/805/",
    "/units/806/",
    "/areas/tthc/",
    "/areas/chinh-quyen-so/",
    "/compare/?units=807,805",
    "/scorecard/",
    "/api/values.csv?unit=807,805",
    "/api/values.json?indicator=sipas",
    "/api/values.csv",
]

SETUP_SCRIPT = """
import json
from django.contrib.auth.models import Group, User
from indicators.models import UNIT_ADMIN_GROUP, AdministrativeUnit, UnitAdminAssignment
user = User.objects.create_user({username!r}, password={password!r})
user.groups.add(Group.objects.get(name=UNIT_ADMIN_GROUP))
units = list(AdministrativeUnit.objects.filter(parent__code="80", level="district").order_by("code"))
UnitAdminAssignment.objects.bulk_create([UnitAdminAssignment(user=user, unit=u) for u in units])
print(json.dumps([u.code for u in units]))
"""

VERIFY_SCRIPT = """
import json
from indicators.models import IndicatorValue
rows = IndicatorValue.history.filter(history_user__username={username!r}, history_change_reason="saved")
print(json.dumps({{"history_rows": rows.count(), "drafts": IndicatorValue.objects.filter(
    updated_by__username={username!r}, status="draft").count()}}))
"""


# --- a minimal HTTP client: one connection per request (gunicorn's sync workers close them) --------


class Client:
    def __init__(self, base: str):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        assert self.host == "127.0.0.1", "the load test only talks to 127.0.0.1"
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | list | None = None) -> tuple[int, dict, bytes, float]:
        headers = {"Accept-Language": "vi", "User-Agent": "cchc-loadtest"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = http.cookies.SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, dict(response.headers), data, elapsed


class FormFields(html.parser.HTMLParser):
    """The fields a browser would submit from the page's POST form: name -> value, in order."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.in_form = False
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post" and "login" not in (a.get("action") or ""):
            self.in_form = True
        if not self.in_form or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self.fields.append((name, a.get("value") or ("on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select, self._select_value = name, None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "select" and self._select is not None:
            self.fields.append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)


def form_fields(page: bytes) -> list[tuple[str, str]]:
    parser = FormFields()
    parser.feed(page.decode("utf-8"))
    return parser.fields


# --- the workload ------------------------------------------------------------------------------------


class Stats:
    def __init__(self, max_requests: int):
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = {"read": [], "form": [], "write": []}
        self.errors: list[str] = []
        self.conflicts = 0
        self.landed = 0
        self.max_requests = max_requests
        self.count = 0

    def record(self, kind: str, elapsed: float, error: str | None = None) -> bool:
        """Record a request; False once the request budget is spent."""
        with self.lock:
            self.latencies[kind].append(elapsed)
            self.count += 1
            if error:
                self.errors.append(error)
            return self.count < self.max_requests


def reader(base: str, stats: Stats, deadline: float, offset: int):
    client = Client(base)
    n = offset
    while time.monotonic() < deadline:
        path = READ_PATHS[n % len(READ_PATHS)]
        n += 1
        try:
            status, _headers, _body, elapsed = client.request("GET", path)
        except OSError as error:
            stats.record("read", 0.0, f"GET {path}: {error!r}")
            continue
        if not stats.record("read", elapsed, None if status == 200 else f"GET {path}: {status}"):
            return


def login(client: Client, password: str) -> None:
    status, _h, page, _t = client.request("GET", "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
    form = {"csrfmiddlewaretoken": token, "username": USERNAME, "password": password, "next": "/entry/"}
    status, headers, _page, _t = client.request("POST", "/accounts/login/", form)
    if status != 302 or "sessionid" not in client.cookies:
        raise SystemExit(f"login failed: {status} {headers.get('Location')}")


def next_value(current: str) -> str:
    """Another whole share from 50 to 94, different from the one shown."""
    number = int(current.split(",")[0]) if current.strip() else 49
    return str(50 + (number - 50 + 1) % 45)


def writer(base: str, stats: Stats, deadline: float, password: str, pairs: list[tuple[str, int]], think: float):
    client = Client(base)
    login(client, password)
    n = 0
    while time.monotonic() < deadline:
        if n:
            time.sleep(think)  # a person reads the page before saving again
        unit, year = pairs[n % len(pairs)]
        n += 1
        path = f"/entry/{unit}/{year}/"
        try:
            status, _h, page, elapsed = client.request("GET", path)
        except OSError as error:
            stats.record("form", 0.0, f"GET {path}: {error!r}")
            continue
        if not stats.record("form", elapsed, None if status == 200 else f"GET {path}: {status}"):
            return
        if status != 200:
            continue
        fields = form_fields(page)
        changed = {f"{code}__value" for code in WRITE_FIGURES}
        data = [(k, next_value(v) if k in changed else v) for k, v in fields]
        data.append(("action", "save"))
        if not changed <= {k for k, _v in fields}:
            stats.record("form", 0.0, f"{path}: the form lacks {changed - {k for k, _v in fields}}")
            continue
        try:
            status, headers, body, elapsed = client.request("POST", path, data)
        except OSError as error:
            stats.record("write", 0.0, f"POST {path}: {error!r}")
            continue
        error = None
        if status == 302 and headers.get("Location", "").endswith(path):
            with stats.lock:
                stats.landed += 1
        elif status == 409:  # someone saved meanwhile: the next round loads the form again
            with stats.lock:
                stats.conflicts += 1
        else:
            snippet = re.sub(rb"\s+", b" ", body)[:300].decode("utf-8", "replace")
            error = f"POST {path}: {status} {snippet}"
        if not stats.record("write", elapsed, error):
            return


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index] * 1000


# --- setup, run, report -----------------------------------------------------------------------------


def manage(env: dict, *args: str, capture: bool = False) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], env=env, cwd=ROOT, check=True, capture_output=capture, text=True
    )
    return result.stdout if capture else ""


def prepare(database_url: str, password: str) -> list[str]:
    env = base_env(database_url)
    started = time.monotonic()
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "seed", "-v0")
    manage(env, "demo_data")
    codes = json.loads(
        manage(env, "shell", "-c", SETUP_SCRIPT.format(username=USERNAME, password=password), capture=True)
        .strip()
        .splitlines()[-1]
    )
    collect_static(database_url)
    print(f"[loadtest] database ready in {time.monotonic() - started:.0f}s: {len(codes)} districts", flush=True)
    return codes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--readers", type=int, default=6, help="threads requesting public pages")
    parser.add_argument("--writers", type=int, default=2, help="threads saving drafts as the district admin")
    parser.add_argument("--think", type=float, default=1.0, help="seconds a writer waits between saves")
    parser.add_argument("--max-requests", type=int, default=200_000, help="stop early after this many")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database folder")
    args = parser.parse_args()
    if not 1 <= args.readers + args.writers <= 64 or not 1 <= args.seconds <= 600:
        parser.error("1-64 threads and 1-600 seconds")

    folder = Path(tempfile.mkdtemp(prefix="cchc-loadtest-"))
    database_url = f"sqlite:///{folder / 'loadtest.sqlite3'}"
    password = secrets.token_urlsafe(16)
    try:
        codes = prepare(database_url, password)
        pairs = [(code, year) for code in codes for year in WRITE_YEARS]
        stats = Stats(args.max_requests)
        with gunicorn(database_url) as base:
            print(
                f"[loadtest] gunicorn (2 workers) at {base}: {args.readers} readers, {args.writers} writers, "
                f"{args.seconds}s",
                flush=True,
            )
            deadline = time.monotonic() + args.seconds
            threads = [
                threading.Thread(target=reader, args=(base, stats, deadline, n * 3), daemon=True)
                for n in range(args.readers)
            ]
            # Each writer has its own unit-years: conflicts between them would be by design, not load.
            threads += [
                threading.Thread(
                    target=writer,
                    args=(base, stats, deadline, password, pairs[w :: args.writers], args.think),
                )
                for w in range(args.writers)
            ]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=args.seconds + 120)
            duration = time.monotonic() - started
            if any(thread.is_alive() for thread in threads):
                stats.errors.append("a client thread did not stop")
        check = json.loads(
            manage(base_env(database_url), "shell", "-c", VERIFY_SCRIPT.format(username=USERNAME), capture=True)
            .strip()
            .splitlines()[-1]
        )
        expected_history = stats.landed * len(WRITE_FIGURES)
        if check["history_rows"] != expected_history:
            stats.errors.append(
                f"history has {check['history_rows']} saved rows for {stats.landed} landed saves "
                f"(expected {expected_history})"
            )
    finally:
        if args.keep:
            print(f"[loadtest] database kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)

    report = summarise(stats, duration, args, check)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "loadtest.json").write_text(json.dumps(report, indent=2))
    text = markdown(report)
    (RESULTS / "loadtest.md").write_text(text)
    print(text)
    return 1 if report["errors"] else 0


def summarise(stats: Stats, duration: float, args, check: dict) -> dict:
    kinds = {}
    for kind, values in stats.latencies.items():
        kinds[kind] = {
            "requests": len(values),
            "p50_ms": round(percentile(values, 0.50), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
            "p99_ms": round(percentile(values, 0.99), 1),
            "max_ms": round(max(values) * 1000, 1) if values else None,
        }
    total = sum(len(v) for v in stats.latencies.values())
    return {
        "seconds": round(duration, 1),
        "readers": args.readers,
        "writers": args.writers,
        "think": args.think,
        "total_requests": total,
        "requests_per_second": round(total / duration, 1),
        "errors": len(stats.errors),
        "error_samples": stats.errors[:20],
        "landed_saves": stats.landed,
        "conflicts": stats.conflicts,
        "history_check": check,
        "by_kind": kinds,
        "machine": f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}",
    }


def markdown(report: dict) -> str:
    labels = {
        "read": "public reads (pages and exports)",
        "form": "entry form loads (GET)",
        "write": "draft saves (POST)",
    }
    lines = [
        "# Load test",
        "",
        f"gunicorn, 2 workers, SQLite (seed + demo data), 127.0.0.1; {report['readers']} reader and "
        f"{report['writers']} writer threads (pausing {report['think']} s between saves) for "
        f"{report['seconds']} s; {report['machine']}.",
        "Readers send their next request as soon as the last one is answered, so their latency includes",
        "queueing for the 2 workers; every landed save changes the data version, so most reads are uncached.",
        "",
        f"- total requests: **{report['total_requests']}** ({report['requests_per_second']} requests/s)",
        f"- errors: **{report['errors']}**",
        f"- saves landed: {report['landed_saves']}, conflicts answered 409 and retried: {report['conflicts']}",
        f"- history rows written by the saves: {report['history_check']['history_rows']} "
        f"(3 per landed save: {report['landed_saves'] * 3})",
        "",
        "| kind | requests | p50 ms | p95 ms | p99 ms | max ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, row in report["by_kind"].items():
        lines.append(
            f"| {labels[kind]} | {row['requests']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} "
            f"| {row['max_ms']} |"
        )
    if report["error_samples"]:
        lines += ["", "Errors (first 20):", ""] + [f"- {e}" for e in report["error_samples"]]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
