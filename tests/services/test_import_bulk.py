"""The bulk write behind imports: COPY on PostgreSQL, executemany elsewhere, no model instances.

What must not change with the speed: one history row per written value with the fields
simple_history would have written; the model's rules (full_clean) still hold for every figure, now
checked by plain Python that must refuse exactly what full_clean refuses; every row error is still
reported by the shell command; the data version moves after an import.
"""

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from indicators import imports
from indicators.models import AdministrativeUnit, DataVersion, Indicator, IndicatorValue
from indicators.selectors import import_lookups
from indicators.services import bulk_write
from indicators.services import demo as demo_services
from indicators.services import entry as entry_services
from indicators.services import imports as import_services
from tests.views.test_imports import HEADER, ROW_ERROR_CASES, ROW_ERROR_IDS, snapshot

TRACKED = ["id", "indicator_id", "unit_id", "year", "value", "qualifier", "status", "source_id", "quote", "note"]
TRACKED += ["review_comment", "created_by_id", "updated_by_id", "updated_at", "version"]


def test_the_bulk_writer_knows_every_column_of_the_value_table():
    # A field added to IndicatorValue must be added to bulk_write.VALUE_COLUMNS, or imports would skip it.
    assert [f.attname for f in IndicatorValue._meta.concrete_fields] == bulk_write.VALUE_COLUMNS
    history_fields = [f.attname for f in IndicatorValue.history.model.tracked_fields]
    assert set(history_fields) <= set(bulk_write.VALUE_COLUMNS)


def test_a_bulk_import_writes_exactly_one_history_row_per_value_with_the_right_fields(admin_a, tmp_path):
    path = tmp_path / "figures.csv"
    rows = "".join(
        f"805,{code},{year},{n},,,,ghi chú {n}\n"
        for n, year in enumerate(range(2019, 2025))
        for code in ("sipas", "ho-so-tiep-nhan")
    )
    path.write_text(HEADER + rows, encoding="utf-8")

    def history():
        return IndicatorValue.history.filter(history_change_reason="imported")

    call_command("import_values", str(path), "--user", "tantru", stdout=io.StringIO())
    imported = IndicatorValue.objects.filter(
        unit__code="805", year__in=range(2019, 2025), indicator__code__in=["sipas", "ho-so-tiep-nhan"]
    )
    values = {v.pk: v for v in imported}
    assert len(values) == 12
    assert history().count() == 12
    for row in history():
        value = values[row.id]
        assert row.history_type == "+"
        assert row.history_user == admin_a
        assert row.history_date == value.updated_at == value.created_at
        assert {name: getattr(row, name) for name in TRACKED} == {name: getattr(value, name) for name in TRACKED}
    assert {v.created_by for v in values.values()} == {admin_a}
    assert {v.source.code for v in values.values()} == {"nhap-tu-tep-805"}

    # Drafts again: updated in place, one "~" row each, carrying the new state.
    path.write_text(HEADER + rows.replace("ghi chú", "sửa"), encoding="utf-8")
    call_command("import_values", str(path), "--user", "tantru", stdout=io.StringIO())
    assert history().count() == 24
    changed = history().filter(history_type="~")
    assert changed.count() == 12
    assert sorted(changed.values_list("id", flat=True)) == sorted(values)
    for row in changed:
        value = IndicatorValue.objects.get(pk=row.id)
        assert value.version == 2 and value.note.startswith("sửa")
        assert row.history_user == admin_a
        assert row.history_date == value.updated_at > values[row.id].updated_at
        assert {name: getattr(row, name) for name in TRACKED} == {name: getattr(value, name) for name in TRACKED}


@pytest.mark.parametrize(("rows", "row", "column", "message"), ROW_ERROR_CASES, ids=ROW_ERROR_IDS)
def test_the_command_refuses_every_row_error_the_preview_refuses(
    demo_seeded, admin_a, tmp_path, rows, row, column, message
):
    demo_services.demo_source()
    entry_services.unit_entry_source(AdministrativeUnit.objects.get(code="807"))  # Cần Giuộc's own reports
    good = "805,sipas,2024,80,,,,\n" if "sipas" not in rows else "805,ho-so-so-hoa,2024,50,,,,\n"
    path = tmp_path / "rows.csv"
    path.write_text(HEADER + good + rows, encoding="utf-8")
    before = snapshot()
    err = io.StringIO()
    # The site's language (Vietnamese) by default, for the command's own lines and the row messages alike.
    with pytest.raises(CommandError, match="không có số liệu nào được ghi"):
        call_command("import_values", str(path), "--user", "tantru", stdout=io.StringIO(), stderr=err)
    assert f"dòng {row + 1}, {column or '-'}: " in err.getvalue()
    assert message in err.getvalue()
    assert snapshot() == before


# --- the model's rules, checked without model instances ---------------------------------------------


def _full_clean_problems(**fields) -> set[str]:
    """The per-row path: an IndicatorValue instance and full_clean, as write_import used to do."""
    value = IndicatorValue(unit=AdministrativeUnit.objects.get(code="805"), **fields)
    try:
        value.full_clean(validate_unique=False)
    except ValidationError as error:
        return set(error.message_dict)
    return set()


def _fast_problems(**fields) -> set[str]:
    return set(imports.stored_value_problems(**fields))


