"""The English notes `load_units` writes on units and successions (issue 14, item 4), and when a reload
may fill one: never over a stored note, only where the Vietnamese note is still the loader's own."""

import importlib
import re

import pytest
from django.apps import apps

from indicators.models import AdministrativeUnit, IndicatorValue, Source, UnitSuccession
from indicators.services import demo as demo_services
from indicators.services.units import load_province

pytestmark = pytest.mark.django_db

# A Vietnamese type word or connective: none belongs in an English note (proper names keep their diacritics).
VIETNAMESE_WORDS = re.compile(r"\b(Tỉnh|Huyện|Thị trấn|Thị xã|Xã|Phường|hợp nhất|nhập vào|một phần|Nghị quyết|theo)\b")


def rows(model):
    return list(model.objects.order_by("pk").values())


def test_every_note_the_loader_wrote_has_its_english(seeded):
    units = AdministrativeUnit.objects.exclude(note="")
    successions = UnitSuccession.objects.exclude(note="")
    assert units.count() == 3  # the new Tây Ninh, Long An, the former Tây Ninh
    assert successions.count() > 100
    for note_en in [*units.values_list("note_en", flat=True), *successions.values_list("note_en", flat=True)]:
        assert note_en and not VIETNAMESE_WORDS.search(note_en), note_en


def test_the_merged_provinces_notes_read_in_english(seeded):
    long_an = AdministrativeUnit.objects.by_code_in_year("80", 2024)
    assert long_an.note_en == (
        "Merged into Tây Ninh province (which kept code 80) on 1 July 2025, under Resolution No. 202/2025/QH15 "
        "of the National Assembly of 12 June 2025 on the 2025 reorganisation of provincial-level administrative units."
    )
    tay_ninh = AdministrativeUnit.objects.by_code_in_year("80", 2025)
    # The old provinces in the registry's order, as the Vietnamese note names them.
    assert tay_ninh.note.startswith("Hình thành từ ngày 01/07/2025 trên cơ sở hợp nhất Tỉnh Tây Ninh và Tỉnh Long An, ")
    assert tay_ninh.note_en.startswith("Formed on 1 July 2025 by merging Tây Ninh province and Long An province, ")
    assert tay_ninh.note_en.endswith(
        "Local government has two tiers, province and commune: the district level no longer exists."
    )
    former = AdministrativeUnit.objects.by_code("72")
    assert "(which kept code" not in former.note_en
    merge = UnitSuccession.objects.get(predecessor=long_an, successor=tay_ninh)
    assert merge.note_en.startswith("Long An province merged into Tây Ninh province on 1 July 2025, under Resolution")


def test_a_district_succession_note_names_the_communes_in_english(seeded):
    main = UnitSuccession.objects.get(predecessor__code="807", successor__code="28159")
    assert main.note_en.startswith("Cần Giuộc township, ")
    assert main.note_en.endswith(
        " merged into Cần Giuộc commune on 1 July 2025, under Resolution No. 1682/NQ-UBTVQH15 of the Standing "
        "Committee of the National Assembly of 16 June 2025. It is the district's main successor."
    )
    minor = UnitSuccession.objects.get(predecessor__code="807", successor__code="28165")
    assert "main successor" not in minor.note_en and "Đây là đơn vị kế thừa chính" not in minor.note
    part = UnitSuccession.objects.get(predecessor__code="804", successor__code="28087")
    assert part.note.startswith("một phần Xã Nhị Thành nhập vào Xã Nhựt Tảo")
    assert part.note_en.startswith("Part of Nhị Thành commune merged into Nhựt Tảo commune on 1 July 2025")


@pytest.mark.parametrize("update", [True, False])
def test_loading_twice_gives_the_same_rows(seeded, update):
    before = (rows(AdministrativeUnit), rows(UnitSuccession))
    result = load_province("80", update=update)
    assert (result.added, result.updated, result.successions_added, result.notes_translated) == (0, 0, 0, 0)
    assert (rows(AdministrativeUnit), rows(UnitSuccession)) == before
    assert "English notes" not in result.summary()


