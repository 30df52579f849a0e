"""Provincial staff's pages of the CCHC index process: import a criteria set from its annex, the set's
overview (progress, the differences the council discusses), survey points, the council's approval,
publication and its correction. Thin views, as in views/index_process.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from indicators import imports
from indicators import index_permissions as perms
from indicators.forms import index_process as forms
from indicators.selectors import common
from indicators.selectors import index_process as selectors
from indicators.services import index_process as services
from indicators.services import index_publication as publication
from indicators.views.index_process import GET_POST, errors_into

# --- criteria sets ---------------------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def set_import(request):
    perms.require_staff(request.user)
    provinces = common.province_lineage(common.province())
    form = forms.CriteriaSetImportForm(request.POST or None, request.FILES or None, provinces=provinces)
    status, row_errors = 200, []
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                meta = services.SetMeta(
                    code=data["code"],
                    name=data["name"],
                    name_en=data["name_en"],
                    year=data["year"],
                    level=data["level"],
                    province=data["province"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    bands=services.parse_bands(data["bands"]),
                    decision=data["decision"],
                    evidence_public=data["evidence_public"],
                    score_indicator=data["score_indicator"],
                    rank_indicator=data["rank_indicator"],
                )
                upload = data["file"]
                imports.check_upload_size(upload.size)
                criteria_set = services.import_criteria_set(
                    user=request.user, meta=meta, content=upload.read(), filename=upload.name
                )
            except services.AnnexRejected as rejected:
                form.add_error(None, str(rejected))
                row_errors = rejected.errors
            except imports.ImportFileError as error:
                form.add_error("file", str(error))
            except ValidationError as error:
                errors_into(form, error)
            else:
                messages.success(
                    request,
                    _("Đã nhập bộ tiêu chí “%(name)s” (%(n)d tiêu chí).")
                    % {"name": criteria_set.name, "n": criteria_set.criteria.count()},
                )
                return redirect("index_process:set", code=criteria_set.code)
    return render(request, "index_process/set_import.html", {"form": form, "row_errors": row_errors}, status=status)


@login_required
@require_safe
def set_template(request):
    """An annex to fill in: the columns, and an example area with a criterion and two sub-criteria."""
    perms.require_staff(request.user)
    import tablib

    from indicators.imports.annex import ANNEX_COLUMNS

    dataset = tablib.Dataset(headers=ANNEX_COLUMNS)
    dataset.append(["1", "Công tác chỉ đạo, điều hành CCHC", 10, "", "", "", "", "", "", "", ""])
    dataset.append(["1.1", "Kế hoạch CCHC năm", 10, "", "", "", "", "", "", "", ""])
    dataset.append(["1.1.a", "Ban hành kế hoạch đúng hạn", 6, "tự chấm", "có", "Đúng hạn: 6 điểm", "", "", "", "", ""])
    dataset.append(["1.1.b", "Hoàn thành kế hoạch", 4, "tự động", "", "", "hoan-thanh-ke-hoach-cchc", 100, "", "", ""])
    response = HttpResponse(
        dataset.export("xlsx"), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="cchc-bo-tieu-chi-mau.xlsx"'
    return response


def _set_context(criteria_set, **extra):
    progress = selectors.set_progress(criteria_set=criteria_set)
    return {
        "criteria_set": criteria_set,
        "progress": progress,
        "nodes": selectors.criteria_of(criteria_set),
        "bands": list(criteria_set.bands.all()),
        "publications": list(criteria_set.publications.order_by("-number")),
        "approval_problems": [] if criteria_set.is_locked else publication.approval_problems(criteria_set),
        "council_form": extra.pop("council_form", None) or forms.CouncilForm(initial={"version": criteria_set.version}),
        "publish_form": extra.pop("publish_form", None)
        or forms.PublishForm(initial={"version": criteria_set.version, "published_on": timezone.localdate()}),
        "reopen_form": extra.pop("reopen_form", None) or forms.ReasonForm(initial={"version": criteria_set.version}),
        **extra,
    }


@login_required
@require_safe
def set_detail(request, code: str):
    criteria_set = perms.get_set_for_staff(request.user, code)
    return render(request, "index_process/set_detail.html", _set_context(criteria_set))


def _set_action(request, code: str, form_class, key: str, act):
    criteria_set = perms.get_set_for_staff(request.user, code)
    form = form_class(request.POST)
    status = 400
    if form.is_valid():
        try:
            text = act(criteria_set, form.cleaned_data)
        except services.IndexConflict as error:
            form.add_error(None, str(error))
            status = 409
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, text)
            return redirect("index_process:set", code=criteria_set.code)
    criteria_set.refresh_from_db()
    return render(request, "index_process/set_detail.html", _set_context(criteria_set, **{key: form}), status=status)


@login_required
@require_POST
def council(request, code: str):
    def act(criteria_set, data):
        publication.approve_by_council(
            user=request.user, criteria_set=criteria_set, decision=data["decision"], version=data["version"]
        )
        return _("Đã ghi nhận Hội đồng thông qua. Kết quả năm này đã khóa.")

    return _set_action(request, code, forms.CouncilForm, "council_form", act)


@login_required
@require_POST
def publish(request, code: str):
    def act(criteria_set, data):
        published = publication.publish(
            user=request.user,
            criteria_set=criteria_set,
            decision=data["decision"],
            published_on=data["published_on"],
            note=data["note"],
            version=data["version"],
        )
        return _("Đã công bố kết quả (lần %(n)d) cho %(units)d đơn vị.") % {
            "n": published.number,
            "units": published.results.count(),
        }

    return _set_action(request, code, forms.PublishForm, "publish_form", act)


@login_required
@require_POST
def reopen(request, code: str):
    def act(criteria_set, data):
        publication.reopen_for_correction(
            user=request.user, criteria_set=criteria_set, reason=data["reason"], version=data["version"] or 0
        )
        return _("Đã mở lại năm này để đính chính. Kết quả đã công bố vẫn giữ nguyên cho đến lần công bố mới.")

    return _set_action(request, code, forms.ReasonForm, "reopen_form", act)


@login_required
@require_http_methods(GET_POST)
def survey(request, code: str):
    criteria_set = perms.get_set_for_staff(request.user, code)
    units = common.by_name(criteria_set.units())
    criteria = [n for n in selectors.criteria_of(criteria_set) if n.method == "survey"]
    existing = selectors.survey_points(criteria_set=criteria_set)
    grid = forms.SurveyEntryForm(
        request.POST if request.POST.get("kind") == "grid" else None, units=units, criteria=criteria, existing=existing
    )
    upload = forms.SurveyUploadForm(request.POST if request.POST.get("kind") == "file" else None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        form = upload if request.POST.get("kind") == "file" else grid
        if form.is_valid():
            try:
                if form is upload:
                    entries = publication.survey_entries_from_file(
                        criteria_set=criteria_set,
                        content=form.cleaned_data["file"].read(),
                        filename=form.cleaned_data["file"].name,
                    )
                else:
                    entries = grid.entries()
                written = publication.save_survey_points(user=request.user, criteria_set=criteria_set, entries=entries)
            except imports.ImportFileError as error:
                form.add_error("file" if form is upload else None, str(error))
            except ValidationError as error:
                errors_into(form, error)
            else:
                messages.success(request, _("Đã lưu %(n)d điểm điều tra.") % {"n": written})
                return redirect("index_process:survey", code=criteria_set.code)
    context = {"criteria_set": criteria_set, "grid": grid, "upload": upload, "criteria": criteria}
    return render(request, "index_process/survey.html", context, status=status)
