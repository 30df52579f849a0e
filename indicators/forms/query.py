"""Forms validate input only; writes happen in indicators.services."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.domain import unit_refs
from indicators.models import YEAR_MAX, YEAR_MIN

_CODE_RE = re.compile(r"^[0-9A-Za-z_-]{1,80}$")
MAX_CODES = 200


class CodeListField(forms.CharField):
    """A comma-separated list of codes ("807,805"), returned as a list of distinct strings."""

    def to_python(self, value):
        text = super().to_python(value)
        codes = []
        for code in (part.strip() for part in text.split(",")):
            if code and code not in codes:
                codes.append(code)
        return codes

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_CODES:
            raise forms.ValidationError(_("Quá nhiều mã (tối đa %(max)d).") % {"max": MAX_CODES})
        bad = [code for code in value if not _CODE_RE.match(code)]
        if bad:
            # The bad text is not echoed back: it may be hostile.
            raise forms.ValidationError(_("Mã không hợp lệ: mã chỉ gồm chữ, số, dấu - và _."))


class UnitRefListField(CodeListField):
    """Units as a URL names them: "807,805", or with a year where a code was reused ("80@2024").

    Returns distinct unit_refs.UnitRef values; which unit each names is for the selectors to say."""

    def to_python(self, value):
        refs = []
        for text in super().to_python(value):
            try:
                ref = unit_refs.parse(text)
            except ValueError:
                ref = text  # refused by validate(), without echoing it
            if ref not in refs:
                refs.append(ref)
        return refs

    def validate(self, value):
        forms.CharField.validate(self, value)
        if len(value) > MAX_CODES:
            raise forms.ValidationError(_("Quá nhiều mã (tối đa %(max)d).") % {"max": MAX_CODES})
        for ref in value:
            if not isinstance(ref, unit_refs.UnitRef):
                # The bad text is not echoed back: it may be hostile.
                raise forms.ValidationError(
                    _("Mã không hợp lệ: mã chỉ gồm chữ, số, dấu - và _, có thể kèm @năm (ví dụ 80@2024).")
                )
            if ref.year is not None and not YEAR_MIN <= ref.year <= YEAR_MAX:
                raise forms.ValidationError(
                    _("Năm sau @ phải từ %(min)d đến %(max)d.") % {"min": YEAR_MIN, "max": YEAR_MAX}
                )


class FlagField(forms.Field):
    """A 0/1 (or true/false) query-string flag with a default, unlike BooleanField which ignores junk."""

    def __init__(self, *, default: bool, **kwargs):
        self.default = default
        super().__init__(required=False, **kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return self.default
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise forms.ValidationError(_("Chỉ nhận 1 hoặc 0."))


def year_field(label):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        error_messages={"invalid": _("Năm phải là một số nguyên, ví dụ 2023.")},
    )


class YearRangeForm(forms.Form):
    """A query string with an optional year range and a demo switch, checked as a whole."""

    year_from = year_field(_("Từ năm"))
    year_to = year_field(_("Đến năm"))
    include_demo = FlagField(label=_("Gồm dữ liệu minh họa"), default=True)

    def clean(self):
        data = super().clean()
        year_from, year_to = data.get("year_from"), data.get("year_to")
        if year_from is not None and year_to is not None and year_from > year_to:
            raise forms.ValidationError(_("“Từ năm” phải nhỏ hơn hoặc bằng “Đến năm”."))
        return data


class ValueQueryForm(YearRangeForm):
    """The query string of the open-data exports."""

    unit = UnitRefListField(label=_("Đơn vị"), required=False)
    indicator = CodeListField(label=_("Chỉ tiêu"), required=False)

    def clean(self):
        # A program that misspells a filter ("year", "units") must not get every row back unfiltered.
        unknown = sorted(set(self.data) - set(self.fields))
        if unknown:
            raise forms.ValidationError(
                _("Không có tham số %(names)s. Các tham số: %(known)s.")
                % {"names": ", ".join(name[:30] for name in unknown[:5]), "known": ", ".join(self.fields)}
            )
        return super().clean()


def form_errors_text(form: forms.Form) -> str:
    """All of a form's errors as one line, field label first, for a 400 response."""
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for error in errors:
            parts.append(f"{label}: {error}" if label else str(error))
    return " ".join(parts)


class PageQueryForm(YearRangeForm):
    """The query string of the public pages: which units, indicators and years a chart shows."""

    units = UnitRefListField(label=_("Đơn vị"), required=False)
    indicators = CodeListField(label=_("Chỉ tiêu"), required=False)
    year = year_field(_("Năm xếp hạng"))
    successors = FlagField(label=_("Đơn vị mới sau sắp xếp 2025"), default=False)


class UnitPageQueryForm(PageQueryForm):
    """A unit page's query string: `in` (a year) names the unit of a reused code that reported for it:
    /units/80/ is today's Tây Ninh, /units/80/?in=2024 is Long An."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "in" is a Python keyword, so the field cannot be declared as a class attribute.
        self.fields["in"] = year_field(_("Năm hiệu lực của mã"))
