"""Forms of the CCHC index process. They validate only; services/index_process.py and
services/index_publication.py write.

Points are typed by the site's one number rule (forms.fields.LocalizedDecimalField, numbers.parse_number:
"95,5", and "95.5" where the dot cannot group thousands, on every page); a number that does not read
by it is refused with how to write it.
The per-criterion fields are named after the criterion's code: "p-1.1.a" (points), "na-1.1.a",
"ex-1.1.a" (explanation), "v-1.1.a" (the version the form was built from).
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from indicators.domain import file_types
from indicators.forms.fields import LocalizedDecimalField
from indicators.models import YEAR_MAX, YEAR_MIN, AdministrativeUnit, Indicator
from indicators.services.index_publication import ACCEPT, ADJUST, NOT_APPLICABLE

TEXT_MAX = 5000
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEFAULT_BANDS = "Tốt: 80\nKhá: 60\nKém: 0"


def _date_field(label, **kwargs):
    return forms.DateField(label=label, widget=DATE_INPUT, input_formats=["%Y-%m-%d", "%d/%m/%Y"], **kwargs)


class CriteriaSetImportForm(forms.Form):
    """A criteria set: its annex as a file, and what the decision says about it."""

    file = forms.FileField(label=_("Tệp phụ lục bộ tiêu chí (XLSX hoặc CSV)"), error_messages={"empty": _("Tệp rỗng.")})
    code = forms.SlugField(label=_("Mã bộ tiêu chí"), max_length=80, help_text=_("Ví dụ: tay-ninh-cap-xa-2025."))
    name = forms.CharField(label=_("Tên"), max_length=300)
    name_en = forms.CharField(label=_("Tên tiếng Anh"), max_length=300, required=False)
    province = forms.ModelChoiceField(label=_("Tỉnh"), queryset=AdministrativeUnit.objects.none())
    year = forms.IntegerField(label=_("Năm đánh giá"), min_value=YEAR_MIN, max_value=YEAR_MAX)
    level = forms.ChoiceField(
        label=_("Cấp được đánh giá"),
        choices=[(AdministrativeUnit.Level.COMMUNE, _("Cấp xã")), (AdministrativeUnit.Level.DISTRICT, _("Cấp huyện"))],
    )
    decision = forms.CharField(label=_("Văn bản ban hành"), max_length=300, required=False)
    opens_on = _date_field(_("Mở tự đánh giá từ ngày"))
    closes_on = _date_field(_("Hạn nộp tự đánh giá"))
    bands = forms.CharField(
        label=_("Xếp loại (mỗi dòng “tên: tỷ lệ điểm tối thiểu %”)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        initial=DEFAULT_BANDS,
        max_length=1000,
    )
    evidence_public = forms.BooleanField(label=_("Công khai tệp tài liệu kiểm chứng sau khi công bố"), required=False)
    score_indicator = forms.ModelChoiceField(
        label=_("Chỉ tiêu ghi điểm khi công bố"), queryset=Indicator.objects.none(), required=False
    )
    rank_indicator = forms.ModelChoiceField(
        label=_("Chỉ tiêu ghi xếp hạng khi công bố"), queryset=Indicator.objects.none(), required=False
    )

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = AdministrativeUnit.objects.filter(pk__in=[p.pk for p in provinces])
        self.fields["province"].label_from_instance = lambda unit: f"{unit.name} ({unit.period_text})".strip()
        if provinces:
            self.fields["province"].initial = provinces[0].pk
        self.fields["score_indicator"].queryset = Indicator.objects.filter(unit_kind=Indicator.UnitKind.SCORE)
        self.fields["rank_indicator"].queryset = Indicator.objects.filter(unit_kind=Indicator.UnitKind.RANK)

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("Hạn nộp phải sau ngày mở."))
        level = data.get("level")
        for name in ("score_indicator", "rank_indicator"):
            indicator = data.get(name)
            if indicator is not None and level and not indicator.applies_to(level):
                self.add_error(name, _("Chỉ tiêu này không áp dụng cho cấp được đánh giá."))
        return data


class SelfAssessmentForm(forms.Form):
    """Every assessed criterion's points, "not applicable" and explanation, and who signs the report."""

    leader_name = forms.CharField(label=_("Lãnh đạo ký báo cáo"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    action = forms.ChoiceField(choices=[("save", _("Lưu nháp")), ("submit", _("Nộp"))], required=False)

    def __init__(self, *args, page, editable: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        assessment = page.assessment
        self.fields["version"].initial = assessment.version if assessment else 0
        self.fields["leader_name"].initial = assessment.leader_name if assessment else ""
        self.fields["leader_name"].disabled = not editable
        for node in page.assessed_leaves:
            code, score = node.criterion.code, node.score
            self.fields[f"p-{code}"] = LocalizedDecimalField(
                label=_("Điểm tự chấm %(code)s") % {"code": code},
                required=False,
                initial=score.self_points if score else None,
                disabled=not editable,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "num-input"}),
            )
            self.fields[f"na-{code}"] = forms.BooleanField(
                label=_("Không áp dụng"),
                required=False,
                initial=score.not_applicable if score else False,
                disabled=not editable,
            )
            self.fields[f"ex-{code}"] = forms.CharField(
                label=_("Giải trình %(code)s") % {"code": code},
                required=False,
                max_length=TEXT_MAX,
                initial=score.explanation if score else "",
                disabled=not editable,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"v-{code}"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=0, initial=score.version if score else 0, required=False
            )

    @property
    def submitting(self) -> bool:
        return self.cleaned_data.get("action") == "submit"

    def rows(self):
        """(node, its fields) for the template, in tree order; groups get no fields."""
        out = []
        for node in self.page.nodes:
            code = node.criterion.code
            if f"p-{code}" in self.fields:
                out.append((node, {k: self[f"{k}-{code}"] for k in ("p", "na", "ex", "v")}))
            else:
                out.append((node, None))
        return out

    def scores(self):
        from indicators.services.index_process import SelfScore

        return [
            SelfScore(
                criterion=node.criterion,
                points=self.cleaned_data.get(f"p-{node.criterion.code}"),
                not_applicable=bool(self.cleaned_data.get(f"na-{node.criterion.code}")),
                explanation=self.cleaned_data.get(f"ex-{node.criterion.code}") or "",
                version=self.cleaned_data.get(f"v-{node.criterion.code}") or 0,
            )
            for node in self.page.assessed_leaves
        ]


class EvidenceForm(forms.Form):
    title = forms.CharField(label=_("Tên tài liệu"), max_length=300)
    document_number = forms.CharField(label=_("Số, ký hiệu"), max_length=100, required=False)
    issued_on = _date_field(_("Ngày ban hành"), required=False)
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=300, required=False)
    location = forms.CharField(label=_("Mục, trang"), max_length=200, required=False)
    file = forms.FileField(
        label=_("Tệp (PDF, DOCX, XLSX, JPG, PNG)"),
        required=False,
        error_messages={"empty": _("Tệp rỗng (0 byte).")},
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}),
    )
    criteria = forms.MultipleChoiceField(label=_("Dùng cho tiêu chí"), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, leaves, **kwargs):
        super().__init__(*args, **kwargs)
        self.leaves = {node.criterion.code: node.criterion for node in leaves}
        self.fields["criteria"].choices = [(code, f"{code}. {c.name}") for code, c in self.leaves.items()]

    def clean_issued_on(self):
        day = self.cleaned_data.get("issued_on")
        if day is not None and not (date(YEAR_MIN, 1, 1) <= day <= date(YEAR_MAX, 12, 31)):
            raise forms.ValidationError(_("Ngày không hợp lệ."))
        return day

    def chosen_criteria(self):
        return [self.leaves[code] for code in self.cleaned_data.get("criteria", [])]


