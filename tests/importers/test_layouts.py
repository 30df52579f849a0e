"""The layouts are data: each file parses, names only catalogue indicators, and a broken one is refused."""

import json

import pytest

from indicators.imports.layouts import LAYOUT_DIR, LayoutError, all_layouts, key, parse_layout
from indicators.seeding import fixture_path


def catalogue() -> dict[str, dict]:
    found = {}
    for name in ("indicators", "indicators_importers"):
        for row in json.loads(fixture_path(name).read_text(encoding="utf-8")):
            found[row["fields"]["code"]] = row["fields"]
    return found


def test_every_layout_feeds_catalogue_indicators_with_the_published_maxima():
    known = catalogue()
    layouts = all_layouts()
    assert set(layouts) == {"qd766", "mot-cua", "ho-so-cbcc"}
    for layout in layouts.values():
        assert set(layout.indicator_codes) <= set(known), layout.code
    qd766 = layouts["qd766"]
    maxima = {c.label: int(c.max) for c in qd766.columns if c.max is not None}
    assert maxima == {"CKMB": 18, "TDGQ": 20, "MDSH": 22, "TTTT": 22, "MDHL": 18, "TONG_SCORE": 100}
    assert sum(maxima.values()) - 100 == 100
    for column in qd766.columns:
        if column.indicator:
            assert known[column.indicator]["max_value"] == str(column.max)
            assert known[column.indicator]["framework"] == "decision_766"


def test_the_766_total_is_checked_against_its_groups():
    (check,) = all_layouts()["qd766"].checks
    assert (check.kind, check.column, check.others) == ("sum", "tong_score", ("ckmb", "tdgq", "mdsh", "tttt", "mdhl"))


def base() -> dict:
    return json.loads((LAYOUT_DIR / "ho_so_cbcc.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["columns"][3].update(type="date"), "type must be one of"),
        (lambda d: d["columns"][3].pop("period_rule"), "period_rule"),
        (lambda d: d["computed"][0].update(formula="__import__('os')"), "not allowed"),
        (lambda d: d["computed"][0].update(formula="100 * nope / tao_lap"), "unknown columns"),
        (lambda d: d["columns"][4]["aliases"].append("Đã tạo lập"), "names both"),
        (lambda d: d.update(unit={"name": "missing"}), "unit roles"),
        (lambda d: d["checks"].append({"kind": "between"}), "check kind"),
        (lambda d: d.pop("columns"), "missing or malformed"),
    ],
)
def test_a_broken_layout_is_refused_with_the_reason(change, words):
    data = base()
    change(data)
    with pytest.raises(LayoutError, match=words):
        parse_layout(data, "test.json")


def test_a_header_is_compared_as_a_key():
    assert key("TONG_SCORE") == key("Tong score") == "tongscore"
    assert key("Đã xử lý – Trễ hạn") == "daxulytrehan"


def test_the_periods_of_the_pure_code_are_the_models_choices():
    from indicators.imports import periods
    from indicators.models import Period

    assert tuple(Period.values) == periods.ALL
