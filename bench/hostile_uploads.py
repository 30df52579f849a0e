"""Hostile uploads against gunicorn: /healthz latency while two are processed at once, and worker memory.

    make bench-hostile                    (or: .venv/bin/python bench/hostile_uploads.py --rounds 10)

Not part of `make test`. What it does:
1. builds a throwaway SQLite database in a temporary folder (migrations, the seed fixtures and a
   district admin), and serves it with gunicorn, 2 sync workers, on 127.0.0.1 (bench/run.py's
   `gunicorn`, as bench/loadtest.py does);
2. measures /healthz alone ("idle");
3. for `--rounds` rounds, logs in as the district admin in two clients, and posts two hostile
   files at once to /entry/import/ (each client its own), while a third thread requests /healthz
   every 50 ms; the files: an XLSX of 1.6 KB whose only data row is number 50,000,000, an XLSX
   whose shared strings unpack to 64 MB, and a CSV of 1,000,000 rows (the pairs rotate);
4. reads every gunicorn process's peak resident memory (VmHWM in /proc) at the end;
5. writes bench/results/hostile_uploads.md and .json, and exits 1 if an upload got anything but a
   400, or /healthz took a second or more.

Only the standard library and the virtualenv; every request goes to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import secrets
import shutil
import statistics
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from loadtest import SETUP_SCRIPT, USERNAME, Client, login, manage
from run import RESULTS, base_env, collect_static, gunicorn

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="xl/workbook.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<?xml version="1.0"?><workbook {NS} '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
        '<Relationship Id="rId2" Target="sharedStrings.xml" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
        "</Relationships>"
    ),
}
HEADER_ROW = '<row r="1">' + "".join(
    f'<c r="{c}1" t="inlineStr"><is><t>{name}</t></is></c>'
    for c, name in zip("ABCD", ["unit_code", "indicator_code", "year", "value"], strict=True)
)
HEADER_ROW += "</row>"


def _xlsx(sheet_rows: str, shared_megabytes: int = 0) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?><worksheet {NS}><sheetData>{sheet_rows}</sheetData></worksheet>',
        )
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0"?><sst {NS}>'.encode())
            block = b"<si><t>aaaaaaaa</t></si>" * (2**20 // 24)
            for _ in range(shared_megabytes):
                part.write(block)
            part.write(b"<si><t>x</t></si></sst>")
    return out.getvalue()


def hostile_files() -> dict[str, tuple[str, bytes]]:
    far_row = '<row r="50000000"><c r="A50000000" t="inlineStr"><is><t>805</t></is></c></row>'
    return {
        "row 50,000,000": ("far-row.xlsx", _xlsx(HEADER_ROW + far_row)),
        "64 MB of shared strings": ("shared-strings.xlsx", _xlsx(HEADER_ROW, shared_megabytes=64)),
        "1,000,000-row CSV": ("million.csv", b"unit_code,indicator_code,year,value\n" + b"805\n" * 1_000_000),
    }


def post_file(client: Client, name: str, content: bytes) -> tuple[int, float]:
    _status, _h, page, _t = client.request("GET", "/entry/import/")
    token = page.split(b'name="csrfmiddlewaretoken" value="', 1)[1].split(b'"', 1)[0].decode()
    boundary = secrets.token_hex(12)
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    import http.client

    connection = http.client.HTTPConnection(client.host, client.port, timeout=120)
    headers = {
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items()),
        "Referer": f"http://{client.host}:{client.port}/entry/import/",
    }
    started = time.perf_counter()
    try:
        connection.request("POST", "/entry/import/", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
    finally:
        connection.close()
    return response.status, time.perf_counter() - started


def send(results: list, i: int, client: Client, kind: str, name: str, content: bytes) -> None:
    results[i] = (kind, *post_file(client, name, content))


def healthz(base: str) -> float:
    client = Client(base)
    started = time.perf_counter()
    status, _h, _body, _t = client.request("GET", "/healthz")
    if status != 200:
        raise RuntimeError(f"/healthz answered {status}")
    return time.perf_counter() - started


def gunicorn_peak_rss_mb(port: int) -> dict[str, float]:
    """VmHWM (peak resident memory) of each process whose command line binds this port."""
    found = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if f"127.0.0.1:{port}" not in cmdline or "gunicorn" not in cmdline:
                continue
            for line in (proc / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    found[proc.name] = round(int(line.split()[1]) / 1024, 1)
        except OSError:
            continue
    return found


def summary(seconds: list[float]) -> dict:
    ordered = sorted(seconds)
    return {
        "requests": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 1),
        "p95_ms": round(ordered[math.ceil(len(ordered) * 0.95) - 1] * 1000, 1),  # nearest rank
        "max_ms": round(ordered[-1] * 1000, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="rounds of two hostile uploads at once")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database folder")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="cchc-hostile-"))
    database_url = f"sqlite:///{folder / 'hostile.sqlite3'}"
    password = secrets.token_urlsafe(16)
    env = base_env(database_url)
    files = hostile_files()
    names = list(files)
    failures = []
    try:
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "seed", "-v0")
        manage(env, "shell", "-c", SETUP_SCRIPT.format(username=USERNAME, password=password), capture=True)
        collect_static(database_url)
        with gunicorn(database_url) as base:
            port = int(base.rsplit(":", 1)[1])
            idle = [healthz(base) for _ in range(20)]
            clients = [Client(base), Client(base)]
            for client in clients:
                login(client, password)
            during, uploads = [], []
            for round_number in range(args.rounds):
                pair = [names[round_number % len(names)], names[(round_number + 1) % len(names)]]
                results: list = [None, None]
                threads = [
                    threading.Thread(target=send, args=(results, i, clients[i], kind, *files[kind]))
                    for i, kind in enumerate(pair)
                ]
                for thread in threads:
                    thread.start()
                while any(thread.is_alive() for thread in threads):
                    during.append(healthz(base))
                    time.sleep(0.05)
                for thread in threads:
                    thread.join()
                uploads.extend(results)
            peaks = gunicorn_peak_rss_mb(port)
    finally:
        if args.keep:
            print(f"[hostile] database kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    for kind, status, _seconds in uploads:
        if status != 400:
            failures.append(f"{kind}: answered {status} (expected 400)")
    during = during or [0.0]
    if max(during) >= 1.0:
        failures.append(f"/healthz took {max(during):.2f}s during the uploads")
    per_kind = {}
    for kind, _status, seconds in uploads:
        per_kind.setdefault(kind, []).append(seconds)
    result = {
        "rounds": args.rounds,
        "healthz_idle": summary(idle),
        "healthz_during_uploads": summary(during),
        "upload_answer_ms": {kind: summary(times) for kind, times in per_kind.items()},
        "upload_statuses": sorted({status for _k, status, _s in uploads}),
        "gunicorn_peak_rss_mb": peaks,
        "failures": failures,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "hostile_uploads.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# Hostile uploads (bench/hostile_uploads.py)",
        "",
        f"gunicorn, 2 sync workers, SQLite; {args.rounds} rounds of two hostile uploads at once.",
        "",
        "| what | requests | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|",
    ]
    rows = [
        ("/healthz, idle", result["healthz_idle"]),
        ("/healthz, during the uploads", result["healthz_during_uploads"]),
    ]
    rows += [(f"upload answered: {kind}", s) for kind, s in result["upload_answer_ms"].items()]
    lines += [f"| {name} | {s['requests']} | {s['p50_ms']} | {s['p95_ms']} | {s['max_ms']} |" for name, s in rows]
    lines += [
        "",
        f"Upload statuses: {', '.join(map(str, result['upload_statuses']))}.",
        "Peak resident memory of each gunicorn process (VmHWM): "
        + ", ".join(f"{mb} MB" for mb in sorted(peaks.values()))
        + ".",
    ]
    if failures:
        lines += ["", "**Failures:** " + "; ".join(failures)]
    (RESULTS / "hostile_uploads.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
