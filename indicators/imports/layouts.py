"""The layouts of the reports other systems already produce, described once as data.

Each layout is one JSON file in `indicators/imports/layout_files/` (README: "Adding a layout"): its
columns with the header aliases they are known by, each column's type and the indicator it feeds,
the indicators computed from the columns (a formula over column keys), the checks between columns,
and the rule by which a month's or a quarter's file gives the year's figure. This module reads and
validates those files; nothing here knows one layout from another. No queries here.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.utils.translation import get_language

from indicators.domain.text import fold
from indicators.imports import formulas

LAYOUT_DIR = Path(__file__).resolve().parent / "layout_files"

TYPES = ("text", "count", "number")
# How a file of a month or a quarter gives the year's figure (imports/periods.py applies them).
PERIOD_RULES = ("cumulative", "mean_of_quarters", "year_only")
CHECK_KINDS = ("sum", "at_most")
UNIT_ROLES = ("name", "code", "province")


class LayoutError(ValueError):
    """A layout file that does not describe a layout: raised when the layouts are loaded (and by the tests)."""


def key(text) -> str:
    """A header or a name as the matcher compares it: folded, with every character that is not a letter
    or a digit dropped ("TONG_SCORE", "Tổng score" → "tongscore"; "Ea H’Leo", "Ea H'Leo" → "eahleo")."""
    return re.sub(r"[^0-9a-z]+", "", fold(str(text or "")))


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # as the published header writes it
    aliases: tuple[str, ...]
    type: str
    required: bool
    indicator: str | None
    max: Decimal | None
    period_rule: str | None
    description: str

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(key(a) for a in (self.label, *self.aliases))


@dataclass(frozen=True)
class Computed:
    indicator: str
    formula: str
    decimals: int
    period_rule: str
    names: frozenset[str]  # the column keys the formula reads


@dataclass(frozen=True)
class Check:
    kind: str  # "sum": the parts add up to the total; "at_most": column ≤ limit
    column: str  # the total (sum) or the column held (at_most)
    others: tuple[str, ...]  # the parts (sum) or the limit (at_most), as one-element tuple
    tolerance: Decimal


@dataclass(frozen=True)
class Layout:
    code: str
    name: str
    name_en: str
    system: str
    system_en: str
    description: str
    description_en: str
    staff_province_wide: bool  # provincial staff may import a province-wide table of it
    header_search_rows: int
    skip_names: tuple[str, ...]  # rows that are totals, not units ("Tổng cộng", "Toàn tỉnh")
    unit_columns: dict[str, str]  # role (name / code / province) -> column key
    period_column: str | None
    columns: tuple[Column, ...]
    computed: tuple[Computed, ...]
    checks: tuple[Check, ...]

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "vi").startswith("en") and self.name_en else self.name

    @property
    def system_label(self) -> str:
        return self.system_en if (get_language() or "vi").startswith("en") and self.system_en else self.system

    def column(self, column_key: str) -> Column:
        return next(c for c in self.columns if c.key == column_key)

    @property
    def indicator_codes(self) -> tuple[str, ...]:
        """Every indicator the layout writes: the columns' and the computed ones, in that order."""
        direct = [c.indicator for c in self.columns if c.indicator]
        return tuple(dict.fromkeys([*direct, *(c.indicator for c in self.computed)]))

    def period_rules(self) -> dict[str, str]:
        """indicator code -> its period rule."""
        rules = {c.indicator: c.period_rule for c in self.columns if c.indicator}
        rules.update({c.indicator: c.period_rule for c in self.computed})
        return rules

    def required_labels(self) -> list[str]:
        return [c.label for c in self.columns if c.required]


def _decimal(value, where: str) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except ArithmeticError as error:
        raise LayoutError(f"{where}: {value!r} is not a number") from error


