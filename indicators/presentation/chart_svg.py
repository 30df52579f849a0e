"""Every chart drawn on the server as SVG, from the very Plotly figure dict that charts.py builds, so
the picture a reader gets first and the interactive chart (static/js/charts.js fetches plotly.js
when the reader reaches for a chart) can never disagree. Pure functions: a figure in, markup out.

Text in an SVG scaled by its viewBox shrinks with the screen, so each chart is drawn three times,
for a narrow, a medium and a wide box (DRAWINGS), and a CSS container query shows the one that fits
the chart's width: a 12-unit label is never under 11.9 px on screen. The title, the legend and the
event notes are HTML around the picture, where they wrap on a phone. Everything from the figure is
escaped again here: plotly's own escaping is undone first (svg_geometry.plain).
"""

from __future__ import annotations

import math
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from indicators.presentation.svg_bars import bar_drawing
from indicators.presentation.svg_geometry import (
    FONT,
    TICK_COLOUR,
    Plot,
    Scale,
    annotation_markup,
    dasharray,
    fmt,
    is_note,
    nice_ticks,
    number_text,
    plain,
    shape_markup,
    text_width,
    tick_decimals,
)

# (name, width, height) in drawing units: the narrow one for a 360 px phone (a 328 px box), the
# medium from 520 px and the wide one from 820 px of box (static/css/site.css, .chart-picture).
DRAWINGS = (("narrow", 330, 230), ("medium", 520, 280), ("wide", 820, 320))
GRID = "#e6e6e6"
YEAR_GRID = "#f0f0f0"
LINE_NOTE = "Biểu đồ đường; dữ liệu ở bảng ngay dưới"
BAR_NOTE = "Biểu đồ cột xếp hạng; dữ liệu ở bảng ngay dưới"


def chart_picture(figure: dict, *, key: str) -> SafeString:
    """The picture of `figure` (a line chart or a ranking bar chart), to go inside its
    <div class="chart" data-chart=`key`>. A figure with no figures in it gets a short notice."""
    traces = figure.get("data") or []
    layout = figure.get("layout") or {}
    bars = any(trace.get("type") == "bar" for trace in traces)
    title = _title(layout)
    if not any(_values(trace) for trace in traces):
        notice = escape(_("Chưa có số liệu để vẽ biểu đồ."))
        empty = f'<div class="chart-picture chart-empty">{title}<p>{notice}</p></div>'
        return mark_safe(empty)  # noqa: S308 - every text in it is escaped
    label = escape(f"{plain(layout.get('title', {}).get('text'))}. {_(BAR_NOTE if bars else LINE_NOTE)}")
    drawings = []
    for name, width, height in DRAWINGS:
        if bars:
            body, height = bar_drawing(traces, layout, width=width, key=f"{key}-{name}")
        else:
            body = _line_body(traces, layout, width, height)
        drawings.append(
            f'<svg class="drawing drawing-{name}" viewBox="0 0 {width} {fmt(height)}" role="img" aria-label="{label}"'
            f' font-size="{FONT}"><title>{label}</title>{body}</svg>'
        )
    button = escape(_("Biểu đồ tương tác"))
    head = f'<div class="chart-head">{title}<button type="button" class="chart-interactive" hidden>{button}</button>'
    return mark_safe(  # noqa: S308 - every text from the figure is escaped where it is written
        # The legend above the plot, where a phone's first screen still shows it.
        f'<div class="chart-picture">{head}</div>{"" if bars else legend_html(traces)}{"".join(drawings)}'
        f"{notes_html(layout)}</div>"
    )


def _title(layout: dict) -> str:
    title = layout.get("title") or {}
    subtitle = plain((title.get("subtitle") or {}).get("text"))
    extra = f'<span class="chart-subtitle">{escape(subtitle)}</span>' if subtitle else ""
    return f'<p class="chart-title">{escape(plain(title.get("text")))}{extra}</p>'


