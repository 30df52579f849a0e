"""The one form field for a figure typed by a person. Validation only."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from indicators.domain.numbers import NumberError, format_for_input, parse_number


class LocalizedDecimalField(forms.DecimalField):
    """A figure typed the way numbers.parse_number reads them, the same rule as every import: "1.234,5"
    (a dot between thousands, a comma before the decimals), in Vietnamese and in English pages alike.
    Figures are never negative.

    A number that cannot be read is refused with parse_number's own message, which names the style and
    gives an example, unless the field names an "invalid" message of its own. A text input shows a
    stored figure in the same style; a number input (the default widget) shows it plain.
    """

    default_error_messages = {"invalid": None}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        text = str(value)
        if not text.strip(" \t\r\n\u00a0\u202f"):
            return None  # a box with only spaces in it is a blank box, as in a file
        try:
            return parse_number(text)
        except NumberError as error:
            raise forms.ValidationError(self.error_messages["invalid"] or str(error), code="invalid") from error

    def prepare_value(self, value):
        if isinstance(value, Decimal) and not isinstance(self.widget, forms.NumberInput):
            return format_for_input(value)
        return value
