"""Public, read-only pages: approved figures only. Views parse the query string, call a selector
and render; a bad query string gets a 400 page that says what is wrong."""

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from indicators import demo_choice
from indicators.caching import public_page
from indicators.forms.query import PageQueryForm, UnitPageQueryForm, form_errors_text
from indicators.models import AdministrativeUnit, ReformArea, Source
from indicators.presentation import charts, exports, sparklines, tables
from indicators.presentation.chart_svg import chart_picture
from indicators.presentation.charts import direction_text
from indicators.presentation.filters import IndicatorValueFilter
from indicators.presentation.scorecards import scorecard_groups
from indicators.selectors import (
    common,
    comparison,
    events,
    freshness,
    indicator_pages,
    overview,
    scorecards,
    sources,
    targets,
    unit_periods,
    units,
)
from indicators.selectors import unit_report as unit_report_selector
from indicators.templatetags.cchc import shared_codes_of
from indicators.views.citations import cite


def bad_request(request, message: str):
    return render(request, "public/bad_request.html", {"message": message}, status=400)


# The page's table as CSV or XLSX (with an "About" sheet), and "about": that sheet as a CSV, the
# CSV's sidecar, since a CSV holds one header row and its rows only.
EXPORT_FORMATS = ("csv", "xlsx", "about")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "about": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _table_download(request, indicator, values, file_format: str) -> HttpResponse:
    """The indicator page's table as a file, with what it is: the indicator, its unit of measure and
    direction, the sources, the licence, the demo rows and the date (in the page's language)."""
    name = common.localized(indicator, "name")
    unit_of_measure = str(indicator.get_unit_kind_display())
    header = tables.export_header()
    rows = tables.export_rows(
        values, indicator_code=indicator.code, indicator_name=name, unit_of_measure=unit_of_measure
    )
    query = request.GET.copy()
    query.pop("_export", None)
    cited = {}
    for record in values:
        if record.source is not None and not record.source.is_demo:
            cited[record.source.code] = (record.source.title, record.source.url)
    about = exports.about_rows(
        title=name,
        code=indicator.code,
        definition=common.localized(indicator, "definition"),
        unit_of_measure=unit_of_measure,
        direction=direction_text(indicator.higher_is_better).capitalize(),
        framework=str(indicator.get_framework_display()),
        sources=sorted(cited.values()),
        demo_rows=sum(1 for record in values if record.is_demo),
        total_rows=len(values),
        downloaded_at=timezone.now(),
        address=request.build_absolute_uri(request.path + ("?" + query.urlencode() if query else "")),
    )
    about_header = [_("Mục"), _("Nội dung thông tin")]
    if file_format == "csv":
        content, filename = exports.csv_bytes(header, rows), f"{indicator.code}.csv"
    elif file_format == "about":
        content, filename = exports.csv_bytes(about_header, about), f"{indicator.code}-about.csv"
    else:
        content = exports.xlsx_bytes([(indicator.code, header, rows), (_("Thông tin"), about_header, about)])
        filename = f"{indicator.code}.xlsx"
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _joined_lists(request):
    # Checkboxes send units=807&units=805; a shared link says units=807,805. Both mean the same.
    # Without include_demo in the URL, the visitor's choice (a cookie) says whether demo figures show.
    data = demo_choice.with_choice(request, request.GET).copy()
    for name in ("units", "indicators"):
        if name in data:
            data[name] = ",".join(data.getlist(name))
    return data


def _page_query(request, form_class=PageQueryForm):
    form = form_class(_joined_lists(request))
    if not form.is_valid():
        return None, bad_request(request, form_errors_text(form))
    demo_choice.remember(request, include_demo=form.cleaned_data["include_demo"])
    return form.cleaned_data, None


def hide_demo_url(request, shows_demo: bool) -> str:
    """The link that hides the demo figures on this page and the next ones, when it shows some."""
    return demo_choice.toggle_url(request, "hide") if shows_demo else ""


def demo_choice_view(request, choice):
    """Hide or show the demo figures from now on (a cookie), and go back to the page without
    `include_demo` in its URL. A GET link, like the language switch, so cached pages carry no CSRF token."""
    if choice not in demo_choice.CHOICES:
        raise Http404
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(demo_choice.without_flag(target))
    if choice == "hide":
        response.set_cookie(
            demo_choice.COOKIE,
            demo_choice.HIDDEN,
            max_age=365 * 24 * 60 * 60,
            samesite="Lax",
            secure=request.is_secure(),
            httponly=True,
        )
    else:
        response.delete_cookie(demo_choice.COOKIE, samesite="Lax")
    return response


