"""Appraisal of the CCHC index by provincial staff, and the thread on a criterion (staff ask for an
explanation, the unit's admin answers). Thin views, as in views/index_process.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from indicators import index_permissions as perms
from indicators.forms import index_process as forms
from indicators.models import Assessment
from indicators.selectors import index_process as selectors
from indicators.services import index_evidence as evidence_services
from indicators.services import index_process as services
from indicators.services import index_publication as publication
from indicators.views.index_process import GET_POST, assess_context, errors_into

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
            errors_into(form, error)
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
            evidence_services.request_explanation(user=request.user, score=score, body=body)
            text = _("Đã gửi đề nghị giải trình tiêu chí %(code)s.")
        else:
            evidence_services.answer_explanation(user=request.user, score=score, body=body)
            text = _("Đã gửi giải trình tiêu chí %(code)s.")
    except ValidationError as error:
        if staff:
            context = _appraise_context(assessment.criteria_set, assessment.unit)
            context["error"] = " ".join(error.messages)
            return render(request, "index_process/appraise.html", context, status=400)
        context = assess_context(request, assessment.criteria_set, assessment.unit)
        context["thread_error"] = " ".join(error.messages)
        return render(request, "index_process/assess.html", context, status=400)
    messages.success(request, text % {"code": score.criterion.code})
    return redirect(target[0], code=target[1], unit_code=target[2])
