"""Speed as the visitor feels it (issue 14): part of `make bench`, not of `make test`.

On the site as `make run` serves it (seed + demo data, collected static files, gunicorn with
whitenoise, DEBUG off), for each main page:

1. the bytes of a first visit, as served: the page and every static file it references, each
   fetched once with `Accept-Encoding: br, gzip`, counting what went over the wire (headers and
   the compressed bodies); then the same with the files fetched once the reader reaches for a chart
   (plotly.js, static/js/charts.js). Budget: 250 KB;
2. Lighthouse (the npm devDependency, pinned in package.json) with Debian's Chromium, the mobile
   preset (Lighthouse's default form factor and simulated throttling): performance and
   accessibility scores, LCP, TBT, CLS and Lighthouse's own total byte weight. Budgets:
   performance >= 95, accessibility 100. Each page is run `--runs` times; the median run by
   performance score is reported, with what Lighthouse flagged in it.

Writes bench/results/lighthouse.md and lighthouse.json and prints the table.

    .venv/bin/python bench/lighthouse.py [--runs 3] [--pages home,indicator] [--database-url URL]
        [--base-url http://127.0.0.1:8000] [--skip-lighthouse]

Without --database-url a fresh SQLite database is built in a temporary folder (the steps of
`make run`); with --base-url nothing is started and that server is measured.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
FIRST_VISIT_BUDGET = 250 * 1024
PERFORMANCE_BUDGET = 95
ACCESSIBILITY_BUDGET = 100

# The main pages of issue 14, with the units bench/measure.py uses (Tây Ninh's seed and demo data).
PAGES = {
    "home": "/",
    "indicator": "/indicators/ho-so-truc-tuyen/",
    "unit": "/units/807/",
    "compare": "/compare/?units=807,805,806&indicators=ho-so-truc-tuyen,thanh-toan-truc-tuyen,ho-so-dung-han",
    "scorecard": "/scorecard/",
    "index": "/index/",
    "index (district)": "/index/805/",
}

ASSET = re.compile(r'(?:src|href)="(/static/[^"]+)"')
# Fetched by static/js/charts.js when the reader reaches for a chart (plotly.js); until then the
# charts are the pictures drawn on the server (presentation/chart_svg.py).
ON_DEMAND = re.compile(r'data-plotly="(/static/[^"]+)"')


def fetch(base: str, path: str) -> tuple[int, bytes, int, str]:
    """(status, compressed body, bytes on the wire, content-encoding) of one GET, as a browser
    that accepts brotli and gzip gets it (http.client never decompresses)."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "br, gzip", "Accept-Language": "vi"})
        response = connection.getresponse()
        body = response.read()
        head = len(f"HTTP/1.1 {response.status} {response.reason}\r\n") + sum(
            len(k) + len(v) + 4 for k, v in response.getheaders()
        )
        return response.status, body, head + 2 + len(body), response.getheader("Content-Encoding", "identity")
    finally:
        connection.close()


def decoded(body: bytes, encoding: str) -> str:
    if encoding == "br":
        import brotli

        body = brotli.decompress(body)
    elif encoding == "gzip":
        import gzip

        body = gzip.decompress(body)
    return body.decode("utf-8", "replace")


def first_visit(base: str, path: str) -> dict:
    status, body, wire, encoding = fetch(base, path)
    html = decoded(body, encoding)
    row = {"status": status, "html_bytes": wire, "html_encoding": encoding, "assets": []}
    for asset in dict.fromkeys(ASSET.findall(html)):
        asset = urljoin(path, asset.replace("&amp;", "&"))
        a_status, _body, a_wire, a_encoding = fetch(base, asset)
        row["assets"].append({"path": asset, "status": a_status, "bytes": a_wire, "encoding": a_encoding})
    row["total_bytes"] = wire + sum(a["bytes"] for a in row["assets"])
    row["on_demand"] = []
    for asset in dict.fromkeys(ON_DEMAND.findall(html)):
        a_status, _body, a_wire, a_encoding = fetch(base, asset)
        row["on_demand"].append({"path": asset, "status": a_status, "bytes": a_wire, "encoding": a_encoding})
    row["with_charts_bytes"] = row["total_bytes"] + sum(a["bytes"] for a in row["on_demand"])
    return row


