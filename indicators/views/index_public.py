"""The official CCHC index, public: the years published, a year's ranking (with points by area and
bands, downloadable) and one unit's tree of appraised points with its evidence titles and references.

Only what was published is read: drafts, self-assessed points and appraisal comments never appear.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from indicators import index_permissions as perms
from indicators.caching import public_page
from indicators.presentation import index_exports
from indicators.selectors import index_public as public_selectors


@require_safe
@public_page
def official_index(request):
    return render(request, "index_process/public_list.html", {"published": public_selectors.published_sets()})


def _ranking(code: str):
    criteria_set = perms.get_set(code)
    ranking = public_selectors.public_ranking(criteria_set=criteria_set)
    if ranking is None:
        raise Http404
    return ranking


@require_safe
@public_page
def official_ranking(request, code: str):
    ranking = _ranking(code)
    rows = [
        (result, [result.area_points.get(area.code, [None, None]) for area in ranking.areas])
        for result in ranking.results
    ]
    return render(request, "index_process/public_ranking.html", {"ranking": ranking, "rows": rows})


@require_safe
@public_page
def official_export(request, code: str, file_format: str):
    if file_format not in ("csv", "xlsx"):
        raise Http404
    ranking = _ranking(code)
    content = index_exports.results_file(ranking, file_format)
    content_type = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        if file_format == "xlsx"
        else "text/csv; charset=utf-8"
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="chi-so-cchc-{ranking.criteria_set.code}.{file_format}"'
    return response


@require_safe
@public_page
def official_unit(request, code: str, unit_code: str):
    criteria_set = perms.get_set(code)
    unit = perms.set_unit(criteria_set, unit_code)
    published = public_selectors.public_unit(criteria_set=criteria_set, unit=unit)
    if published is None:
        raise Http404
    return render(request, "index_process/public_unit.html", {"published": published, "unit": unit})
