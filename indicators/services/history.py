"""Every write records who did it and why in the value's history (django-simple-history):
`_history_user` and `_change_reason` are read by simple_history when the row is saved or deleted.
The reasons are models.HistoryReason."""

from __future__ import annotations

from indicators.models import HistoryReason, IndicatorValue


def save_with_history(value: IndicatorValue, *, user, reason: HistoryReason) -> None:
    """full_clean, then save, recording `user` and `reason` in the history row."""
    value.updated_by = user
    value.full_clean()
    value._history_user = user
    value._change_reason = reason
    value.save()


def delete_with_history(value: IndicatorValue, *, user) -> None:
    value._history_user = user
    value._change_reason = HistoryReason.DELETED
    value.delete()
