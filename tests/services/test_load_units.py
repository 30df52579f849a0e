"""Loading a province from the official registry (services/units.py, `manage.py load_units`)."""

import importlib
import io
from datetime import date

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from indicators.models import AdministrativeUnit, IndicatorValue, UnitSuccession
from indicators.services.units import load_province

REFORM = date(2025, 7, 1)
LAST_DAY = date(2025, 6, 30)

pytestmark = pytest.mark.django_db


def units_of(code, *, on):
    return AdministrativeUnit.objects.filter(parent=AdministrativeUnit.objects.by_code(code, on=on))


def test_tay_ninh_has_its_96_communes_from_the_reform(seeded):
    tay_ninh = AdministrativeUnit.objects.by_code("80", on=REFORM)
    communes = tay_ninh.children.communes()
    assert tay_ninh.name == "Tỉnh Tây Ninh"
    assert (tay_ninh.valid_from, tay_ninh.valid_to) == (REFORM, None)
    assert communes.count() == 96
    assert communes.filter(kind="xa").count() == 82
    assert communes.filter(kind="phuong").count() == 14
    assert set(communes.values_list("valid_from", "valid_to")) == {(REFORM, None)}


def test_code_80_is_long_an_before_the_reform_and_tay_ninh_after(seeded):
    long_an = AdministrativeUnit.objects.by_code_in_year("80", 2024)
    assert (long_an.name, long_an.valid_to) == ("Tỉnh Long An", LAST_DAY)
    assert AdministrativeUnit.objects.by_code_in_year("80", 2025).name == "Tỉnh Tây Ninh"
    assert AdministrativeUnit.objects.by_code("80").valid_from == REFORM  # no date: the latest
    assert sorted(long_an.children.districts().values_list("code", flat=True)) == [str(c) for c in range(794, 809)]
    former = AdministrativeUnit.objects.by_code("72")
    assert (former.name, former.valid_to, former.children.count()) == ("Tỉnh Tây Ninh", LAST_DAY, 9)


def test_both_old_provinces_merge_into_tay_ninh_with_long_an_as_the_code_it_kept(seeded):
    merges = UnitSuccession.objects.filter(kind=UnitSuccession.Kind.MERGE, successor__code="80", date=REFORM)
    assert sorted(merges.values_list("predecessor__code", "is_main")) == [("72", False), ("80", True)]


def test_can_giuoc_district_went_to_five_communes_the_first_its_main_successor(seeded):
    district = AdministrativeUnit.objects.by_code("807")
    successions = district.successions.order_by("successor__code")
    assert list(successions.values_list("successor__code", flat=True)) == ["28159", "28165", "28177", "28201", "28207"]
    assert list(successions.filter(is_main=True).values_list("successor__name", flat=True)) == ["Xã Cần Giuộc"]
    note = successions.get(successor__code="28159").note
    assert "Thị trấn Cần Giuộc" in note and "1682/NQ-UBTVQH15" in note


def test_a_commune_formed_from_two_districts_names_both(seeded):
    nhut_tao = AdministrativeUnit.objects.by_code("28087")  # Tân Trụ's communes and part of Nhị Thành (Thủ Thừa)
    assert sorted(nhut_tao.predecessions.values_list("predecessor__code", flat=True)) == ["804", "805"]
    assert "một phần Xã Nhị Thành" in nhut_tao.predecessions.get(predecessor__code="804").note


def test_loading_again_changes_nothing(seeded):
    before = list(AdministrativeUnit.objects.order_by("pk").values())
    successions = list(UnitSuccession.objects.order_by("pk").values())
    result = load_province("80")
    assert (result.added, result.updated, result.successions_added, result.successions_removed) == (0, 0, 0, 0)
    assert list(AdministrativeUnit.objects.order_by("pk").values()) == before
    assert list(UnitSuccession.objects.order_by("pk").values()) == successions