@public_page
def home(request):
    query, error = _page_query(request)
    if error:
        return error
    context = overview.home_page(province=common.province(), include_demo=query["include_demo"])
    context["hide_demo_url"] = hide_demo_url(request, context["shows_demo"])
    context["overdue"] = freshness.overdue_reports(province=context["province"])
    return render(request, "public/home.html", context)


@public_page
def indicator_list(request):
    return render(request, "public/indicator_list.html", {"indicators": indicator_pages.indicator_list()})


@public_page
def unit_detail(request, code):
    # /units/80/ is the latest unit with the code (today's Tây Ninh); /units/80/?in=2024 the one that
    # reported for 2024 (Long An). The other units with the code are one click away.
    same_code = units.units_with_code(code=code)
    if not same_code:
        raise Http404
    query, error = _page_query(request, UnitPageQueryForm)
    if error:
        return error
    try:
        unit = units.unit_in_year(same_code, year=query["in"])
    except unit_periods.UnitRefError as problem:
        return bad_request(request, str(problem))
    province = common.province()
    context = units.unit_page(unit=unit, include_demo=query["include_demo"])
    context["hide_demo_url"] = hide_demo_url(request, context["shows_demo"])
    marks = events.event_marks()
    compared = units.compared_by_province(unit=unit, province=province)
    context.update(
        same_code=[other for other in same_code if other.pk != unit.pk],
        province=province,
        progress=targets.unit_progress(unit=unit, groups=context["groups"]),
        freshness=freshness.unit_freshness(unit=unit, include_demo=query["include_demo"]),
        crossing=events.crossing_warnings(marks, context["years"]),
        sparkline_events=sparklines.sparkline_events(marks, context["years"]),
        cite=cite(request, title=unit.name),
        include_demo=query["include_demo"],  # the download link hides demo figures when the page does
        # The indicator pages compare the configured province's districts and communes; the index
        # pages its districts only (a commune index does not exist yet).
        on_province_pages=compared,
        has_index=compared and unit.level == AdministrativeUnit.Level.DISTRICT,
        is_commune=unit.level == AdministrativeUnit.Level.COMMUNE,
    )
    return render(request, "public/unit_detail.html", context)


@public_page
def unit_report(request, code):
    """The unit's report for the yearly meeting, laid out for A4 (static/css/print.css)."""
    same_code = units.units_with_code(code=code)
    if not same_code:
        raise Http404
    query, error = _page_query(request, UnitPageQueryForm)
    if error:
        return error
    try:
        unit = units.unit_in_year(same_code, year=query["in"])
    except unit_periods.UnitRefError as problem:
        return bad_request(request, str(problem))
    context = unit_report_selector.unit_report(unit=unit, include_demo=query["include_demo"])
    marks = events.event_marks()
    context.update(
        hide_demo_url=hide_demo_url(request, context["shows_demo"]),
        sparkline_events=sparklines.sparkline_events(marks, context["years"]),
        crossing=events.crossing_warnings(marks, context["years"]),
        cite=cite(request, title=_("Báo cáo %(unit)s") % {"unit": unit.name}),
        today=timezone.localdate(),
    )
    return render(request, "public/unit_report.html", context)


@public_page
def compare(request):
    query, error = _page_query(request)
    if error:
        return error
    try:
        context = comparison.compare_page(
            province=common.province(),
            unit_refs=query["units"],
            indicator_codes=query["indicators"],
            year_from=query["year_from"],
            year_to=query["year_to"],
            include_demo=query["include_demo"],
        )
    except unit_periods.UnitRefError as problem:
        return bad_request(request, str(problem))
    unknown = set(query["indicators"]) - {i.code for i in context["indicators"]}
    if unknown:
        return bad_request(
            request, _("Không có chỉ tiêu mang mã %(codes)s.") % {"codes": ", ".join(sorted(unknown)[:5])}
        )
    marks = events.event_marks()
    for block in context["blocks"]:
        block["figure"] = charts.compare_line(
            measure=block["measure"], years=context["years"], series=block["series"], events=marks
        )
        # The chart drawn on the server: what the reader sees until they reach for the interactive one.
        block["picture"] = chart_picture(block["figure"], key=block["chart_id"])
    context.update(query=query, hide_demo_url=hide_demo_url(request, context["shows_demo"]))
    context.update(
        crossing=events.crossing_warnings(marks, context["years"]),
        cite=cite(request, title=_("So sánh các đơn vị")),
    )
    return render(request, "public/compare.html", context)


