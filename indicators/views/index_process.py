"""The CCHC index process, signed in: unit admins self-assess with evidence and answer the appraisal;
provincial staff import criteria sets, appraise, enter survey points, record the council's approval
and publish. Thin views: permissions from indicators/index_permissions.py, data from
selectors/index_process.py, writes through services/index_process.py and index_publication.py.

Bad input is answered with the page again, its errors and a 4xx status; nothing is half-written.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from indicators import imports, uploads
from indicators import index_permissions as perms
from indicators.forms import index_process as forms
from indicators.models import Assessment, Evidence
from indicators.selectors import common
from indicators.selectors import index_process as selectors
from indicators.services import index_notifications
from indicators.services import index_process as services
from indicators.services import index_publication as publication

GET_POST = ["GET", "HEAD", "POST"]


def _errors_into(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: per-criterion messages beside their fields."""
    if hasattr(error, "error_dict"):
        for key, problems in error.message_dict.items():
            field = next((name for name in (f"p-{key}", f"ap-{key}", key) if name in form.fields), None)
            for problem in problems:
                form.add_error(field, problem)
    else:
        for problem in error.messages:
            form.add_error(None, problem)


@login_required
@require_safe
def home(request):
    perms.require_some_role(request.user)
    context = {"today": timezone.localdate()}
    if perms.is_index_staff(request.user):
        context["sets"] = selectors.staff_dashboard()
    if perms.is_unit_admin(request.user):
        from indicators.models import managed_unit_ids

        context["tasks"] = selectors.unit_admin_dashboard(unit_ids=managed_unit_ids(request.user))
    return render(request, "index_process/home.html", context)


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
                _errors_into(form, error)
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
            _errors_into(form, error)
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
    units = list(criteria_set.units().order_by("name"))
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
                    entries = services.survey_entries_from_file(
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
                _errors_into(form, error)
            else:
                messages.success(request, _("Đã lưu %(n)d điểm điều tra.") % {"n": written})
                return redirect("index_process:survey", code=criteria_set.code)
    context = {"criteria_set": criteria_set, "grid": grid, "upload": upload, "criteria": criteria}
    return render(request, "index_process/survey.html", context, status=status)


# --- self-assessment -------------------------------------------------------------------------------


def _assess_context(request, criteria_set, unit, *, form=None, evidence_form=None):
    page = selectors.assessment_page(criteria_set=criteria_set, unit=unit)
    assessment = page.assessment
    editable = not criteria_set.is_locked and (assessment is None or assessment.status == Assessment.Status.DRAFT)
    asked = {n.criterion.code for n in page.awaiting_answer}
    evidence_targets = (
        page.assessed_leaves if editable else [n for n in page.assessed_leaves if n.criterion.code in asked]
    )
    return {
        "criteria_set": criteria_set,
        "unit": unit,
        "page": page,
        "editable": editable,
        "form": form or forms.SelfAssessmentForm(page=page, editable=editable),
        "evidence_form": evidence_form
        or (forms.EvidenceForm(leaves=evidence_targets) if evidence_targets and not criteria_set.is_locked else None),
        "thread_form": forms.ThreadForm(),
        "today": timezone.localdate(),
        "is_open": criteria_set.is_open_on(timezone.localdate()),
        "evidence_limit": forms.evidence_limit_text(),
    }


@login_required
@require_http_methods(GET_POST)
def assess(request, code: str, unit_code: str):
    criteria_set, unit = perms.get_unit_for_assessment(request.user, code, unit_code)
    if request.method != "POST":
        return render(request, "index_process/assess.html", _assess_context(request, criteria_set, unit))
    page = selectors.assessment_page(criteria_set=criteria_set, unit=unit)
    editable = not criteria_set.is_locked and (
        page.assessment is None or page.assessment.status == Assessment.Status.DRAFT
    )
    form = forms.SelfAssessmentForm(request.POST, page=page, editable=editable)
    status = 400
    if not editable:
        form.add_error(None, _("Bản tự đánh giá đã nộp hoặc năm đã khóa: không sửa được."))
        status = 409
    elif form.is_valid():
        try:
            outcome = services.save_self_assessment(
                user=request.user,
                criteria_set=criteria_set,
                unit=unit,
                scores=form.scores(),
                leader_name=form.cleaned_data["leader_name"],
                version=form.cleaned_data["version"],
                submit=form.submitting,
            )
        except services.IndexConflict as error:
            form.add_error(None, str(error))
            status = 409
        except ValidationError as error:
            _errors_into(form, error)
        else:
            if outcome.submitted:
                messages.success(request, _("Đã nộp bản tự đánh giá cho Sở Nội vụ thẩm định."))
            else:
                messages.success(request, _("Đã lưu nháp (%(n)d tiêu chí thay đổi).") % {"n": outcome.changed})
            return redirect("index_process:assess", code=criteria_set.code, unit_code=unit.code)
    return render(
        request, "index_process/assess.html", _assess_context(request, criteria_set, unit, form=form), status=status
    )


@csrf_exempt  # the CSRF check reads the body: the size limit must be in place first (_evidence_add checks CSRF)
def evidence_add(request, code: str, unit_code: str):
    limit = uploads.SizeLimitHandler(request, services.evidence_max_bytes())
    if request.method == "POST":
        request.upload_handlers.insert(0, limit)
    return _evidence_add(request, code, unit_code, limit)


@csrf_protect
@login_required
@require_POST
def _evidence_add(request, code: str, unit_code: str, limit):
    criteria_set, unit = perms.get_unit_for_assessment(request.user, code, unit_code)
    context = _assess_context(request, criteria_set, unit)
    leaves = context["evidence_form"].leaves.values() if context["evidence_form"] else []
    targets = [n for n in context["page"].assessed_leaves if n.criterion in leaves]
    form = forms.EvidenceForm(request.POST, request.FILES, leaves=targets)
    status = 400
    if limit.refused:  # the file was dropped as it arrived: nothing of it was kept
        context["upload_error"] = _("Tệp quá lớn (tối đa %(max)s KB).") % {
            "max": f"{services.evidence_max_bytes() // 1024:,}"
        }
        return render(request, "index_process/assess.html", context, status=413)
    if not targets:
        form.add_error(None, _("Không còn tiêu chí nào được bổ sung tài liệu."))
        status = 409
    elif form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            content = None
            if upload is not None:
                if upload.size > services.evidence_max_bytes():
                    raise ValidationError(
                        {
                            "file": [
                                _("Tệp quá lớn (tối đa %(max)s KB).")
                                % {"max": f"{services.evidence_max_bytes() // 1024:,}"}
                            ]
                        }
                    )
                content = upload.read()
            services.add_evidence(
                user=request.user,
                criteria_set=criteria_set,
                unit=unit,
                data=services.EvidenceInput(
                    title=form.cleaned_data["title"],
                    criteria=form.chosen_criteria(),
                    document_number=form.cleaned_data["document_number"],
                    issued_on=form.cleaned_data["issued_on"],
                    issuer=form.cleaned_data["issuer"],
                    location=form.cleaned_data["location"],
                    filename=upload.name if upload is not None else "",
                    content=content,
                ),
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("Đã thêm tài liệu kiểm chứng."))
            return redirect("index_process:assess", code=criteria_set.code, unit_code=unit.code)
    context["evidence_form"] = form
    return render(request, "index_process/assess.html", context, status=status)


@login_required
@require_POST
def evidence_delete(request, pk: int):
    evidence = perms.get_evidence_for_change(request.user, pk)
    assessment = evidence.assessment
    try:
        services.remove_evidence(user=request.user, evidence=evidence)
    except ValidationError as error:
        context = _assess_context(request, assessment.criteria_set, assessment.unit)
        context["thread_error"] = " ".join(error.messages)
        return render(request, "index_process/assess.html", context, status=409)
    messages.success(request, _("Đã xóa tài liệu kiểm chứng."))
    return redirect("index_process:assess", code=assessment.criteria_set.code, unit_code=assessment.unit.code)


@require_safe
def evidence_file(request, pk: int):
    """The file, to those who may see it; 404 to anyone else, whether or not it exists."""
    evidence = Evidence.objects.select_related("assessment__unit", "assessment__criteria_set").filter(pk=pk).first()
    if evidence is None or not evidence.file:
        raise Http404
    if not perms.may_see_evidence_file(request.user, evidence, published=selectors.evidence_is_published(evidence)):
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    response = FileResponse(
        handle, as_attachment=True, filename=evidence.original_name or "tep", content_type=evidence.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- appraisal -------------------------------------------------------------------------------------


def _appraise_context(criteria_set, unit, *, form=None):
    page = selectors.assessment_page(criteria_set=criteria_set, unit=unit, with_computed=True)
    assessment = page.assessment
    submitted = assessment is not None and assessment.status != Assessment.Status.DRAFT
    editable = submitted and assessment.status == Assessment.Status.SUBMITTED and not criteria_set.is_locked
    return {
        "criteria_set": criteria_set,
        "unit": unit,
        "page": page if submitted else None,
        "submitted": submitted,
        "editable": editable,
        "form": (form or forms.AppraisalForm(page=page, editable=editable)) if submitted else None,
        "thread_form": forms.ThreadForm(),
        "reopen_form": forms.ReasonForm(),
    }


@login_required
@require_http_methods(GET_POST)
def appraise(request, code: str, unit_code: str):
    criteria_set, unit = perms.get_unit_for_appraisal(request.user, code, unit_code)
    context = _appraise_context(criteria_set, unit)
    if request.method != "POST":
        return render(request, "index_process/appraise.html", context)
    status = 400
    if not context["editable"]:
        context["error"] = _("Bản này chưa nộp, đã thẩm định xong hoặc năm đã khóa.")
        return render(request, "index_process/appraise.html", context, status=409)
    form = forms.AppraisalForm(request.POST, page=context["page"], editable=True)
    if form.is_valid():
        try:
            publication.save_appraisal(
                user=request.user,
                assessment=context["page"].assessment,
                decisions=form.decisions(),
                version=form.cleaned_data["version"],
                finish=form.finishing,
            )
        except services.IndexConflict as error:
            form.add_error(None, str(error))
            status = 409
        except ValidationError as error:
            _errors_into(form, error)
        else:
            if form.finishing:
                messages.success(request, _("Đã kết thúc thẩm định %(unit)s.") % {"unit": unit.name})
            else:
                messages.success(request, _("Đã lưu kết quả thẩm định."))
            return redirect("index_process:appraise", code=criteria_set.code, unit_code=unit.code)
    context["form"] = form
    return render(request, "index_process/appraise.html", context, status=status)


@login_required
@require_POST
def appraise_reopen(request, code: str, unit_code: str):
    criteria_set, unit = perms.get_unit_for_appraisal(request.user, code, unit_code)
    assessment = Assessment.objects.filter(criteria_set=criteria_set, unit=unit).first()
    if assessment is None:
        raise Http404
    form = forms.ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Cần lý do mở lại thẩm định."))
        publication.reopen_appraisal(user=request.user, assessment=assessment, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        context = _appraise_context(criteria_set, unit)
        context["error"] = " ".join(error.messages)
        return render(request, "index_process/appraise.html", context, status=400)
    messages.success(request, _("Đã mở lại thẩm định %(unit)s.") % {"unit": unit.name})
    return redirect("index_process:appraise", code=criteria_set.code, unit_code=unit.code)


@login_required
@require_POST
def thread(request, pk: int):
    """Staff ask for an explanation on a criterion; the unit's admin answers. Back to the page it came from."""
    score = perms.get_score_for_thread(request.user, pk)
    assessment = score.assessment
    staff = perms.is_index_staff(request.user)
    target = (
        "index_process:appraise" if staff else "index_process:assess",
        assessment.criteria_set.code,
        assessment.unit.code,
    )
    form = forms.ThreadForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Nội dung trống."))
        body = form.cleaned_data["body"]
        if staff:
            services.request_explanation(user=request.user, score=score, body=body)
            text = _("Đã gửi đề nghị giải trình tiêu chí %(code)s.")
        else:
            services.answer_explanation(user=request.user, score=score, body=body)
            text = _("Đã gửi giải trình tiêu chí %(code)s.")
    except ValidationError as error:
        if staff:
            context = _appraise_context(assessment.criteria_set, assessment.unit)
            context["error"] = " ".join(error.messages)
            return render(request, "index_process/appraise.html", context, status=400)
        context = _assess_context(request, assessment.criteria_set, assessment.unit)
        context["thread_error"] = " ".join(error.messages)
        return render(request, "index_process/assess.html", context, status=400)
    messages.success(request, text % {"code": score.criterion.code})
    return redirect(target[0], code=target[1], unit_code=target[2])


# --- notifications ---------------------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def notifications(request):
    perms.require_some_role(request.user)
    if request.method == "POST":
        form = forms.NotificationForm(request.POST)
        if form.is_valid():
            index_notifications.set_email_enabled(user=request.user, enabled=form.cleaned_data["email_enabled"])
            messages.success(request, _("Đã lưu cài đặt thông báo."))
            return redirect("index_process:notifications")
    enabled = index_notifications.wants_email(request.user)
    form = forms.NotificationForm(initial={"email_enabled": enabled})
    context = {"form": form, "enabled": enabled, "email": request.user.email, "from_email": settings.DEFAULT_FROM_EMAIL}
    return render(request, "index_process/notifications.html", context)
