"""Query strings of the index pages and the what-if form, and the target form. Validation only."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.domain import unit_refs
from indicators.forms.fields import LocalizedDecimalField
from indicators.forms.query import FlagField, year_field
from indicators.models import AdministrativeUnit, Indicator, Source, Target
from indicators.selectors.common import localized


class UnitRefField(forms.CharField):
    """One unit as a URL names it: "72", or "80@2024" where a code was reused."""

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return unit_refs.parse(text)
        except ValueError:
            # The bad text is not echoed back: it may be hostile.
            raise forms.ValidationError(
                _("Mã không hợp lệ: mã chỉ gồm chữ, số, dấu - và _, có thể kèm @năm.")
            ) from None


class IndexQueryForm(forms.Form):
    year = year_field(_("Năm"))
    include_demo = FlagField(label=_("Gồm dữ liệu minh họa"), default=True)
    province = UnitRefField(label=_("Tỉnh"), required=False)


class FigureField(LocalizedDecimalField):
    """A figure on the what-if and target forms: read as the entry form reads it, with a short message."""

    default_error_messages = {"invalid": _("Phải là một số không âm, ví dụ 80 hoặc 80,5.")}


class WhatIfForm(forms.Form):
    """One optional field per indicator of the scheme, named by the indicator's code. Nothing is saved."""

    def __init__(self, *args, indicators: Sequence[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = list(indicators)
        for indicator in self.indicators:
            self.fields[indicator.code] = FigureField(
                label=localized(indicator, "name"), required=False, max_digits=14, decimal_places=4
            )

    def clean(self):
        data = super().clean()
        for indicator in self.indicators:  # the bounds a saved figure must keep (shares 0-100, whole counts)
            value = data.get(indicator.code)
            problem = None if value is None else indicator.bounds_error(value)
            if problem:
                self.add_error(indicator.code, problem)
        return data

    def changes(self, current: dict[str, float | None]) -> dict[str, float]:
        """The figures the user changed (a field left as it was is not a change)."""
        found = {}
        for code, value in self.cleaned_data.items():
            if value is None:
                continue
            try:
                number = float(Decimal(value))
            except (InvalidOperation, ValueError):  # pragma: no cover - the field validated it
                continue
            if current.get(code) is None or abs(number - current[code]) > 1e-9:
                found[code] = number
        return found


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["indicator", "unit", "year", "value", "source", "note"]
        field_classes = {"value": FigureField}  # "80,5" on a Vietnamese page, like every other figure

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.select_related("area")
        self.fields["unit"].queryset = AdministrativeUnit.objects.exclude(level=AdministrativeUnit.Level.COMMUNE)
        self.fields["unit"].empty_label = _("Mọi huyện (mục tiêu chung)")
        self.fields["source"].queryset = Source.objects.exclude(kind=Source.Kind.SYNTHETIC_DEMO)
