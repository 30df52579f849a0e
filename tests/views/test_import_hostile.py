"""Hostile and malformed uploads: each is refused with a 400 in the user's language, in bounded memory.

Also NUL bytes. The XLSX files are built here with zipfile, part by
part, so that each test says exactly what is hostile about its file.
"""

import io
import re
import threading
import time
import tracemalloc
import urllib.parse
import urllib.request
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from indicators import imports
from indicators.models import IndicatorValue, ValueImport
from tests.factories import upload

HEADER = "unit_code,indicator_code,year,value,qualifier,source_code,quote,note\n"
GOOD_ROWS = "805,sipas,2024,85.5,exact,,,Theo khảo sát\n805,ho-so-tiep-nhan,2024,1234,,,,\n805,sipas,2023,80,,,,\n"
# Well under the default limits; a worker that read any of these files in full would need gigabytes.
MEMORY_BOUND = 30 * 2**20

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER_ROW = (
    '<row r="1">' + "".join(cell(f"{c}1", n) for c, n in zip("ABCD", imports.REQUIRED_COLUMNS, strict=True)) + "</row>"
)
GOOD_ROW = (
    '<row r="2">' + cell("A2", "805") + cell("B2", "sipas") + '<c r="C2"><v>2024</v></c><c r="D2"><v>80</v></c></row>'
)


def sheet(rows: str, *, dimension: str | None = "A1:D2", prolog: str = "") -> str:
    dimension = f'<dimension ref="{dimension}"/>' if dimension else ""
    head = f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet {NS}>{dimension}'
    return f"{head}<sheetData>{rows}</sheetData></worksheet>"


def shared(strings) -> str:
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst {NS}>{items}</sst>'


