"""The arithmetic of the server-drawn charts (chart_svg.py): nice axis ticks, tick labels in the
page's number style, the plot's scales, and figure text made plain. Pure functions, no Django."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from html import escape, unescape

TAG = re.compile(r"<[^>]*>")
BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
FONT = 12  # drawing units; a drawing is never shown below 0.99 of its size (chart_svg.DRAWINGS)
TICK_COLOUR = "#555"


def plain(text: object) -> str:
    """A figure's text as words: plotly's labels are HTML-escaped with <br>, <b> and <a> in them;
    the SVG escapes again where it writes, so this undoes plotly's escaping (no double escaping)."""
    if text is None:
        return ""
    words = TAG.sub("", BREAK.sub(" ", str(text)))
    return " ".join(unescape(words).replace("\u200b", "").split())


def nice_ticks(low: float, high: float, *, count: int = 5, integer: bool = False) -> list[float]:
    """About `count` round ticks (steps of 1, 2 or 5 times a power of ten) covering low..high."""
    if high < low:
        low, high = high, low
    if high == low:
        low, high = (low - 1, high + 1) if low else (0.0, 1.0)
    raw = (high - low) / max(1, count - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    if integer:
        step = max(1.0, round(step))
    first = math.floor(low / step + 1e-9) * step
    last = math.ceil(high / step - 1e-9) * step
    ticks, tick = [], first
    while tick <= last + step / 2:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


def tick_decimals(ticks: list[float]) -> int:
    """The fewest decimals that write every tick exactly (0.25 steps need two)."""
    for decimals in range(5):
        if all(abs(round(tick, decimals) - tick) < 1e-9 for tick in ticks):
            return decimals
    return 4


def number_text(value: float, *, decimals: int, separators: str, suffix: str = "") -> str:
    """98.5 as "98,5" with separators ",." (Vietnamese) or "98.5" with ".," (English): the figure
    layout's `separators`, the decimal mark then the thousands mark, as plotly reads them."""
    decimal_mark, thousands = (separators + ".,")[:2] if separators else (".", ",")
    # As plotly writes ticks: grouped from five digits on ("12.500"), not below ("1250").
    grouping = "," if abs(value) >= 10_000 else ""
    text = f"{abs(value):{grouping}.{decimals}f}".replace(",", "\0").replace(".", decimal_mark).replace("\0", thousands)
    return ("−" if value < 0 and round(abs(value), decimals) else "") + text + suffix


@dataclass(frozen=True)
class Scale:
    """A linear map from data to drawing units."""

    low: float
    high: float
    start: float
    end: float

    def __call__(self, value: float) -> float:
        span = (self.high - self.low) or 1.0
        return self.start + (value - self.low) / span * (self.end - self.start)


def fmt(value: float) -> str:
    """A coordinate rounded to one decimal, without a trailing ".0"."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


DASHES = {"dot": (1.2, 1.6), "dash": (4, 2.5), "dashdot": (4, 1.6, 1.2, 1.6), "longdash": (7, 2.5)}


def dasharray(dash: str | None, width: float) -> str:
    """Plotly's dash names as stroke-dasharray, in multiples of the line's width as plotly draws them."""
    pattern = DASHES.get(dash or "solid")
    if not pattern:
        return ""
    unit = max(width, 1.5)
    return " ".join(fmt(part * unit) for part in pattern)


def text_width(text: str, size: float) -> float:
    """An estimate of a label's width (system-ui, mixed case): enough to keep labels apart."""
    return len(text) * size * 0.62


class Plot:
    """The plot area of one drawing, in drawing units."""

    def __init__(self, *, left: float, top: float, right: float, bottom: float):
        self.left, self.top, self.right, self.bottom = left, top, right, bottom

    def x_paper(self, value: float) -> float:
        return self.left + value * (self.right - self.left)

    def y_paper(self, value: float) -> float:
        return self.bottom - value * (self.bottom - self.top)


def _position(value: float, ref: str, scale: Scale, paper) -> float:
    return paper(value) if ref == "paper" else scale(value)


def shape_markup(shape: dict, xs: Scale, ys: Scale, plot: Plot) -> str:
    """A layout shape of type line (the target, the events), on data or paper coordinates."""
    if shape.get("type") != "line":
        return ""
    x0, x1 = (_position(shape[k], shape.get("xref", "x"), xs, plot.x_paper) for k in ("x0", "x1"))
    y0, y1 = (_position(shape[k], shape.get("yref", "y"), ys, plot.y_paper) for k in ("y0", "y1"))
    line = shape.get("line") or {}
    width = line.get("width", 2)
    dashes = dasharray(line.get("dash"), width)
    dash = f' stroke-dasharray="{dashes}"' if dashes else ""
    return (
        f'<line x1="{fmt(x0)}" x2="{fmt(x1)}" y1="{fmt(y0)}" y2="{fmt(y1)}"'
        f' stroke="{escape(line.get("color", "#444"))}" stroke-width="{fmt(width)}"{dash}/>'
    )


ANCHORS = {"left": "start", "right": "end", "center": "middle"}


def is_note(annotation: dict) -> bool:
    """An annotation that is prose (an event's note, the demo key): HTML under the picture."""
    return "hovertext" in annotation or (annotation.get("xref") == "paper" and annotation.get("yref") == "paper")


def annotation_markup(annotation: dict, xs: Scale, ys: Scale, plot: Plot) -> str:
    """A short label on the plot: an event's number, the target's name, a qualified figure."""
    if is_note(annotation):
        return ""
    x = _position(annotation["x"], annotation.get("xref", "x"), xs, plot.x_paper)
    y = _position(annotation["y"], annotation.get("yref", "y"), ys, plot.y_paper)
    colour = escape((annotation.get("font") or {}).get("color", TICK_COLOUR))
    text = escape(plain(annotation.get("text")))
    if annotation.get("showarrow"):
        tip = y + annotation.get("ay", -28)
        return (
            f'<line x1="{fmt(x)}" x2="{fmt(x)}" y1="{fmt(y)}" y2="{fmt(tip + 3)}" stroke="{colour}"/>'
            f'<text x="{fmt(x)}" y="{fmt(tip)}" text-anchor="middle" fill="{colour}" class="halo">{text}</text>'
        )
    y -= annotation.get("yshift", 0)
    y += {"bottom": -3, "top": FONT, "middle": FONT / 3}.get(annotation.get("yanchor", "middle"), 0)
    anchor = ANCHORS.get(annotation.get("xanchor", "center"), "middle")
    shift = {"start": 3, "end": -3}.get(anchor, 0)
    return f'<text x="{fmt(x + shift)}" y="{fmt(y)}" text-anchor="{anchor}" fill="{colour}" class="halo">{text}</text>'