def test_loading_again_puts_back_what_the_registry_owns_and_keeps_the_rest_and_every_figure(seeded):
    district = AdministrativeUnit.objects.by_code("807")
    district.name, district.note, district.slug = "Huyện Cần Giuộc (sửa tay)", "ghi chú của Sở", "cg"
    district.save()
    UnitSuccession.objects.filter(predecessor=district, successor__code="28159").delete()
    stray = UnitSuccession.objects.create(
        predecessor=district, successor=AdministrativeUnit.objects.by_code("25459"), date=REFORM, kind="absorbed"
    )
    phuoc_ly = AdministrativeUnit.objects.by_code("28165")
    later = UnitSuccession.objects.create(
        predecessor=district, successor=phuoc_ly, date=date(2026, 1, 1), kind="rename"
    )
    figures = list(IndicatorValue.objects.order_by("pk").values())

    result = load_province("80")

    district.refresh_from_db()
    assert district.name == "Huyện Cần Giuộc"  # the registry's
    assert (district.note, district.slug) == ("ghi chú của Sở", "cg")  # the project's
    assert (result.updated, result.successions_added, result.successions_removed) == (1, 1, 1)
    assert not UnitSuccession.objects.filter(pk=stray.pk).exists()
    assert UnitSuccession.objects.filter(pk=later.pk).exists()  # not a 2025 succession: not the registry's
    assert list(IndicatorValue.objects.order_by("pk").values()) == figures


def test_ha_noi_is_one_province_throughout_with_its_126_communes(migrated_db):
    result = load_province("01")
    ha_noi = AdministrativeUnit.objects.get(code="01")  # one unit: the reform did not merge it
    assert (ha_noi.valid_from, ha_noi.valid_to) == (None, None)
    assert result.province == ha_noi
    assert ha_noi.children.communes().count() == 126
    assert ha_noi.children.districts().count() == 30
    assert not UnitSuccession.objects.filter(kind=UnitSuccession.Kind.MERGE).exists()


def test_the_command_loads_a_province_and_says_what_it_did(migrated_db):
    out = io.StringIO()
    call_command("load_units", province="1", stdout=out)  # "1" is "01"
    assert "load_units: Thành phố Hà Nội (01)" in out.getvalue()
    assert "126 xã" in out.getvalue()


def test_an_unknown_province_code_is_refused_with_the_34_valid_ones(migrated_db):
    with pytest.raises(CommandError) as refused:
        call_command("load_units", province="72")  # the former Tây Ninh: not one of the 34
    message = str(refused.value)
    assert "Unknown province code '72'" in message
    assert "80 Tây Ninh" in message and "01 Hà Nội" in message and message.count(",") == 33
    assert not AdministrativeUnit.objects.exists()


def test_the_placeholder_code_migrates_to_80_with_its_figures(seeded):
    tay_ninh = AdministrativeUnit.objects.by_code("80", on=REFORM)
    tay_ninh.code, tay_ninh.note = "TN2025", "Mã “TN2025” là mã tạm thời do dự án đặt."
    tay_ninh.save()
    figures = IndicatorValue.objects.filter(unit=tay_ninh).count()
    migration = importlib.import_module("indicators.migrations.0003_units_in_periods")

    migration.placeholder_to_official_code(apps, None)

    tay_ninh.refresh_from_db()
    assert (tay_ninh.code, tay_ninh.valid_from) == ("80", REFORM)
    assert "TN2025" not in tay_ninh.note and "202/2025/QH15" in tay_ninh.note
    assert IndicatorValue.objects.filter(unit=tay_ninh).count() == figures
    assert not AdministrativeUnit.objects.filter(code="TN2025").exists()


def test_only_missing_adds_what_is_missing_and_keeps_an_edited_unit(seeded):
    district = AdministrativeUnit.objects.by_code("807")
    district.name = "Huyện Cần Giuộc (sửa tay)"
    district.save()
    UnitSuccession.objects.filter(predecessor=district, successor__code="28159").delete()

    result = load_province("80", update=False)

    district.refresh_from_db()
    assert district.name == "Huyện Cần Giuộc (sửa tay)"
    assert result.kept == [
        "load_units: kept 807 Huyện Cần Giuộc (sửa tay) as stored (differs from the registry in: name); "
        "`manage.py load_units` updates it"
    ]
    assert result.successions_added == 1
    assert district.successions.filter(successor__code="28159", is_main=True).exists()