@pytest.mark.parametrize("update", [True, False])
def test_a_reload_fills_an_empty_english_note_where_the_note_is_the_loaders(seeded, update):
    """A database stored before migration 0009: `make run` (update false) and `load_units` both add the English."""
    AdministrativeUnit.objects.update(note_en="")
    UnitSuccession.objects.update(note_en="")
    result = load_province("80", update=update)
    assert result.notes_translated == 3 + UnitSuccession.objects.exclude(note="").count()
    assert f"{result.notes_translated} English notes added" in result.summary()
    assert not AdministrativeUnit.objects.exclude(note="").filter(note_en="").exists()
    assert not UnitSuccession.objects.exclude(note="").filter(note_en="").exists()
    assert load_province("80", update=update).notes_translated == 0


@pytest.mark.parametrize("update", [True, False])
def test_a_hand_edited_note_is_kept_and_gets_no_english_of_another_text(seeded, update):
    long_an = AdministrativeUnit.objects.by_code_in_year("80", 2024)
    long_an.note, long_an.note_en = "Ghi chú của Sở Nội vụ.", ""
    long_an.save()
    succession = UnitSuccession.objects.get(predecessor__code="807", successor__code="28159")
    succession.note, succession.note_en = "Ghi chú sửa tay.", ""
    succession.save()
    edited_en = UnitSuccession.objects.get(predecessor__code="807", successor__code="28165")
    edited_en.note_en = "The Department's own English."
    edited_en.save()

    result = load_province("80", update=update)

    long_an.refresh_from_db()
    succession.refresh_from_db()
    edited_en.refresh_from_db()
    assert (long_an.note, long_an.note_en) == ("Ghi chú của Sở Nội vụ.", "")
    assert (succession.note, succession.note_en) == ("Ghi chú sửa tay.", "")
    assert edited_en.note_en == "The Department's own English."
    assert result.notes_translated == 0


def test_a_succession_added_again_gets_both_notes(seeded):
    UnitSuccession.objects.filter(predecessor__code="807", successor__code="28159").delete()
    assert load_province("80").successions_added == 1
    again = UnitSuccession.objects.get(predecessor__code="807", successor__code="28159")
    assert again.note.startswith("Thị trấn Cần Giuộc") and again.note_en.startswith("Cần Giuộc township")


def test_synthetic_provinces_have_an_english_note_and_the_migration_gives_one_to_stored_ones(db):
    demo_services.ensure_synthetic_units(provinces=2, units_per_province=1, level="district")
    province = AdministrativeUnit.objects.get(code="X01")
    assert province.note_en == "A synthetic unit for demonstration data."
    AdministrativeUnit.objects.filter(code="X02").update(note_en="")
    AdministrativeUnit.objects.filter(code="X01").update(note_en="Kept.")
    migration = importlib.import_module("indicators.migrations.0009_unit_note_en")

    migration.english_synthetic_notes(apps, None)

    assert AdministrativeUnit.objects.get(code="X02").note_en == "A synthetic unit for demonstration data."
    assert AdministrativeUnit.objects.get(code="X01").note_en == "Kept."


def test_demo_values_and_their_source_carry_an_english_note(demo_seeded):
    demo = Source.objects.get(code=demo_services.DEMO_SOURCE_CODE)
    assert demo.note_en.startswith("Synthetic figures, deterministic from a seed")
    values = IndicatorValue.objects.filter(source=demo)
    assert values.exists()
    assert set(values.values_list("note", "note_en")) == {("Số liệu minh họa (giả lập).", "Demo figure (synthetic).")}


def test_the_migration_gives_stored_demo_rows_their_english_note_and_keeps_any_other(demo_seeded):
    demo = Source.objects.get(code=demo_services.DEMO_SOURCE_CODE)
    values = IndicatorValue.objects.filter(source=demo)
    values.update(note_en="")
    edited = values.filter(unit__code="805").first()
    IndicatorValue.objects.filter(pk=edited.pk).update(note="Ghi chú riêng.")
    Source.objects.filter(pk=demo.pk).update(note_en="")
    real = IndicatorValue.objects.exclude(source=demo).first()
    IndicatorValue.objects.filter(pk=real.pk).update(note="Số liệu minh họa (giả lập).", note_en="")
    migration = importlib.import_module("indicators.migrations.0009_unit_note_en")

    migration.english_demo_notes(apps, None)

    assert not values.exclude(pk=edited.pk).filter(note_en="").exists()
    assert IndicatorValue.objects.get(pk=edited.pk).note_en == ""
    assert IndicatorValue.objects.get(pk=real.pk).note_en == ""  # a real figure's note is its own, whatever it says
    assert Source.objects.get(pk=demo.pk).note_en.startswith("Synthetic figures")
