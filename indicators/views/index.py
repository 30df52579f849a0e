"""The district index (/index/), a district's breakdown with what-if, and target management.

Views parse the query string, call a selector or service and render. A bad query string gets a 400
page that says what is wrong; a user who may not manage targets gets 403 (404 for an unknown id).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from indicators.caching import public_page
from indicators.domain.formatting import format_plain
from indicators.forms.district_index import IndexQueryForm, TargetForm, WhatIfForm
from indicators.forms.query import form_errors_text
from indicators.models import Target
from indicators.selectors import common, district_index
from indicators.selectors import targets as target_selectors
from indicators.services import targets
from indicators.views.citations import cite
from indicators.views.public import bad_request, hide_demo_url


def _index_query(request):
    form = IndexQueryForm(request.GET)
    if not form.is_valid():
        return None, None, bad_request(request, form_errors_text(form))
    query = form.cleaned_data
    data = district_index.load_index(province=common.province(), include_demo=query["include_demo"])
    if query["year"] is not None and query["year"] not in data.years:
        years = ", ".join(str(y) for y in data.years) or "–"
        return (
            None,
            None,
            bad_request(
                request,
                _("Không có số liệu năm %(year)s. Các năm có số liệu: %(years)s.")
                % {"year": query["year"], "years": years},
            ),
        )
    return query, data, None


@public_page
def index(request):
    query, data, error = _index_query(request)
    if error:
        return error
    context = district_index.index_page(data=data, year=query["year"])
    title = _("Chỉ số CCHC tính toán của các huyện, năm %(year)s") % {"year": context["year"]}
    context.update(
        query=query,
        title=title,
        cite=cite(request, title=title),
        hide_demo_url=hide_demo_url(request, context["shows_demo"]),
    )
    return render(request, "district_index/ranking.html", context)


@public_page
def district(request, code):
    # Only the districts of the province the index ranks; anything else is 404.
    unit = get_object_or_404(district_index.ranked_districts(), code=code)
    query, data, error = _index_query(request)
    if error:
        return error
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
        query=query,
        title=title,
        cite=cite(request, title=title),
        hide_demo_url=hide_demo_url(request, page["shows_demo"]),
        inputs=[
            {
                "indicator": p.indicator,
                "name": p.indicator.code,
                "value": request.GET.get(p.indicator.code) or format_plain(p.part.value, get_language()),
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
