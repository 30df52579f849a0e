"""The importers end to end below the views: stage, preview, confirm; who may import what."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from indicators import imports
from indicators.models import UNIT_ADMIN_GROUP, AdministrativeUnit, IndicatorValue, LayoutImport, PeriodFigure
from indicators.services import layout_imports as services
from tests.importers.conftest import CAN_GIUOC, sample


def stage(user, name, layout="qd766", year=2025, period="Y"):
    return services.stage_layout_import(
        user=user, layout_code=layout, year=year, period=period, filename=name, content=sample(name)
    )


def test_staff_import_a_province_wide_766_table_as_submitted_figures(province_staff, frozen_today):
    staged = stage(province_staff, "qd766_tay_ninh_2025.csv")
    summary = services.preview_layout_import(user=province_staff, layout_import=staged)
    assert summary.ok, summary.errors[:5]
    assert len(summary.rows) == 96 and summary.matched == 96
    assert summary.figure_count == 96 * 6
    hows = {r.match.how for r in summary.rows}
    assert hows == {"name", "short_name"}
    written = services.apply_layout_import(user=province_staff, layout_import=staged)
    assert written.created + written.updated == 96 * 6
    value = IndicatorValue.objects.get(unit__code="25459", indicator__code="diem-qd-766", year=2025)
    assert value.status == IndicatorValue.Status.SUBMITTED
    assert value.value == Decimal("68.63")
    assert "dòng 5" in value.note and "UBND phường Tân Ninh" in value.note
    assert PeriodFigure.objects.filter(layout_import=staged).count() == 96 * 6


def test_a_commune_admin_imports_only_their_own_units_rows_as_drafts(commune_admin, frozen_today):
    staged = stage(commune_admin, "qd766_tay_ninh_2025.csv")
    summary = services.preview_layout_import(user=commune_admin, layout_import=staged)
    assert summary.ok
    assert summary.other_units == 95
    assert summary.figure_count == 6
    services.apply_layout_import(user=commune_admin, layout_import=staged)
    values = IndicatorValue.objects.filter(year=2025, indicator__framework="decision_766", source__kind="import")
    assert set(values.values_list("unit__code", flat=True)) == {CAN_GIUOC}
    assert set(values.values_list("status", flat=True)) == {"draft"}


def test_staff_may_not_import_the_one_stop_layout(province_staff):
    with pytest.raises(PermissionDenied):
        stage(province_staff, "mot_cua_tay_ninh_2025.csv", layout="mot-cua")


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("qd766_column_renamed.csv", "MDSH"),
        ("qd766_other_period.csv", "Quý II/2025"),
        ("qd766_utf16.csv", "UTF-16"),
    ],
)
def test_a_bad_file_is_refused_whole_and_nothing_is_kept(province_staff, name, words):
    before = LayoutImport.objects.count()
    with pytest.raises(imports.ImportFileError) as refused:
        stage(province_staff, name)
    assert words in str(refused.value)
    assert LayoutImport.objects.count() == before


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("qd766_total_disagrees.csv", "khác TONG_SCORE"),
        ("qd766_group_over_maximum.csv", "vượt mức tối đa 18"),
        ("qd766_unknown_and_ambiguous_names.csv", "khớp với 2 đơn vị"),
    ],
)
def test_row_errors_block_the_confirm(province_staff, frozen_today, name, words):
    staged = stage(province_staff, name)
    summary = services.preview_layout_import(user=province_staff, layout_import=staged)
    assert not summary.ok
    assert any(words in p.message for p in summary.errors), summary.errors
    before = IndicatorValue.objects.filter(year=2025, source__kind="import").count()
    with pytest.raises(services.LayoutRejected):
        services.apply_layout_import(user=province_staff, layout_import=staged)
    assert IndicatorValue.objects.filter(year=2025, source__kind="import").count() == before


def test_the_one_stop_counts_and_the_computed_shares(commune_admin, frozen_today):
    AdministrativeUnit.objects.get(code="25459")
    from tests.factories import make_user

    admin = make_user("tanninh", group=UNIT_ADMIN_GROUP, units=["25459"])
    staged = stage(admin, "mot_cua_tay_ninh_2025.csv", layout="mot-cua")
    summary = services.preview_layout_import(user=admin, layout_import=staged)
    assert summary.ok, summary.errors
    services.apply_layout_import(user=admin, layout_import=staged)
    got = dict(
        IndicatorValue.objects.filter(unit__code="25459", year=2025, source__kind="import").values_list(
            "indicator__code", "value"
        )
    )
    # 1531 received, 33 carried over, 1 processed late, 0 in progress late (the sample's first row).
    assert got["ho-so-tiep-nhan"] == 1531
    assert got["ho-so-tre-han"] == 1
    assert got["ty-le-ho-so-tre-han"] == Decimal("0.06")
    assert got["ho-so-dung-han"] == Decimal("99.94")
    assert got["ho-so-truc-tuyen"] == Decimal("81.58")
    assert got["thanh-toan-truc-tuyen"] == Decimal("61.00")
    assert got["ho-so-ky-truoc"] == 33


def test_late_above_processed_is_refused(commune_admin, frozen_today):
    from tests.factories import make_user

    admin = make_user("binhminh", group=UNIT_ADMIN_GROUP, units=["25480"])
    staged = stage(admin, "mot_cua_late_exceeds_processed.csv", layout="mot-cua")
    summary = services.preview_layout_import(user=admin, layout_import=staged)
    assert any("Trễ hạn" in p.message and "lớn hơn Đã xử lý" in p.message for p in summary.errors), summary.errors


def quarter_file(total: str, groups=("15", "16", "18", "19")) -> bytes:
    mdhl = Decimal(total) - sum(Decimal(g) for g in groups)
    return f"TEN,CKMB,TDGQ,MDSH,TTTT,MDHL,TONG_SCORE\nXã Cần Giuộc,{','.join(groups)},{mdhl},{total}\n".encode()


def stage_bytes(user, content, *, period, layout="qd766", year=2025):
    return services.stage_layout_import(
        user=user, layout_code=layout, year=year, period=period, filename="quy.csv", content=content
    )


def test_quarterly_766_files_give_the_year_as_the_mean_of_the_four_quarters(province_staff, frozen_today):
    totals = {"Q1": "80", "Q2": "82", "Q3": "84", "Q4": "85"}
    for quarter in ("Q1", "Q3", "Q2"):
        staged = stage_bytes(province_staff, quarter_file(totals[quarter]), period=quarter)
        summary = services.preview_layout_import(user=province_staff, layout_import=staged)
        assert summary.ok and summary.figure_count == 0 and summary.waiting == 6
        services.apply_layout_import(user=province_staff, layout_import=staged)
    year = IndicatorValue.objects.filter(unit__code=CAN_GIUOC, year=2025, indicator__code="diem-qd-766")
    assert not year.filter(source__kind="import").exists()  # three quarters: still waiting
    assert PeriodFigure.objects.filter(unit__code=CAN_GIUOC, indicator__code="diem-qd-766").count() == 3

    staged = stage_bytes(province_staff, quarter_file(totals["Q4"]), period="Q4")
    summary = services.preview_layout_import(user=province_staff, layout_import=staged)
    assert summary.ok and summary.figure_count == 6 and summary.waiting == 0
    services.apply_layout_import(user=province_staff, layout_import=staged)
    value = year.get()
    assert value.value == Decimal("82.75") and value.qualifier == "average"
    assert value.status == "submitted" and "Trung bình bốn quý" in value.note and "Quý IV/2025: 85" in value.note


def test_a_later_upload_of_a_quarter_replaces_the_earlier_one_in_the_mean(province_staff, frozen_today):
    for quarter, total in (("Q1", "70"), ("Q1", "80"), ("Q2", "80"), ("Q3", "80")):
        staged = stage_bytes(province_staff, quarter_file(total), period=quarter)
        services.apply_layout_import(user=province_staff, layout_import=staged)
    staged = stage_bytes(province_staff, quarter_file("80"), period="Q4")
    services.apply_layout_import(user=province_staff, layout_import=staged)
    value = IndicatorValue.objects.get(unit__code=CAN_GIUOC, year=2025, indicator__code="diem-qd-766")
    assert value.value == Decimal(80)


@pytest.mark.parametrize(
    ("layout", "period", "words"),
    [
        ("qd766", "M06", "trung bình của bốn quý; tệp của một tháng không dùng được"),
        ("mot-cua", "Q2", "số lũy kế cả năm"),
        ("ho-so-cbcc", "M12", "số lũy kế cả năm"),
    ],
)
def test_a_period_the_rule_cannot_use_is_refused_with_the_reason(commune_admin, layout, period, words):
    with pytest.raises(imports.ImportFileError) as refused:
        stage_bytes(commune_admin, quarter_file("80"), period=period, layout=layout)
    assert words in str(refused.value)
    assert not LayoutImport.objects.exists()


def test_a_period_column_that_disagrees_refuses_the_file(province_staff):
    content = "TEN,KY,CKMB,TDGQ,MDSH,TTTT,MDHL,TONG_SCORE\nXã Cần Giuộc,Quý 2/2025,15,16,18,19,14,82\n".encode()
    with pytest.raises(imports.ImportFileError, match="khác kỳ đã chọn"):
        stage_bytes(province_staff, content, period="Y")
    staged = stage_bytes(province_staff, content, period="Q2")
    assert services.preview_layout_import(user=province_staff, layout_import=staged).ok


def test_a_two_row_header_as_the_one_stop_system_prints_it(frozen_today, seeded):
    from tests.factories import make_user

    admin = make_user("tanninh2", group=UNIT_ADMIN_GROUP, units=["25459"])
    content = (
        "Đơn vị,Tiếp nhận trong kỳ,Kỳ trước chuyển qua,Đã xử lý,,,,Chưa xử lý,,\n"
        ",,,Tổng,Trước hạn,Đúng hạn,Trễ hạn,Trong hạn,Trễ hạn,\n"
        "Phường Tân Ninh,100,10,90,50,30,10,15,5\n"
    ).encode()
    staged = stage_bytes(admin, content, period="Y", layout="mot-cua")
    summary = services.preview_layout_import(user=admin, layout_import=staged)
    assert summary.ok, summary.errors
    (row,) = summary.rows
    assert row.values["ho-so-tre-han"] == "15" and row.values["ty-le-ho-so-tre-han"] == "13.64"
    assert row.values["ho-so-xu-ly-tre-han"] == "10" and row.values["ho-so-dang-xu-ly-tre-han"] == "5"


def test_nothing_is_half_written_when_the_data_moves_between_preview_and_confirm(province_staff, frozen_today):
    staged = stage(province_staff, "qd766_tay_ninh_2025.csv")
    assert services.preview_layout_import(user=province_staff, layout_import=staged).ok
    # Meanwhile one figure of the file is approved: locked, so the whole file must be refused.
    unit = AdministrativeUnit.objects.by_code("25459")
    IndicatorValue.objects.filter(unit=unit, year=2025, indicator__code="diem-qd-766").delete()
    IndicatorValue.objects.create(
        unit=unit,
        year=2025,
        indicator=IndicatorValue._meta.get_field("indicator").related_model.objects.get(code="diem-qd-766"),
        value=70,
        status="approved",
    )
    before = IndicatorValue.objects.filter(year=2025, source__kind="import").count()
    with pytest.raises(services.LayoutRejected):
        services.apply_layout_import(user=province_staff, layout_import=staged)
    assert IndicatorValue.objects.filter(year=2025, source__kind="import").count() == before
    assert not PeriodFigure.objects.exists()


def test_a_district_admin_imports_staff_records_for_a_year_before_2025(admin_a, frozen_today):
    content = "Mã đơn vị,Đơn vị,Số hồ sơ đã tạo lập,Số hồ sơ đã đồng bộ\n805,UBND huyện Tân Trụ,80,72\n".encode()
    staged = stage_bytes(admin_a, content, period="Y", layout="ho-so-cbcc", year=2024)
    summary = services.preview_layout_import(user=admin_a, layout_import=staged)
    assert summary.ok, summary.errors
    assert summary.rows[0].match.unit.name == "Huyện Tân Trụ" and summary.rows[0].match.how == "code"
    services.apply_layout_import(user=admin_a, layout_import=staged)
    got = dict(
        IndicatorValue.objects.filter(unit__code="805", year=2024, source__kind="import").values_list(
            "indicator__code", "value"
        )
    )
    assert got == {"so-ho-so-cbcc": 80, "so-ho-so-cbcc-dong-bo": 72, "ho-so-cbcc-dong-bo": Decimal("90.00")}


def test_a_commune_name_means_nothing_in_a_year_of_districts(province_staff, frozen_today):
    content = "TEN,CKMB,TDGQ,MDSH,TTTT,MDHL,TONG_SCORE\nXã Phước Lý,15,16,18,19,14,82\n".encode()
    staged = stage_bytes(province_staff, content, period="Y", year=2024)
    summary = services.preview_layout_import(user=province_staff, layout_import=staged)
    assert "Không có đơn vị nào tên “Xã Phước Lý” trong kỳ này." in [p.message for p in summary.errors]


def test_a_saved_mapping_applies_only_in_the_periods_of_its_unit(province_staff, frozen_today):
    content = "TEN,CKMB,TDGQ,MDSH,TTTT,MDHL,TONG_SCORE\nCần Giuộc (cũ),15,16,18,19,14,82\n".encode()
    staged = stage_bytes(province_staff, content, period="Y", year=2025)
    commune = AdministrativeUnit.objects.by_code(CAN_GIUOC)
    services.save_name_mapping(user=province_staff, layout_import=staged, name="Cần Giuộc (cũ)", unit_id=commune.pk)
    staged.refresh_from_db()  # the stored preview was dropped: it is checked again
    assert services.preview_layout_import(user=province_staff, layout_import=staged).rows[0].match.how == "mapping"
    earlier = stage_bytes(province_staff, content, period="Y", year=2024)
    assert services.preview_layout_import(user=province_staff, layout_import=earlier).rows[0].match.unit is None
    district = AdministrativeUnit.objects.by_code("807")
    with pytest.raises(services.ValidationError):  # not a unit of 2025
        services.save_name_mapping(user=province_staff, layout_import=staged, name="x", unit_id=district.pk)


def test_the_shell_command_imports_a_table_and_reports_its_speed(province_staff, frozen_today, tmp_path):
    import io

    from django.core.management import call_command

    path = tmp_path / "qd766.csv"
    path.write_bytes(sample("qd766_tay_ninh_2025.csv"))
    out = io.StringIO()
    call_command("import_layout", str(path), "--layout", "qd766", "--year", "2025", "--dry-run", stdout=out)
    assert "576 figures would be written" in out.getvalue() and "rows/s" in out.getvalue()
    assert not LayoutImport.objects.exists()
    call_command("import_layout", str(path), "--layout", "qd766", "--year", "2025", "--user", "sonoivu766", stdout=out)
    assert "import_layout: " in out.getvalue()
    assert IndicatorValue.objects.filter(year=2025, source__kind="import", status="submitted").count() == 576
    assert LayoutImport.objects.get().value_import.applied_at is not None
