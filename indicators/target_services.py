"""Write side for targets: full_clean then save, inside a transaction (issue 7)."""

from __future__ import annotations

from django.db import transaction

from indicators.models import Target

PROVINCIAL_STAFF_GROUP = "Provincial staff"


def may_manage_targets(user) -> bool:
    """Provincial staff and superusers manage targets (one query for the groups, cached on the user)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_cchc_manages_targets", None)
    if cached is None:
        cached = user.groups.filter(name=PROVINCIAL_STAFF_GROUP).exists()
        user._cchc_manages_targets = cached
    return cached


@transaction.atomic
def save_target(*, target: Target) -> Target:
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def delete_target(*, target: Target) -> None:
    target.delete()
