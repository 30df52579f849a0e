"""Plotly figures as plain dicts. Pure functions: selected data in, figure out, no queries.

Building dicts instead of plotly.graph_objects keeps a figure at well under a millisecond.
Every text that came from the database is HTML-escaped, because plotly renders a subset of HTML
in labels and hovers.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from indicators.domain.formatting import QUALIFIER_WORDS, format_figure
from indicators.domain.registry import REFORM_DATE
from indicators.domain.series import BandYear, EventMark, Measure, Point, Series, TargetLine
from indicators.domain.shortlist import BOTTOM, TOP, Gap, is_cut, shortlist
from indicators.presentation.chart_notes import (  # noqa: F401 - EVENT_* are read by the tests
    EVENT_COLOUR,
    EVENT_LINE_PX,
    EVENT_NOTE_CHARS,
    EVENT_NOTE_LINES,
    add_events,
    add_target,
    wrap,
)
from indicators.presentation.distribution import band_traces

# Okabe-Ito: distinguishable with common colour-vision deficiencies.
PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
DEMO_PATTERN = "/"
GREY = "#9aa5b1"


# 2025 is the first year the communes report (RULE: a year belongs to the units in force on 31/12).
FIRST_COMMUNE_YEAR = REFORM_DATE.year


def _number(value: Decimal | float | None) -> float | None:
    return None if value is None else float(value)


def figure_text(point: Point, measure: Measure, *, compact: bool = True) -> str:
    return format_figure(
        point.value, unit_kind=measure.unit_kind, decimals=measure.decimals, qualifier=point.qualifier, compact=compact
    )


def hover_text(point: Point, measure: Measure) -> str:
    lines = [f"<b>{escape(point.unit_name)}</b> · {point.year}", figure_text(point, measure)]
    if point.qualifier != "exact":
        lines.append(escape(f"“{QUALIFIER_WORDS[point.qualifier]}” — {point.quote}" if point.quote else ""))
    if point.is_demo:
        lines.append(_("Dữ liệu minh họa, không phải số liệu chính thức"))
    elif point.source_title:
        lines.append(escape(_("Nguồn: %(source)s") % {"source": point.source_title}))
    return "<br>".join(line for line in lines if line)


def direction_text(higher_is_better: bool | None) -> str:
    if higher_is_better is True:
        return _("cao hơn là tốt hơn")
    if higher_is_better is False:
        return _("ít hơn là tốt hơn")
    return _("chỉ tiêu trung tính: không có hướng tốt hơn")


def separators() -> str:
    """Plotly's `separators` (the decimal mark, then the thousands mark) in the active language, from
    the site's format modules: ",." in Vietnamese (98,5%; 1.234), ".," in English (98.5%; 1,234)."""
    language = get_language()
    decimal = formats.get_format("DECIMAL_SEPARATOR", language, use_l10n=True)
    return decimal + formats.get_format("THOUSAND_SEPARATOR", language, use_l10n=True)


TITLE_CHARS = 40  # a longer chart title is broken into lines: a phone's chart is about 330 px wide
TITLE_LINE_PX = 19


def _base_layout(title: str, *, height: int) -> dict:
    title_lines = wrap(title, TITLE_CHARS)
    return {
        # Placed from the top of the figure, so that what sits between it and the plot (event notes,
        # a subtitle) only has to add to the top margin.
        "title": {
            "text": "<br>".join(escape(line) for line in title_lines),
            "x": 0,
            "xanchor": "left",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            # Plotly anchors a title of several lines by its last line: the others need room above it.
            "pad": {"t": 10 + TITLE_LINE_PX * (len(title_lines) - 1), "l": 2},
            "font": {"size": 15},
        },
        "separators": separators(),
        "height": height + TITLE_LINE_PX * (len(title_lines) - 1),
        "margin": {"l": 56, "r": 16, "t": 48 + TITLE_LINE_PX * (len(title_lines) - 1), "b": 40},
        "hovermode": "closest",
        "font": {"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", "size": 12},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
    }


