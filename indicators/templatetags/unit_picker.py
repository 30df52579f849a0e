"""{% unit_picker %}: the searchable unit picker of the pages that compare units (?units=)."""

import functools

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from indicators.domain.shortlist import BOTTOM, TOP, is_cut, shortlist
from indicators.presentation.picker import picker_groups
from indicators.templatetags.cchc import unit_ref

register = template.Library()


@register.inclusion_tag("includes/unit_select.html", takes_context=True)
def unit_picker(context, unit_groups, selected, *, label, name="units", field_id="unit-picker"):
    """A <select multiple> of the page's units in its ranking groups (by level and period), the
    `selected` units chosen, each named as ?units= names it ("807", "80@2024").

    Without JavaScript it is the browser's own multi-select and submits `?units=A&units=B`; with it,
    static/js/unit-picker.js makes it a search box (diacritics optional) with a chip per unit.
    """
    groups = picker_groups(unit_groups, selected, ref=lambda unit: unit_ref(context, unit))
    return {
        "groups": groups,
        "label": label,
        "name": name,
        "field_id": field_id,
        "count": sum(len(group.options) for group in groups),
    }


TOM_SELECT_JS = "vendor/tom-select/tom-select.popular.min.js"
TOM_SELECT_CSS = "vendor/tom-select/tom-select.min.css"


@functools.cache
def vendor_url(path: str) -> str:
    """The URL of a file the Makefile copies from npm into static/vendor/, or "" when it is not there
    (no npm at install time): the page then keeps the plain multi-select rather than fail."""
    if not finders.find(path):
        return ""
    try:
        return static(path)
    except ValueError:  # the manifest storage does not know it: collectstatic ran without it
        return ""


@register.simple_tag
def picker_assets():
    """The picker's stylesheet and scripts, for the page's <head>; tom-select only when installed."""
    tags = [format_html('<script defer src="{}"></script>', static("js/fold.js"))]
    if vendor_url(TOM_SELECT_JS) and vendor_url(TOM_SELECT_CSS):
        tags.insert(0, format_html('<link rel="stylesheet" href="{}">', vendor_url(TOM_SELECT_CSS)))
        tags.append(format_html('<script defer src="{}"></script>', vendor_url(TOM_SELECT_JS)))
    tags.append(format_html('<script defer src="{}"></script>', static("js/unit-picker.js")))
    tags.append(format_html('<script defer src="{}"></script>', static("js/live-form.js")))
    return mark_safe("\n".join(tags))  # noqa: S308 -- each part built by format_html


@register.simple_tag
def shortlist_note(ranking, selected_codes):
    """What the ranking chart leaves out, when it is cut to the top, the bottom and the chosen units
    (charts.indicator_ranking); "" when it shows every unit."""
    rows = shortlist(ranking, chosen=selected_codes, code_of=lambda point: point.unit_code)
    if not is_cut(rows):
        return ""
    return _(
        "Biểu đồ chỉ vẽ %(top)d đơn vị đầu, %(bottom)d đơn vị cuối và các đơn vị đã chọn; "
        "toàn bộ %(count)d đơn vị ở bảng xếp hạng ngay dưới."
    ) % {"top": TOP, "bottom": BOTTOM, "count": len(ranking)}
