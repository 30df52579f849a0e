"""The one form field for a figure typed by a person. Validation only."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import get_language

from indicators.domain.numbers import NumberError, format_for_input, parse_localized


class LocalizedDecimalField(forms.DecimalField):
    """A figure typed in the page's language, read by numbers.parse_localized: "1.234,5" in Vietnamese,
    "1,234.5" in English. Figures are never negative.

    `language` fixes the convention (the entry form's); by default it is the active language's when
    the form is cleaned. A number that cannot be read is refused with parse_localized's own message,
    which shows how to write it, unless the field names an "invalid" message of its own. A text input
    shows a stored figure in the same convention; a number input (the default widget) shows it plain.
    """

    default_error_messages = {"invalid": None}

    def __init__(self, *, language: str | None = None, **kwargs):
        self.language = language
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        try:
            return parse_localized(str(value), self.language or get_language())
        except NumberError as error:
            raise forms.ValidationError(self.error_messages["invalid"] or str(error), code="invalid") from error

    def prepare_value(self, value):
        if isinstance(value, Decimal) and not isinstance(self.widget, forms.NumberInput):
            return format_for_input(value, self.language or get_language())
        return value
