"""The index's arithmetic and the file-type checks, without a database."""

from decimal import Decimal

import pytest

from indicators.domain import file_types, index_tree
from indicators.domain.index_tree import LeafResult, Node
from tests.index_process.helpers import docx_bytes, pdf_bytes, png_bytes


def node(row, code, points, method="assessed", **extra):
    return Node(row=row, code=code, name=f"TC {code}", max_points=Decimal(points), method=method, **extra)


def test_a_tree_whose_points_add_up_has_no_problem():
    nodes = [
        node(1, "1", 60),
        node(2, "1.1", 60),
        node(3, "1.1.a", 35),
        node(4, "1.1.b", 25),
        node(5, "2", 40, "survey"),
    ]
    assert index_tree.build_tree(nodes) == []
    assert [n.code for n in nodes[1].children] == ["1.1.a", "1.1.b"]
    assert nodes[0].is_group and not nodes[4].is_group


def test_every_problem_names_its_row():
    nodes = [
        node(1, "1", 60),
        node(2, "1.1", 50),
        node(3, "1.1.a", 35),
        node(4, "3.1", 40),
        node(5, "1.1", 1),
        node(6, "x.y", 1),
    ]
    problems = {(p.row, p.column): p.message for p in index_tree.build_tree(nodes)}
    assert "điểm không khớp" in problems[(1, "max_points")]  # 60 ≠ 50
    assert "điểm không khớp" in problems[(2, "max_points")]  # 50 ≠ 35
    assert "chưa có ở dòng nào phía trên" in problems[(4, "code")]
    assert "bị lặp" in problems[(5, "code")]
    assert "không hợp lệ" in problems[(6, "code")]
    assert "phải có tổng 100" in problems[(0, "max_points")]


def test_an_automatic_leaf_needs_an_indicator_and_a_target():
    problems = index_tree.build_tree([node(1, "1", 100, "indicator")])
    assert problems and problems[0].column == "indicator_code"
    assert index_tree.build_tree([node(1, "1", 100, "indicator", indicator_code="sipas", target=Decimal(80))]) == []


@pytest.mark.parametrize(
    ("value", "target", "higher", "points"),
    [
        (Decimal(80), Decimal(80), True, Decimal("4.00")),
        (Decimal(40), Decimal(80), True, Decimal("2.00")),
        (Decimal(95), Decimal(80), True, Decimal("4.00")),
        (None, Decimal(80), True, None),
        (Decimal(5), Decimal(10), False, Decimal("4.00")),
        (Decimal(15), Decimal(10), False, Decimal("2.00")),
    ],
)
def test_automatic_points_reach_the_maximum_at_the_target(value, target, higher, points):
    assert index_tree.indicator_points(Decimal(4), value, target, higher) == points


def test_results_are_shares_of_the_applicable_maximum_ranked_with_ties_and_banded():
    bands = [("Tốt", Decimal(80)), ("Khá", Decimal(60)), ("Kém", Decimal(0))]
    a = index_tree.unit_result(
        "a",
        [LeafResult("1.1", "1", Decimal(60), Decimal(50)), LeafResult("2.1", "2", Decimal(40), Decimal(30))],
        frozenset({"2.1"}),
    )
    b = index_tree.unit_result(
        "b",
        [
            LeafResult("1.1", "1", Decimal(60), Decimal(0), applicable=False),
            LeafResult("2.1", "2", Decimal(40), Decimal(32)),
        ],
    )
    c = index_tree.unit_result(
        "c", [LeafResult("1.1", "1", Decimal(60), Decimal(30)), LeafResult("2.1", "2", Decimal(40), Decimal(10))]
    )
    d = index_tree.unit_result(
        "d", [LeafResult("1.1", "1", Decimal(60), Decimal(30)), LeafResult("2.1", "2", Decimal(40), Decimal(10))]
    )
    assert (a.total, a.maximum, a.share, a.survey) == (Decimal(80), Decimal(100), Decimal("80.00"), Decimal(30))
    assert (b.total, b.maximum, b.share) == (Decimal(32), Decimal(40), Decimal("80.00"))
    assert b.areas["1"] == (Decimal(0), Decimal(0))
    ranked = index_tree.rank_results([a, b, c, d], bands)
    assert [(r.unit, r.rank, r.band) for r in ranked] == [
        ("a", 1, "Tốt"),
        ("b", 1, "Tốt"),
        ("c", 3, "Kém"),
        ("d", 3, "Kém"),
    ]
    assert index_tree.band_for(Decimal("79.99"), bands) == "Khá"
    assert index_tree.band_for(Decimal(5), [("Tốt", Decimal(80))]) == ""


def test_codes_are_normalised_as_the_annex_writes_them():
    assert index_tree.normal_code(" 1.1.A. ") == "1.1.a"
    assert index_tree.valid_code("1.10.b") and not index_tree.valid_code("1.1.a.i") and not index_tree.valid_code("")


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (pdf_bytes(), "a.pdf", "pdf"),
        (png_bytes(), "a.PNG", "png"),
        (b"\xff\xd8\xff\xe0" + b"0" * 20, "a.jpeg", "jpg"),
        (docx_bytes(), "a.docx", "docx"),
    ],
)
def test_allowed_files_are_recognised_from_their_bytes(content, name, kind):
    assert file_types.check_evidence_file(content, name, max_bytes=10_000).key == kind


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "a.pdf", "rỗng"),
        (b"MZ", "a.exe", "không được chấp nhận"),
        (b"MZ", "a.pdf", "không phải tệp PDF"),
        (png_bytes(), "a.jpg", "có nội dung PNG"),
        (pdf_bytes() * 1000, "a.pdf", "quá lớn"),
        (b"PK\x03\x04junk", "a.xlsx", "không phải tệp XLSX"),
    ],
)
def test_other_files_are_refused_with_the_reason(content, name, message):
    with pytest.raises(file_types.FileTypeError, match=message):
        file_types.check_evidence_file(content, name, max_bytes=10_000)


def test_the_shown_file_name_loses_folders_and_control_characters():
    assert file_types.clean_filename("C:\\Users\\a\\Biên bản.pdf") == "Biên bản.pdf"
    assert file_types.clean_filename("../../etc/passwd") == "passwd"
    assert file_types.clean_filename("a\x00b\u202e.pdf") == "ab.pdf"
    assert file_types.clean_filename("") == "tep"
