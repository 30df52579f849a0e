"""Query strings of the index pages and the what-if form, and the target form. Validation only."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.forms import FlagField, year_field
from indicators.models import AdministrativeUnit, Indicator, Source, Target
from indicators.selectors import localized


class IndexQueryForm(forms.Form):
    year = year_field(_("Năm"))
    include_demo = FlagField(label=_("Gồm dữ liệu minh họa"), default=True)


class FigureField(forms.DecimalField):
    """A figure typed the Vietnamese way ("80,5") or the English way ("80.5")."""

    def to_python(self, value):
        if isinstance(value, str) and "," in value and "." not in value:
            value = value.replace(",", ".")
        return super().to_python(value)


class WhatIfForm(forms.Form):
    """One optional field per indicator of the scheme, named by the indicator's code. Nothing is saved."""

    def __init__(self, *args, indicators: Sequence[Indicator], **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in indicators:
            self.fields[indicator.code] = FigureField(
                label=localized(indicator, "name"),
                required=False,
                min_value=indicator.min_value,
                max_value=indicator.max_value,
                max_digits=14,
                decimal_places=4,
                error_messages={"invalid": _("Phải là một số, ví dụ 80 hoặc 80,5.")},
            )

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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.select_related("area")
        self.fields["unit"].queryset = AdministrativeUnit.objects.exclude(level=AdministrativeUnit.Level.COMMUNE)
        self.fields["unit"].empty_label = _("Mọi huyện (mục tiêu chung)")
        self.fields["source"].queryset = Source.objects.exclude(kind=Source.Kind.SYNTHETIC_DEMO)