class AppraisalForm(forms.Form):
    """Per scored criterion: keep the unit's points, set others with a reason, or "not applicable"."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    action = forms.ChoiceField(choices=[("save", _("Lưu")), ("finish", _("Kết thúc thẩm định"))], required=False)

    def __init__(self, *args, page, editable: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.page = page
        self.fields["version"].initial = page.assessment.version if page.assessment else 0
        choices = [
            ("", _("— chưa quyết định —")),
            (ACCEPT, _("Giữ điểm")),
            (ADJUST, _("Điều chỉnh")),
            (NOT_APPLICABLE, _("Không áp dụng")),
        ]
        for node in page.nodes:
            score = node.score
            if score is None:
                continue
            code = node.criterion.code
            initial = {
                "accepted": ACCEPT,
                "adjusted": ADJUST,
                "not_applicable": NOT_APPLICABLE,
            }.get(score.decision, "")
            self.fields[f"d-{code}"] = forms.ChoiceField(
                label=_("Kết quả thẩm định %(code)s") % {"code": code},
                choices=choices,
                required=False,
                initial=initial,
                disabled=not editable,
            )
            self.fields[f"ap-{code}"] = LocalizedDecimalField(
                label=_("Điểm thẩm định %(code)s") % {"code": code},
                required=False,
                initial=score.appraised_points if score.decision == "adjusted" else None,
                disabled=not editable,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "num-input"}),
            )
            self.fields[f"r-{code}"] = forms.CharField(
                label=_("Lý do %(code)s") % {"code": code},
                required=False,
                max_length=TEXT_MAX,
                initial=score.reason,
                disabled=not editable,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"v-{code}"] = forms.IntegerField(
                widget=forms.HiddenInput, min_value=0, initial=score.version, required=False
            )

    @property
    def finishing(self) -> bool:
        return self.cleaned_data.get("action") == "finish"

    def rows(self):
        out = []
        for node in self.page.nodes:
            code = node.criterion.code
            if f"d-{code}" in self.fields:
                out.append((node, {k: self[f"{k}-{code}"] for k in ("d", "ap", "r", "v")}))
            else:
                out.append((node, None))
        return out

    def decisions(self):
        from indicators.services.index_publication import AppraisalDecision

        out = []
        for node in self.page.nodes:
            if node.score is None:
                continue
            code = node.criterion.code
            action = self.cleaned_data.get(f"d-{code}") or ""
            current = {"accepted": ACCEPT, "adjusted": ADJUST, "not_applicable": NOT_APPLICABLE}.get(
                node.score.decision, ""
            )
            points = self.cleaned_data.get(f"ap-{code}")
            reason = self.cleaned_data.get(f"r-{code}") or ""
            unchanged = (
                action == current
                and reason == node.score.reason
                and (action != ADJUST or points == node.score.appraised_points)
            )
            if action and not unchanged:
                out.append(
                    AppraisalDecision(
                        criterion=node.criterion,
                        action=action,
                        points=points,
                        reason=reason,
                        version=self.cleaned_data.get(f"v-{code}") or 0,
                    )
                )
        return out


class ThreadForm(forms.Form):
    body = forms.CharField(label=_("Nội dung"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 3}))


class SurveyUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp điểm điều tra (XLSX hoặc CSV: unit_code, criterion_code, points, source)"),
        error_messages={"empty": _("Tệp rỗng.")},
    )


class SurveyEntryForm(forms.Form):
    """One points field per unit and survey criterion, with one source for what is typed."""

    source = forms.CharField(label=_("Nguồn điểm điều tra"), max_length=300)

    def __init__(self, *args, units, criteria, existing, **kwargs):
        super().__init__(*args, **kwargs)
        self.units, self.criteria = units, criteria
        for unit in units:
            for criterion in criteria:
                current = existing.get((unit.pk, criterion.pk))
                self.fields[f"s-{unit.code}-{criterion.code}"] = LocalizedDecimalField(
                    label=_("%(unit)s, tiêu chí %(code)s") % {"unit": unit.name, "code": criterion.code},
                    required=False,
                    initial=current.points if current else None,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "num-input"}),
                )

    def grid(self):
        return [(unit, [self[f"s-{unit.code}-{c.code}"] for c in self.criteria]) for unit in self.units]

    def entries(self):
        from indicators.services.index_publication import SurveyEntry

        out = []
        for unit in self.units:
            for criterion in self.criteria:
                points = self.cleaned_data.get(f"s-{unit.code}-{criterion.code}")
                if points is not None:
                    out.append(SurveyEntry(unit, criterion, points, self.cleaned_data["source"]))
        return out


class CouncilForm(forms.Form):
    decision = forms.CharField(label=_("Văn bản của Hội đồng (biên bản, tờ trình)"), max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class PublishForm(forms.Form):
    decision = forms.CharField(label=_("Quyết định công bố"), max_length=300)
    published_on = _date_field(_("Ngày công bố"))
    note = forms.CharField(
        label=_("Lý do đính chính (khi công bố lại)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class NotificationForm(forms.Form):
    email_enabled = forms.BooleanField(label=_("Nhận thư thông báo về chỉ số CCHC"), required=False)


def evidence_limit_text() -> str:
    return f"{settings.INDEX_EVIDENCE_MAX_BYTES // (1024 * 1024)} MB, {file_types.allowed_list()}"
