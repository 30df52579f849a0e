"""Template helpers for the issue 7 pages: targets status badges and dictionary lookups."""

from django import template
from django.utils.html import format_html

from indicators.domain import scoring

register = template.Library()


@register.filter
def get_item(mapping, key):
    """mapping[key], or None: for per-row lookups in a table."""
    if not mapping:
        return None
    return mapping.get(key)


@register.simple_tag
def target_badge(status):
    """Progress against a target in colour AND in words (never colour alone)."""
    if status is None:
        return "–"
    symbol = {scoring.MET: "✓", scoring.CLOSE: "≈", scoring.FAR: "✗"}[status]
    return format_html(
        '<span class="target-status status-{}">{} {}</span>', status, symbol, scoring.STATUS_LABELS[status]
    )


@register.simple_tag
def target_thresholds():
    """The met / close / far rule, stated where the badges are shown."""
    from django.utils.translation import gettext as _

    share = int(scoring.CLOSE_SHARE * 100)
    return _(
        "Đạt: bằng hoặc tốt hơn mục tiêu. Gần đạt: chưa đạt nhưng cách mục tiêu không quá %(share)s%% giá trị "
        "mục tiêu (ví dụ mục tiêu 80%%: từ 72%% đến dưới 80%%). Còn xa: cách hơn thế. Số liệu “gần …” bằng đúng "
        "mục tiêu được coi là chưa đạt."
    ) % {"share": share}
