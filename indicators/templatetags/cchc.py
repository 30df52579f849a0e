"""The project's template tags: figures, names, sources, sparklines, and target status badges."""

from collections.abc import Iterable

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from indicators import demo_choice
from indicators.domain import scoring
from indicators.domain.formatting import format_change, format_figure, format_number
from indicators.domain.unit_refs import ref_text
from indicators.presentation.charts import direction_text
from indicators.presentation.sparklines import trend_runs
from indicators.presentation.tables import figure_html
from indicators.selectors import unit_periods
from indicators.selectors.common import localized, point_text

register = template.Library()


@register.simple_tag
def localized_name(obj, field="name"):
    """The English text of a field when the page is in English and one exists, else the Vietnamese."""
    return localized(obj, field)


@register.simple_tag
def figure(value):
    """An IndicatorValue written with its qualifier and unit, e.g. "gần 95%"."""
    return figure_html(value, unit_kind=value.indicator.unit_kind, decimals=value.indicator.decimals)


@register.filter
def number(value, decimals=0):
    return format_number(value, int(decimals))


@register.simple_tag
def change(value, indicator, signed=True):
    """A year-on-year change in the indicator's unit: "+1,5 điểm %" ("+1.5 pp") for a share."""
    return format_change(value, unit_kind=indicator.unit_kind, decimals=indicator.decimals, signed=signed)


@register.simple_tag
def plain_figure(value, indicator):
    """A number (a median, say) in the indicator's unit: "92,5%" for a share, "1.234" for a count."""
    if value is None:
        return "–"
    return format_figure(value, unit_kind=indicator.unit_kind, decimals=indicator.decimals)


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


@register.simple_tag(takes_context=True)
def show_demo_url(context):
    """The link that brings the demo figures back, on a page that hides them by the visitor's choice."""
    return demo_choice.toggle_url(context["request"], "show")


@register.simple_tag
def demo_abbr():
    """The "MH" mark of a demo figure. Its title is for a mouse only (a touch screen cannot hover), so
    every page that shows it also shows the key in words (includes/demo_key.html)."""
    return format_html('<abbr class="demo-tag" title="{}">{}</abbr>', _("Dữ liệu minh họa"), _("MH"))


@register.simple_tag
def point_figure(point, indicator):
    """A chart Point written like `figure`, with a marker when it is demo data."""
    text = point_text(point, indicator)
    if point.is_demo:
        return format_html("{} {}", text, demo_abbr())
    return text


@register.filter
def any_demo(rows) -> bool:
    """Whether any row (a Freshness, a Point) holds demo figures: the page then shows the MH key."""
    return any(getattr(row, "demo_figures", 0) or getattr(row, "is_demo", False) for row in rows or ())


@register.simple_tag
def direction(indicator):
    return direction_text(indicator.higher_is_better).capitalize()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for download and sort links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.simple_tag
def sparkline_runs(trend):
    """The polylines of a unit's trend (its points by year), split where a year is missing."""
    return trend_runs(trend)


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
    share = int(scoring.CLOSE_SHARE * 100)
    return _(
        "Đạt: bằng hoặc tốt hơn mục tiêu. Gần đạt: chưa đạt nhưng cách mục tiêu không quá %(share)s%% giá trị "
        "mục tiêu (ví dụ mục tiêu 80%%: từ 72%% đến dưới 80%%). Còn xa: cách hơn thế. Số liệu “gần …” bằng đúng "
        "mục tiêu được coi là chưa đạt."
    ) % {"share": share}


# --- Units named without ambiguity ----------------------------------------------------------


def shared_codes_of(request) -> frozenset[str]:
    """The reused codes, read once per request (one query, only on pages that link a unit), for the
    tags below and the tables a view renders."""
    cached = getattr(request, "_cchc_shared_codes", None)
    if cached is None:
        cached = unit_periods.shared_codes()
        if request is not None:
            request._cchc_shared_codes = cached
    return cached


def _shared_codes(context) -> frozenset[str]:
    return shared_codes_of(context.get("request"))


def _code_and_year(unit, year):
    """(code, year) of a unit, a Point (its figure's year) or a code with a year."""
    if isinstance(unit, str):
        return unit, year
    if hasattr(unit, "unit_code"):  # a Point
        return unit.unit_code, year if year is not None else unit.year
    return unit.code, year if year is not None else unit_periods.link_year(unit)


@register.simple_tag(takes_context=True)
def unit_url(context, unit, year=None):
    """The unit's page: /units/807/, or /units/80/?in=2024 when its code also names another unit."""
    code, link_year = _code_and_year(unit, year)
    url = reverse("unit-detail", args=[code])
    if code in _shared_codes(context) and link_year is not None:
        url += "?" + urlencode({"in": link_year})
    return url


@register.simple_tag(takes_context=True)
def unit_report_url(context, unit, year=None):
    """The unit's printable report: /units/807/report/, or /units/80/report/?in=2024 (as unit_url)."""
    code, link_year = _code_and_year(unit, year)
    url = reverse("unit-report", args=[code])
    if code in _shared_codes(context) and link_year is not None:
        url += "?" + urlencode({"in": link_year})
    return url


@register.simple_tag(takes_context=True)
def unit_ref(context, unit, year=None):
    """How ?units= names the unit: "807", or "80@2024" when its code also names another unit."""
    code, link_year = _code_and_year(unit, year)
    return ref_text(code, link_year if code in _shared_codes(context) else None)


@register.filter
def sentence_name(unit):
    """The unit's name inside a sentence of the page's language: "Long An province" in English."""
    return unit_periods.sentence_name(unit)


@register.simple_tag(takes_context=True)
def unit_label(context, unit, in_sentence=False):
    """ "Tỉnh Long An (80, đến 30/06/2025)": a unit named with its code and period where a name or
    code alone could name another (a province, a reused code); "Xã Cần Giuộc (28159)" otherwise."""
    if unit.level == unit.Level.PROVINCE or unit.code in _shared_codes(context):
        return unit_periods.unit_label(unit, in_sentence=in_sentence)
    return f"{unit_periods.sentence_name(unit) if in_sentence else unit.name} ({unit.code})"


@register.simple_tag
def two_tier(years):
    """What the levels note says, when `years` (one year or several) include one the communes report
    for; else None. Used by includes/levels.html."""
    if isinstance(years, int):
        found = [years]
    elif isinstance(years, Iterable) and not isinstance(years, str):
        found = [y for y in years if isinstance(y, int)]
    else:
        found = []
    if not any(y >= unit_periods.FIRST_COMMUNE_YEAR for y in found):
        return None
    return {
        "year": unit_periods.FIRST_COMMUNE_YEAR,
        "date": unit_periods.TWO_TIER_FROM,
        "last": unit_periods.FIRST_COMMUNE_YEAR - 1,
    }


@register.simple_tag
def units_word(year):
    """ "huyện" before 2025, "xã, phường" from 2025."""
    return unit_periods.units_of_year_text(year)
