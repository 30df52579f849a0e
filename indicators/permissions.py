"""Who may do what: `rules` predicates for "may this user change this value", and helpers for views.

Visibility of many values at once is `IndicatorValue.objects.for_user(user)`: rules cannot filter a
queryset. The helpers at the bottom raise Http404 for things that exist but are not the user's
(so a unit admin cannot even learn whether another unit's value exists) and
PermissionDenied when the user's role does not allow the page at all, in the style of healthchecks'
`_get_check_for_user`.
"""

from __future__ import annotations

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404

from indicators.models import (
    YEAR_MAX,
    YEAR_MIN,
    AdministrativeUnit,
    IndicatorValue,
    LayoutImport,
    ValueImport,
    managed_unit_ids,
    sees_all_values,
)

# managed_unit_ids and sees_all_values live in models.py, beside the for_user queryset that needs them;
# callers keep using them from here.


@rules.predicate
def is_provincial_staff(user) -> bool:
    """Provincial staff, or a superuser, who may do everything staff may."""
    return sees_all_values(user)


@rules.predicate
def is_unit_admin(user) -> bool:
    """The admin of a district or a commune (or a superuser, who may enter for every one)."""
    return bool(managed_unit_ids(user))


@rules.predicate
def manages_unit(user, unit) -> bool:
    """The unit (an AdministrativeUnit, or anything with a unit_id) is one the user may edit."""
    if unit is None:
        return False
    unit_id = unit.pk if isinstance(unit, AdministrativeUnit) else unit.unit_id
    return unit_id in managed_unit_ids(user)


@rules.predicate
def value_is_open(user, value) -> bool:
    """Still being prepared, or a synthetic demo figure that a real one may replace."""
    return value is not None and (value.is_open or value.is_demo)


@rules.predicate
def value_is_submitted(user, value) -> bool:
    return value is not None and value.status == IndicatorValue.Status.SUBMITTED


@rules.predicate
def owns_import(user, value_import) -> bool:
    return value_import is not None and (user.is_superuser or value_import.user_id == user.pk)


rules.add_perm("indicators.enter_values", is_unit_admin)
rules.add_perm("indicators.enter_unit", manages_unit)
rules.add_perm("indicators.change_value", manages_unit & value_is_open)
rules.add_perm("indicators.review_values", is_provincial_staff)
rules.add_perm("indicators.manage_targets", is_provincial_staff)
rules.add_perm("indicators.review_value", is_provincial_staff & value_is_submitted)
rules.add_perm("indicators.view_value_history", is_provincial_staff | manages_unit)
rules.add_perm("indicators.import_values", is_unit_admin)
rules.add_perm("indicators.use_import", is_unit_admin & owns_import)


# --- helpers for views: raise rather than return booleans --------------------------------------


def require_entry_role(user) -> None:
    """Only unit admins (and superusers) enter figures; provincial staff review them."""
    if not user.has_perm("indicators.enter_values"):
        raise PermissionDenied


def require_review_role(user) -> None:
    if not user.has_perm("indicators.review_values"):
        raise PermissionDenied


def get_unit_for_entry(user, code: str, year: int) -> AdministrativeUnit:
    """The unit with this code that the user may enter figures for; 404 for an unknown or foreign unit.

    A code may name two units in two periods (80: Long An, then Tây Ninh): among the user's units with
    it, the one that reports for `year`, else the latest. Whether `year` is open is the caller's check.
    """
    require_entry_role(user)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404
    candidates = [unit for unit in AdministrativeUnit.objects.filter(code=code) if may_enter_unit(user, unit)]
    if not candidates:
        raise Http404
    return _for_year(candidates, year)


def may_enter_unit(user, unit) -> bool:
    """The rule itself, not has_perm: Django's has_perm says yes to a superuser for anything, and
    figures are entered for districts and communes only (managed_unit_ids), whoever enters them."""
    return manages_unit(user, unit)


def get_unit_for_review(user, code: str, year: int) -> AdministrativeUnit:
    """The unit a code names in `year` (else the latest with it), for provincial staff; 404 if none."""
    require_review_role(user)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise Http404
    candidates = list(AdministrativeUnit.objects.filter(code=code))
    if not candidates:
        raise Http404
    return _for_year(candidates, year)


def _for_year(units: list[AdministrativeUnit], year: int) -> AdministrativeUnit:
    reporting = [unit for unit in units if unit.reports_in(year)]
    if reporting:
        return reporting[0]
    return max(units, key=lambda unit: (unit.valid_from is not None, unit.valid_from))


def get_value_for_history(user, pk: int) -> IndicatorValue:
    """A value whose history the user may read: staff any, a unit admin their units' only."""
    value = IndicatorValue.objects.for_user(user).select_related("indicator", "unit", "source").filter(pk=pk).first()
    if value is None:
        raise Http404
    return value


def get_import_for_user(user, pk: int) -> ValueImport:
    """A staged upload of this user's (any, for a superuser); 404 for someone else's."""
    if not user.has_perm("indicators.import_values"):
        raise PermissionDenied
    value_import = ValueImport.objects.filter(pk=pk).first()
    if value_import is None or not user.has_perm("indicators.use_import", value_import):
        raise Http404
    return value_import


# --- imports of other systems' reports (services/layout_imports.py) ------------------------------

# Unit admins import their units' rows; provincial staff a province-wide 766 table (which layouts a
# role may use is services.layout_imports.may_import_layout). Only staff say which unit a name means.
rules.add_perm("indicators.import_layouts", is_unit_admin | is_provincial_staff)
rules.add_perm("indicators.save_name_mapping", is_provincial_staff)


def get_layout_import_for_user(user, pk: int) -> LayoutImport:
    """A layout upload of this user's (any, for a superuser); 404 for someone else's."""
    if not user.has_perm("indicators.import_layouts"):
        raise PermissionDenied
    layout_import = LayoutImport.objects.select_related("value_import").filter(pk=pk).first()
    if layout_import is None or not (user.is_superuser or layout_import.value_import.user_id == user.pk):
        raise Http404
    return layout_import
