import json
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from indicators.domain.text import fold, matches, search_key, slug


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
