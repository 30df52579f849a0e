"""Forms of the imports of other systems' reports: the upload (layout, year, period, file) and a saved
name mapping. They validate only; services.layout_imports writes."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from indicators.forms.entry import ImportUploadForm
from indicators.models import Period


class LayoutUploadForm(ImportUploadForm):
    """Which system's report the file is, the year and period it covers, and the file (checked as any upload)."""

    field_order = ["layout", "year", "period", "file"]

    layout = forms.ChoiceField(label=_("Mẫu báo cáo"), error_messages={"required": _("Chọn mẫu báo cáo.")})
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int, error_messages={"required": _("Chọn năm.")})
    period = forms.ChoiceField(
        label=_("Kỳ báo cáo"),
        choices=Period.choices,
        initial=Period.YEAR,
        help_text=_("Kỳ mà tệp thống kê. Tệp tháng hoặc quý chỉ được nhận theo quy tắc của từng chỉ tiêu."),
    )

    def __init__(self, *args, layouts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["layout"].choices = [(layout.code, f"{layout.label} — {layout.system_label}") for layout in layouts]
        this_year = timezone.localdate().year
        years = range(this_year, settings.ENTRY_FIRST_YEAR - 1, -1)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["year"].initial = this_year - 1
        invalid = _("Giá trị không hợp lệ: hãy chọn trong danh sách.")
        for name in ("layout", "year", "period"):
            self.fields[name].error_messages["invalid_choice"] = invalid


class NameMappingForm(forms.Form):
    """A name as the file writes it, and the unit of the period it means."""

    name = forms.CharField(max_length=300, widget=forms.HiddenInput)
    unit = forms.TypedChoiceField(label=_("Đơn vị"), coerce=int)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(unit.pk, f"{unit.name} ({unit.code})") for unit in units]
        self.fields["unit"].error_messages["invalid_choice"] = _("Chọn một đơn vị của kỳ báo cáo này.")
