"""Unit admins' pages (a district's to 2024, a commune's from 2025): their units × years, the yearly
form, the per-value history and bulk import.

Thin views: parse the request, check permissions with indicators.permissions, call selectors and
services, render. Invalid input is answered with the form again and a 4xx status.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from indicators import imports, permissions
from indicators.forms.entry import ImportUploadForm, UnitYearForm
from indicators.forms.query import form_errors_text, year_field
from indicators.presentation import exports
from indicators.presentation import import_template as template_sheets
from indicators.selectors import entry, import_lookups, review
from indicators.services import entry as entry_services
from indicators.services import imports as import_services


@login_required
@require_safe
def entry_list(request):
    # LOGIN_REDIRECT_URL points here; provincial staff, who enter nothing, belong on their queue.
    if not request.user.has_perm("indicators.enter_values") and request.user.has_perm("indicators.review_values"):
        return redirect("review:queue")
    permissions.require_entry_role(request.user)
    context = entry.entry_overview(user=request.user, page=request.GET.get("page"))
    return render(request, "entry/list.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def entry_form(request, unit_code: str, year: int):
    unit = permissions.get_unit_for_entry(request.user, unit_code, year)
    problem = entry.entry_year_error(unit, year)
    if problem:
        # The unit is the user's, so saying why is no leak: e.g. a district's figures end with 2024.
        context = {"unit": unit, "year": year, "problem": problem, "years": entry.entry_years(unit)}
        return render(request, "entry/year_closed.html", context, status=404)
    data = entry.entry_form_data(unit=unit, year=year)
    editable = {
        line.indicator.pk: line.current is None or request.user.has_perm("indicators.change_value", line.current)
        for line in data["lines"]
    }
    bound = request.POST if request.method == "POST" else None
    form = UnitYearForm(bound, lines=data["lines"], sources=data["sources"], editable=editable)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = entry_services.save_unit_year(
                    user=request.user, unit=unit, year=year, figures=form.figures(), submit=form.submitting
                )
            except entry_services.EditConflict as conflict:
                form.add_error(None, str(conflict))
                status = 409
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                _report_saved(request, result)
                return redirect("entry:form", unit_code=unit.code, year=year)
    context = {
        "unit": unit,
        "year": year,
        "form": form,
        "groups": form.groups(),
        "error_summary": form.error_summary(),
        "open_count": sum(1 for line in data["lines"] if editable[line.indicator.pk]),
        "has_open_values": any(
            line.current is not None and not line.current.is_demo and editable[line.indicator.pk]
            for line in data["lines"]
        ),
    }
    return render(request, "entry/form.html", context, status=status)


def _report_saved(request, result: entry_services.EntryResult) -> None:
    if result.submitted:
        messages.success(
            request,
            _("Đã gửi %(n)d số liệu cho Sở Nội vụ thẩm định. Chúng bị khóa cho đến khi được trả lại.")
            % {"n": result.submitted},
        )
    elif result.changed or result.deleted:
        messages.success(
            request,
            _("Đã lưu nháp: %(changed)d số liệu thay đổi, %(deleted)d số liệu bị xóa.")
            % {"changed": result.changed, "deleted": result.deleted},
        )
    else:
        messages.info(request, _("Không có thay đổi nào để lưu."))


@login_required
@require_safe
def value_history(request, pk: int):
    value = permissions.get_value_for_history(request.user, pk)
    entries = review.value_history(value=value)
    return render(request, "entry/history.html", {"value": value, "entries": entries})


# --- bulk import -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_upload(request):
    if not request.user.has_perm("indicators.import_values"):
        raise PermissionDenied
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                value_import = import_services.stage_import(
                    user=request.user, filename=upload.name, content=upload.read()
                )
            except imports.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                return redirect("entry:import-preview", pk=value_import.pk)
    this_year = reporting_year()
    template_years = {"years": range(this_year + 1, this_year - 7, -1), "default": this_year}
    return render(request, "entry/import.html", {"form": form, "template_years": template_years}, status=status)


@login_required
@require_safe
def import_preview(request, pk: int):
    value_import = permissions.get_import_for_user(request.user, pk)
    return _render_preview(request, value_import)


def _render_preview(request, value_import, *, summary=None, file_error=None, status=200):
    if summary is None and file_error is None and value_import.applied_at is None:
        try:
            summary = import_services.preview_import(user=request.user, value_import=value_import)
        except import_services.ImportExpired as expired:
            file_error, status = str(expired), 410
        except imports.ImportFileError as error:
            file_error, status = str(error), 400
    context = {
        "value_import": value_import,
        "check": import_lookups.with_sample_indicators(summary) if summary else None,
        "file_error": file_error,
    }
    return render(request, "entry/import_preview.html", context, status=status)


@login_required
@require_POST
def import_confirm(request, pk: int):
    value_import = permissions.get_import_for_user(request.user, pk)
    try:
        written = import_services.apply_import(user=request.user, value_import=value_import)
    except import_services.ImportRejected as rejected:
        messages.error(request, str(rejected))
        return _render_preview(request, value_import, summary=imports.ImportSummary.of(rejected.check), status=400)
    except import_services.ImportExpired as expired:
        return _render_preview(request, value_import, file_error=str(expired), status=410)
    except imports.ImportFileError as error:
        return _render_preview(request, value_import, file_error=str(error), status=400)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        value_import.refresh_from_db()
        return _render_preview(request, value_import, status=400)
    messages.success(request, import_written_message(written))
    return redirect("entry:list")


def import_written_message(written: import_services.ImportWritten) -> str:
    """ "3 new, 1 changed, 2 unchanged", in the user's language with its plurals."""
    parts = [
        ngettext("%(n)d số liệu mới", "%(n)d số liệu mới", written.created) % {"n": written.created},
        ngettext("%(n)d số liệu được cập nhật", "%(n)d số liệu được cập nhật", written.updated)
        % {"n": written.updated},
        ngettext("%(n)d số liệu không đổi", "%(n)d số liệu không đổi", written.unchanged) % {"n": written.unchanged},
    ]
    return _("Đã nhập: %(parts)s (ở trạng thái nháp). Kiểm tra rồi gửi Sở Nội vụ từ trang nhập liệu.") % {
        "parts": ", ".join(parts)
    }


