"""Roles and rules: who may change which value, and which values a user may see."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, Source


def make_value(unit_code, status="draft", *, demo=False):
    source = Source.objects.get(code="du-lieu-minh-hoa") if demo else None
    return IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code="sipas"),
        unit=AdministrativeUnit.objects.get(code=unit_code),
        year=2024,
        value=Decimal(80),
        status=status,
        source=source,
    )


@pytest.mark.django_db
def test_the_two_roles_exist_as_groups_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Unit admin", "Provincial staff"}
    assert not Group.objects.filter(name="District admin").exists()


@pytest.mark.parametrize("both_existed", [False, True])
def test_the_rename_keeps_every_district_admin_and_their_assignments(seeded, django_user_model, both_existed):
    """Migration 0004: the members of "District admin" are unit admins after it, with their units."""
    import importlib

    from django.apps import apps

    from indicators.models import managed_unit_ids
    from tests.factories import make_user

    migration = importlib.import_module("indicators.migrations.0004_unit_admin_group")
    migration.backwards(apps, None)  # the groups as they were before it
    user = make_user("cu", group="District admin", units=["805"])
    if both_existed:  # someone had made the new group by hand already
        Group.objects.create(name="Unit admin")
    migration.forwards(apps, None)
    assert set(Group.objects.values_list("name", flat=True)) == {"Unit admin", "Provincial staff"}
    user = django_user_model.objects.get(pk=user.pk)
    assert list(user.groups.values_list("name", flat=True)) == ["Unit admin"]
    assert managed_unit_ids(user) == {AdministrativeUnit.objects.get(code="805").pk}
    assert user.has_perm("indicators.enter_unit", AdministrativeUnit.objects.get(code="805"))


@pytest.mark.parametrize(
    ("status", "may_change"), [("draft", True), ("returned", True), ("submitted", False), ("approved", False)]
)
def test_district_admin_may_change_own_values_only_while_open(admin_a, status, may_change):
    assert admin_a.has_perm("indicators.change_value", make_value("805", status)) is may_change


def test_district_admin_cannot_change_another_districts_value(admin_a):
    assert not admin_a.has_perm("indicators.change_value", make_value("807"))


def test_a_demo_figure_may_be_replaced_by_the_districts_real_one(admin_a):
    from indicators.services import demo as demo_services

    demo_services.demo_source()
    assert admin_a.has_perm("indicators.change_value", make_value("805", "approved", demo=True))


def test_provincial_staff_review_but_do_not_enter(staff):
    value = make_value("805", "submitted")
    assert staff.has_perm("indicators.review_value", value)
    assert not staff.has_perm("indicators.change_value", value)
    assert not staff.has_perm("indicators.enter_values")


def test_only_submitted_values_can_be_reviewed(staff):
    assert not staff.has_perm("indicators.review_value", make_value("805", "draft"))


def test_district_admin_cannot_review(admin_a):
    assert not admin_a.has_perm("indicators.review_value", make_value("805", "submitted"))


def test_for_user_shows_a_district_admin_only_their_units(admin_a, admin_b, staff, superuser):
    own, other = make_value("805"), make_value("807")
    assert list(IndicatorValue.objects.for_user(admin_a).filter(year=2024)) == [own]
    assert list(IndicatorValue.objects.for_user(admin_b).filter(year=2024)) == [other]
    every_2024_figure = set(IndicatorValue.objects.filter(year=2024))  # the two, and the published provincial ones
    assert {own, other} < every_2024_figure
    assert set(IndicatorValue.objects.for_user(staff).filter(year=2024)) == every_2024_figure
    assert set(IndicatorValue.objects.for_user(superuser).filter(year=2024)) == every_2024_figure


def test_for_user_shows_nothing_to_anonymous_and_role_less_users(seeded, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    make_value("805")
    assert not IndicatorValue.objects.for_user(AnonymousUser()).exists()
    nobody = django_user_model.objects.create_user("nobody", password="x" * 12)
    assert not IndicatorValue.objects.for_user(nobody).exists()


def test_an_inactive_district_admin_loses_every_right(admin_a):
    admin_a.is_active = False
    admin_a.save()
    assert not admin_a.has_perm("indicators.change_value", make_value("805"))
    assert not IndicatorValue.objects.for_user(admin_a).exists()
