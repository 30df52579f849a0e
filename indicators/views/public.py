"""Public, read-only pages: approved figures only. Views parse the query string, call a selector
and render; a bad query string gets a 400 page that says what is wrong."""

from django.conf import settings
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_tables2 import RequestConfig

from indicators import selectors
from indicators.caching import public_page
from indicators.forms.query import PageQueryForm, form_errors_text
from indicators.models import AdministrativeUnit, Indicator, IndicatorValue, ReformArea, Source
from indicators.presentation.filters import IndicatorValueFilter
from indicators.presentation.tables import EscapedTableExport, IndicatorValueTable
from indicators.selectors import district_index
from indicators.views.citations import cite


def bad_request(request, message: str):
    return render(request, "public/bad_request.html", {"message": message}, status=400)


EXPORT_FORMATS = ("csv", "xlsx")


def _joined_lists(request):
    # Checkboxes send units=807&units=805; a shared link says units=807,805. Both mean the same.
    data = request.GET.copy()
    for name in ("units", "indicators"):
        if name in data:
            data[name] = ",".join(data.getlist(name))
    return data


def _page_query(request):
    form = PageQueryForm(_joined_lists(request))
    if not form.is_valid():
        return None, bad_request(request, form_errors_text(form))
    return form.cleaned_data, None


def _unknown_units_error(request, codes, known):
    unknown = [code for code in codes if code not in known]
    if unknown:
        return bad_request(request, _("Không có huyện mang mã %(codes)s.") % {"codes": ", ".join(unknown[:5])})
    return None


def _hide_demo_url(request, shows_demo: bool) -> str:
    if not shows_demo:
        return ""
    query = request.GET.copy()
    query["include_demo"] = "0"
    return "?" + query.urlencode()


@public_page
def home(request):
    query, error = _page_query(request)
    if error:
        return error
    context = selectors.home_page(province=selectors.province(), include_demo=query["include_demo"])
    context["hide_demo_url"] = _hide_demo_url(request, context["shows_demo"])
    context["overdue"] = district_index.overdue_reports(
        province=context["province"], include_demo=query["include_demo"]
    )
    return render(request, "public/home.html", context)


@public_page
def indicator_list(request):
    indicators = Indicator.objects.select_related("area").order_by("area__order", "order")
    return render(request, "public/indicator_list.html", {"indicators": indicators})


@public_page
def unit_detail(request, code):
    unit = get_object_or_404(AdministrativeUnit.objects.select_related("parent"), code=code)
    query, error = _page_query(request)
    if error:
        return error
    context = selectors.unit_page(unit=unit, include_demo=query["include_demo"])
    context["hide_demo_url"] = _hide_demo_url(request, context["shows_demo"])
    context.update(
        progress=district_index.unit_progress(unit=unit, groups=context["groups"]),
        freshness=district_index.unit_freshness(unit=unit, include_demo=query["include_demo"]),
        crossing=district_index.crossing_warnings(events := district_index.event_marks(), context["years"]),
        sparkline_events=selectors.sparkline_events(events, context["years"]),
        cite=cite(request, title=unit.name),
        include_demo=query["include_demo"],  # the download link hides demo figures when the page does
        # The indicator and index pages compare the configured province's districts only.
        on_province_pages=unit.level == AdministrativeUnit.Level.DISTRICT
        and unit.parent is not None
        and unit.parent.code == settings.CCHC_PROVINCE_CODE,
    )
    return render(request, "public/unit_detail.html", context)


@public_page
def compare(request):
    query, error = _page_query(request)
    if error:
        return error
    context = selectors.compare_page(
        province=selectors.province(),
        unit_codes=query["units"],
        indicator_codes=query["indicators"],
        year_from=query["year_from"],
        year_to=query["year_to"],
        include_demo=query["include_demo"],
        events=(events := district_index.event_marks()),
    )
    error = _unknown_units_error(request, query["units"], context["known_units"])
    if error:
        return error
    unknown = set(query["indicators"]) - {i.code for i in context["indicators"]}
    if unknown:
        return bad_request(
            request, _("Không có chỉ tiêu mang mã %(codes)s.") % {"codes": ", ".join(sorted(unknown)[:5])}
        )
    context.update(query=query, hide_demo_url=_hide_demo_url(request, context["shows_demo"]))
    context.update(
        crossing=district_index.crossing_warnings(events, context["years"]),
        cite=cite(request, title=_("So sánh các huyện")),
    )
    return render(request, "public/compare.html", context)