@login_required
@require_safe
def import_template(request, file_format: str):
    """A template with a row per indicator of each of the user's units for `?year=` (default: the
    reporting year), values empty; the XLSX has an instructions sheet."""
    if not request.user.has_perm("indicators.import_values"):
        raise PermissionDenied
    if file_format not in ("csv", "xlsx"):
        raise Http404
    year_form = TemplateYearForm(request.GET)
    if not year_form.is_valid():
        return HttpResponseBadRequest(form_errors_text(year_form), content_type="text/plain; charset=utf-8")
    # The year being reported: last year's figures, by default.
    year = year_form.cleaned_data["year"] or reporting_year()
    header = imports.COLUMNS + imports.INFO_COLUMNS
    rows = import_lookups.import_template_rows(user=request.user, year=year)
    if file_format == "xlsx":
        data_sheet, help_sheet = template_sheets.sheet_names(year)
        content = exports.xlsx_bytes(
            [(data_sheet, header, rows), (help_sheet, [_("Cột"), _("Cách điền")], template_sheets.instructions(year))]
        )
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = exports.csv_bytes(header, rows)  # with a BOM: Excel opens the Vietnamese names as UTF-8
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="cchc-mau-nhap-lieu-{year}.{file_format}"'
    return response


def reporting_year() -> int:
    """The year whose figures are being reported now: last year."""
    return timezone.localdate().year - 1


class TemplateYearForm(forms.Form):
    year = year_field(_("Năm"))
