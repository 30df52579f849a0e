"""The published CCHC index as a table to download: one row per unit, with points by area. Pure
functions; text cells are made inert for spreadsheets (exports.escape_formula)."""

from __future__ import annotations

from decimal import Decimal

import tablib

from indicators.presentation.exports import escape_formula, export_number

RESULT_COLUMNS = ["rank", "unit_code", "unit_name", "total_points", "max_points", "share", "band", "survey_points"]


def result_rows(ranking) -> tuple[list[str], list[list]]:
    """(header, rows) of a selectors.index_process.PublicRanking."""
    areas = [a.code for a in ranking.areas]
    header = RESULT_COLUMNS + [f"area_{code}" for code in areas] + ["decision", "published_on"]
    rows = []
    for result in ranking.results:
        area_points = [export_number(Decimal(result.area_points.get(code, ["0", "0"])[0])) for code in areas]
        rows.append(
            [
                result.rank,
                escape_formula(result.unit.code),
                escape_formula(result.unit.name),
                export_number(result.total_points),
                export_number(result.max_points),
                export_number(result.share),
                escape_formula(result.band),
                export_number(result.survey_points),
                *area_points,
                escape_formula(ranking.publication.decision),
                ranking.publication.published_on.isoformat(),
            ]
        )
    return header, rows


def results_file(ranking, file_format: str) -> bytes | str:
    header, rows = result_rows(ranking)
    dataset = tablib.Dataset(*rows, headers=header)
    if file_format == "xlsx":
        return dataset.export("xlsx")
    return "\ufeff" + dataset.export("csv")
