"""The ranking bar chart of charts.ranking_bar drawn as SVG (for chart_svg.chart_picture): one row a
unit, best on top, its name on the left (cut with "…" to the room a phone has: the table under the
chart names it in full), its figure after the bar. Demo bars are hatched, as plotly draws them."""

from __future__ import annotations

from html import escape

from indicators.presentation.svg_geometry import (
    FONT,
    TICK_COLOUR,
    Plot,
    Scale,
    annotation_markup,
    fmt,
    nice_ticks,
    number_text,
    plain,
    shape_markup,
    text_width,
    tick_decimals,
)

ROW = 26  # drawing units a bar's row takes
GRID = "#e6e6e6"


def _cut(text: str, room: float) -> str:
    if text_width(text, FONT) <= room:
        return text
    keep = max(4, int(room / (FONT * 0.56)) - 1)
    return text[:keep].rstrip() + "…"


def bar_drawing(traces: list[dict], layout: dict, *, width: int, key: str) -> tuple[str, float]:
    """The body of one drawing `width` units wide, and its height (which grows with the rows)."""
    (trace,) = [t for t in traces if t.get("type") == "bar"][:1]
    labels = [plain(label) for label in trace.get("y") or []]
    values = list(trace.get("x") or [])
    texts = [plain(text) for text in trace.get("text") or [""] * len(values)]
    marker = trace.get("marker") or {}
    colours = marker.get("color")
    colours = colours if isinstance(colours, list) else [colours or "#0072B2"] * len(values)
    hatched = (marker.get("pattern") or {}).get("shape") or [""] * len(values)
    axis = layout.get("xaxis") or {}
    known = [v for v in values if v is not None]
    known += [s["x0"] for s in layout.get("shapes", []) if s.get("xref") == "x"]
    ticks = nice_ticks(min(0.0, *known), max(known), count=4 if width < 400 else 6)
    decimals = tick_decimals(ticks)
    separators, suffix = layout.get("separators", ",."), axis.get("ticksuffix", "")
    label_room = min(width * 0.42, max(text_width(label, FONT) for label in labels) + 10)
    value_room = max([text_width(text, FONT) for text in texts] + [0]) + 8
    height = 24 + ROW * len(values) + 22
    plot = Plot(left=label_room, top=16, right=width - value_room, bottom=height - 22)
    xs = Scale(ticks[0], ticks[-1], plot.left, plot.right)
    ys = Scale(0, len(values), plot.top, plot.bottom)  # not used for data: the rows are categories
    pattern = f"{escape(key)}-hatch"
    out = [
        f'<defs><pattern id="{pattern}" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)">'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#fff" stroke-width="2.5" stroke-opacity="0.85"/></pattern></defs>'
    ]
    for tick in ticks:
        x = fmt(xs(tick))
        text = escape(number_text(tick, decimals=decimals, separators=separators, suffix=suffix))
        out.append(f'<line x1="{x}" x2="{x}" y1="{fmt(plot.top)}" y2="{fmt(plot.bottom)}" stroke="{GRID}"/>')
        out.append(f'<text x="{x}" y="{fmt(plot.bottom + 16)}" text-anchor="middle" fill="{TICK_COLOUR}">{text}</text>')
    zero = xs(max(ticks[0], 0.0))
    for row, (label, value, text) in enumerate(zip(labels, values, texts, strict=False)):
        top = plot.top + row * ROW
        middle = top + ROW / 2
        out.append(
            f'<text x="{fmt(label_room - 6)}" y="{fmt(middle + 4)}" text-anchor="end"><title>{escape(label)}</title>'
            f"{escape(_cut(label, label_room - 8))}</text>"
        )
        if value is None:
            continue
        end = xs(value)
        colour = escape(colours[row] if row < len(colours) else colours[-1])
        bar = (
            f' x="{fmt(min(zero, end))}" y="{fmt(top + ROW * 0.125)}" width="{fmt(abs(end - zero))}"'
            f' height="{fmt(ROW * 0.75)}"'
        )
        out.append(f'<rect class="bar"{bar} fill="{colour}"/>')
        if row < len(hatched) and hatched[row]:
            # The hatch over the bar's own colour: a white stripe pattern on a transparent ground.
            out.append(f'<rect class="bar demo"{bar} fill="url(#{pattern})"/>')
        out.append(f'<text x="{fmt(max(zero, end) + 4)}" y="{fmt(middle + 4)}">{escape(text)}</text>')
    out += [shape_markup(shape, xs, ys, plot) for shape in layout.get("shapes", [])]
    out += [annotation_markup(a, xs, ys, plot) for a in layout.get("annotations", [])]
    return "".join(out), height
