"""Periods a file states, the rules that turn a period's file into the year's figure, and the layouts'
arithmetic; no database."""

from decimal import Decimal

import pytest

from indicators.imports import formulas, periods
from indicators.imports.periods import FilePeriod, parse_period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kỳ đánh giá: Năm 2025", FilePeriod("Y", 2025)),
        ("2025", FilePeriod("Y", 2025)),
        ("Quý II/2025", FilePeriod("Q2", 2025)),
        ("QUÝ 3 NĂM 2024", FilePeriod("Q3", 2024)),
        ("Q4/2025", FilePeriod("Q4", 2025)),
        ("2025-Q1", FilePeriod("Q1", 2025)),
        ("Tháng 6/2025", FilePeriod("M06", 2025)),
        ("06/2025", FilePeriod("M06", 2025)),
        ("Từ ngày 01/01/2025 đến ngày 31/12/2025", FilePeriod("Y", 2025)),
        ("Từ ngày 01/04/2025 đến ngày 30/06/2025", FilePeriod("Q2", 2025)),
        ("Từ ngày 01/02/2024 đến ngày 29/02/2024", FilePeriod("M02", 2024)),
    ],
)
def test_the_period_a_file_states(text, expected):
    assert parse_period(text) == expected


def test_a_period_that_is_none_of_ours_is_kept_in_the_files_words():
    half = parse_period("6 tháng đầu năm 2025")
    assert half.code == periods.OTHER and half.label() == "6 tháng đầu năm 2025"
    assert parse_period("Từ ngày 15/01/2025 đến ngày 31/12/2025").code == periods.OTHER
    assert parse_period("Bảng điểm") is None


def test_what_each_rule_takes():
    assert periods.contribution("cumulative", "Y") == periods.DIRECT
    assert periods.contribution("cumulative", "Q2") is None
    assert periods.contribution("mean_of_quarters", "Q2") == periods.QUARTER_PART
    assert periods.contribution("mean_of_quarters", "M06") is None
    assert periods.contribution("year_only", "Q1") is None


def test_the_refusal_names_the_indicators_and_says_why():
    names = {"ho-so-tiep-nhan": "Số hồ sơ tiếp nhận", "diem-qd-766": "Điểm QĐ 766"}
    rules = {"ho-so-tiep-nhan": "cumulative", "diem-qd-766": "mean_of_quarters"}
    text = periods.refusal(rules, "M03", names)
    assert "Số hồ sơ tiếp nhận là số lũy kế cả năm" in text and "Điểm QĐ 766 là trung bình của bốn quý" in text
    assert periods.refusal(rules, "Y", names) is None


def test_formulas_are_arithmetic_over_columns_only():
    values = {"a": Decimal(3), "b": Decimal(1), "c": Decimal(0)}
    assert formulas.evaluate("100 * (a + b) / (a + b + 4)", values) == Decimal(50)
    assert formulas.evaluate("100 - 100 * b / a", values).quantize(Decimal("0.01")) == Decimal("66.67")
    assert formulas.names("100 * x / (y + z)") == {"x", "y", "z"}
    with pytest.raises(formulas.NotComputable):
        formulas.evaluate("a / c", values)
    with pytest.raises(formulas.NotComputable):
        formulas.evaluate("a + missing", values)
    for hostile in ("__import__('os').system('id')", "a ** 2", "a if b else c", "'text'", "a.real", "[a]"):
        with pytest.raises(formulas.FormulaError):
            formulas.names(hostile)