def _value_axis(measure: Measure) -> dict:
    axis = {"title": {"text": escape(measure.unit_label)}, "gridcolor": "#e6e6e6", "zeroline": False}
    if measure.unit_kind == "percent":
        axis["ticksuffix"] = "%"
    if measure.unit_kind == "rank":
        axis["autorange"] = "reversed"  # first place on top
        axis["dtick"] = 1
    return axis


LINE_HEIGHT = 440
LEGEND_ENTRY_PX = 20  # a line of the legend; on a phone each entry is a line (or two) of its own
LEGEND_LINE_CHARS = 44


def line_chart(
    *,
    title: str,
    measure: Measure,
    years: Sequence[int],
    series: Sequence[Series],
    band: Sequence[BandYear],
    source_url: str = "",
    target: TargetLine | None = None,
    events: Sequence[EventMark] = (),
    band_breaks: Sequence[int] = (),
) -> dict:
    """Selected units across years, over the median and the 25th-75th percentile band of all units.

    The band is drawn apart on each side of a year in `band_breaks` (the year a new set of units
    begins: the communes in 2025), and of a year without figures (see band_traces).

    An optional `target` is a dashed horizontal line; each of `events` that falls within the years
    shown is a vertical line with its title.

    A missing year is None, which plotly draws as a gap. Demo figures get open markers and a dotted
    line and "(minh họa)" in the legend; real figures with a qualifier get a labelled annotation that
    links to their source.
    """
    traces = band_traces(band, measure=measure, breaks=band_breaks)
    annotations = []
    for index, one in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        points = [one.points.get(year) for year in years]
        has_demo = any(p and p.is_demo for p in points)
        name = escape(one.unit_name)
        texts = [hover_text(p, measure) if p else "" for p in points]
        shape, dash, apart = "circle", "dot" if has_demo else "solid", {}
        if one.began:
            # A unit created by a reorganisation: its own legend group, diamonds and a dash-dot line,
            # and words in the legend and hover saying it is not the continuation of a district.
            shape, dash = "diamond", "dashdot"
            apart = {"legendgroup": "successors", "legendgrouptitle": {"text": _("Đơn vị mới sau sắp xếp:")}}
            name += " " + _("(đơn vị mới từ %(date)s)") % {"date": f"{one.began:%d/%m/%Y}"}
            separate = _("Đơn vị mới, chuỗi số liệu riêng: không nối tiếp chuỗi của các huyện")
            texts = [f"{text}<br>{separate}" if text else "" for text in texts]
        if has_demo:
            # On a line of its own when the name is long: a legend does not wrap, and a phone's
            # chart would cut the words off (the unit and its period stay on the first line).
            demo = _("(có số liệu minh họa)")
            name += ("<br>" if len(name) + len(demo) > LEGEND_LINE_CHARS else " ") + demo
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "x": list(years),
                "y": [_number(p.value) if p else None for p in points],
                "connectgaps": False,
                "line": {"color": colour, "width": 2.5, "dash": dash},
                "marker": {
                    "color": colour,
                    "size": [7 if p and p.is_demo else 10 for p in points],
                    "symbol": [f"{shape}-open" if p and p.is_demo else shape for p in points],
                    "line": {"width": 2, "color": colour},
                },
                "text": texts,
                "hovertemplate": "%{text}<extra></extra>",
                **apart,
            }
        )
        for point in points:
            if point and not point.is_demo and point.qualifier != "exact":
                label = escape(figure_text(point, measure))
                link = f"{source_url}{point.source_code}/" if source_url and point.source_code else ""
                annotations.append(
                    {
                        "x": point.year,
                        "y": _number(point.value),
                        "text": f'<a href="{escape(link)}">{label}</a>' if link else label,
                        "showarrow": True,
                        "arrowhead": 0,
                        "ax": 0,
                        "ay": -28,
                        "font": {"color": colour},
                        "bgcolor": "rgba(255,255,255,0.85)",
                    }
                )
    # The legend sits at the foot of the figure, below the year axis and its title (it used to be
    # placed at a fraction of the plot's height, which landed on the axis title); each entry adds to
    # the height, since a phone shows one entry a line, so the plot keeps its size.
    shown = [trace for trace in traces if trace.get("showlegend", True)]
    lines = sum(1 + trace["name"].count("<br>") for trace in shown) + any("legendgrouptitle" in t for t in shown)
    layout = _base_layout(title, height=LINE_HEIGHT + LEGEND_ENTRY_PX * max(0, lines - 2))
    layout.update(
        {
            "xaxis": {
                "title": {"text": _("Năm"), "standoff": 4},
                "dtick": 1,
                "tickformat": "d",
                "gridcolor": "#f0f0f0",
                "automargin": True,
            },
            "yaxis": _value_axis(measure),
            "legend": {
                "orientation": "h",
                "x": 0,
                "xanchor": "left",
                "yref": "container",
                "y": 0,
                "yanchor": "bottom",
            },
            "annotations": annotations,
        }
    )
    if years:
        # Each tick stands for its whole year, half a tick on either side (see year_position).
        layout["xaxis"]["range"] = [min(years) - 0.5, max(years) + 0.5]
    if target is not None:
        add_target(layout, target, axis="y")
    if events and years:
        add_events(layout, events, first=min(years), last=max(years))
    return {"data": traces, "layout": layout}


