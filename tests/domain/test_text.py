import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from indicators.domain.text import bare_name, collation_key, english_name, fold, matches, search_key, slug


@pytest.mark.parametrize(
    "typed",
    ["Cần Giuộc", "CẦN GIUỘC", "can giuoc", "  Can   Giuoc ", unicodedata.normalize("NFD", "Cần Giuộc")],
)
def test_every_way_of_typing_a_name_folds_to_one(typed):
    assert fold(typed) == "can giuoc"


def test_d_with_stroke_folds_to_d():
    assert fold("Đức Huệ") == "duc hue"
    assert slug("Huyện Đức Hòa") == "huyen-duc-hoa"


def test_slug_keeps_digits_and_drops_punctuation():
    assert slug("Phường 4 (cũ)") == "phuong-4-cu"
    assert slug("Ea H’Leo") == "ea-h-leo"


# --- Name search: the picker's matching, the same in Python and in the browser ----------------


FOLD_JS = Path(__file__).resolve().parents[2] / "static" / "js" / "fold.js"
NFD = unicodedata.normalize("NFD", "Cần Giuộc")
# (typed, name, code, found)
SEARCHES = [
    ("can giuoc", "Xã Cần Giuộc", "28159", True),
    ("CẦN GIUỘC", "Huyện Cần Giuộc", "807", True),
    (NFD, "Xã Cần Giuộc", "28159", True),
    ("giuoc can", "Huyện Cần Giuộc", "807", True),
    ("can giu", "Huyện Cần Giuộc", "807", True),
    ("duc hoa", "Huyện Đức Hòa", "803", True),
    ("ĐỨC", "Huyện Đức Hòa", "803", True),
    ("807", "Huyện Cần Giuộc", "807", True),
    ("huyen", "Xã Cần Giuộc", "28159", False),
    ("can duoc", "Huyện Cần Giuộc", "807", False),
    ("", "Phường Long An", "27700", True),
    ("tan an", "Phường Tân An", "27694", True),
    ("tan an", "Xã Tân Tập", "28207", False),
]


@pytest.mark.parametrize(("typed", "name", "code", "found"), SEARCHES)
def test_a_name_is_found_however_it_is_typed(typed, name, code, found):
    assert matches(typed, search_key(name, code)) is found


def test_search_key_folds_each_part():
    assert search_key("Huyện Cần Giuộc", "807") == "huyen can giuoc 807"
    assert search_key(NFD, "") == "can giuoc"


NODE = shutil.which("node")


@pytest.mark.skipif(not NODE, reason="node is not installed")
def test_the_browser_folds_and_matches_exactly_as_the_server():
    """static/js/fold.js, run by node, gives the same answers as domain/text.py on every case."""
    typed = [case[0] for case in SEARCHES] + ["  Can   Giuoc ", "Đức Huệ", "THỦ THỪA", "Phường 4 (cũ)", "Ea H’Leo"]
    script = (
        "const t = require(process.argv[1]);"
        "const cases = JSON.parse(process.argv[2]);"
        "console.log(JSON.stringify({"
        "folded: cases.typed.map(t.fold),"
        "found: cases.searches.map(([q, key]) => t.matches(q, key))}));"
    )
    cases = {"typed": typed, "searches": [[q, search_key(n, c)] for q, n, c, _ in SEARCHES]}
    result = subprocess.run(  # noqa: S603 -- our own script and cases, no shell
        [NODE, "-e", script, str(FOLD_JS), json.dumps(cases)], capture_output=True, text=True, check=True
    )
    answers = json.loads(result.stdout)
    assert answers["folded"] == [fold(text) for text in typed]
    assert answers["found"] == [found for *_, found in SEARCHES]


# --- Order: the Vietnamese alphabet (ICU's collation), ignoring the type word ----------------------

# Long An's 15 districts as stored (their official names), in the order the issue asks for.
LONG_AN_IN_ORDER = [
    "Huyện Bến Lức",
    "Huyện Cần Đước",
    "Huyện Cần Giuộc",
    "Huyện Châu Thành",
    "Huyện Đức Hòa",
    "Huyện Đức Huệ",
    "Thị xã Kiến Tường",
    "Huyện Mộc Hóa",
    "Thành phố Tân An",
    "Huyện Tân Hưng",
    "Huyện Tân Thạnh",
    "Huyện Tân Trụ",
    "Huyện Thạnh Hóa",
    "Huyện Thủ Thừa",
    "Huyện Vĩnh Hưng",
]