@public_page
def area_detail(request, code):
    area = get_object_or_404(ReformArea, code=code)
    query, error = _page_query(request)
    if error:
        return error
    context = selectors.area_page(area=area, province=selectors.province(), include_demo=query["include_demo"])
    context["hide_demo_url"] = _hide_demo_url(request, context["shows_demo"])
    return render(request, "public/area_detail.html", context)


@public_page
def scorecard(request):
    query, error = _page_query(request)
    if error:
        return error
    context = selectors.scorecard_page(
        province=selectors.province(), year=query["year"], include_demo=query["include_demo"]
    )
    context.update(query=query, hide_demo_url=_hide_demo_url(request, context["shows_demo"]))
    context["cite"] = cite(request, title=_("Bảng điểm các huyện năm %(year)s") % {"year": context["year"]})
    return render(request, "public/scorecard.html", context)


@public_page
def source_list(request):
    published = Q(values__status=IndicatorValue.Status.APPROVED)
    sources = Source.objects.exclude(kind=Source.Kind.SYNTHETIC_DEMO).annotate(
        figure_count=Count("values", filter=published)
    )
    return render(request, "public/source_list.html", {"sources": sources})


@public_page
def source_detail(request, code):
    source = get_object_or_404(Source, code=code)
    return render(request, "public/source_detail.html", selectors.source_page(source=source))


@public_page
def indicator_detail(request, code):
    indicator = get_object_or_404(Indicator.objects.select_related("area"), code=code)
    query, error = _page_query(request)
    if error:
        return error
    province = selectors.province()
    page = selectors.indicator_page(
        indicator=indicator,
        province=province,
        unit_codes=query["units"],
        year_from=query["year_from"],
        year_to=query["year_to"],
        year=query["year"],
        include_demo=query["include_demo"],
        source_url=reverse("source-list"),
        targets=district_index.province_target_lines(indicator=indicator),
        events=(events := district_index.event_marks()),
        show_successors=query["successors"],
    )
    error = _unknown_units_error(request, query["units"], {d.code for d in page.districts})
    if error:
        return error
    # The table shows the line chart's data: the chosen units (or the default best and worst ones),
    # and the units that took over from them when the chart shows those.
    table_query = _joined_lists(request)
    table_query["units"] = ",".join([*page.selected_codes, *page.successor_codes])
    filterset = IndicatorValueFilter(
        table_query,
        queryset=selectors.indicator_table_values(indicator=indicator, province=province, also=page.successor_codes),
    )
    table = IndicatorValueTable(filterset.qs, measure=selectors.measure_of(indicator))
    RequestConfig(request, paginate=False).configure(table)
    export_format = request.GET.get("_export")
    if export_format:
        if export_format not in EXPORT_FORMATS:
            return bad_request(request, _("Định dạng tải xuống phải là csv hoặc xlsx."))
        return EscapedTableExport(export_format, table, exclude_columns=()).response(
            f"{indicator.code}.{export_format}"
        )
    return render(
        request,
        "public/indicator_detail.html",
        {
            "page": page,
            "indicator": indicator,
            "query": query,
            "table": table,
            "shows_demo": page.shows_demo,
            "hide_demo_url": _hide_demo_url(request, page.shows_demo),
            # Issue 7: progress against the target, the 2025 reorganisation, citation.
            "target_status": district_index.ranking_progress(
                indicator=indicator, ranking=page.ranking, target_line=page.target
            ),
            "crossing": district_index.crossing_warnings(events, page.years),
            "cite": cite(request, title=selectors.localized(indicator, "name")),
        },
    )


def switch_language(request, code):
    """Set the language cookie and go back. A GET link, so that cached pages carry no CSRF token."""
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 60 * 60,
        samesite="Lax",
        secure=request.is_secure(),
        httponly=True,
    )
    return response
