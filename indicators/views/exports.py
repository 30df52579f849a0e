"""Open-data downloads: approved values as CSV or JSON, filtered by the query string; the data
package of everything; the page that lists them."""

from django.db import connection
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from indicators.caching import public_page
from indicators.forms.query import ValueQueryForm, form_errors_text
from indicators.models import Indicator, Source
from indicators.presentation import datapackage as datapackage_presentation
from indicators.presentation import exports
from indicators.selectors import common, open_data, unit_periods


def _parse_query(request):
    """The validated filters (keyword arguments of the open_data selectors), or a 400 response saying what is wrong."""
    form = ValueQueryForm(request.GET)
    if not form.is_valid():
        return None, HttpResponseBadRequest(form_errors_text(form), content_type="text/plain; charset=utf-8")
    data = form.cleaned_data

    def refused(message):
        return None, HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")

    try:
        units, unknown_units = open_data.export_units(
            refs=data["unit"], year_from=data["year_from"], year_to=data["year_to"]
        )
    except unit_periods.UnitRefError as problem:
        return refused(_("%(label)s: %(problem)s") % {"label": _("Đơn vị"), "problem": problem})
    unknown = {
        _("Đơn vị"): unknown_units,
        _("Chỉ tiêu"): common.unknown_codes(model=Indicator, codes=data["indicator"]),
    }
    for label, codes in unknown.items():
        if codes:
            return refused(_("%(label)s: không có mã %(codes)s.") % {"label": label, "codes": ", ".join(codes[:5])})
    filters = {
        "units": units,
        "indicator_codes": data["indicator"],
        "year_from": data["year_from"],
        "year_to": data["year_to"],
        "include_demo": data["include_demo"],
    }
    return filters, None


@require_safe
@public_page
def values_csv(request):
    filters, error = _parse_query(request)
    if error:
        return error
    values = open_data.export_values(**filters)
    rows = (exports.value_row(value) for value in values.iterator(chunk_size=2000))
    # Reach the database before the 200 goes out: a dead database is then a 503 page, not a cut-off
    # file. (Reading the first row here would leave a server-side cursor open on PostgreSQL until the
    # response is consumed.)
    connection.ensure_connection()
    response = StreamingHttpResponse(exports.csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cchc-values.csv"'
    # A CSV holds its header and rows only: what the columns mean, the licence and the sources are in
    # the data package's datapackage.json (and in the JSON export's meta).
    response["Link"] = f'<{request.build_absolute_uri(reverse("datapackage"))}>; rel="describedby"'
    return response


@require_safe
@public_page
def values_json(request):
    filters, error = _parse_query(request)
    if error:
        return JsonResponse({"error": error.content.decode()}, status=400, json_dumps_params={"ensure_ascii": False})
    # JSON is read by programs, not spreadsheets: text stays exactly as stored.
    data = open_data.json_export(**filters)
    rows = exports.JsonRows()
    rows.extend(
        data.rows,
        units=data.units,
        indicators={row["pk"]: (row["code"], row["name"], row["unit_kind"]) for row in data.indicators},
        sources=data.sources,
    )
    meta = {
        "license": exports.LICENSE,
        "downloaded_at": timezone.now().isoformat(timespec="seconds"),
        "contains_demo": rows.demo_rows > 0,
        "demo_rows": rows.demo_rows,
        "indicators": [_indicator_meta(row) for row in data.indicators],
        "sources": [{"title": title, "url": url} for title, url in rows.sources.values()],
        "datapackage": request.build_absolute_uri(reverse("datapackage")),
    }
    return HttpResponse(rows.document(meta=meta), content_type="application/json")


def _indicator_meta(row: dict) -> dict:
    return {
        "code": row["code"],
        "name": row["name"],
        "name_en": row["name_en"],
        "unit_of_measure": row["unit_kind"],
        # true: a higher figure is better; false: a lower one; null: neither.
        "higher_is_better": row["higher_is_better"],
        "decimals": row["decimals"],
        "definition": row["definition"],
        "definition_en": row["definition_en"],
    }


@require_safe
@public_page
def datapackage(request):
    """Every approved figure with the indicators, units, sources and successions: a zip of CSVs with a
    Frictionless `datapackage.json`. Streamed as it is written (420,000 values at national size)."""
    sources = open_data.package_sources()
    values = open_data.package_values()
    created = timezone.localtime()
    package = datapackage_presentation.descriptor(
        created=created,
        sources=[(row[2], row[6]) for row in sources if row[7] != Source.Kind.SYNTHETIC_DEMO],
        demo=any(row[7] == Source.Kind.SYNTHETIC_DEMO for row in sources),
        title=_("Số liệu cải cách hành chính (CCHC) đã duyệt"),
    )
    tables = datapackage_presentation.table_rows(
        indicators=open_data.package_indicators(),
        units=open_data.package_units(),
        sources=sources,
        successions=open_data.package_successions(),
        values=values,
    )
    response = StreamingHttpResponse(
        datapackage_presentation.zip_stream(package, tables, created=created), content_type="application/zip"
    )
    response["Content-Disposition"] = 'attachment; filename="cchc-datapackage.zip"'
    return response


@require_safe
@public_page
def open_data_page(request):
    return render(request, "public/open_data.html", {"license": exports.LICENSE})
