"""Template filters of the CCHC index pages: points and the difference between two points."""

from decimal import Decimal

from django import template
from django.utils.translation import gettext as _

from indicators.domain.formatting import format_number

register = template.Library()


@register.filter
def points(value):
    """Points in the page's convention, up to 2 decimals: "95,5" in Vietnamese; "–" when unknown."""
    if value is None or value == "":
        return "–"
    return format_number(Decimal(str(value)), 2)


@register.filter
def signed(value):
    """A difference with its sign: "+1,5", "−2", "0"; "–" when unknown."""
    if value is None:
        return "–"
    number = Decimal(str(value))
    text = format_number(abs(number), 2)
    if number > 0:
        return f"+{text}"
    if number < 0:
        return f"−{text}"
    return text


@register.filter
def status_label(status):
    return {
        "draft": _("Đang tự đánh giá"),
        "submitted": _("Đã nộp, chờ thẩm định"),
        "appraised": _("Đã thẩm định xong"),
        "": _("Chưa bắt đầu"),
    }.get(status or "", status)


@register.filter
def pair_first(pair):
    return pair[0] if pair else None
