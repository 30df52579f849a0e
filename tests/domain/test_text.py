import unicodedata

import pytest

from indicators.domain.text import fold, slug


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
