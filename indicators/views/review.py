"""Provincial staff's pages: the queue of submitted figures, and one unit-year to approve or return."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from indicators import permissions
from indicators.forms.entry import TEXT_MAX, ReviewDecisionForm
from indicators.selectors import review
from indicators.services.review import review_values


@login_required
@require_safe
def review_queue(request):
    permissions.require_review_role(request.user)
    return render(request, "review/queue.html", {"queue": review.review_queue()})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review_unit_year(request, unit_code: str, year: int):
    unit = permissions.get_unit_for_review(request.user, unit_code, year)
    problem = unit.year_error(year)
    if problem:
        context = {"unit": unit, "year": year, "problem": problem, "review": True}
        return render(request, "entry/year_closed.html", context, status=404)
    data = review.review_unit_year(unit=unit, year=year)
    status = 200
    form = ReviewDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        status = 400
        if form.is_valid():
            approve, target = form.cleaned_data["decision"]
            waiting = {value.pk for value in data["submitted"]}
            comment = form.cleaned_data["comment"]
            if target is not None:
                comment = (request.POST.get(f"comment-{target}") or "").strip()[:TEXT_MAX] or comment
            ids = sorted(waiting) if target is None else [target]
            if not ids or not set(ids) <= waiting:
                form.add_error(None, _("Số liệu này không còn chờ thẩm định; hãy tải lại trang."))
                status = 409
            else:
                try:
                    count = review_values(user=request.user, value_ids=ids, approve=approve, comment=comment)
                except ValidationError as error:
                    form.add_error(None, error.messages)
                else:
                    text = _("Đã duyệt %(n)d số liệu.") if approve else _("Đã trả lại %(n)d số liệu kèm ý kiến.")
                    messages.success(request, text % {"n": count})
                    if len(waiting) == count:
                        return redirect("review:queue")
                    return redirect("review:unit-year", unit_code=unit.code, year=year)
    # A page shown again with an error keeps what was typed beside each figure.
    typed = {value.pk: (request.POST.get(f"comment-{value.pk}") or "")[:TEXT_MAX] for value in data["submitted"]}
    context = {"unit": unit, "year": year, "form": form, "typed": typed, **data}
    return render(request, "review/unit_year.html", context, status=status)
