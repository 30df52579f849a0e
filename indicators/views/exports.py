"""Open-data downloads: approved values as CSV or JSON, filtered by the query string."""

from django.db import connection
from django.http import HttpResponseBadRequest, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from indicators.caching import public_page
from indicators.forms.query import ValueQueryForm, form_errors_text
from indicators.models import Indicator
from indicators.presentation import exports
from indicators.selectors import common, open_data, unit_periods


def _parse_query(request):
    """The validated filters, or a 400 response saying what is wrong."""
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
    values = open_data.export_values(
        units=units,
        indicator_codes=data["indicator"],
        year_from=data["year_from"],
        year_to=data["year_to"],
        include_demo=data["include_demo"],
    )
    return values, None


@require_safe
@public_page
def values_csv(request):
    values, error = _parse_query(request)
    if error:
        return error
    rows = (exports.value_row(value) for value in values.iterator(chunk_size=2000))
    # Reach the database before the 200 goes out: a dead database is then a 503 page, not a cut-off
    # file. (Reading the first row here would leave a server-side cursor open on PostgreSQL until the
    # response is consumed.)
    connection.ensure_connection()
    response = StreamingHttpResponse(exports.csv_lines(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cchc-values.csv"'
    return response


@require_safe
@public_page
def values_json(request):
    values, error = _parse_query(request)
    if error:
        return JsonResponse({"error": error.content.decode()}, status=400, json_dumps_params={"ensure_ascii": False})
    # JSON is read by programs, not spreadsheets: text stays exactly as stored.
    rows = [exports.value_row(value) for value in values.iterator(chunk_size=2000)]
    return JsonResponse(
        {"columns": exports.EXPORT_COLUMNS, "count": len(rows), "values": rows},
        json_dumps_params={"ensure_ascii": False},
    )
