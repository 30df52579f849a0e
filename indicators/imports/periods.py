"""Periods of a report (the year, a quarter, a month) and the rules by which a file of one gives the
year's figure. The model is yearly: an indicator's layout states, per indicator, one rule of

- `cumulative`: the year's figure is the year's cumulative report (1 January to 31 December); a
  month's or a quarter's file is refused, with that reason;
- `mean_of_quarters`: the year's figure is the mean of the four quarters; a quarter's file is kept
  and the year's figure written once all four quarters are in; a month's file is refused;
- `year_only`: only a file of the whole year is taken.

No queries here.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from indicators.domain.text import fold

YEAR = "Y"
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
MONTHS = tuple(f"M{m:02d}" for m in range(1, 13))
ALL = (YEAR, *QUARTERS, *MONTHS)
OTHER = "other"  # a period the file states that is none of these (half a year, nine months, ...)

# What a file of this period gives an indicator of this rule.
DIRECT, QUARTER_PART = "direct", "quarter"


@dataclass(frozen=True)
class FilePeriod:
    code: str  # one of ALL, or OTHER
    year: int
    text: str = ""  # the words of the file, for OTHER

    def label(self) -> str:
        if self.code == OTHER:
            return self.text
        return period_label(self.code, self.year)


def period_label(code: str, year: int) -> str:
    """ "Năm 2025", "Quý II/2025", "Tháng 6/2025"."""
    if code in QUARTERS:
        return _("Quý %(q)s/%(year)d") % {"q": ("I", "II", "III", "IV")[int(code[1]) - 1], "year": year}
    if code in MONTHS:
        return _("Tháng %(m)d/%(year)d") % {"m": int(code[1:]), "year": year}
    return _("Năm %(year)d") % {"year": year}


def contribution(rule: str, period: str) -> str | None:
    """DIRECT (the file's figure is the year's), QUARTER_PART (kept for the mean of the quarters) or
    None (this period cannot give the year's figure by this rule)."""
    if period == YEAR:
        return DIRECT
    if rule == "mean_of_quarters" and period in QUARTERS:
        return QUARTER_PART
    return None


def refusal(rules: dict[str, str], period: str, names: dict[str, str]) -> str | None:
    """Why a file of `period` cannot give the year's figures of these indicators (code -> rule), naming
    them; None when every one can. The whole file is refused: a file is taken for all its columns or none."""
    refused = {code: rule for code, rule in rules.items() if contribution(rule, period) is None}
    if not refused:
        return None
    reasons = []
    by_rule: dict[str, list[str]] = {}
    for code, rule in refused.items():
        by_rule.setdefault(rule, []).append(names.get(code, code))
    for rule, indicators in by_rule.items():
        listed = ", ".join(indicators)
        if rule == "cumulative":
            reasons.append(
                _(
                    "Số liệu năm của %(indicators)s là số lũy kế cả năm (từ 01/01 đến 31/12); tệp của một tháng "
                    "hay một quý không cho số liệu năm. Hãy xuất báo cáo lũy kế cả năm và chọn kỳ “Cả năm”."
                )
                % {"indicators": listed}
            )
        elif rule == "mean_of_quarters":
            reasons.append(
                _(
                    "Số liệu năm của %(indicators)s là trung bình của bốn quý; tệp của một tháng không dùng được. "
                    "Hãy tải lên tệp của cả quý hoặc cả năm."
                )
                % {"indicators": listed}
            )
        else:
            reasons.append(_("%(indicators)s chỉ nhận số liệu cả năm.") % {"indicators": listed})
    return " ".join(reasons)


_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_DATE = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})"
_RANGE = re.compile(_DATE + r"\D{1,20}?" + _DATE)
_QUARTER = re.compile(r"\b(?:quy|q)\s*(iv|iii|ii|i|[1-4])\s*(?:/|-|nam|,)?\s*(\d{4})\b")
_QUARTER_AFTER = re.compile(r"\b(\d{4})\s*-?\s*q([1-4])\b")
_MONTH = re.compile(r"\bthang\s*(\d{1,2})\s*(?:/|-|nam|,)?\s*(\d{4})\b")
_PART_YEAR = re.compile(r"\b(6|9)\s*thang(?:\s*(?:dau|cuoi))?\s*(?:nam)?\s*(\d{4})?")
_YEAR_WORD = re.compile(r"\bnam\s*(\d{4})\b")
_BARE_YEAR = re.compile(r"^\s*(\d{4})\s*$")
_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})\s*[/-]\s*(\d{4})\s*$")


def parse_period(text) -> FilePeriod | None:
    """The period a file states in words ("Quý II/2025", "Q2/2025", "Tháng 6 năm 2025", "06/2025",
    "Năm 2025", "Từ ngày 01/01/2025 đến ngày 31/12/2025"); None when the text states no period."""
    raw = str(text or "").strip()
    folded = fold(raw)
    if not folded:
        return None
    found = _RANGE.search(folded)
    if found:
        return _from_range(found, raw)
    found = _QUARTER.search(folded)
    if found:
        quarter = _ROMAN.get(found.group(1)) or int(found.group(1))
        return FilePeriod(f"Q{quarter}", int(found.group(2)))
    found = _QUARTER_AFTER.search(folded)
    if found:
        return FilePeriod(f"Q{found.group(2)}", int(found.group(1)))
    found = _MONTH.search(folded) or _MONTH_YEAR.search(folded)
    if found and 1 <= int(found.group(1)) <= 12:
        return FilePeriod(f"M{int(found.group(1)):02d}", int(found.group(2)))
    found = _PART_YEAR.search(folded)
    if found and found.group(2):
        return FilePeriod(OTHER, int(found.group(2)), raw[:80])
    found = _YEAR_WORD.search(folded) or _BARE_YEAR.search(folded)
    if found:
        return FilePeriod(YEAR, int(found.group(1)))
    return None


def _from_range(found: re.Match, raw: str) -> FilePeriod:
    try:
        start = date(int(found.group(3)), int(found.group(2)), int(found.group(1)))
        end = date(int(found.group(6)), int(found.group(5)), int(found.group(4)))
    except ValueError:
        return FilePeriod(OTHER, 0, raw[:80])
    year = start.year
    last_day = calendar.monthrange(end.year, end.month)[1]
    if start.year != end.year or start.day != 1 or end.day != last_day:
        return FilePeriod(OTHER, end.year, raw[:80])
    if start.month == 1 and end.month == 12:
        return FilePeriod(YEAR, year)
    if start.month == end.month:
        return FilePeriod(f"M{start.month:02d}", year)
    if start.month in (1, 4, 7, 10) and end.month == start.month + 2:
        return FilePeriod(f"Q{(start.month + 2) // 3}", year)
    return FilePeriod(OTHER, year, raw[:80])
