"""The distribution of all units each year, drawn behind the chosen units' lines (charts.line_chart).

Pure: BandYear rows in, plotly traces (plain dicts) out.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.translation import gettext as _

from indicators.domain.formatting import format_figure
from indicators.domain.series import BandYear, Measure

BAND_COLOUR = "rgba(120, 120, 120, 0.18)"
BAND_BOX_COLOUR = "rgba(120, 120, 120, 0.35)"  # one year's band drawn as a bar: no fill to share its colour
MEDIAN_COLOUR = "#6e7781"


def _band_runs(band: Sequence[BandYear], breaks: Sequence[int]) -> list[list[BandYear]]:
    """The band's years in runs: a run ends before a year in `breaks` and at a year with no figures."""
    runs: list[list[BandYear]] = []
    for one in sorted(band, key=lambda b: b.year):
        if one.median is None or one.p25 is None or one.p75 is None:
            continue
        if runs and runs[-1][-1].year == one.year - 1 and one.year not in breaks:
            runs[-1].append(one)
        else:
            runs.append([one])
    return runs


def band_traces(band: Sequence[BandYear], *, measure: Measure, breaks: Sequence[int] = ()) -> list[dict]:
    """The distribution of all units each year, drawn behind the chosen units' lines.

    - A run of years: a grey band from the 25th to the 75th percentile and a dashed median line.
    - A year alone (the first year of the communes, say): a grey bar from P25 to P75 with the
      median marked, like a box without whiskers.

    Runs are drawn apart, never joined: the districts to 2024 and the communes from 2025 are two
    different sets of units, and a line from one median to the other would suggest one series.
    The legend names the band and the median once; a click on it hides every run together.
    """
    traces: list[dict] = []
    named = {"band": False, "median": False}

    def legend(group: str, name: str) -> dict:
        entry = {"legendgroup": group, "name": name, "showlegend": not named[group]}
        named[group] = True
        return entry

    band_name = _("Nửa giữa các đơn vị cùng năm (P25–P75)")
    median_name = _("Trung vị các đơn vị cùng năm")
    for run in _band_runs(band, breaks):
        years = [b.year for b in run]
        hover = [
            _("Năm %(year)s, %(count)s đơn vị: trung vị %(median)s; nửa giữa %(p25)s–%(p75)s")
            % {
                "year": b.year,
                "count": b.count,
                "median": _band_number(b.median, measure),
                "p25": _band_number(b.p25, measure),
                "p75": _band_number(b.p75, measure),
            }
            for b in run
        ]
        if len(run) == 1:
            (one,) = run
            traces.append(
                {
                    "type": "scatter",
                    "mode": "markers",
                    "x": years,
                    "y": [one.median],
                    "marker": {"symbol": "line-ew-open", "size": 22, "color": MEDIAN_COLOUR, "line": {"width": 2}},
                    "error_y": {
                        "type": "data",
                        "symmetric": False,
                        "array": [one.p75 - one.median],
                        "arrayminus": [one.median - one.p25],
                        "color": BAND_BOX_COLOUR,
                        "thickness": 18,
                        "width": 0,
                    },
                    "text": hover,
                    "hovertemplate": "%{text}<extra></extra>",
                    **legend("band", band_name),
                }
            )
            continue
        traces.append(
            {
                "type": "scatter",
                "x": years,
                "y": [b.p25 for b in run],
                "mode": "lines",
                "line": {"width": 0},
                "hoverinfo": "skip",
                "showlegend": False,
                "legendgroup": "band",
            }
        )
        traces.append(
            {
                "type": "scatter",
                "x": years,
                "y": [b.p75 for b in run],
                "mode": "lines",
                "line": {"width": 0},
                "fill": "tonexty",
                "fillcolor": BAND_COLOUR,
                "hoverinfo": "skip",
                **legend("band", band_name),
            }
        )
        traces.append(
            {
                "type": "scatter",
                "x": years,
                "y": [b.median for b in run],
                "mode": "lines",
                "line": {"color": MEDIAN_COLOUR, "dash": "dash", "width": 1.5},
                "text": hover,
                "hovertemplate": "%{text}<extra></extra>",
                **legend("median", median_name),
            }
        )
    return traces


def _band_number(value: float, measure: Measure) -> str:
    return format_figure(Decimal(str(value)), unit_kind=measure.unit_kind, decimals=measure.decimals, qualifier="exact")