def _values(trace: dict) -> list[float]:
    axis = "x" if trace.get("type") == "bar" else "y"
    return [v for v in trace.get(axis) or [] if v is not None]


def _value_range(traces: list[dict], layout: dict) -> tuple[float, float]:
    values = []
    for trace in traces:
        values += _values(trace)
        error = trace.get("error_y")
        if error:
            for y, up, down in zip(trace["y"], error.get("array", []), error.get("arrayminus", []), strict=False):
                values += [y + up, y - down]
    values += [s["y0"] for s in layout.get("shapes", []) if s.get("yref") == "y"]
    return min(values), max(values)


def _line_body(traces: list[dict], layout: dict, width: int, height: int) -> str:
    yaxis, xaxis = layout.get("yaxis") or {}, layout.get("xaxis") or {}
    separators, suffix = layout.get("separators", ",."), yaxis.get("ticksuffix", "")
    reversed_axis = yaxis.get("autorange") == "reversed"
    low, high = _value_range(traces, layout)
    ticks = nice_ticks(low, high, integer=reversed_axis or yaxis.get("dtick") == 1)
    decimals = tick_decimals(ticks)
    tick_texts = [number_text(t, decimals=decimals, separators=separators, suffix=suffix) for t in ticks]
    left = max(text_width(text, FONT) for text in tick_texts) + 10
    plot = Plot(left=left, top=34, right=width - 10, bottom=height - 22)
    years = sorted({x for trace in traces for x in trace.get("x") or [] if x is not None})
    x_low, x_high = xaxis.get("range") or [years[0] - 0.5, years[-1] + 0.5]
    xs = Scale(x_low, x_high, plot.left, plot.right)
    top, bottom = (plot.bottom, plot.top) if reversed_axis else (plot.top, plot.bottom)
    ys = Scale(ticks[0], ticks[-1], bottom, top)
    ticks_shown, texts_shown = ticks, tick_texts
    if reversed_axis and ticks[0] < 1:  # ranks: round ticks may start at 0, but first place is 1
        ticks_shown = [1.0, *(t for t in ticks if t > 1)]
        texts_shown = [number_text(t, decimals=0, separators=separators, suffix=suffix) for t in ticks_shown]
    parts = [_y_ticks(ticks_shown, texts_shown, ys, plot), _year_ticks(years, xs, plot), _axis_title(yaxis)]
    fills = [(previous, trace) for previous, trace in zip([{}, *traces], traces, strict=False) if trace.get("fill")]
    parts += [_fill(previous, trace, xs, ys) for previous, trace in fills]
    for trace in traces:
        parts.append(_trace(trace, xs, ys))
    parts += [shape_markup(shape, xs, ys, plot) for shape in layout.get("shapes", [])]
    parts += [annotation_markup(a, xs, ys, plot) for a in layout.get("annotations", [])]
    return "".join(parts)


def _y_ticks(ticks, texts, ys: Scale, plot: Plot) -> str:
    out = []
    for tick, text in zip(ticks, texts, strict=True):
        y = fmt(ys(tick))
        out.append(f'<line x1="{fmt(plot.left)}" x2="{fmt(plot.right)}" y1="{y}" y2="{y}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{fmt(plot.left - 5)}" y="{fmt(ys(tick) + 4)}" text-anchor="end" fill="{TICK_COLOUR}">'
            f"{escape(text)}</text>"
        )
    return "".join(out)


def _year_ticks(years: list[int], xs: Scale, plot: Plot) -> str:
    if not years:
        return ""
    # Every year when there is room, else every second or third, the last one always labelled.
    per_year = (xs.end - xs.start) / max(1.0, xs.high - xs.low)
    every = max(1, math.ceil((text_width("2024", FONT) + 6) / per_year))
    out = []
    for year in range(years[0], years[-1] + 1):
        x = fmt(xs(year))
        out.append(f'<line x1="{x}" x2="{x}" y1="{fmt(plot.top)}" y2="{fmt(plot.bottom)}" stroke="{YEAR_GRID}"/>')
        if (years[-1] - year) % every == 0:
            y = fmt(plot.bottom + 16)
            out.append(f'<text x="{x}" y="{y}" text-anchor="middle" fill="{TICK_COLOUR}">{year}</text>')
    return "".join(out)