def _distinct(labels: Sequence[str]) -> list[str]:
    """Labels made distinct for a category axis, which would draw two equal ones (two "Huyện Châu
    Thành", one in each old province) as one bar: a repeat gets invisible zero-width spaces."""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        count = seen.get(label, 0)
        seen[label] = count + 1
        out.append(label + "\u200b" * count)
    return out


def ranking_bar(
    *,
    title: str,
    measure: Measure,
    points: Sequence[Point | Gap],
    highlighted: Sequence[str] = (),
    target: TargetLine | None = None,
    ranks: Sequence[int | None] | None = None,
) -> dict:
    """Units for one year as horizontal bars, best first (on top) in the indicator's direction.

    A `Gap` among `points` is a row without a bar that says how many units are left out there (a
    shortlist, domain/shortlist.py). With `ranks` (one per point), each label begins with its rank.
    """
    colours = [PALETTE[0] if isinstance(p, Point) and p.unit_code in highlighted else GREY for p in points]
    labels = []
    for index, p in enumerate(points):
        if isinstance(p, Gap):
            labels.append("⋯ " + _("%(count)d đơn vị khác") % {"count": p.hidden})
            continue
        rank = ranks[index] if ranks is not None else None
        labels.append(f"{rank}. {escape(p.unit_name)}" if rank is not None else escape(p.unit_name))
    trace = {
        "type": "bar",
        "orientation": "h",
        "y": _distinct(labels),
        "x": [_number(p.value) if isinstance(p, Point) else None for p in points],
        "text": [figure_text(p, measure) + (" *" if p.is_demo else "") if isinstance(p, Point) else "" for p in points],
        "textposition": "outside",
        "cliponaxis": False,
        "marker": {
            "color": colours,
            "pattern": {
                "shape": [DEMO_PATTERN if isinstance(p, Point) and p.is_demo else "" for p in points],
                # "overlay" makes plotly derive one colour from the colour array and warn in the
                # console; "replace" with the array as background draws the same bars cleanly.
                "fillmode": "replace",
                "bgcolor": colours,
                "fgcolor": "rgba(255, 255, 255, 0.85)",
            },
        },
        "customdata": [
            hover_text(p, measure) if isinstance(p, Point) else _("Toàn bộ xếp hạng ở bảng dưới biểu đồ")
            for p in points
        ],
        "hovertemplate": "%{customdata}<extra></extra>",
        "name": escape(measure.name),
        "showlegend": False,
    }
    layout = _base_layout(title, height=max(260, 28 * len(points) + 90))
    value_axis = _value_axis(measure)
    value_axis.pop("autorange", None)
    layout.update(
        {
            "xaxis": value_axis,
            "yaxis": {"autorange": "reversed", "automargin": True},
            "margin": {**layout["margin"], "l": 8, "r": 56},
            "bargap": 0.25,
        }
    )
    if any(isinstance(p, Point) and p.is_demo for p in points):
        # At the foot of the figure: above the plot it ran into the title's second line or subtitle.
        layout["annotations"] = [
            {
                "text": _("* gạch chéo: số liệu minh họa"),
                "xref": "paper",
                "yref": "paper",
                "x": 1,
                "y": 0,
                "yshift": -56,  # under the value axis's ticks and title (annotations have no container reference)
                "xanchor": "right",
                "yanchor": "top",
                "showarrow": False,
                "font": {"size": 11},
            }
        ]
        layout["margin"]["b"] += 30
        layout["height"] += 30
    if target is not None:
        add_target(layout, target, axis="x")
    return {"data": [trace], "layout": layout}


