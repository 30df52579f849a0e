"""Write side for targets: full_clean then save, inside a transaction."""

from __future__ import annotations

from django.db import transaction

from indicators.models import Target


@transaction.atomic
def save_target(*, target: Target) -> Target:
    target.full_clean()
    target.save()
    return target


@transaction.atomic
def delete_target(*, target: Target) -> None:
    target.delete()
