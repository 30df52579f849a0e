"""Units' and successions' notes on the unit page in the page's language (issue 14, item 4): what
`load_units` wrote about the 2025 mergers and successions reads in English on English pages, and the
Vietnamese pages keep the Vietnamese."""

import csv
import html
import io
import zipfile

import pytest
from django.urls import reverse

from indicators.models import AdministrativeUnit, UnitSuccession

pytestmark = pytest.mark.django_db

# Long An (80 until 30/06/2025), a district that went to five communes, and its main successor.
PAGES = {"merged province": "80/?in=2024", "district": "807/", "commune": "28159/"}


def page(client, url: str, language: str) -> str:
    client.get(reverse("switch-language", args=[language]), {"next": "/"})
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def notes_of(unit: AdministrativeUnit) -> list[tuple[str, str]]:
    """(Vietnamese, English) of every note the unit page shows: the unit's, what it became, what it came from."""
    successions = UnitSuccession.objects.filter(predecessor=unit) | UnitSuccession.objects.filter(successor=unit)
    found = [(s.note, s.note_en) for s in successions]
    if unit.note:
        found.append((unit.note, unit.note_en))
    return found


def unit_at(ref: str) -> AdministrativeUnit:
    code, _, year = ref.rstrip("/").partition("/?in=")
    return (
        AdministrativeUnit.objects.by_code_in_year(code, int(year))
        if year
        else AdministrativeUnit.objects.by_code(code)
    )


@pytest.mark.parametrize("ref", PAGES.values(), ids=list(PAGES))
def test_english_unit_page_gives_every_note_in_english_and_none_in_vietnamese(seeded, client, ref):
    notes = notes_of(unit_at(ref))
    assert notes
    text = page(client, f"/units/{ref}", "en")
    for vietnamese, english in notes:
        assert english and english in text
        assert vietnamese not in text
    for words in ("nhập vào", "hợp nhất vào", "Nghị quyết số", "Đây là đơn vị kế thừa chính"):
        assert words not in text


@pytest.mark.parametrize("ref", PAGES.values(), ids=list(PAGES))
def test_vietnamese_unit_page_keeps_the_vietnamese_notes(seeded, client, ref):
    text = page(client, f"/units/{ref}", "vi")
    for vietnamese, english in notes_of(unit_at(ref)):
        assert vietnamese in text and english not in text


def test_english_commune_page_names_its_old_units_the_english_way(seeded, client):
    text = page(client, "/units/28159/", "en")
    assert "Cần Giuộc township" in text and "merged into Cần Giuộc commune on 1 July 2025" in text
    assert "It is the district's main successor." in text


def test_a_hand_written_note_without_english_shows_as_written_on_english_pages(seeded, client):
    """A note the Department edited has no English (the loader never translates another text): shown, not lost."""
    UnitSuccession.objects.filter(predecessor__code="807", successor__code="28159").update(
        note="Ghi chú của Sở <b>sửa tay</b>.", note_en=""
    )
    response_text = page(client, "/units/807/", "en")
    assert "Ghi chú của Sở <b>sửa tay</b>." in response_text  # unescaped here: escaped on the page
    client.get(reverse("switch-language", args=["en"]), {"next": "/"})
    assert "&lt;b&gt;sửa tay&lt;/b&gt;" in client.get("/units/807/").content.decode()


def test_the_data_package_carries_both_succession_notes(seeded, client):
    response = client.get(reverse("datapackage"))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(csv.DictReader(io.TextIOWrapper(archive.open("successions.csv"), encoding="utf-8")))
    stored = UnitSuccession.objects.get(predecessor__code="807", successor__code="28159")
    assert {(r["note"], r["note_en"]) for r in rows} >= {(stored.note, stored.note_en)}
    assert all(r["note_en"] for r in rows if r["note"])


def test_english_demo_source_page_gives_the_demo_notes_in_english(demo_seeded, client):
    text = page(client, "/sources/du-lieu-minh-hoa/", "en")
    assert "Synthetic figures, deterministic from a seed, only to illustrate the charts. Not to be cited." in text
    assert "Demo figure (synthetic)." in text
    assert "tất định theo seed" not in text and "Số liệu minh họa (giả lập)." not in text
    vietnamese = page(client, "/sources/du-lieu-minh-hoa/", "vi")
    assert "tất định theo seed" in vietnamese and "Số liệu minh họa (giả lập)." in vietnamese
    assert "Synthetic figures" not in vietnamese and "Demo figure (synthetic)." not in vietnamese
