"""The scorecard's body rows as HTML, written in Python: a pure function of the selector's cells.

Hồ Chí Minh City's commune year at national size is 168 rows × 43 indicators, 7,224 cells; the
template language took 12 µs a cell (its lookups, `{% if %}` and the localisation of each rank),
this about 2.5. The template still writes the page around the rows: header, group rows, key.

Every text that comes from data (a unit's name, a figure with its qualifier) is escaped here; the
numbers and class names are ints and constants. A row is marked safe only once it is whole.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from indicators.domain import stats
from indicators.domain.formatting import figure_writer
from indicators.models import Source

# A cell without a figure: a gap, never a zero.
_EMPTY = '<td class="num ">–</td>'


def unit_link(unit, *, year: int | None, shared_codes: frozenset[str]) -> str:
    """The unit's page, as templatetags.cchc.unit_url writes it: /units/807/, or /units/80/?in=2024
    when its code also names another unit."""
    url = reverse("unit-detail", args=[unit.code])
    if unit.code in shared_codes and year is not None:
        url += "?" + urlencode({"in": year})
    return url


def scorecard_rows(
    *,
    units: Sequence,
    indicators: Sequence,
    figures: Mapping[int, Mapping[int, tuple]],
    ranks: Mapping[int, Mapping[int, int]],
    ranked: Mapping[int, int],
    year: int | None,
    shared_codes: frozenset[str],
) -> list[SafeString]:
    """One `<tr>` per unit of a group: the unit's name linked to its page (`<th scope="row">`), then a
    cell per indicator: the figure with its qualifier ("gần 95%"), "*" when it is demo data, and its
    rank in the group ("#3/15") with the class of its band (the fifth of the group it falls in,
    which the colours key on); "–" where there is no figure.

    `figures` is selectors.scorecards.scorecard_page's (FIGURE_FIELDS rows), `ranks` and `ranked`
    one group's; `indicators` are the page's, in the order of the cells."""
    columns = [
        (figures[i.pk], ranks[i.pk], ranked[i.pk], figure_writer(unit_kind=i.unit_kind, decimals=i.decimals))
        for i in indicators
    ]
    escape = html.escape  # what django.utils.html.escape does, without its lazy-string wrapper per call
    demo = Source.Kind.SYNTHETIC_DEMO
    out = []
    for unit in units:
        parts = [
            format_html(
                '<tr><th scope="row"><a href="{}">{}</a></th>',
                unit_link(unit, year=year, shared_codes=shared_codes),
                unit.name,
            )
        ]
        for by_unit, ranks_of, count, write in columns:
            figure = by_unit.get(unit.pk)
            if figure is None:
                parts.append(_EMPTY)
                continue
            _indicator_id, _unit_id, value, qualifier, kind = figure
            text = escape(write(value, qualifier)) + ("*" if kind == demo else "")
            rank = ranks_of.get(unit.pk)
            if rank:
                band = stats.rank_class(rank, count)
                # On a line of its own by CSS (.rank-band small), not a <br>: one element fewer per cell, of
                # the ~10,000 a 168-commune table lays out on a phone (Lighthouse's blocking time).
                small = f"<small>#{rank:d}/{count:d}</small>"
                parts.append(f'<td class="num rank-band band-{band:d}">{text}{small}</td>')
            else:
                parts.append(f'<td class="num ">{text}</td>')
        parts.append("</tr>")
        out.append(mark_safe("".join(parts)))  # noqa: S308 - every data text above is escaped
    return out


def scorecard_groups(page: Mapping, *, shared_codes: frozenset[str]) -> list[dict]:
    """The selector's groups with their rows written: [{"group": UnitGroup, "rows": [<tr>…]}]."""
    return [
        {
            "group": g["group"],
            "rows": scorecard_rows(
                units=g["group"].units,
                indicators=page["indicators"],
                figures=page["figures"],
                ranks=g["ranks"],
                ranked=g["ranked"],
                year=page["year"],
                shared_codes=shared_codes,
            ),
        }
        for g in page["groups"]
    ]
