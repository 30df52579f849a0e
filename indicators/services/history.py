"""Every write records who did it and why in the value's history (django-simple-history):
`_history_user` and `_change_reason` are read by simple_history when the row is saved or deleted."""

from __future__ import annotations

from indicators.models import IndicatorValue

REASON_SAVED = "saved"
REASON_SUBMITTED = "submitted"
REASON_APPROVED = "approved"
REASON_RETURNED = "returned"
REASON_DELETED = "deleted"
REASON_IMPORTED = "imported"


def save_with_history(value: IndicatorValue, *, user, reason: str) -> None:
    value.updated_by = user
    value.full_clean()
    value._history_user = user
    value._change_reason = reason
    value.save()
