"""Provincial staff's decisions on submitted figures: approve, or return with a comment."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext

from indicators.models import HistoryReason, IndicatorValue
from indicators.services.history import save_with_history


@transaction.atomic
def review_values(*, user, value_ids: Sequence[int], approve: bool, comment: str = "") -> int:
    """Approve, or return with a comment, these submitted figures. All of them or none."""
    if not user.has_perm("indicators.review_values"):
        raise PermissionDenied
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError(gettext("Khi trả lại, hãy ghi ý kiến để đơn vị biết cần sửa gì."))
    values = list(
        IndicatorValue.objects.select_for_update(of=("self",))
        .select_related("indicator", "source")
        .filter(pk__in=value_ids)
    )
    if not values or len(values) != len(set(value_ids)):
        raise ValidationError(gettext("Không tìm thấy số liệu cần thẩm định."))
    not_waiting = [v for v in values if not user.has_perm("indicators.review_value", v)]
    if not_waiting:
        raise ValidationError(
            gettext("Chỉ thẩm định được số liệu đang ở trạng thái “Đã gửi”: %(list)s.")
            % {"list": ", ".join(v.indicator.name for v in not_waiting[:5])}
        )
    for value in values:
        value.status = IndicatorValue.Status.APPROVED if approve else IndicatorValue.Status.RETURNED
        value.review_comment = comment
        value.version += 1
        save_with_history(value, user=user, reason=HistoryReason.APPROVED if approve else HistoryReason.RETURNED)
    return len(values)