@pytest.mark.parametrize("seed", range(5))
def test_long_an_districts_sort_by_the_vietnamese_alphabet_whatever_their_type(seed):
    import random

    shuffled = LONG_AN_IN_ORDER[:]
    random.Random(seed).shuffle(shuffled)
    assert sorted(shuffled, key=collation_key) == LONG_AN_IN_ORDER


def test_code_point_order_gets_long_an_wrong():
    # What the database's ORDER BY name gave: the type word first, and Đ after V.
    assert sorted(LONG_AN_IN_ORDER) != LONG_AN_IN_ORDER
    assert sorted(LONG_AN_IN_ORDER)[-1] == "Thị xã Kiến Tường"


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("Xã Dương Xuân Hội", "Xã Đức Lập"),  # d < đ, at the first letter: the rest does not matter
        ("Xã Dương Minh Châu", "Xã Đức Hòa"),
        ("Xã Đức Lập", "Xã Gò Dầu"),  # đ before g (the code point of Đ, U+0110, is after every ASCII letter)
        ("Xã Đức Hòa", "Xã Đức Huệ"),  # o < u; the tones only break ties
        ("Xã An Lục Long", "Xã Ăn Thạnh"),  # a < ă < â < b
        ("Xã Ăn Thạnh", "Xã Âu Lạc"),
        ("Xã Âu Lạc", "Xã Bình Đức"),
        ("Phường Long An", "Xã Lộc Giang"),  # the type word is ignored: L-o-n < L-ộ-c
        ("Xã Mỹ Lộc", "Xã Mỹ Lợi"),  # ô < ơ
    ],
)
def test_commune_pairs_follow_icu_vietnamese_rules(first, then):
    assert collation_key(first) < collation_key(then)


def test_tones_only_break_ties_of_the_letters():
    # "Tầm Vu" (m) comes before "Tân Tập" (n) although the tone mark on "ầ" sorts after the bare "â".
    assert sorted(["Xã Tân Tập", "Xã Tầm Vu"], key=collation_key) == ["Xã Tầm Vu", "Xã Tân Tập"]
    # Same letters: the unmarked one first.
    assert sorted(["Xã Hòa", "Xã Hoa"], key=collation_key) == ["Xã Hoa", "Xã Hòa"]


def test_commune_order_is_icu_vietnamese_on_the_bare_names():
    """Every commune of the new Tây Ninh, ordered by collation_key, is ICU's Vietnamese order of
    their names without the type word (an independent collator made here, not the module's)."""
    import icu

    from indicators.domain import registry

    names = [unit.name for unit in registry.province("80").communes]
    assert len(names) == 96
    collator = icu.Collator.createInstance(icu.Locale("vi"))
    expected = sorted(names, key=lambda name: collator.getSortKey(name.split(" ", 1)[1]))
    assert sorted(names, key=collation_key) == expected


def test_a_name_in_decomposed_form_sorts_with_its_composed_twin():
    decomposed = unicodedata.normalize("NFD", "Huyện Đức Hòa")
    assert collation_key(decomposed) == collation_key("Huyện Đức Hòa")


def test_the_full_name_breaks_a_tie_of_bare_names():
    assert sorted(["Thị xã Châu Thành", "Huyện Châu Thành"], key=collation_key) == [
        "Huyện Châu Thành",
        "Thị xã Châu Thành",
    ]


@pytest.mark.parametrize(
    ("name", "bare"),
    [
        ("Thị xã Kiến Tường", "Kiến Tường"),
        ("Thành phố Tân An", "Tân An"),
        ("Đặc khu Phú Quốc", "Phú Quốc"),
        ("Tỉnh Long An", "Long An"),
        ("Phường 4", "4"),
        ("Xã", "Xã"),  # nothing after the type word: the name is kept
        ("Long An", "Long An"),
    ],
)
def test_bare_name_drops_only_the_type_word(name, bare):
    assert bare_name(name) == bare


@pytest.mark.parametrize(
    ("name", "english"),
    [
        ("Tỉnh Long An", "Long An province"),
        ("Thị xã Kiến Tường", "Kiến Tường town"),
        ("Thành phố Tân An", "Tân An city"),
        ("Huyện Cần Giuộc", "Cần Giuộc district"),
        ("Xã Đức Lập", "Đức Lập commune"),
        ("Phường Long An", "Long An ward"),
        ("Phường 4", "Ward 4"),
        ("Đặc khu Phú Quốc", "Phú Quốc special zone"),
        ("Long An", "Long An"),
    ],
)
def test_english_name_puts_the_type_after_the_name(name, english):
    assert english_name(name) == english