@pytest.mark.parametrize(
    ("code", "year", "value", "qualifier", "status", "refused"),
    [
        ("sipas", 2024, Decimal("80"), "exact", "draft", set()),
        ("sipas", 2024, Decimal("100.0000"), "average", "approved", set()),
        ("sipas", 2024, Decimal("100.0001"), "exact", "draft", {"value"}),
        ("sipas", 2024, Decimal("-1"), "exact", "draft", {"value"}),
        ("sipas", 2024, Decimal("85.12345"), "exact", "draft", {"value"}),
        ("sipas", 2024, Decimal("85.50000"), "exact", "draft", {"value"}),  # 5 places to the validator
        ("ho-so-tiep-nhan", 2024, Decimal("12.5"), "exact", "draft", {"value"}),
        ("ho-so-tiep-nhan", 2024, Decimal("12.0000"), "exact", "draft", set()),
        ("ho-so-tiep-nhan", 2024, Decimal("9999999999"), "exact", "draft", set()),
        ("ho-so-tiep-nhan", 2024, Decimal("12345678901"), "exact", "draft", {"value"}),
        ("ho-so-tiep-nhan", 2024, Decimal("1E+20"), "exact", "draft", {"value"}),
        ("ho-so-tiep-nhan", 2024, Decimal("NaN"), "exact", "draft", {"value"}),
        ("sipas", 1989, Decimal("80"), "exact", "draft", {"year"}),
        ("sipas", 2101, Decimal("80"), "exact", "draft", {"year"}),
        ("sipas", 2024, Decimal("80"), "maybe", "draft", {"qualifier"}),
        ("sipas", 2024, Decimal("80"), "exact", "published", {"status"}),
        ("sipas", 2101, Decimal("120"), "maybe", "draft", {"year", "value", "qualifier"}),
    ],
)
def test_the_pure_check_refuses_exactly_what_full_clean_refuses(seeded, code, year, value, qualifier, status, refused):
    fields = {
        "indicator": Indicator.objects.get(code=code),
        "year": year,
        "value": value,
        "qualifier": qualifier,
        "status": status,
    }
    assert _full_clean_problems(**fields) == refused
    assert _fast_problems(**fields) == refused
    if refused:
        unit = AdministrativeUnit.objects.get(code="805")
        figure = imports.Figure(2, unit.pk, unit.code, fields["indicator"], year, value, qualifier, None, "", "")
        before = snapshot()
        with pytest.raises(ValidationError):
            import_services.write_import(figures=[figure], status=status)
        assert snapshot() == before


@pytest.mark.parametrize(
    ("code", "year", "cell", "accepted"),
    [
        ("sipas", "2024", "80", True),
        ("sipas", "2024", "85,5", True),
        ("sipas", "2024", "85.50000", True),  # read as 85.5, which the model accepts
        ("sipas", "2024", "85.12345", False),
        ("sipas", "2024", "120", False),
        ("sipas", "2024", "-1", False),
        ("ho-so-tiep-nhan", "2024", "12.5", False),
        ("ho-so-tiep-nhan", "2024", "12.000", True),
        ("ho-so-tiep-nhan", "2024", "12345678901", False),
        ("ho-so-tiep-nhan", "2024", "1234567890", True),
        ("sipas", "1989", "80", False),
        ("sipas", "2024.0", "80", True),
        ("sipas", "2024", 85.5, True),  # numeric spreadsheet cells
        ("sipas", "2024", 0.123456, False),
        ("ho-so-tiep-nhan", "2024", 1e20, False),
        ("ho-so-tiep-nhan", "2024", float("nan"), False),
        ("ho-so-tiep-nhan", "2024", float("inf"), False),
        ("ho-so-tiep-nhan", "2024", 1234, True),
        ("ho-so-tiep-nhan", "Infinity", "1", False),
    ],
)
def test_the_fast_path_refuses_the_same_rows_as_the_per_row_path(seeded, code, year, cell, accepted):
    table = imports.Table(
        header=imports.REQUIRED_COLUMNS,
        rows=[(2, {"unit_code": "805", "indicator_code": code, "year": year, "value": cell})],
    )
    check = imports.check_rows(table, import_lookups.import_context(table=table))
    # The per-row path: the row checks, then an instance and full_clean for each figure they let through.
    per_row_ok = check.ok and all(
        not _full_clean_problems(
            indicator=f.indicator, year=f.year, value=f.value, qualifier=f.qualifier, status="draft"
        )
        for f in check.figures
    )
    fast_ok = check.ok and all(
        not _fast_problems(indicator=f.indicator, year=f.year, value=f.value, qualifier=f.qualifier, status="draft")
        for f in check.figures
    )
    assert per_row_ok == fast_ok == accepted, check.errors
    if not accepted:
        assert not check.ok, "refused by the row checks, with a row error, not mid-write"
    else:
        written = import_services.write_import(figures=check.figures)
        assert written.created == 1
        stored = IndicatorValue.objects.get(indicator__code=code, unit__code="805", year=int(Decimal(year)))
        assert stored.value == check.figures[0].value


def test_an_import_moves_the_data_version_on_commit(seeded, tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "figures.csv"
    path.write_text(HEADER + "805,sipas,2024,80,,,,\n", encoding="utf-8")
    call_command("import_values", str(path), "--dry-run", stdout=io.StringIO())
    before = DataVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("import_values", str(path), "--status", "approved", stdout=io.StringIO())
    assert callbacks
    assert DataVersion.objects.get(pk=1).version > before
