"""Bulk import from CSV/XLSX: the preview, the confirm step and the shell command.

Every failing case asserts that nothing was written: no value, no history row.
"""

import io
import unicodedata
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from indicators import imports
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, ValueImport
from indicators.services import demo as demo_services
from indicators.services import entry as entry_services
from indicators.services import imports as import_services
from tests.factories import submit, upload

HEADER = "unit_code,indicator_code,year,value,qualifier,source_code,quote,note\n"
GOOD_ROWS = "805,sipas,2024,85.5,exact,,,Theo khảo sát\n805,ho-so-tiep-nhan,2024,1234,,,,\n"


def snapshot():
    return IndicatorValue.objects.count(), IndicatorValue.history.count()


def upload_and_preview(client, content: bytes, name="so-lieu.csv"):
    response = upload(client, content, name)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"]), ValueImport.objects.latest("pk")


def confirm(client, value_import):
    return client.post(reverse("entry:import-confirm", args=[value_import.pk]))


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def assert_rejected_at_confirm(client, value_import, *messages):
    before = snapshot()
    response = confirm(client, value_import)
    assert response.status_code == 400
    html = response.content.decode()
    for message in messages:
        assert message in html, message
    assert snapshot() == before
    assert ValueImport.objects.get(pk=value_import.pk).applied_at is None


# --- encodings and normalisation --------------------------------------------------------------


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["utf8", "utf8-bom"])
def test_utf8_with_or_without_bom_is_previewed_then_applied_in_one_go(client_a, bom):
    before = snapshot()
    preview, value_import = upload_and_preview(client_a, bom + (HEADER + GOOD_ROWS).encode())
    assert preview.status_code == 200
    assert "2 số liệu hợp lệ" in preview.content.decode()
    assert snapshot() == before  # the preview writes nothing
    response = confirm(client_a, value_import)
    assert response.status_code == 302
    sipas = IndicatorValue.objects.get(unit__code="805", year=2024, indicator__code="sipas")
    assert sipas.value == Decimal("85.5") and sipas.status == "draft" and sipas.note == "Theo khảo sát"
    assert sipas.source.kind == "import"
    assert sipas.history.get().history_change_reason == "imported"
    assert sipas.history.get().history_user.username == "tantru"
    assert IndicatorValue.objects.filter(unit__code="805", year=2024).count() == 2


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: base letters with combining tone marks."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            try:  # "ố": the code page has "ô" and a combining acute, but no combining circumflex
                out += unicodedata.normalize("NFC", parts[:2]).encode("cp1258") + parts[2:].encode("cp1258")
            except UnicodeEncodeError:
                out += parts.encode("cp1258")
    return out


def test_windows_1258_is_decoded_and_normalised_to_nfc(client_a):
    note = "Tân Trụ đã số hóa"
    content = _cp1258(HEADER + f"805,sipas,2024,80,,,,{note}\n")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    _preview, value_import = upload_and_preview(client_a, content)
    assert confirm(client_a, value_import).status_code == 302
    stored = IndicatorValue.objects.get(unit__code="805", year=2024, indicator__code="sipas").note
    assert stored == note
    assert unicodedata.is_normalized("NFC", stored)


def test_an_undecodable_file_gets_an_honest_error_and_nothing_is_kept(client_a):
    before = snapshot()
    response = upload(client_a, HEADER.encode() + b"805,sipas,2024,80,,,,\x81\x8d\x90\n")
    assert response.status_code == 400
    assert "CSV UTF-8" in response.content.decode()
    assert snapshot() == before
    assert not ValueImport.objects.exists()


def test_nfd_text_is_stored_as_nfc(client_a):
    note = unicodedata.normalize("NFD", "Số liệu của huyện")
    _preview, value_import = upload_and_preview(client_a, (HEADER + f"805,sipas,2024,80,,,,{note}\n").encode())
    confirm(client_a, value_import)
    stored = IndicatorValue.objects.get(unit__code="805", year=2024, indicator__code="sipas").note
    assert stored == unicodedata.normalize("NFC", note)


def test_semicolon_csv_with_decimal_commas_from_vietnamese_excel(client_a):
    content = b"unit_code;indicator_code;year;value\n805;sipas;2024;85,5\n"
    _preview, value_import = upload_and_preview(client_a, content)
    assert confirm(client_a, value_import).status_code == 302
    assert IndicatorValue.objects.get(unit__code="805", year=2024, indicator__code="sipas").value == Decimal("85.5")


