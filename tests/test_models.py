"""The database itself refuses impossible figures; full_clean refuses what a CHECK cannot see."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, Source


@pytest.fixture
def can_giuoc(seeded):
    return AdministrativeUnit.objects.get(code="807")


def make_value(indicator_code, unit, year=2022, value="10"):
    return IndicatorValue(
        indicator=Indicator.objects.get(code=indicator_code),
        unit=unit,
        year=year,
        value=Decimal(value),
        source=Source.objects.get(code="bao-long-an-mot-cua-2024"),
    )


def test_database_rejects_a_duplicate_figure(can_giuoc):
    make_value("ho-so-tre-han", can_giuoc).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        make_value("ho-so-tre-han", can_giuoc, value="12").save()


def test_database_rejects_a_negative_count(can_giuoc):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_value("ho-so-tre-han", can_giuoc, value="-1").save()


def test_database_rejects_year_1800(can_giuoc):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_value("ho-so-tre-han", can_giuoc, year=1800).save()


def test_model_rejects_a_percent_of_120(can_giuoc):
    value = make_value("ho-so-truc-tuyen", can_giuoc, value="120")
    with pytest.raises(ValidationError) as excinfo:
        value.full_clean()
    assert "value" in excinfo.value.message_dict


def test_model_rejects_a_fractional_count(can_giuoc):
    with pytest.raises(ValidationError) as excinfo:
        make_value("ho-so-tre-han", can_giuoc, value="2.5").full_clean()
    assert "value" in excinfo.value.message_dict


def test_model_rejects_rank_zero(can_giuoc):
    with pytest.raises(ValidationError):
        make_value("xep-hang-chi-so-cchc", can_giuoc, value="0").full_clean()


def test_model_accepts_a_percent_of_95_5(can_giuoc):
    make_value("ho-so-truc-tuyen", can_giuoc, value="95.5").full_clean()


def test_saving_a_value_records_history(can_giuoc):
    value = make_value("ho-so-tre-han", can_giuoc)
    value.save()
    value.value = Decimal(12)
    value.save()
    assert [h.value for h in value.history.order_by("history_id")] == [Decimal(10), Decimal(12)]


def test_chainable_filters_return_the_queryset_unchanged_when_given_nothing(seeded):
    everything = IndicatorValue.objects.all()
    assert everything.for_units(None).count() == everything.count()
    assert everything.for_units([]).count() == everything.count()
    assert everything.for_indicator(None).count() == everything.count()
    assert everything.for_years(None, None).count() == everything.count()


def test_chainable_filters_narrow_by_unit_indicator_and_year(seeded):
    values = IndicatorValue.objects.published().for_units(["805"]).for_years(2023, 2023)
    assert [v.indicator.code for v in values] == ["luot-nguoi-den-moi-ngay"]
    assert IndicatorValue.objects.for_indicator("ho-so-truc-tuyen").get().unit.code == "807"
    assert not IndicatorValue.objects.for_units(["805", "807"]).for_years(2024, None).exists()


# --- One official code, two periods ------------------------------------------------------------


def _unit(code, *, valid_from=None, valid_to=None, name="Đơn vị thử"):
    return AdministrativeUnit(
        code=code, name=name, slug="thu", level="province", valid_from=valid_from, valid_to=valid_to
    )


def test_two_units_may_share_a_code_in_periods_that_do_not_overlap(db):
    _unit("99", valid_to=date(2025, 6, 30)).save()
    later = _unit("99", valid_from=date(2025, 7, 1))
    later.full_clean()
    later.save()
    assert AdministrativeUnit.objects.by_code_in_year("99", 2024).valid_to == date(2025, 6, 30)
    assert AdministrativeUnit.objects.by_code_in_year("99", 2025) == later
    assert AdministrativeUnit.objects.by_code("99") == later


def test_a_code_in_an_overlapping_period_is_refused_with_the_other_unit_named(db):
    _unit("99", valid_to=date(2025, 6, 30), name="Tỉnh Cũ").save()
    overlapping = _unit("99", valid_from=date(2025, 1, 1))
    with pytest.raises(ValidationError) as refused:
        overlapping.full_clean()
    assert "Tỉnh Cũ (đến 30/06/2025)" in str(refused.value.message_dict["code"])


def test_two_units_of_one_code_with_an_unknown_start_collide_in_the_database(db):
    _unit("99", valid_to=date(2020, 1, 1)).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _unit("99").save()  # NULL starts: a plain (code, valid_from) constraint would let this through


def test_a_unit_is_found_by_its_natural_key_of_code_and_start(db):
    old = _unit("99", valid_to=date(2025, 6, 30))
    old.save()
    new = _unit("99", valid_from=date(2025, 7, 1))
    new.save()
    manager = AdministrativeUnit.objects
    assert manager.get_by_natural_key(*old.natural_key()) == old
    assert manager.get_by_natural_key(*new.natural_key()) == new
    assert manager.get_by_natural_key("99") == new  # the one-part form of older fixtures: the latest


def test_an_unknown_code_raises_does_not_exist(db):
    with pytest.raises(AdministrativeUnit.DoesNotExist):
        AdministrativeUnit.objects.by_code("00000")


def test_a_figure_outside_its_units_reporting_years_is_refused(seeded):
    district = AdministrativeUnit.objects.by_code("807")
    figure = IndicatorValue(
        indicator=Indicator.objects.get(code="ho-so-truc-tuyen"), unit=district, year=2025, value=50
    )
    with pytest.raises(ValidationError) as refused:
        figure.full_clean()
    assert refused.value.message_dict["year"] == ["Huyện Cần Giuộc (đến 30/06/2025) chỉ có số liệu đến năm 2024."]


def test_the_district_index_rank_does_not_apply_to_a_commune(seeded):
    figure = IndicatorValue(
        indicator=Indicator.objects.get(code="xep-hang-chi-so-cchc"),
        unit=AdministrativeUnit.objects.by_code("28159"),
        year=2026,
        value=1,
    )
    with pytest.raises(ValidationError) as refused:
        figure.full_clean()
    assert "không áp dụng cho cấp xã" in refused.value.message_dict["indicator"][0]