LIGHTHOUSE_ATTEMPTS = 3


def lighthouse(url: str, chromium: str, out: Path) -> dict:
    env = os.environ | {"CHROME_PATH": chromium}
    # Lighthouse sometimes loses its own trace ("NO_NAVSTART", a known flake of headless Chrome):
    # such a run measured nothing, so it is run again, and a third failure stops the benchmark.
    for attempt in range(1, LIGHTHOUSE_ATTEMPTS + 1):
        try:
            _run_lighthouse(url, env, out)
            break
        except subprocess.CalledProcessError:
            if attempt == LIGHTHOUSE_ATTEMPTS:
                raise
            print(f"{url}: Lighthouse failed (attempt {attempt}), running it again", file=sys.stderr)
    return _summary(json.loads(out.read_text()))


def _run_lighthouse(url: str, env: dict, out: Path) -> None:
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            "--only-categories=performance,accessibility",
            "--chrome-flags=--headless --no-sandbox --disable-gpu",
            "--locale=en",
        ],
        env=env,
        check=True,
        cwd=ROOT,
        timeout=300,
    )


def _summary(report: dict) -> dict:
    audits = report["audits"]
    flagged = [
        f"{a['id']}: {a.get('displayValue') or a['title']}"
        for a in audits.values()
        if a.get("score") is not None
        and a["score"] < 0.9
        and a.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
    ]
    return {
        "performance": round(report["categories"]["performance"]["score"] * 100),
        "accessibility": round(report["categories"]["accessibility"]["score"] * 100),
        "lcp_ms": round(audits["largest-contentful-paint"]["numericValue"]),
        "tbt_ms": round(audits["total-blocking-time"]["numericValue"]),
        "cls": round(audits["cumulative-layout-shift"]["numericValue"], 3),
        "byte_weight": round(audits["total-byte-weight"]["numericValue"]),
        "flagged": flagged,
        "runtime_error": (report.get("runtimeError") or {}).get("message"),
    }


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)


@contextlib.contextmanager
def served_site(database_url: str | None):
    """A fresh database with what `make run` loads, the static files collected, and gunicorn."""
    sys.path.insert(0, str(ROOT / "bench"))
    from run import base_env, gunicorn

    with tempfile.TemporaryDirectory(prefix="cchc-lighthouse-") as folder:
        fresh = database_url is None
        database_url = database_url or f"sqlite:///{folder}/site.sqlite3"
        env = base_env(database_url)
        if fresh:
            started = time.monotonic()
            for step in (
                ("migrate", "--no-input"),
                ("seed",),
                ("load_units", "--only-missing"),
                ("load_criteria_set",),
                ("demo_data",),
            ):
                manage(env, *step)
            print(f"database built in {time.monotonic() - started:.0f} s", file=sys.stderr)
        manage(env, "collectstatic", "--no-input", "-v0")
        with gunicorn(database_url) as base:
            yield base


def kb(n: int) -> str:
    return f"{n / 1024:.0f} KB"


