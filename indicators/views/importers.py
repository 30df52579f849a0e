"""Imports of the reports other systems already produce (the 766 portal, a one-stop system, the staff
software): upload with the layout and period, the preview with every unit match, the name mappings
staff save there, and the confirm step. Thin views over services.layout_imports."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from indicators import imports, permissions
from indicators.domain.formatting import format_number
from indicators.domain.numbers import decimal_places
from indicators.forms.layout_import import LayoutUploadForm, NameMappingForm
from indicators.imports import layout_checking, periods
from indicators.imports.layouts import all_layouts, get_layout
from indicators.selectors import layout_lookups
from indicators.services import layout_imports as services
from indicators.services.imports import ImportExpired
from indicators.views.entry import import_written_message


def _usable_layouts(user):
    if not user.has_perm("indicators.import_layouts"):
        raise PermissionDenied
    layouts = [layout for layout in all_layouts().values() if services.may_import_layout(user, layout)]
    if not layouts:
        raise PermissionDenied
    return layouts


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def layout_upload(request):
    layouts = _usable_layouts(request.user)
    bound = request.method == "POST"
    form = LayoutUploadForm(request.POST if bound else None, request.FILES if bound else None, layouts=layouts)
    status = 200
    if bound:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                layout_import = services.stage_layout_import(
                    user=request.user,
                    layout_code=data["layout"],
                    year=data["year"],
                    period=data["period"],
                    filename=data["file"].name,
                    content=data["file"].read(),
                )
            except imports.ImportFileError as error:
                form.add_error("file", str(error))
            else:
                return redirect("entry:systems-preview", pk=layout_import.pk)
    context = {
        "form": form,
        "layouts": layouts,
        "province_wide": layout_lookups.imports_province_wide(request.user),
        "recent": layout_lookups.recent_layout_imports(user=request.user),
    }
    return render(request, "importers/upload.html", context, status=status)


@login_required
@require_safe
def layout_preview(request, pk: int):
    layout_import = permissions.get_layout_import_for_user(request.user, pk)
    return _render_preview(request, layout_import)


def _render_preview(request, layout_import, *, summary=None, status=200):
    layout = get_layout(layout_import.layout)
    if summary is None and layout_import.value_import.applied_at is None:
        try:
            summary = services.preview_layout_import(user=request.user, layout_import=layout_import)
        except ImportExpired as expired:
            summary, status = None, 410
            messages.error(request, str(expired))
    if summary is not None and summary.file_error and status == 200:
        status = 400
    for row in summary.rows if summary else ():  # shown as they will be stored, in the page's language
        row.values = {code: _shown(value) for code, value in row.values.items()}
    may_map = request.user.has_perm("indicators.save_name_mapping")
    unmatched = [r for r in summary.rows if r.match.unit is None] if summary else []
    all_units = layout_lookups.candidate_units(year=layout_import.year) if may_map and unmatched else []
    mapping_forms = {
        r.match.row: NameMappingForm(initial={"name": r.match.name}, units=r.match.candidates or all_units)
        for r in unmatched
        if may_map and r.match.name
    }
    context = {
        "layout_import": layout_import,
        "value_import": layout_import.value_import,
        "layout": layout,
        "period_label": periods.period_label(layout_import.period, layout_import.year),
        "summary": summary,
        "indicators": layout_lookups.preview_indicators(layout),
        "mapping_forms": mapping_forms,
        "statuses": {"ok": layout_checking.OK, "error": layout_checking.ERROR, "other": layout_checking.OTHER_UNIT},
    }
    return render(request, "importers/preview.html", context, status=status)


def _shown(text: str) -> str:
    value = Decimal(text)
    return format_number(value, decimal_places(value))


@login_required
@require_POST
def layout_confirm(request, pk: int):
    layout_import = permissions.get_layout_import_for_user(request.user, pk)
    try:
        written = services.apply_layout_import(user=request.user, layout_import=layout_import)
    except services.LayoutRejected as rejected:
        messages.error(request, str(rejected))
        return _render_preview(request, layout_import, summary=rejected.summary, status=400)
    except ImportExpired as expired:
        messages.error(request, str(expired))
        return _render_preview(request, layout_import, status=410)
    except imports.ImportFileError as error:
        messages.error(request, str(error))
        return _render_preview(request, layout_import, status=400)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        layout_import.value_import.refresh_from_db()
        return _render_preview(request, layout_import, status=400)
    if layout_import.status_written == "submitted":
        messages.success(
            request,
            _(
                "Đã nhập %(created)d số liệu mới, %(updated)d số liệu cập nhật, ở trạng thái đã gửi: "
                "hãy thẩm định chúng."
            )
            % {"created": written.created, "updated": written.updated},
        )
        return redirect("review:queue")
    messages.success(request, import_written_message(written))
    return redirect("entry:list")


@login_required
@require_POST
def layout_mapping(request, pk: int):
    layout_import = permissions.get_layout_import_for_user(request.user, pk)
    if not request.user.has_perm("indicators.save_name_mapping"):
        raise PermissionDenied
    units = layout_lookups.candidate_units(year=layout_import.year)
    form = NameMappingForm(request.POST, units=units)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _render_preview(request, layout_import, status=400)
    try:
        mapping = services.save_name_mapping(
            user=request.user,
            layout_import=layout_import,
            name=form.cleaned_data["name"],
            unit_id=form.cleaned_data["unit"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _render_preview(request, layout_import, status=400)
    messages.success(
        request,
        _("Đã lưu: “%(name)s” là %(unit)s trong các tệp mẫu này.") % {"name": mapping.name, "unit": mapping.unit.name},
    )
    return redirect("entry:systems-preview", pk=layout_import.pk)