def _axis_title(axis: dict) -> str:
    text = plain((axis.get("title") or {}).get("text"))
    return f'<text x="2" y="13" fill="{TICK_COLOUR}">{escape(text)}</text>' if text else ""


def _points(trace: dict, xs: Scale, ys: Scale) -> list[tuple[float, float] | None]:
    return [
        None if x is None or y is None else (xs(x), ys(y))
        for x, y in zip(trace.get("x") or [], trace.get("y") or [], strict=False)
    ]


def _fill(previous: dict, trace: dict, xs: Scale, ys: Scale) -> str:
    """Plotly's fill "tonexty": the area between this trace and the one before it (the band)."""
    pairs = [(a, b) for a, b in zip(_points(previous, xs, ys), _points(trace, xs, ys), strict=False) if a and b]
    if not pairs:
        return ""
    outline = [a for a, _b in pairs] + [b for _a, b in reversed(pairs)]
    points = " ".join(f"{fmt(x)},{fmt(y)}" for x, y in outline)
    return f'<polygon class="band" points="{points}" fill="{escape(trace.get("fillcolor", "#ddd"))}"/>'


def _runs(points: list) -> list[list[tuple[float, float]]]:
    """The points in runs between missing years: a gap breaks the line (connectgaps is off)."""
    runs, run = [], []
    for point in points:
        if point is None:
            runs, run = ([*runs, run] if run else runs), []
        else:
            run.append(point)
    return [*runs, run] if run else runs


def _each(value, count: int) -> list:
    return list(value) if isinstance(value, list) else [value] * count


def _trace(trace: dict, xs: Scale, ys: Scale) -> str:
    points = _points(trace, xs, ys)
    mode, line = trace.get("mode", "lines+markers"), trace.get("line") or {}
    out = []
    error = trace.get("error_y")
    if error:  # one year's band: a box from P25 to P75 behind its median
        thickness = error.get("thickness", 10)
        for (x, _y), y, up, down in zip(points, trace["y"], error["array"], error["arrayminus"], strict=False):
            top, bottom = ys(y + up), ys(y - down)
            out.append(
                f'<rect class="band" x="{fmt(x - thickness / 2)}" y="{fmt(min(top, bottom))}" width="{fmt(thickness)}"'
                f' height="{fmt(abs(bottom - top))}" fill="{escape(error.get("color", "#ccc"))}"/>'
            )
    width = line.get("width", 2)
    if "lines" in mode and width:
        colour, dashes = escape(line.get("color", "#444")), dasharray(line.get("dash"), width)
        dash = f' stroke-dasharray="{dashes}"' if dashes else ""
        for run in _runs(points):
            if len(run) > 1:
                path = " ".join(f"{fmt(x)},{fmt(y)}" for x, y in run)
                out.append(
                    f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{fmt(width)}"'
                    f' stroke-linejoin="round"{dash}/>'
                )
    if "markers" in mode:
        marker = trace.get("marker") or {}
        sizes, symbols = _each(marker.get("size", 6), len(points)), _each(marker.get("symbol", "circle"), len(points))
        colour = marker.get("color", line.get("color", "#444"))
        stroke = (marker.get("line") or {}).get("width", 0)
        for point, size, symbol in zip(points, sizes, symbols, strict=False):
            if point:
                out.append(marker_markup(*point, symbol=symbol, size=size, colour=colour, stroke=stroke))
    return "".join(out)


