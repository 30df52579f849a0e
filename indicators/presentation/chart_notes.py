"""What a chart says over its plot: the target line, and the dated events (a resolution, the end of
the district level) as numbered lines with their notes in the top margin. Pure functions on a Plotly
layout dict; charts.py builds the figures that carry them."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from indicators.domain.scoring import year_position
from indicators.domain.series import EventMark, TargetLine

TARGET_COLOUR = "#6f42c1"
EVENT_COLOUR = "#444444"


def wrap(text: str, width: int, *, lines: int | None = None) -> list[str]:
    """`text` cut into lines of at most `width` characters at spaces (a longer word stays whole);
    with `lines`, at most that many, the last one ending in "…" when some text was left out."""
    out: list[str] = []
    for word in text.split():
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if lines is not None and len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return out


def add_target(layout: dict, target: TargetLine, *, axis: str) -> None:
    """A dashed line at the target value, across the whole plot (`axis` is the value axis)."""
    other = "x" if axis == "y" else "y"
    line = {"type": "line", "line": {"color": TARGET_COLOUR, "width": 2, "dash": "dash"}, "layer": "above"}
    line.update({f"{other}ref": "paper", f"{other}0": 0, f"{other}1": 1, f"{axis}ref": axis})
    line.update({f"{axis}0": target.value, f"{axis}1": target.value})
    label = {"text": escape(target.label), "showarrow": False, "font": {"color": TARGET_COLOUR, "size": 11}}
    label.update({f"{other}ref": "paper", f"{axis}ref": axis, axis: target.value, other: 1 if axis == "y" else 0})
    label.update({"xanchor": "right", "yanchor": "bottom"} if axis == "y" else {"xanchor": "left", "yanchor": "top"})
    layout.setdefault("shapes", []).append(line)
    layout.setdefault("annotations", []).append(label)


EVENT_NOTE_CHARS = 50  # a note is wrapped in lines of this length (about 300 px at its 10 px font)
EVENT_NOTE_LINES = 2  # and cut after two of them; its hover shows it whole
EVENT_LINE_PX = 13  # one line of a note
EVENT_CLOSE = 0.25  # events less than a quarter of a year apart share one number over the plot


def add_events(layout: dict, events: Sequence[EventMark], *, first: int, last: int) -> None:
    """A dotted vertical line across the plot for each event that happened during one of the years
    shown, numbered just above the plot; the notes, "1 · 15/07/2021: Nghị quyết 76/NQ-CP", are listed
    in the top margin, under the title, left-aligned and wrapped. So no note runs over the figures or
    past the figure's edge, at any width, and two events a fortnight apart (mid-2025) do not print
    over each other: their lines share one number, "2, 3".
    """
    shown = [event for event in events if first <= event.date.year <= last]
    if not shown:
        return
    shapes, annotations = layout.setdefault("shapes", []), layout.setdefault("annotations", [])
    clusters: list[list[tuple[int, float]]] = []  # (number, x) of the events that share a number
    notes: list[list[str]] = []
    for number, event in enumerate(shown, start=1):
        x = year_position(event.date)
        if clusters and x - clusters[-1][-1][1] < EVENT_CLOSE:
            clusters[-1].append((number, x))
        else:
            clusters.append([(number, x)])
        notes.append(wrap(f"{number} · {event.date:%d/%m/%Y}: {event.title}", EVENT_NOTE_CHARS, lines=EVENT_NOTE_LINES))
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "x0": x,
                "x1": x,
                "yref": "paper",
                "y0": 0,
                "y1": 1,
                "line": {"color": EVENT_COLOUR, "width": 1, "dash": "dot"},
            }
        )
    for cluster in clusters:
        annotations.append(
            {
                "x": sum(x for _, x in cluster) / len(cluster),
                "xref": "x",
                "y": 1,
                "yref": "paper",
                "text": ", ".join(str(number) for number, _ in cluster),
                "showarrow": False,
                "xanchor": "center",
                "yanchor": "bottom",
                "font": {"size": 10, "color": EVENT_COLOUR},
            }
        )
    # The notes, from the plot's top upwards: the last one lowest, each as many lines high as it has.
    lift = 16  # above the numbers
    for event, lines in reversed(list(zip(shown, notes, strict=True))):
        annotations.append(
            {
                "x": 0,
                "xref": "paper",
                "y": 1,
                "yref": "paper",
                "yshift": lift,
                "text": "<br>".join(escape(line) for line in lines),
                "hovertext": escape(f"{event.date:%d/%m/%Y}: {event.title}"),
                "showarrow": False,
                "align": "left",
                "xanchor": "left",
                "yanchor": "bottom",
                "font": {"size": 10, "color": EVENT_COLOUR},
            }
        )
        lift += EVENT_LINE_PX * len(lines) + 2
    layout["margin"]["t"] += lift
    layout["height"] += lift
