"""The district index (/index/), a district's breakdown with what-if, and target management.

Views parse the query string, call a selector or service and render. A bad query string gets a 400
page that says what is wrong; a user who may not manage targets gets 403 (404 for an unknown id).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from indicators import demo_choice
from indicators.caching import public_page
from indicators.domain.formatting import format_plain
from indicators.forms.district_index import IndexQueryForm, TargetForm, WhatIfForm
from indicators.forms.query import form_errors_text
from indicators.models import AdministrativeUnit, Target
from indicators.selectors import common, district_index, unit_periods, units
from indicators.selectors import targets as target_selectors
from indicators.services import targets
from indicators.views.citations import cite
from indicators.views.public import bad_request, hide_demo_url


def _no_index_for(year: int) -> str:
    """What the index pages say for a year the communes report for: there is no commune index yet."""
    return _(
        "Chưa có chỉ số CCHC cấp xã: từ năm %(year)s số liệu thuộc các xã, phường, và chỉ số tính toán "
        "của trang này chỉ xếp hạng các huyện, đến năm %(last)s."
    ) % {"year": unit_periods.FIRST_COMMUNE_YEAR, "last": unit_periods.FIRST_COMMUNE_YEAR - 1}


class _Refused(Exception):
    """A query string the index pages answer with a 400 and this message."""


def _parse(request) -> dict:
    form = IndexQueryForm(demo_choice.with_choice(request, request.GET))
    if not form.is_valid():
        raise _Refused(form_errors_text(form))
    query = form.cleaned_data
    demo_choice.remember(request, include_demo=query["include_demo"])
    if query["year"] is not None and query["year"] >= unit_periods.FIRST_COMMUNE_YEAR:
        raise _Refused(_no_index_for(query["year"]))
    return query


def _load(query, *, old_province):
    """The index data of `old_province`'s districts, or _Refused for a year it has no figures for."""
    data = district_index.load_index(province=old_province, include_demo=query["include_demo"])
    year = query["year"]
    if year is not None and year not in data.years:
        years = ", ".join(str(y) for y in data.years) or "–"
        raise _Refused(
            _("Không có số liệu năm %(year)s. Các năm có số liệu: %(years)s.") % {"year": year, "years": years}
        )
    return data


@public_page
def index(request):
    # The ranking of one old province's districts, chosen with ?province= ("80" is Long An here, as
    # only the old provinces rank districts); by default the main one that formed today's province.
    try:
        query = _parse(request)
        provinces = district_index.index_provinces(province=common.province())
        refs = [query["province"]] if query["province"] else []
        chosen = unit_periods.resolve_unit_refs(refs, units=provinces, year=query["year"]) or provinces[:1]
        if not chosen:
            raise Http404
        data = _load(query, old_province=chosen[0])
    except (_Refused, unit_periods.UnitRefError) as problem:
        return bad_request(request, str(problem))
    context = district_index.index_page(data=data, year=query["year"])
    title = _("Chỉ số CCHC tính toán của các huyện, %(province)s, năm %(year)s") % {
        # "Tỉnh Tây Ninh (72, đến 30/06/2025)", not today's; "Tây Ninh province (72, …)" in English
        "province": unit_periods.unit_label(chosen[0], in_sentence=True),
        "year": context["year"],
    }
    context.update(
        province=chosen[0],
        provinces=provinces,
        query=query,
        title=title,
        no_commune_index=_no_index_for(unit_periods.FIRST_COMMUNE_YEAR),
        cite=cite(request, title=title),
        hide_demo_url=hide_demo_url(request, context["shows_demo"]),
    )
    return render(request, "district_index/ranking.html", context)


@public_page
def district(request, code):
    # Only the districts of the provinces the index ranks, each ranked among its own province's
    # districts; a commune is told plainly that there is no commune index yet; anything else is 404.
    provinces = district_index.index_provinces(province=common.province())
    found = list(district_index.ranked_districts(provinces=provinces).filter(code=code))
    if not found:
        same_code = units.units_with_code(code=code)
        if same_code and all(u.level == AdministrativeUnit.Level.COMMUNE for u in same_code):
            message = _no_index_for(unit_periods.FIRST_COMMUNE_YEAR)
            return render(request, "404.html", {"message": message}, status=404)
        raise Http404
    try:
        query = _parse(request)
        unit = next((u for u in found if query["year"] is not None and u.reports_in(query["year"])), found[0])
        data = _load(query, old_province=unit.parent)
    except _Refused as problem:
        return bad_request(request, str(problem))
    page = district_index.district_index_page(data=data, unit=unit, year=query["year"], changes={})
    indicators = [p.indicator for p in page["parts"]]
    form = WhatIfForm(request.GET, indicators=indicators)
    if not form.is_valid():
        return bad_request(request, form_errors_text(form))
    changes = form.changes(page["current_values"])
    if changes:
        page = district_index.district_index_page(data=data, unit=unit, year=page["year"], changes=changes)
    title = _("%(unit)s: chỉ số CCHC tính toán năm %(year)s") % {"unit": unit.name, "year": page["year"]}
    page.update(
        province=unit.parent,
        provinces=provinces,
        query=query,
        title=title,
        cite=cite(request, title=title),
        hide_demo_url=hide_demo_url(request, page["shows_demo"]),
        inputs=[
            {
                "indicator": p.indicator,
                "name": p.indicator.code,
                # The comma style on every page: the one number rule reads "12.345" as 12345.
                "value": request.GET.get(p.indicator.code) or format_plain(p.part.value, "vi"),
                "current": p.part.value,
            }
            for p in page["parts"]
        ],
    )
    return render(request, "district_index/district.html", page)


# --- Targets --------------------------------------------------------------------------------


def _require_target_manager(request):
    """None when the user may manage targets; else a login redirect (anonymous) or 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not request.user.has_perm("indicators.manage_targets"):
        raise PermissionDenied(_("Chỉ nhân viên Sở Nội vụ được quản lý mục tiêu."))
    return None


def target_list(request):
    denied = _require_target_manager(request)
    if denied:
        return denied
    return render(request, "district_index/target_list.html", {"targets": target_selectors.target_list()})


@require_http_methods(["GET", "HEAD", "POST"])
def target_edit(request, pk=None):
    denied = _require_target_manager(request)
    if denied:
        return denied
    target = get_object_or_404(Target, pk=pk) if pk is not None else Target()
    form = TargetForm(request.POST or None, instance=target)
    if request.method == "POST" and form.is_valid():
        targets.save_target(target=form.instance)
        messages.success(request, _("Đã lưu mục tiêu."))
        return redirect("target-list")
    status = 400 if request.method == "POST" else 200
    return render(request, "district_index/target_form.html", {"form": form, "target": target}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def target_delete(request, pk):
    denied = _require_target_manager(request)
    if denied:
        return denied
    target = get_object_or_404(target_selectors.target_lookup(), pk=pk)
    if request.method == "POST":
        targets.delete_target(target=target)
        messages.success(request, _("Đã xóa mục tiêu."))
        return redirect("target-list")
    return render(request, "district_index/target_delete.html", {"target": target})