def marker_markup(x: float, y: float, *, symbol: str, size: float, colour: str, stroke: float = 0) -> str:
    """A plotly marker symbol: circle, diamond or line-ew, "-open" ones unfilled (demo figures)."""
    is_open = symbol.endswith("-open")
    shape = symbol.removesuffix("-open")
    colour = escape(colour)
    paint = f'fill="none" stroke="{colour}" stroke-width="{fmt(max(stroke, 1.5))}"' if is_open else f'fill="{colour}"'
    if not is_open and stroke:
        paint += f' stroke="{colour}" stroke-width="{fmt(stroke)}"'
    half = size / 2
    if shape == "line-ew":
        ends = f'x1="{fmt(x - half)}" x2="{fmt(x + half)}" y1="{fmt(y)}" y2="{fmt(y)}"'
        return f'<line {ends} stroke="{colour}" stroke-width="2"/>'
    if shape == "diamond":
        r = half * 1.3
        path = f"M{fmt(x)} {fmt(y - r)}L{fmt(x + r)} {fmt(y)}L{fmt(x)} {fmt(y + r)}L{fmt(x - r)} {fmt(y)}Z"
        return f'<path class="marker {escape(symbol)}" d="{path}" {paint}/>'
    return f'<circle class="marker {escape(symbol)}" cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(half)}" {paint}/>'


def swatch(trace: dict) -> str:
    """The legend's key for a trace: its line's colour and dash with its marker, or the band's grey."""
    line, marker = trace.get("line") or {}, trace.get("marker") or {}
    if trace.get("fill") or trace.get("error_y"):
        colour = trace.get("fillcolor") or trace["error_y"].get("color", "#ccc")
        body = f'<rect x="1" y="2" width="26" height="10" fill="{escape(colour)}"/>'
    else:
        body = ""
        if "lines" in trace.get("mode", "") and line.get("width", 2):
            dashes = dasharray(line.get("dash"), 2)
            dash = f' stroke-dasharray="{dashes}"' if dashes else ""
            colour = escape(line.get("color", "#444"))
            body += f'<line x1="1" x2="27" y1="7" y2="7" stroke="{colour}" stroke-width="2"{dash}/>'
        if "markers" in trace.get("mode", ""):
            symbols = _each(marker.get("symbol", "circle"), len(trace.get("y") or []))
            shown = [s for s, y in zip(symbols, trace.get("y") or [], strict=False) if y is not None] or ["circle"]
            colour = marker.get("color", line.get("color", "#444"))
            body += marker_markup(14, 7, symbol=shown[0], size=8, colour=colour, stroke=1.5)
    return f'<svg class="swatch" width="28" height="14" viewBox="0 0 28 14" aria-hidden="true">{body}</svg>'


def legend_html(traces: list[dict]) -> str:
    """The legend as a list that wraps: one entry for each trace plotly would list."""
    items, groups = [], set()
    for trace in traces:
        if not trace.get("showlegend", True) or not trace.get("name"):
            continue
        group_title = plain((trace.get("legendgrouptitle") or {}).get("text"))
        if group_title and group_title not in groups:
            groups.add(group_title)
            items.append(f'<li class="legend-group">{escape(group_title)}</li>')
        items.append(f"<li>{swatch(trace)}{escape(plain(trace['name']))}</li>")
    return f'<ul class="legend chart-legend">{"".join(items)}</ul>' if items else ""


def notes_html(layout: dict) -> str:
    """The events' notes in full (plotly cuts them to two lines), numbered as over the plot, and the
    other prose of the figure (the demo key of a bar chart)."""
    events, others = [], []
    for annotation in layout.get("annotations", []):
        if "hovertext" in annotation:
            number = plain(annotation.get("text")).split(" · ")[0]
            events.append((int(number) if number.isdigit() else 0, f"{number} · {plain(annotation['hovertext'])}"))
        elif is_note(annotation):
            others.append(plain(annotation.get("text")))
    out = ""
    if events:
        items = "".join(f"<li>{escape(text)}</li>" for _n, text in sorted(events))
        out += f'<ul class="chart-events">{items}</ul>'
    if others:
        out += "".join(f'<p class="chart-key">{escape(text)}</p>' for text in others)
    return out
