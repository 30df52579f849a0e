"""The database itself refuses impossible figures; full_clean refuses what a CHECK cannot see."""

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
