"""The CCHC index process, signed in: the dashboard, unit admins' self-assessment with evidence, the
evidence files, and each user's notifications. Staff's pages are in views/index_sets.py (criteria sets,
survey points, the council, publication) and views/index_appraisal.py (appraisal and the threads).

Thin views: permissions from indicators/index_permissions.py, data from selectors/index_process.py,
writes through services/index_process.py, index_evidence.py and index_publication.py.

Bad input is answered with the page again, its errors and a 4xx status; nothing is half-written.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from indicators import index_permissions as perms
from indicators import uploads
from indicators.forms import index_process as forms
from indicators.models import Assessment, Evidence
from indicators.selectors import index_process as selectors
from indicators.selectors import index_public as public_selectors
from indicators.services import index_evidence as evidence_services
from indicators.services import index_notifications
from indicators.services import index_process as services

GET_POST = ["GET", "HEAD", "POST"]


def errors_into(form, error: ValidationError) -> None:
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


# --- self-assessment -------------------------------------------------------------------------------


def assess_context(request, criteria_set, unit, *, form=None, evidence_form=None):
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
        return render(request, "index_process/assess.html", assess_context(request, criteria_set, unit))
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
            errors_into(form, error)
        else:
            if outcome.submitted:
                messages.success(request, _("Đã nộp bản tự đánh giá cho Sở Nội vụ thẩm định."))
            else:
                messages.success(request, _("Đã lưu nháp (%(n)d tiêu chí thay đổi).") % {"n": outcome.changed})
            return redirect("index_process:assess", code=criteria_set.code, unit_code=unit.code)
    return render(
        request, "index_process/assess.html", assess_context(request, criteria_set, unit, form=form), status=status
    )


@csrf_exempt  # the CSRF check reads the body: the size limit must be in place first (_evidence_add checks CSRF)
def evidence_add(request, code: str, unit_code: str):
    limit = uploads.SizeLimitHandler(request, evidence_services.evidence_max_bytes())
    if request.method == "POST":
        request.upload_handlers.insert(0, limit)
    return _evidence_add(request, code, unit_code, limit)


@csrf_protect
@login_required
@require_POST
def _evidence_add(request, code: str, unit_code: str, limit):
    criteria_set, unit = perms.get_unit_for_assessment(request.user, code, unit_code)
    context = assess_context(request, criteria_set, unit)
    leaves = context["evidence_form"].leaves.values() if context["evidence_form"] else []
    targets = [n for n in context["page"].assessed_leaves if n.criterion in leaves]
    form = forms.EvidenceForm(request.POST, request.FILES, leaves=targets)
    status = 400
    if limit.refused:  # the file was dropped as it arrived: nothing of it was kept
        context["upload_error"] = _("Tệp quá lớn (tối đa %(max)s KB).") % {
            "max": f"{evidence_services.evidence_max_bytes() // 1024:,}"
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
                if upload.size > evidence_services.evidence_max_bytes():
                    raise ValidationError(
                        {
                            "file": [
                                _("Tệp quá lớn (tối đa %(max)s KB).")
                                % {"max": f"{evidence_services.evidence_max_bytes() // 1024:,}"}
                            ]
                        }
                    )
                content = upload.read()
            evidence_services.add_evidence(
                user=request.user,
                criteria_set=criteria_set,
                unit=unit,
                data=evidence_services.EvidenceInput(
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
            errors_into(form, error)
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
        evidence_services.remove_evidence(user=request.user, evidence=evidence)
    except ValidationError as error:
        context = assess_context(request, assessment.criteria_set, assessment.unit)
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
    if not perms.may_see_evidence_file(
        request.user, evidence, published=public_selectors.evidence_is_published(evidence)
    ):
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