def make_xlsx(sheet_xml: str, shared_xml: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        archive.writestr("xl/sharedStrings.xml", shared_xml or shared(["x"]))
    return out.getvalue()


def huge_text_part(sheet_before: str, sheet_after: str, megabytes: int) -> bytes:
    """An XLSX whose sheet holds one cell of `megabytes` MB: a few hundred KB compressed."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (
            ("[Content_Types].xml", CONTENT_TYPES),
            ("_rels/.rels", ROOT_RELS),
            ("xl/workbook.xml", WORKBOOK),
            ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
            ("xl/sharedStrings.xml", shared(["x"])),
        ):
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(sheet_before.encode())
            block = b"a" * 2**20
            for _ in range(megabytes):
                part.write(block)
            part.write(sheet_after.encode())
    return out.getvalue()


def shared_strings_bomb(megabytes: int) -> bytes:
    """The sheet is fine; its shared-string table unpacks to `megabytes` MB of tiny strings."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet(HEADER_ROW + GOOD_ROW))
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(f'<?xml version="1.0" encoding="UTF-8"?><sst {NS}>'.encode())
            block = b"<si><t>aaaaaaaa</t></si>" * (2**20 // 24)
            for _ in range(megabytes):
                part.write(block)
            part.write(b"</sst>")
    return out.getvalue()


# Nine levels of ten: a billion "lol"s from a few hundred bytes.
BILLION_LAUGHS = (
    '<!DOCTYPE worksheet [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)

HOSTILE = {
    # The 1.6 KB file: its only data row is number 50,000,000.
    "row 50,000,000": (
        make_xlsx(sheet(HEADER_ROW + '<row r="50000000">' + cell("A50000000", "805") + "</row>", dimension=None)),
        "số dòng “50000000” không hợp lệ",
        "the row number “50000000” is not valid",
    ),
    "a row beyond the limit": (
        make_xlsx(sheet(HEADER_ROW + '<row r="60000">' + cell("A60000", "805") + "</row>", dimension=None)),
        "Tệp có quá nhiều dòng (tối đa 50,000 dòng số liệu)",
        "The file has too many rows (at most 50,000 data rows)",
    ),
    "a dimension of 50,000,000 rows": (
        make_xlsx(sheet(HEADER_ROW + GOOD_ROW, dimension="A1:D50000000")),
        "địa chỉ ô “D50000000” không hợp lệ",
        "the cell reference “D50000000” is not valid",
    ),
    "a dimension of 16,384 columns": (
        make_xlsx(sheet(HEADER_ROW + GOOD_ROW, dimension="A1:XFD2")),
        "Tệp có quá nhiều cột",
        "The file has too many columns",
    ),
    "a cell in column 1,000": (
        make_xlsx(sheet(HEADER_ROW + '<row r="2">' + cell("ALL2", "x") + "</row>", dimension=None)),
        "Tệp có quá nhiều cột",
        "The file has too many columns",
    ),
    "64 MB of shared strings": (
        shared_strings_bomb(64),
        "Tệp XLSX khi giải nén quá lớn (64 MB, tối đa 50 MB)",
        "The XLSX file unpacks to too much data (64 MB, at most 50 MB)",
    ),
    "one cell of 64 MB": (
        huge_text_part(
            f'<?xml version="1.0"?><worksheet {NS}><sheetData>{HEADER_ROW}<row r="2"><c r="A2" t="inlineStr"><is><t>',
            "</t></is></c></row></sheetData></worksheet>",
            64,
        ),
        "Tệp XLSX khi giải nén quá lớn",
        "The XLSX file unpacks to too much data",
    ),
    "one cell of 1 MB": (
        make_xlsx(sheet(HEADER_ROW + '<row r="2">' + cell("A2", "a" * 2**20) + "</row>")),
        "Ô A2 quá dài (tối đa 10,000 ký tự)",
        "Cell A2 is too long (at most 10,000 characters)",
    ),
    "a shared string of 1 MB": (
        make_xlsx(sheet(HEADER_ROW + GOOD_ROW), shared(["a" * 2**20])),
        "quá dài (tối đa 10,000 ký tự)",
        "is too long (at most 10,000 characters)",
    ),
    "a CSV of 1,000,000 rows": (
        (HEADER + "805\n" * 1_000_000).encode(),
        "Tệp có quá nhiều dòng",
        "The file has too many rows",
    ),
    "a CSV cell of 20,000 characters": (
        (HEADER + "805,sipas,2024,80,,," + "a" * 20_000 + ",\n").encode(),
        "Ô G2 quá dài (tối đa 10,000 ký tự)",
        "Cell G2 is too long (at most 10,000 characters)",
    ),
    # The csv module's own cap (128 KB) names only the row; a process that raised it (the frictionless
    # package does, on import, in the data-package test) gets our per-cell check, which names the cell.
    "a CSV cell of 1 MB": (
        (HEADER + "805,sipas,2024,80,,," + "a" * 2**20 + ",\n").encode(),
        "quá dài (tối đa 10,000 ký tự)",
        "too long (at most 10,000 characters)",
    ),
}

MALFORMED = {
    "entity expansion": (
        make_xlsx(sheet(HEADER_ROW + GOOD_ROW.replace("sipas", "&lol9;"), prolog=BILLION_LAUGHS)),
        "khai báo DTD hoặc thực thể XML không được phép",
        "DTD and XML entity declarations are not allowed",
    ),
    "an undefined entity": (
        make_xlsx(sheet(HEADER_ROW + GOOD_ROW.replace("sipas", "&undefined;"))),
        "không phải XML hợp lệ (lỗi cú pháp ở dòng 1",
        "is not valid XML (syntax error at line 1",
    ),
    "truncated XML": (
        make_xlsx(sheet(HEADER_ROW + GOOD_ROW)[:-40]),
        "phần “xl/worksheets/sheet1.xml” không phải XML hợp lệ",
        "its part “xl/worksheets/sheet1.xml” is not valid XML",
    ),
    "cell reference ZZZZZZ2": (
        make_xlsx(sheet(HEADER_ROW + '<row r="2">' + cell("ZZZZZZ2", "805") + "</row>")),
        "địa chỉ ô “ZZZZZZ2” không hợp lệ",
        "the cell reference “ZZZZZZ2” is not valid",
    ),
    'junk in a t="n" cell': (
        make_xlsx(sheet(HEADER_ROW + GOOD_ROW.replace('<c r="D2"><v>80</v>', '<c r="D2" t="n"><v>tám mươi</v>'))),
        "ô D2 phải chứa số nhưng chứa “tám mươi”",
        "cell D2 should hold a number but holds “tám mươi”",
    ),
    'junk in a t="b" cell': (
        make_xlsx(sheet(HEADER_ROW + GOOD_ROW.replace('<c r="D2"><v>80</v>', '<c r="D2" t="b"><v>yes</v>'))),
        "ô D2 phải chứa đúng/sai nhưng chứa “yes”",
        "cell D2 should hold true or false (1 or 0) but holds “yes”",
    ),
    'junk in a t="d" cell': (
        make_xlsx(sheet(HEADER_ROW + GOOD_ROW.replace('<c r="C2"><v>2024</v>', '<c r="C2" t="d"><v>năm ngoái</v>'))),
        "ô C2 phải chứa ngày tháng nhưng chứa “năm ngoái”",
        "cell C2 should hold a date but holds “năm ngoái”",
    ),
    "a shared string that does not exist": (
        make_xlsx(
            sheet(HEADER_ROW + GOOD_ROW.replace(cell("B2", "sipas"), '<c r="B2" t="s"><v>7</v></c>')), shared(["sipas"])
        ),
        "ô B2 trỏ tới chuỗi văn bản số 7, không có trong tệp",
        "cell B2 refers to text string number 7, which the file does not have",
    ),
}


def file_name(content: bytes) -> str:
    return "so-lieu.xlsx" if content[:2] == b"PK" else "so-lieu.csv"


def peak_memory_while_reading(content: bytes) -> int:
    tracemalloc.start()
    try:
        with pytest.raises(imports.ImportFileError):
            imports.read_table(content, file_name(content))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


CASES = {**HOSTILE, **MALFORMED}


@pytest.mark.parametrize(("content", "vietnamese", "english"), CASES.values(), ids=CASES.keys())
def test_a_hostile_or_malformed_file_is_refused_with_a_400_in_the_users_language(
    client_a, content, vietnamese, english
):
    assert len(content) < 5 * 2**20  # every one passes the upload size limit
    response = upload(client_a, content, file_name(content))
    assert response.status_code == 400
    assert vietnamese in response.content.decode()
    client_a.cookies["django_language"] = "en"
    response = upload(client_a, content, file_name(content))
    assert response.status_code == 400
    assert english in response.content.decode()
    assert not ValueImport.objects.exists()


# The csv module refuses a cell over 128 KiB, and expat an exponential entity expansion, by themselves.
BOUNDED = {k: v for k, v in CASES.items() if k not in ("a CSV cell of 1 MB", "entity expansion")}


@pytest.mark.parametrize(("content", "vietnamese", "english"), BOUNDED.values(), ids=BOUNDED.keys())
def test_a_hostile_or_malformed_file_is_refused_in_bounded_memory(db, content, vietnamese, english):
    assert peak_memory_while_reading(content) < MEMORY_BOUND


@override_settings(IMPORT_MAX_ROWS=10, IMPORT_MAX_COLUMNS=4)
def test_the_number_of_shared_strings_is_capped_by_the_cells_a_sheet_can_have(db):
    # 11 rows (the header and 10) of 4 columns can use at most 44 distinct strings. Up to that, a
    # well-formed file is read, unusual as it may be: no dimension, a row without a reference.
    rows = HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="s"><v>1</v></c>'
    rows += '<c r="C2"><v>2024</v></c><c r="D2"><v>8.5E1</v></c></row><row><c t="s"><v>0</v></c></row>'
    strings = ["805", "sipas", *(f"s{i}" for i in range(42))]
    table = imports.read_table(make_xlsx(sheet(rows, dimension=None), shared(strings)), "so-lieu.xlsx")
    assert table.rows[0] == (2, {"unit_code": "805", "indicator_code": "sipas", "year": 2024, "value": 85.0})
    assert table.rows[1][0] == 3
    content = make_xlsx(sheet(rows, dimension=None), shared([*strings, "one too many"]))
    with pytest.raises(imports.ImportFileError, match="quá nhiều chuỗi văn bản"):
        imports.read_table(content, "so-lieu.xlsx")


# --- while two hostile uploads are processed, the site answers -----------------------------------


def _post_file(url: str, cookies: dict, token: str, content: bytes, name: str) -> tuple[int, str]:
    file = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    body = encode_multipart(BOUNDARY, {"csrfmiddlewaretoken": token, "file": file})
    request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 - the live server
    request.add_header("Content-Type", MULTIPART_CONTENT)
    request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    request.add_header("Referer", url)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_while_two_hostile_uploads_are_processed_healthz_answers_within_a_second(live_server, admin_a, client):
    client.force_login(admin_a)
    cookies = {"sessionid": client.cookies["sessionid"].value}
    url = live_server.url + reverse("entry:import")
    request = urllib.request.Request(url, headers={"Cookie": f"sessionid={cookies['sessionid']}"})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        page = response.read().decode()
        cookies["csrftoken"] = re.search(r"csrftoken=([^;]+)", response.headers["Set-Cookie"]).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    hostile = [HOSTILE["row 50,000,000"][0], HOSTILE["64 MB of shared strings"][0]]
    answers = []

    def post(content):
        answers.append(_post_file(url, cookies, token, content, "so-lieu.xlsx"))

    threads = [threading.Thread(target=post, args=(content,)) for content in hostile]
    for thread in threads:
        thread.start()
    timings = []
    while any(t.is_alive() for t in threads) or len(timings) < 3:
        started = time.perf_counter()
        with urllib.request.urlopen(live_server.url + "/healthz", timeout=30) as response:  # noqa: S310
            assert response.status == 200
        timings.append(time.perf_counter() - started)
    for thread in threads:
        thread.join(timeout=120)
    assert max(timings) < 1.0, timings
    assert sorted(status for status, _body in answers) == [400, 400]
    assert all("Tệp XLSX" in body for _status, body in answers)


# --- NUL bytes -------------------------------------------------------------------------------------


def test_a_nul_byte_in_a_csv_cell_is_a_row_error_in_the_preview(client_a):
    content = (HEADER + "805,sipas,2024,80,,,Theo\x00 khảo sát,\n").encode()
    response = upload(client_a, content, "so-lieu.csv")
    assert response.status_code == 302
    preview = client_a.get(response["Location"])
    html = preview.content.decode()
    assert "ký tự NUL" in html
    assert "Xác nhận nhập" not in html
    staged = ValueImport.objects.get()
    confirmed = client_a.post(reverse("entry:import-confirm", args=[staged.pk]))
    assert confirmed.status_code == 400
    assert not IndicatorValue.objects.filter(unit__code="805", year=2024, indicator__code="sipas").exists()