@public_page
def area_detail(request, code):
    area = get_object_or_404(ReformArea, code=code)
    query, error = _page_query(request)
    if error:
        return error
    context = indicator_pages.area_page(area=area, province=common.province(), include_demo=query["include_demo"])
    context["hide_demo_url"] = hide_demo_url(request, context["shows_demo"])
    return render(request, "public/area_detail.html", context)


@public_page
def scorecard(request):
    query, error = _page_query(request)
    if error:
        return error
    context = scorecards.scorecard_page(
        province=common.province(), year=query["year"], include_demo=query["include_demo"]
    )
    context.update(query=query, hide_demo_url=hide_demo_url(request, context["shows_demo"]))
    # The reused codes (one query) only when a unit is linked, as the unit_url tag read them.
    context["groups"] = scorecard_groups(
        context, shared_codes=shared_codes_of(request) if context["groups"] else frozenset()
    )
    context["cite"] = cite(
        request,
        title=_("Bảng điểm các %(units)s năm %(year)s") % {"units": context["units_word"], "year": context["year"]},
    )
    return render(request, "public/scorecard.html", context)


@public_page
def source_list(request):
    return render(request, "public/source_list.html", {"sources": sources.source_list()})


@public_page
def source_detail(request, code):
    source = get_object_or_404(Source, code=code)
    return render(request, "public/source_detail.html", sources.source_page(source=source))


@public_page
def indicator_detail(request, code):
    indicator = get_object_or_404(indicator_pages.indicator_lookup(), code=code)
    query, error = _page_query(request)
    if error:
        return error
    province = common.province()
    try:
        page = indicator_pages.indicator_page(
            indicator=indicator,
            province=province,
            unit_refs=query["units"],
            year_from=query["year_from"],
            year_to=query["year_to"],
            year=query["year"],
            include_demo=query["include_demo"],
            targets=targets.province_target_lines(indicator=indicator),
            show_successors=query["successors"],
        )
    except unit_periods.UnitRefError as problem:
        return bad_request(request, str(problem))
    # The table shows the line chart's data: the chosen units (or the default best and worst ones),
    # and the units that took over from them when the chart shows those. The units are chosen by
    # the selector (a code may carry a year, "80@2024"), so the filter reads the years and demo flag only.
    table_query = _joined_lists(request)
    table_query.pop("units", None)
    filterset = IndicatorValueFilter(
        table_query,
        queryset=indicator_pages.indicator_table_values(indicator=indicator, unit_ids=page.table_unit_ids),
    )
    sort = request.GET.get("sort")
    values = tables.in_alphabet_order(filterset.qs.order_by(*tables.table_ordering(sort)), sort)
    export_format = request.GET.get("_export")
    if export_format:
        if export_format not in EXPORT_FORMATS:
            return bad_request(request, _("Định dạng tải xuống phải là csv hoặc xlsx (about: thông tin về tệp)."))
        return _table_download(request, indicator, values, export_format)
    table = tables.indicator_table(
        values, measure=page.measure, shared_codes=shared_codes_of(request), sort=sort, query=request.GET
    )
    marks = events.event_marks()
    line_figure = charts.indicator_line(
        measure=page.measure,
        years=page.years,
        series=page.series,
        band=page.band,
        target=page.target,
        source_url=reverse("source-list"),
        events=marks,
    )
    rankings = []
    for number, ranking in enumerate(page.rankings):
        chart_id = "bar-figure" if number == 0 else f"bar-figure-{number + 1}"
        figure = charts.indicator_ranking(
            measure=page.measure,
            year=page.year,
            ranking=ranking.entries,
            highlighted=page.selected_codes,
            target=page.target,
            group=ranking.group.title,
        )
        rankings.append(
            {"ranking": ranking, "chart_id": chart_id, "figure": figure, "picture": chart_picture(figure, key=chart_id)}
        )
    return render(
        request,
        "public/indicator_detail.html",
        {
            "page": page,
            "line_figure": line_figure,
            # Drawn on the server: plotly.js is fetched only when the reader reaches for a chart.
            "line_picture": chart_picture(line_figure, key="line-figure"),
            # One ranking per group: before 2025 each old province ranked its own districts.
            "rankings": rankings,
            "indicator": indicator,
            "query": query,
            "table": table,
            "shows_demo": page.shows_demo,
            "hide_demo_url": hide_demo_url(request, page.shows_demo),
            # Progress against the target, the 2025 reorganisation, citation.
            "target_status": targets.ranking_progress(
                indicator=indicator, ranking=page.ranking, target_line=page.target
            ),
            "crossing": events.crossing_warnings(marks, page.years),
            "cite": cite(request, title=common.localized(indicator, "name")),
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