# --- files that cannot be read ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Tệp rỗng"),
        (b"\xef\xbb\xbf\r\n", "Tệp rỗng"),
        (HEADER.encode(), "chỉ có tiêu đề"),
        (b"unit,indicator\n805,sipas\n", "Thiếu cột"),
        (b"PK\x03\x04 not really a workbook", "Không mở được tệp XLSX"),
    ],
    ids=["zero-bytes", "bom-only", "header-only", "missing-columns", "corrupt-xlsx"],
)
def test_unreadable_files_are_refused_with_a_message_and_nothing_is_written(client_a, content, message):
    before = snapshot()
    response = upload(client_a, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot() == before
    assert not ValueImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client_a, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 100
    before = snapshot()
    response = upload(client_a, (HEADER + GOOD_ROWS * 5).encode())
    assert response.status_code == 400
    assert "Tệp quá lớn" in response.content.decode()
    assert snapshot() == before


def test_a_file_with_another_extension_is_refused(client_a):
    response = upload(client_a, (HEADER + GOOD_ROWS).encode(), name="so-lieu.exe")
    assert response.status_code == 400
    assert not ValueImport.objects.exists()


# --- rows with errors: shown with row, column and message; the confirm step writes nothing -------


# Each file row that must be refused: (rows after a good one, row number, column, message).
ROW_ERROR_CASES = [
    ("999,sipas,2024,80,,,,\n", 2, "unit_code", "Không có đơn vị mã “999”"),
    ("805,khong-co,2024,80,,,,\n", 2, "indicator_code", "Không có chỉ tiêu mã “khong-co”"),
    ("807,sipas,2024,80,,,,\n", 2, "unit_code", "Bạn không được nhập số liệu cho đơn vị “807”"),
    ("805,sipas,2024,80,,,,\n805,sipas,2024,81,,,,\n", 3, "", "Trùng với dòng 3"),
    ("805,sipas,2024,=1+1,,,,\n", 2, "value", "Ô chứa công thức"),
    ('805,sipas,2024,80,,,"=HYPERLINK(""http://x"")",\n', 2, "quote", "Ô chứa công thức"),
    ("805,sipas,2024,120,,,,\n", 2, "value", "Giá trị phải ≤ 100"),
    ("805,ho-so-tiep-nhan,2024,12.5,,,,\n", 2, "value", "phải là số nguyên"),
    ("805,sipas,2024,80,,,,,thừa\n", 2, "", "nhiều ô hơn"),
    ("805,sipas,20x4,80,,,,\n", 2, "year", "Năm phải là số nguyên"),
    ("805,sipas,2030,80,,,,\n", 2, "year", "Huyện Tân Trụ (đến 30/06/2025) chỉ có số liệu đến năm 2024"),
    ("805,sipas,2025,80,,,,\n", 2, "year", "Đơn vị “805”: Huyện Tân Trụ (đến 30/06/2025) chỉ có số liệu đến"),
    ("805,sipas,2024,80,maybe,,,\n", 2, "qualifier", "Mức chính xác không hợp lệ"),
    ("805,sipas,2024,80,,khong-co-nguon,,\n", 2, "source_code", "Không có nguồn"),
    ("805,sipas,2024,80,,du-lieu-minh-hoa,,\n", 2, "source_code", "nguồn dữ liệu minh họa"),
    (
        "805,sipas,2024,80,,nhap-lieu-807,,\n",
        2,
        "source_code",
        "Nguồn “nhap-lieu-807” là báo cáo riêng của đơn vị khác",
    ),
    ("805,ho-so-tiep-nhan,2024,10,,,,\n805,ho-so-tre-han,2024,11,,,,\n", 3, "value", "không thể lớn hơn"),
]
ROW_ERROR_IDS = [
    "unknown-unit",
    "unknown-indicator",
    "other-district",
    "duplicate-row",
    "formula-value",
    "formula-text",
    "share-above-100",
    "count-with-fraction",
    "extra-cells",
    "bad-year",
    "year-after-the-district-ended",
    "2025-belongs-to-the-communes",
    "bad-qualifier",
    "unknown-source",
    "demo-source",
    "another-districts-own-source",
    "overdue-above-received",
]


@pytest.mark.parametrize(("rows", "row", "column", "message"), ROW_ERROR_CASES, ids=ROW_ERROR_IDS)
def test_row_errors_are_listed_and_nothing_is_written(demo_seeded, client_a, rows, row, column, message):
    demo_services.demo_source()
    entry_services.unit_entry_source(AdministrativeUnit.objects.get(code="807"))  # Cần Giuộc's own reports
    good = "805,sipas,2024,80,,,,\n" if "sipas" not in rows else "805,ho-so-so-hoa,2024,50,,,,\n"
    preview, value_import = upload_and_preview(client_a, (HEADER + good + rows).encode())
    html = preview.content.decode()
    assert message in html
    check = import_services.check_import(user=value_import.user, value_import=value_import)
    assert any(p.row == row + 1 and p.column == column and message in p.message for p in check.errors), check.errors
    assert_rejected_at_confirm(client_a, value_import, message)


def test_submitted_figures_are_locked_for_import(seeded, client_a, admin_a):
    submit(admin_a, "805", 2024, {"sipas": 80})
    _preview, value_import = upload_and_preview(client_a, (HEADER + "805,sipas,2024,81,,,,\n").encode())
    assert_rejected_at_confirm(client_a, value_import, "bị khóa")
    assert IndicatorValue.objects.get(unit__code="805", year=2024, indicator__code="sipas").value == 80


def test_data_that_changed_after_the_preview_is_checked_again_at_confirm(seeded, client_a, admin_a):
    _preview, value_import = upload_and_preview(client_a, (HEADER + "805,sipas,2024,81,,,,\n").encode())
    submit(admin_a, "805", 2024, {"sipas": 80})
    assert_rejected_at_confirm(client_a, value_import, "bị khóa")


def test_an_import_cannot_be_applied_twice(client_a):
    _preview, value_import = upload_and_preview(client_a, (HEADER + GOOD_ROWS).encode())
    assert confirm(client_a, value_import).status_code == 302
    before = snapshot()
    response = confirm(client_a, value_import)
    assert response.status_code == 400
    assert "đã được nhập rồi" in response.content.decode()
    assert snapshot() == before


def test_two_confirms_loaded_before_either_landed_apply_the_file_once(client_a, admin_a):
    # Two requests (a double click) each read the staged file before the other's confirm committed.
    _preview, staged = upload_and_preview(client_a, (HEADER + GOOD_ROWS).encode())
    first, second = ValueImport.objects.get(pk=staged.pk), ValueImport.objects.get(pk=staged.pk)
    import_services.apply_import(user=admin_a, value_import=first)
    before = snapshot()
    with pytest.raises(ValidationError, match="đã được nhập rồi"):
        import_services.apply_import(user=admin_a, value_import=second)
    assert snapshot() == before


def test_outliers_are_warnings_in_the_preview_not_errors(seeded, client_a):
    content = (HEADER + "805,sipas,2023,20,,,,\n805,sipas,2024,80,,,,\n").encode()
    preview, value_import = upload_and_preview(client_a, content)
    assert "Thay đổi hơn 3 lần" in preview.content.decode()
    assert confirm(client_a, value_import).status_code == 302


def test_empty_values_in_the_template_are_skipped(client_a):
    content = (HEADER + "805,sipas,2024,,,,,\n805,ho-so-so-hoa,2024,50,,,,\n").encode()
    preview, value_import = upload_and_preview(client_a, content)
    assert "1 dòng để trống bị bỏ qua" in preview.content.decode()
    confirm(client_a, value_import)
    assert list(
        IndicatorValue.objects.filter(unit__code="805", year=2024).values_list("indicator__code", flat=True)
    ) == ["ho-so-so-hoa"]


# --- XLSX ------------------------------------------------------------------------------------------


def test_xlsx_with_numeric_cells_is_imported(client_a):
    content = xlsx(
        [
            ["unit_code", "indicator_code", "year", "value"],
            ["805", "sipas", 2024, 85.5],
            [805, "ho-so-tiep-nhan", 2024, 1234],
        ]
    )
    _preview, value_import = upload_and_preview(client_a, content, "so-lieu.xlsx")
    assert value_import.file_format == "xlsx"
    assert confirm(client_a, value_import).status_code == 302
    assert IndicatorValue.objects.get(unit__code="805", year=2024, indicator__code="sipas").value == Decimal("85.5")


def test_xlsx_formula_cells_are_refused(client_a):
    content = xlsx([["unit_code", "indicator_code", "year", "value"], ["805", "sipas", 2024, "=40+45"]])
    preview, value_import = upload_and_preview(client_a, content, "so-lieu.xlsx")
    assert "Ô chứa công thức" in preview.content.decode()
    assert_rejected_at_confirm(client_a, value_import, "Ô chứa công thức")


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_downloadable_template_reads_back_with_one_row_per_indicator(client_a, file_format):
    response = client_a.get(reverse("entry:import-template", args=[file_format]))
    assert response.status_code == 200
    table = imports.read_table(response.content, f"template.{file_format}")
    assert len(table.rows) == Indicator.objects.for_level("district").count()  # Tân Trụ is a district
    assert {imports.cell_text(row["unit_code"]) for _n, row in table.rows} == {"805"}


def test_another_users_upload_is_not_found(client_a, admin_b, client):
    _preview, value_import = upload_and_preview(client_a, (HEADER + GOOD_ROWS).encode())
    client_a.force_login(admin_b)
    assert client_a.get(reverse("entry:import-preview", args=[value_import.pk])).status_code == 404
    assert confirm(client_a, value_import).status_code == 404
    assert not IndicatorValue.objects.filter(unit__code="805", year=2024).exists()


def test_preview_query_count_is_fixed(demo_seeded, client_a, django_assert_max_num_queries):
    rows = "".join(f"805,{code},{year},1,,,,\n" for code in ("sipas", "ho-so-so-hoa") for year in range(2019, 2025))
    response = upload(client_a, (HEADER + rows).encode())
    # session, user, groups, assignments, the upload, and the import context: units, indicators,
    # sources and existing values; two more for the navigation's permissions.
    with django_assert_max_num_queries(11):  # 11 whatever the number of rows, units or years
        preview = client_a.get(response["Location"])
    assert preview.status_code == 200


# --- the shell command -----------------------------------------------------------------------------


def test_command_imports_a_file_with_history(seeded, tmp_path):
    path = tmp_path / "big.csv"
    rows = "".join(f"{unit},sipas,{year},80,,,,\n" for unit in ("805", "807") for year in range(2019, 2025))
    path.write_text(HEADER + rows, encoding="utf-8-sig")
    out = io.StringIO()
    call_command("import_values", str(path), "--language", "en", stdout=out)
    assert "12 figures created, 0 figures updated, 0 figures unchanged (Draft)" in out.getvalue()
    assert IndicatorValue.objects.filter(indicator__code="sipas", status="draft").count() == 12
    imported = IndicatorValue.objects.filter(indicator__code="sipas", unit__code__in=["805", "807"])
    assert IndicatorValue.history.filter(history_change_reason="imported").count() == 12
    # A second run updates the drafts in place, with history, and moves their versions on.
    call_command("import_values", str(path), "--status", "approved", "--language", "en", stdout=out)
    assert "0 figures created, 12 figures updated" in out.getvalue()
    assert IndicatorValue.history.filter(history_change_reason="imported").count() == 24
    assert set(imported.values_list("version", flat=True)) == {2}
    # Approved figures are locked: a third run is refused whole.
    before = snapshot()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_values", str(path), "--language", "en", stdout=io.StringIO(), stderr=io.StringIO())
    assert snapshot() == before


def test_command_refuses_a_file_with_errors_and_writes_nothing(seeded, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "805,sipas,2024,80,,,,\n999,sipas,2024,80,,,,\n", encoding="utf-8")
    before = snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^1 error; nothing was written"):
        call_command("import_values", str(path), "--language", "en", stdout=io.StringIO(), stderr=err)
    # One language throughout: the row's message is in English too.
    assert "row 3, unit_code: There is no unit with code “999”." in err.getvalue()
    assert "Không" not in err.getvalue()
    assert snapshot() == before


def test_command_dry_run_writes_nothing(seeded, tmp_path):
    path = tmp_path / "ok.csv"
    path.write_text(HEADER + GOOD_ROWS, encoding="utf-8")
    before = snapshot()
    call_command("import_values", str(path), "--dry-run", stdout=io.StringIO())
    assert snapshot() == before


def test_command_as_a_user_is_limited_to_their_units(admin_a, tmp_path):
    path = tmp_path / "other.csv"
    path.write_text(HEADER + "807,sipas,2024,80,,,,\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_values", str(path), "--user", "tantru", stdout=io.StringIO(), stderr=io.StringIO())
    assert not IndicatorValue.objects.filter(unit__code="807", year=2024).exists()


def test_import_page_and_template_query_counts_are_fixed(
    frozen_today, demo_seeded, client, superuser, django_assert_max_num_queries
):
    # Every district and commune: the template has a row per unit × indicator of its level, for the
    # first 50 units (today's communes first), for last year.
    client.force_login(superuser)
    # session and user; the superuser needs no permission queries.
    with django_assert_max_num_queries(2):
        assert client.get(reverse("entry:import")).status_code == 200
    # session, user, the managed units, the page of units and the indicators.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("entry:import-template", args=["csv"]))
    table = imports.read_table(response.content, "template.csv")
    assert len(table.rows) == 50 * Indicator.objects.for_level("commune").count()
    assert {imports.cell_text(row["year"]) for _n, row in table.rows} == {"2025"}


def test_a_demo_figure_is_no_evidence_against_an_imported_one(demo_seeded, client_a):
    # Demo "received" for Tân Trụ 2024 is a made-up number: the entry form ignores it, and so does the import.
    IndicatorValue.objects.filter(unit__code="805", year=2024, indicator__code="ho-so-tiep-nhan").update(
        value=Decimal("100")
    )
    preview, _staged = upload_and_preview(client_a, (HEADER + "805,ho-so-tre-han,2024,150,,,,\n").encode())
    assert "không thể lớn hơn" not in preview.content.decode()
