from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators.formatting import format_figure, format_number

register = template.Library()


@register.simple_tag
def localized_name(obj, field="name"):
    """The English name when the page is in English and one exists, else the Vietnamese one."""
    if get_language() == "en":
        english = getattr(obj, f"{field}_en", "")
        if english:
            return english
    return getattr(obj, field)


@register.simple_tag
def figure(value):
    """An IndicatorValue written with its qualifier and unit, e.g. "gần 95%"."""
    text = format_figure(
        value.value, unit_kind=value.indicator.unit_kind, decimals=value.indicator.decimals, qualifier=value.qualifier
    )
    if value.qualifier != "exact":
        return format_html('<span title="{}">{}</span>', value.get_qualifier_display(), text)
    return text


@register.filter
def number(value, decimals=0):
    return format_number(value, int(decimals))


@register.simple_tag
def source_link(source):
    if source is None:
        return _("không rõ nguồn")
    label = source.title if not source.publisher else f"{source.title} ({source.publisher})"
    # Only web links: a javascript: URL that slipped past the form must never become clickable.
    if source.url.lower().startswith(("https://", "http://")):
        return format_html('<a href="{}" rel="noopener">{}</a>', source.url, label)
    return label


@register.simple_tag
def validity(unit):
    """ "existed until 30/06/2025" style text for a unit's validity dates."""
    if unit.valid_from and unit.valid_to:
        return _("từ %(start)s đến %(end)s") % {
            "start": unit.valid_from.strftime("%d/%m/%Y"),
            "end": unit.valid_to.strftime("%d/%m/%Y"),
        }
    if unit.valid_to:
        return _("tồn tại đến %(end)s") % {"end": unit.valid_to.strftime("%d/%m/%Y")}
    if unit.valid_from:
        return _("từ %(start)s") % {"start": unit.valid_from.strftime("%d/%m/%Y")}
    return _("đang hiệu lực")


@register.filter
def get_year(by_year, year):
    """by_year[year] in a template, for a dict keyed by int years; None when missing."""
    return by_year.get(year) if hasattr(by_year, "get") else None