# --- The charts of each page, from what its selector returned -------------------------------


def indicator_line(
    *,
    measure: Measure,
    years: Sequence[int],
    series: Sequence[Series],
    band: Sequence[BandYear],
    target: TargetLine | None,
    source_url: str,
    events: Sequence[EventMark],
    band_breaks: Sequence[int] = (FIRST_COMMUNE_YEAR,),
) -> dict:
    """The indicator page's line chart: the chosen units over the band of all units of each year,
    broken where the communes take over from the districts."""
    return line_chart(
        title=_("%(indicator)s: các đơn vị qua các năm") % {"indicator": measure.name},
        measure=measure,
        years=years,
        series=series,
        band=band,
        source_url=source_url,
        target=target,
        events=events,
        band_breaks=band_breaks,
    )


def indicator_ranking(
    *,
    measure: Measure,
    year: int | None,
    ranking: Sequence[tuple[int | None, Point]],
    highlighted: Sequence[str],
    target: TargetLine | None,
    group: str = "",
) -> dict:
    """The indicator page's bar chart for the units of one ranking (`group`, e.g. "15 huyện, Tỉnh Long
    An") in the ranking year, best first: every unit, or, when they are many (the communes), the top,
    the bottom and the chosen ones, with the rest left to the table."""
    title = _("Xếp hạng năm %(year)s (%(direction)s)") % {
        "year": year,
        "direction": direction_text(measure.higher_is_better),
    }
    rows = shortlist(ranking, chosen=highlighted, code_of=lambda point: point.unit_code)
    if is_cut(rows):
        title += " · " + _("%(top)d đầu, %(bottom)d cuối và đơn vị đã chọn") % {"top": TOP, "bottom": BOTTOM}
        figure = ranking_bar(
            title=title,
            measure=measure,
            points=[row if isinstance(row, Gap) else row.item for row in rows],
            ranks=[None if isinstance(row, Gap) else row.rank for row in rows],
            highlighted=highlighted,
            target=target,
        )
    else:
        figure = ranking_bar(
            title=title, measure=measure, points=[p for _, p in ranking], highlighted=highlighted, target=target
        )
    if group:  # on a line of its own, so that a phone's narrow chart keeps both readable
        figure["layout"]["title"]["subtitle"] = {"text": escape(group), "font": {"size": 12}}
        figure["layout"]["margin"]["t"] += 20
    return figure


def compare_line(*, measure: Measure, years: Sequence[int], series: Sequence[Series], events: Sequence[EventMark]):
    """One small line chart of the compare page: the chosen units, no band."""
    return line_chart(title=measure.name, measure=measure, years=years, series=series, band=[], events=events)
