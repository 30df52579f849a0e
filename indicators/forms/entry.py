"""Forms of the entry, review and import pages. They validate only; indicators.services writes.

The yearly form has one group of fields per indicator, named "<indicator code>__<field>". Figures
that the user may not change (submitted, approved) are rendered disabled: Django then ignores
whatever is posted for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from indicators import imports
from indicators.domain import validation
from indicators.domain.numbers import format_for_input
from indicators.forms.fields import LocalizedDecimalField
from indicators.models import IndicatorValue
from indicators.selectors.common import localized
from indicators.services.entry import EntryFigure

TEXT_MAX = imports.TEXT_LIMIT  # what a note or quote may hold, in the form as in a file


@dataclass(frozen=True)
class SummaryError:
    """One line of the error summary at the top of the form: a message and the field it links to."""

    message: str
    field_id: str | None  # None: an error of the whole form (e.g. an edit conflict), with no one field


@dataclass
class EntryRow:
    """One indicator on the form, for the template."""

    line: object  # selectors.entry.EntryLine
    editable: bool
    fields: dict
    warnings: list[str] = field(default_factory=list)

    @property
    def errors(self):
        return [e for f in self.fields.values() for e in f.errors]


class UnitYearForm(forms.Form):
    """All indicators of one unit and year. `editable` maps indicator id -> may the user change it."""

    action = forms.ChoiceField(
        choices=[("save", _("Lưu nháp")), ("submit", _("Gửi Sở Nội vụ"))], required=False, initial="save"
    )
    confirm_warnings = forms.BooleanField(
        label=_("Tôi đã kiểm tra các cảnh báo và xác nhận số liệu đúng."), required=False
    )

    CONFIRM_MESSAGE = _("Có số liệu cần xác nhận (xem cảnh báo bên cạnh). Kiểm tra lại, đánh dấu ô xác nhận rồi lưu.")

    def __init__(self, *args, lines, sources, editable: dict[int, bool], language: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = lines
        self.language = (language or get_language() or settings.LANGUAGE_CODE)[:2]
        self.editable = editable
        self.sources = {str(s.pk): s for s in sources}
        self.warnings: dict[str, list[str]] = {}
        source_choices = [("", _("Báo cáo của đơn vị (mặc định)"))] + [(str(s.pk), s.title) for s in sources]
        for line in lines:
            code = line.indicator.code
            current = line.current
            real = current is not None and not current.is_demo
            locked = not editable.get(line.indicator.pk, True)
            initial = {
                "value": format_for_input(current.value) if real else "",
                "qualifier": current.qualifier if real else IndicatorValue.Qualifier.EXACT,
                "source": str(current.source_id) if real and current.source_id and not current.is_demo else "",
                "quote": current.quote if real else "",
                "note": current.note if real else "",
            }
            if real and initial["source"] not in self.sources:
                initial["source"] = ""
            self.fields[f"{code}__value"] = LocalizedDecimalField(
                label=line.indicator.name,
                initial=initial["value"],
                disabled=locked,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "class": "num-input"}),
            )
            self.fields[f"{code}__qualifier"] = forms.ChoiceField(
                label=_("Mức chính xác"),
                choices=IndicatorValue.Qualifier.choices,
                initial=initial["qualifier"],
                required=False,
                disabled=locked,
            )
            self.fields[f"{code}__source"] = forms.ChoiceField(
                label=_("Nguồn"), choices=source_choices, initial=initial["source"], required=False, disabled=locked
            )
            self.fields[f"{code}__quote"] = forms.CharField(
                label=_("Trích dẫn"),
                initial=initial["quote"],
                required=False,
                max_length=TEXT_MAX,
                disabled=locked,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            self.fields[f"{code}__note"] = forms.CharField(
                label=_("Ghi chú"),
                initial=initial["note"],
                required=False,
                max_length=TEXT_MAX,
                disabled=locked,
                widget=forms.Textarea(attrs={"rows": 1}),
            )
            self.fields[f"{code}__version"] = forms.IntegerField(
                initial=current.version if current else 0, required=False, min_value=0, widget=forms.HiddenInput
            )
            if real and not locked:
                self.fields[f"{code}__delete"] = forms.BooleanField(label=_("Xóa số liệu này"), required=False)

    # --- validation -----------------------------------------------------------------------------

    def full_clean(self):
        super().full_clean()
        self.describe_errors()

    def describe_errors(self) -> None:
        """Each field in error (or with a warning) names its message by aria-describedby, so a screen
        reader reads the message with the field (the ids are error_id/warning_id, as the template writes).
        Also called by the view after it adds a form error of its own."""
        for name in self.fields:
            notes = []
            if name in self.errors:
                notes.append(self.error_id(name))
            if name.endswith("__value") and self.warnings.get(name.removesuffix("__value")):
                notes.append(self.warning_id(name))
            if notes:
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(notes)

    def error_id(self, name: str) -> str:
        return f"{self[name].auto_id}_error"

    def warning_id(self, name: str) -> str:
        return f"{self[name].auto_id}_warning"

    def error_summary(self) -> list[SummaryError]:
        """Every error, in the order of the page, each linking to its field (GOV.UK's error summary).
        A field's line names its indicator, since the message beside the field does not."""
        if not self.is_bound or not self.errors:
            return []
        summary = []
        labels = {f"{line.indicator.code}__": localized(line.indicator, "name") for line in self.lines}
        for name in self.fields:
            for message in self.errors.get(name, []):
                prefix, _sep, part = name.partition("__")
                label = labels.get(f"{prefix}__", "")
                if part != "value":
                    label = f"{label}, {str(self.fields[name].label).lower()}"
                summary.append(SummaryError(f"{label}: {message}" if label else message, self[name].auto_id))
        for message in self.non_field_errors():
            # The warnings' question is answered by the confirmation box; other form errors have no field.
            confirm = message == str(self.CONFIRM_MESSAGE) and "confirm_warnings" in self.fields
            summary.append(SummaryError(message, self["confirm_warnings"].auto_id if confirm else None))
        return summary

    def clean(self):
        data = super().clean()
        real_values, changed = {}, {}
        for line in self.lines:
            code, current = line.indicator.code, line.current
            real = current is not None and not current.is_demo
            if not self.editable.get(line.indicator.pk, True):
                if real:
                    real_values[code] = current.value
                continue
            value = data.get(f"{code}__value")
            delete = data.get(f"{code}__delete", False)
            if delete:
                continue
            if value is None:
                if real and f"{code}__value" not in self.errors:
                    self.add_error(
                        f"{code}__value", _("Để xóa số liệu đã lưu, đánh dấu ô “Xóa số liệu này” thay vì để trống.")
                    )
                continue
            problem = line.indicator.bounds_error(value)
            if problem:
                self.add_error(f"{code}__value", problem)
                continue
            real_values[code] = value
            if not real or current.value != value:
                changed[code] = value
        roles = {line.indicator.code: line.indicator.role for line in self.lines}
        problems = validation.cross_field_problems(real_values, roles)
        previous = {
            line.indicator.code: line.previous.value
            for line in self.lines
            if line.previous is not None and not line.previous.is_demo
        }
        kinds = {line.indicator.code: line.indicator.unit_kind for line in self.lines}
        problems.merge(validation.outlier_warnings(changed, previous, kinds))
        for code, messages in problems.errors.items():
            for message in messages:
                self.add_error(f"{code}__value", message)
        # A warning about a figure that was not changed was seen and accepted when it was saved.
        related = validation.related_codes(roles)
        self.warnings = {
            code: messages
            for code, messages in problems.warnings.items()
            if messages and (code in changed or (code in related and related & changed.keys()))
        }
        if self.warnings and not data.get("confirm_warnings"):
            raise forms.ValidationError(self.CONFIRM_MESSAGE)
        return data

    # --- results --------------------------------------------------------------------------------

    def figures(self) -> list[EntryFigure]:
        """The editable figures as the service takes them (call after is_valid())."""
        figures = []
        for line in self.lines:
            if not self.editable.get(line.indicator.pk, True):
                continue
            code = line.indicator.code
            data = self.cleaned_data
            figures.append(
                EntryFigure(
                    indicator=line.indicator,
                    value=data.get(f"{code}__value"),
                    qualifier=data.get(f"{code}__qualifier") or IndicatorValue.Qualifier.EXACT,
                    source=self.sources.get(data.get(f"{code}__source") or ""),
                    quote=(data.get(f"{code}__quote") or "").strip(),
                    note=(data.get(f"{code}__note") or "").strip(),
                    version=data.get(f"{code}__version") or 0,
                    delete=bool(data.get(f"{code}__delete")),
                )
            )
        return figures

    @property
    def submitting(self) -> bool:
        return self.cleaned_data.get("action") == "submit"

    def groups(self):
        """[(area, [EntryRow])] in catalogue order, for the template."""
        groups = []
        for line in self.lines:
            code = line.indicator.code
            names = ("value", "qualifier", "source", "quote", "note", "version", "delete")
            row = EntryRow(
                line=line,
                editable=self.editable.get(line.indicator.pk, True),
                fields={n: self[f"{code}__{n}"] for n in names if f"{code}__{n}" in self.fields},
                warnings=self.warnings.get(code, []),
            )
            if not groups or groups[-1][0] != line.indicator.area:
                groups.append((line.indicator.area, []))
            groups[-1][1].append(row)
        return groups


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp CSV hoặc XLSX"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
        error_messages={"required": _("Chọn một tệp để tải lên."), "empty": _("Tệp rỗng.")},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        try:
            imports.check_upload_size(upload.size)
        except imports.ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        if not re.search(r"\.(csv|xlsx|txt)$", upload.name or "", re.IGNORECASE):
            raise forms.ValidationError(_("Chỉ nhận tệp .csv hoặc .xlsx."))
        return upload


_DECISION_RE = re.compile(r"^(approve|return):(all|\d{1,18})$")


class ReviewDecisionForm(forms.Form):
    """One decision on the review page: approve or return one figure, or all of the unit-year's."""

    decision = forms.CharField(max_length=40)
    comment = forms.CharField(label=_("Ý kiến"), required=False, max_length=TEXT_MAX, widget=forms.Textarea)

    def clean_decision(self):
        match = _DECISION_RE.match(self.cleaned_data["decision"])
        if not match:
            raise forms.ValidationError(_("Thao tác không hợp lệ."))
        target = match.group(2)
        return match.group(1) == "approve", None if target == "all" else int(target)
