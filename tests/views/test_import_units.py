"""Imports name units by code, and a code means the unit that reports for the row's year: a row for a
unit outside its validity, a commune of another province, a code that names two units, or an indicator
the unit's level does not report is a row error, and the file writes nothing."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, ValueImport
from indicators.services import imports as import_services
from tests.factories import COMMUNE_A, upload

HEADER = "unit_code,indicator_code,year,value,qualifier,source_code,quote,note\n"


def snapshot():
    return IndicatorValue.objects.count(), IndicatorValue.history.count()


def staged(client, rows: str) -> ValueImport:
    response = upload(client, (HEADER + rows).encode())
    assert response.status_code == 302, response.content.decode()[:2000]
    return ValueImport.objects.latest("pk")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def another_provinces_commune() -> AdministrativeUnit:
    """Phường Ba Đình of Hà Nội (01), as `load_units --province 01` would load it."""
    hanoi = AdministrativeUnit.objects.create(
        code="01", name="Thành phố Hà Nội", slug="ha-noi", level="province", kind="thanh-pho"
    )
    return AdministrativeUnit.objects.create(
        code="00004",
        name="Phường Ba Đình",
        slug="phuong-ba-dinh",
        level="commune",
        kind="phuong",
        parent=hanoi,
        valid_from=date(2025, 7, 1),
    )


def errors_of(value_import) -> list[tuple[int, str, str]]:
    check = import_services.check_import(user=value_import.user, value_import=value_import)
    return [(p.row, p.column, p.message) for p in check.errors]


def assert_nothing_written_at_confirm(client, value_import):
    before = snapshot()
    assert client.post(reverse("entry:import-confirm", args=[value_import.pk])).status_code == 400
    assert snapshot() == before


def test_a_commune_admin_imports_their_communes_2026_figures(frozen_today, seeded, commune_admin):
    client = signed_in(commune_admin)
    value_import = staged(client, f"{COMMUNE_A},sipas,2026,90,,,,\n{COMMUNE_A},ho-so-truc-tuyen,2025,95.5,,,,\n")
    assert errors_of(value_import) == []
    assert client.post(reverse("entry:import-confirm", args=[value_import.pk])).status_code == 302
    stored = IndicatorValue.objects.filter(unit__code=COMMUNE_A)
    assert set(stored.values_list("indicator__code", "year", "status")) == {
        ("sipas", 2026, "draft"),
        ("ho-so-truc-tuyen", 2025, "draft"),
    }


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (f"{COMMUNE_A},sipas,2024,90,,,,\n", "year", "Xã Cần Giuộc (từ 01/07/2025) chỉ có số liệu từ năm 2025"),
        (f"{COMMUNE_A},xep-hang-chi-so-cchc,2026,1,,,,\n", "indicator_code", "không áp dụng cho cấp xã"),
        (f"{COMMUNE_A},diem-chi-so-cchc,2026,80,,,,\n", "indicator_code", "không áp dụng cho cấp xã"),
        ("28165,sipas,2026,90,,,,\n", "unit_code", "Bạn không được nhập số liệu cho đơn vị “28165”"),
        ("807,sipas,2024,90,,,,\n", "unit_code", "Bạn không được nhập số liệu cho đơn vị “807”"),
        ("80,sipas,2026,90,,,,\n", "unit_code", "Bạn không được nhập số liệu cho đơn vị “80”"),
    ],
    ids=[
        "before-the-commune-existed",
        "district-index-rank",
        "district-index-score",
        "another-commune",
        "a-district",
        "the-province",
    ],
)
def test_a_commune_admins_row_errors_write_nothing(frozen_today, seeded, commune_admin, row, column, message):
    client = signed_in(commune_admin)
    value_import = staged(client, f"{COMMUNE_A},sipas,2026,90,,,,\n" + row)
    assert any(r == 3 and c == column and message in m for r, c, m in errors_of(value_import)), errors_of(value_import)
    assert message in client.get(reverse("entry:import-preview", args=[value_import.pk])).content.decode()
    assert_nothing_written_at_confirm(client, value_import)


def test_a_commune_of_another_province_is_a_row_error_even_for_a_superuser(frozen_today, seeded, superuser):
    another_provinces_commune()
    client = signed_in(superuser)
    value_import = staged(client, "00004,sipas,2026,90,,,,\n")
    assert errors_of(value_import) == [(2, "unit_code", "Đơn vị “00004” (Phường Ba Đình) không thuộc Tỉnh Tây Ninh.")]
    assert_nothing_written_at_confirm(client, value_import)


def test_a_code_that_names_two_units_in_the_rows_year_is_a_row_error(frozen_today, seeded, superuser):
    # Two units with one code in one period cannot be made through the admin (clean refuses it); a
    # database written past it must still not have a row guessed at.
    twin = AdministrativeUnit.objects.by_code(COMMUNE_A)
    AdministrativeUnit.objects.bulk_create(
        [
            AdministrativeUnit(
                code=COMMUNE_A,
                name="Xã Cần Giuộc (bản trùng)",
                slug="x",
                level="commune",
                parent=twin.parent,
                valid_from=date(2025, 7, 2),
            )
        ]
    )
    client = signed_in(superuser)
    value_import = staged(client, f"{COMMUNE_A},sipas,2026,90,,,,\n")
    ((row, column, message),) = errors_of(value_import)
    assert (row, column) == (2, "unit_code")
    assert "chỉ nhiều đơn vị trong năm 2026" in message and "Xã Cần Giuộc (bản trùng)" in message
    assert_nothing_written_at_confirm(client, value_import)


def test_a_code_reused_in_two_periods_names_the_unit_of_the_rows_year(frozen_today, seeded, superuser):
    # 80 is Long An to 30/06/2025 and Tây Ninh from 01/07/2025: both provinces, neither entered here.
    client = signed_in(superuser)
    value_import = staged(client, "80,sipas,2024,90,,,,\n80,sipas,2026,90,,,,\n")
    assert [(r, c) for r, c, _m in errors_of(value_import)] == [(2, "unit_code"), (3, "unit_code")]


def test_the_district_years_message_comes_in_the_users_language(frozen_today, seeded, client_a):
    client_a.cookies["django_language"] = "en"
    value_import = staged(client_a, "805,sipas,2025,90,,,,\n")
    html = client_a.get(reverse("entry:import-preview", args=[value_import.pk])).content.decode()
    assert "Unit “805”: Huyện Tân Trụ (until 30/06/2025) has figures up to 2024 only." in html


def test_the_shell_import_refuses_a_commune_outside_its_years(seeded, tmp_path):
    path = tmp_path / "xa.csv"
    path.write_text(HEADER + f"{COMMUNE_A},sipas,2024,90,,,,\n", encoding="utf-8")
    before = snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_values", str(path), "--language", "en", stdout=io.StringIO(), stderr=err)
    assert "has figures from 2025 only" in err.getvalue()
    assert snapshot() == before


def test_the_last_guard_refuses_a_figure_outside_its_units_years(seeded):
    """write_import's own check, for a caller that skipped check_rows."""
    from django.core.exceptions import ValidationError

    from indicators import imports
    from indicators.models import Indicator

    unit = AdministrativeUnit.objects.by_code(COMMUNE_A)
    sipas, rank = Indicator.objects.get(code="sipas"), Indicator.objects.get(code="xep-hang-chi-so-cchc")
    before = snapshot()
    for indicator, year, field in ((sipas, 2024, "year"), (rank, 2026, "indicator")):
        figure = imports.Figure(2, unit.pk, unit.code, indicator, year, Decimal(1), "exact", None, "", "")
        with pytest.raises(ValidationError) as raised:
            import_services.write_import(figures=[figure])
        assert field in raised.value.message_dict
    assert snapshot() == before


def test_the_template_of_a_commune_admin_has_the_communes_indicators_for_last_year(frozen_today, seeded, commune_admin):
    from indicators import imports
    from indicators.models import Indicator

    response = signed_in(commune_admin).get(reverse("entry:import-template", args=["csv"]))
    table = imports.read_table(response.content, "template.csv")
    rows = [
        (imports.cell_text(r["unit_code"]), imports.cell_text(r["indicator_code"]), imports.cell_text(r["year"]))
        for _n, r in table.rows
    ]
    assert {code for _u, code, _y in rows} == set(Indicator.objects.for_level("commune").values_list("code", flat=True))
    assert {(unit, year) for unit, _c, year in rows} == {(COMMUNE_A, "2025")}


def test_the_template_of_a_district_admin_stops_at_the_districts_last_year(frozen_today, seeded, client_a):
    from indicators import imports

    table = imports.read_table(client_a.get(reverse("entry:import-template", args=["csv"])).content, "t.csv")
    assert {imports.cell_text(r["year"]) for _n, r in table.rows} == {"2024"}
    assert len(table.rows) == Indicator.objects.for_level("district").count()