def parse_layout(data: dict, where: str = "layout") -> Layout:
    """A Layout from its JSON, or LayoutError saying what is wrong with it."""
    try:
        columns = []
        for raw in data["columns"]:
            column = Column(
                key=raw["key"],
                label=raw.get("label", raw["key"]),
                aliases=tuple(raw.get("aliases", ())),
                type=raw.get("type", "text"),
                required=bool(raw.get("required", False)),
                indicator=raw.get("indicator"),
                max=_decimal(raw.get("max"), f"{where}: {raw['key']}.max"),
                period_rule=raw.get("period_rule"),
                description=raw.get("description", ""),
            )
            if column.type not in TYPES:
                raise LayoutError(f"{where}: column {column.key}: type must be one of {TYPES}")
            if column.indicator and column.period_rule not in PERIOD_RULES:
                raise LayoutError(f"{where}: column {column.key} feeds an indicator: period_rule one of {PERIOD_RULES}")
            if column.indicator and column.type == "text":
                raise LayoutError(f"{where}: column {column.key} feeds an indicator, so it cannot be text")
            columns.append(column)
        keys = [c.key for c in columns]
        if len(set(keys)) != len(keys):
            raise LayoutError(f"{where}: column keys repeat")
        seen: dict[str, str] = {}
        for column in columns:
            for alias in column.keys:
                if alias in seen and seen[alias] != column.key:
                    raise LayoutError(f"{where}: header {alias!r} names both {seen[alias]} and {column.key}")
                seen[alias] = column.key
        numeric = {c.key for c in columns if c.type != "text"}
        computed = []
        for raw in data.get("computed", ()):
            names = formulas.names(raw["formula"])
            if not names <= numeric:
                raise LayoutError(f"{where}: {raw['indicator']}: the formula reads unknown columns {names - numeric}")
            rule = raw.get("period_rule")
            if rule not in PERIOD_RULES:
                raise LayoutError(f"{where}: computed {raw['indicator']}: period_rule one of {PERIOD_RULES}")
            computed.append(Computed(raw["indicator"], raw["formula"], int(raw.get("decimals", 2)), rule, names))
        checks = []
        for raw in data.get("checks", ()):
            kind = raw["kind"]
            if kind == "sum":
                check = Check(kind, raw["total"], tuple(raw["parts"]), _decimal(raw.get("tolerance", 0), where))
            elif kind == "at_most":
                check = Check(kind, raw["column"], (raw["limit"],), _decimal(raw.get("tolerance", 0), where))
            else:
                raise LayoutError(f"{where}: check kind must be one of {CHECK_KINDS}")
            if not {check.column, *check.others} <= numeric:
                raise LayoutError(f"{where}: a {kind} check names a column that is not a number column")
            checks.append(check)
        unit_columns = dict(data["unit"])
        if "name" not in unit_columns and "code" not in unit_columns:
            raise LayoutError(f"{where}: unit needs a name or a code column")
        if not set(unit_columns) <= set(UNIT_ROLES) or not set(unit_columns.values()) <= set(keys):
            raise LayoutError(f"{where}: unit roles are {UNIT_ROLES}, each naming a column key")
        period_column = data.get("period_column")
        if period_column is not None and period_column not in keys:
            raise LayoutError(f"{where}: period_column {period_column!r} is not a column key")
        if not any(c.indicator for c in columns) and not computed:
            raise LayoutError(f"{where}: the layout feeds no indicator")
        return Layout(
            code=data["code"],
            name=data["name"],
            name_en=data.get("name_en", ""),
            system=data.get("system", ""),
            system_en=data.get("system_en", ""),
            description=data.get("description", ""),
            description_en=data.get("description_en", ""),
            staff_province_wide=bool(data.get("staff_province_wide", False)),
            header_search_rows=int(data.get("header_search_rows", 10)),
            skip_names=tuple(data.get("skip_names", ())),
            unit_columns=unit_columns,
            period_column=period_column,
            columns=tuple(columns),
            computed=tuple(computed),
            checks=tuple(checks),
        )
    except (KeyError, TypeError) as error:
        raise LayoutError(f"{where}: missing or malformed {error}") from error
    except formulas.FormulaError as error:
        raise LayoutError(f"{where}: {error}") from error


@functools.cache
def all_layouts() -> dict[str, Layout]:
    """Every layout of LAYOUT_DIR, by code, in file-name order."""
    found: dict[str, Layout] = {}
    for path in sorted(LAYOUT_DIR.glob("*.json")):
        layout = parse_layout(json.loads(path.read_text(encoding="utf-8")), path.name)
        if layout.code in found:
            raise LayoutError(f"{path.name}: layout code {layout.code!r} is used twice")
        found[layout.code] = layout
    return found


def get_layout(code: str) -> Layout | None:
    return all_layouts().get(code)