def markdown(report: dict) -> str:
    lines = [
        "# First visit and Lighthouse",
        "",
        f"{report['when']}; Lighthouse {report['lighthouse_version']}, {report['chromium']}, mobile preset, "
        f"median of {report['runs']} run(s) by performance; load average {report['load_before']} before, "
        f"{report['load_after']} after.",
        "",
        "| page | first visit (as served) | with plotly | perf | a11y | LCP | TBT | CLS | Lighthouse bytes |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, row in report["pages"].items():
        visit = row["first_visit"]
        mark = "" if visit["total_bytes"] <= FIRST_VISIT_BUDGET else " (over)"
        charts = visit.get("with_charts_bytes", visit["total_bytes"])
        charts_cell = kb(charts)  # no budget: the reader asked for the interactive chart
        lh = row.get("lighthouse")
        if lh:
            cells = [
                f"{lh['performance']}" + ("" if lh["performance"] >= PERFORMANCE_BUDGET else " (under)"),
                f"{lh['accessibility']}" + ("" if lh["accessibility"] >= ACCESSIBILITY_BUDGET else " (under)"),
                f"{lh['lcp_ms'] / 1000:.1f} s",
                f"{lh['tbt_ms']} ms",
                f"{lh['cls']}",
                kb(lh["byte_weight"]),
            ]
        else:
            cells = ["–"] * 6
        lines.append(f"| {name} | {kb(visit['total_bytes'])}{mark} | {charts_cell} | " + " | ".join(cells) + " |")
    lines += ["", "First visit, file by file (bytes on the wire, encoding):", ""]
    for name, row in report["pages"].items():
        visit = row["first_visit"]
        parts = [f"HTML {kb(visit['html_bytes'])} {visit['html_encoding']}"] + [
            f"{Path(a['path']).name} {kb(a['bytes'])} {a['encoding']}" for a in visit["assets"]
        ]
        parts += [f"then {Path(a['path']).name} {kb(a['bytes'])} {a['encoding']}" for a in visit.get("on_demand", [])]
        lines.append(f"- {name}: " + ", ".join(parts))
    flagged = {name: row["lighthouse"]["flagged"] for name, row in report["pages"].items() if row.get("lighthouse")}
    if any(flagged.values()):
        lines += ["", "Flagged by Lighthouse (score below 0.9):", ""]
        lines += [f"- {name}: " + "; ".join(items) for name, items in flagged.items() if items]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page; the median is reported")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated names from: " + ", ".join(PAGES))
    parser.add_argument("--database-url", help="use this database as it is instead of building a fresh one")
    parser.add_argument("--base-url", help="measure this running server instead of starting one")
    parser.add_argument("--skip-lighthouse", action="store_true", help="only the first-visit bytes")
    parser.add_argument("--output", default=str(RESULTS / "lighthouse"), help="path without .md/.json")
    args = parser.parse_args()

    names = [n.strip() for n in args.pages.split(",") if n.strip()]
    unknown = [n for n in names if n not in PAGES]
    if unknown:
        parser.error(f"unknown page(s): {', '.join(unknown)}")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    run_lighthouse = not args.skip_lighthouse
    if run_lighthouse and not (chromium and LIGHTHOUSE.exists()):
        print("no chromium or no node_modules/.bin/lighthouse (npm install): first-visit bytes only", file=sys.stderr)
        run_lighthouse = False
    version = ""
    if run_lighthouse:
        version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
    report = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "lighthouse_version": version or "not run",
        "chromium": subprocess.run([chromium, "--version"], capture_output=True, text=True).stdout.strip()
        if chromium
        else "no chromium",
        "runs": args.runs if run_lighthouse else 0,
        "load_before": round(os.getloadavg()[0], 1),
        "pages": {},
    }
    site = contextlib.nullcontext(args.base_url) if args.base_url else served_site(args.database_url)
    with site as base, tempfile.TemporaryDirectory(prefix="cchc-lh-") as scratch:
        for name in names:
            path = PAGES[name]
            fetch(base, path)  # the page cache warm, as for any visitor after the first
            row = {"path": path, "first_visit": first_visit(base, path)}
            if run_lighthouse:
                runs = [lighthouse(base + path, chromium, Path(scratch) / f"{i}.json") for i in range(args.runs)]
                runs.sort(key=lambda r: r["performance"])
                row["lighthouse"] = runs[len(runs) // 2]
                row["lighthouse"]["performance_runs"] = [r["performance"] for r in runs]
            report["pages"][name] = row
            print(
                f"{name}: {row.get('lighthouse', {}).get('performance', '-')} perf, "
                f"{kb(row['first_visit']['total_bytes'])}",
                file=sys.stderr,
            )
    report["load_after"] = round(os.getloadavg()[0], 1)
    text = markdown(report)
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.with_suffix(".md").write_text(text)
    output.with_suffix(".json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(text)
    over = [n for n, r in report["pages"].items() if r["first_visit"]["total_bytes"] > FIRST_VISIT_BUDGET]
    if over:
        print(f"first visit over {kb(FIRST_VISIT_BUDGET)}: {', '.join(over)}", file=sys.stderr)


if __name__ == "__main__":
    main()
