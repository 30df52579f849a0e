"""Bad input anywhere in the index process gets a 4xx with a clear message in the user's language, and
writes nothing: wrong or disguised files, empty and huge files, markup in names, formulas in cells,
numbers in the wrong convention, points over the maximum or negative, a submission after the deadline."""

import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from simple_history.utils import get_history_model_for_model

from indicators.models import Assessment, AssessmentScore, CriteriaSet, Criterion, Evidence, SurveyScore
from tests.index_process.helpers import (
    COMMUNE_A,
    SMALL_ANNEX,
    appraise_all,
    docx_bytes,
    pdf_bytes,
    png_bytes,
    self_assess,
    unit_of,
    xlsx,
)

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def open_period(time_machine):
    """20/11/2025, inside the shipped set's self-assessment period."""
    time_machine.move_to(datetime(2025, 11, 20, 9, 0, tzinfo=VIETNAM), tick=False)


def state(media_root):
    files = sorted(p.name for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    return (
        Assessment.objects.count(),
        AssessmentScore.objects.count(),
        Evidence.objects.count(),
        get_history_model_for_model(AssessmentScore).objects.count(),
        SurveyScore.objects.count(),
        CriteriaSet.objects.count(),
        files,
    )


def upload(client, criteria_set, content, name, *, codes=("1.1.a",), **fields):
    file = io.BytesIO(content)
    file.name = name
    data = {"title": "Biên bản", "criteria": list(codes), "file": file, **fields}
    return client.post(reverse("index_process:evidence-add", args=[criteria_set.code, COMMUNE_A]), data)


def zip_bytes(names) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


BAD_FILES = [
    ("chuong-trinh.exe", b"MZ\x90\x00" + b"\x00" * 100, "Loại tệp không được chấp nhận"),
    ("chuong-trinh.pdf", b"MZ\x90\x00" + b"\x00" * 100, "nội dung không phải tệp PDF hợp lệ"),
    ("bien-ban.pdf", b"%PDF-1.4\n1 0 obj\n", "nội dung không phải tệp PDF hợp lệ"),  # cut off: no %%EOF
    ("anh.pdf", png_bytes(), "có nội dung PNG nhưng tên tệp không có đuôi .png"),
    ("bao-cao.docx", zip_bytes(["a.txt"]), "nội dung không phải tệp DOCX hợp lệ"),
    ("bao-cao.xlsx", docx_bytes(), "có nội dung DOCX"),
    ("trang.html", b"<html><script>alert(1)</script></html>", "Loại tệp không được chấp nhận"),
    ("rong.pdf", b"", "Tệp rỗng"),
]


@pytest.mark.parametrize(
    ("name", "content", "message"), BAD_FILES, ids=[b[0] + str(i) for i, b in enumerate(BAD_FILES)]
)
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_is_stored(
    open_period, client, commune_set, commune_admin, media_root, name, content, message
):
    client.force_login(commune_admin)
    before = state(media_root)
    response = upload(client, commune_set, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state(media_root) == before


def test_the_file_type_message_is_in_the_users_language(open_period, client, commune_set, commune_admin, media_root):
    client.force_login(commune_admin)
    client.cookies["django_language"] = "en"
    response = upload(client, commune_set, b"MZ\x90\x00", "x.exe")
    assert response.status_code == 400
    assert "File type not accepted" in response.content.decode()


def test_a_huge_upload_is_refused_before_it_is_read(
    open_period, client, commune_set, commune_admin, media_root, settings
):
    settings.INDEX_EVIDENCE_MAX_BYTES = 1024
    client.force_login(commune_admin)
    before = state(media_root)
    response = upload(client, commune_set, pdf_bytes("x" * 200_000), "lon.pdf")
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.content.decode()
    assert state(media_root) == before


def test_a_file_just_over_the_limit_is_dropped_as_it_arrives(
    open_period, client, commune_set, commune_admin, media_root, settings
):
    settings.INDEX_EVIDENCE_MAX_BYTES = 60 * 1024
    client.force_login(commune_admin)
    response = upload(client, commune_set, pdf_bytes("x" * (61 * 1024)), "lon.pdf")
    assert response.status_code == 413  # counted as it streams in, and dropped at the limit
    assert "Tệp quá lớn" in response.content.decode()
    assert not Evidence.objects.exists()


def test_markup_in_a_file_name_and_title_is_shown_as_text(open_period, client, commune_set, commune_admin, media_root):
    client.force_login(commune_admin)
    response = upload(
        client, commune_set, pdf_bytes(), "<script>alert(1)<script>.pdf", title="<img src=x onerror=alert(1)>"
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.original_name == "<script>alert(1)<script>.pdf"
    assert "<script>" not in evidence.file.name and evidence.file.name.startswith("evidence/2025/28159/")
    page = client.get(reverse("index_process:assess", args=[commune_set.code, COMMUNE_A])).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;script&gt;.pdf" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    download = client.get(reverse("index_process:evidence-file", args=[evidence.pk]))
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == pdf_bytes()


def test_evidence_needs_a_file_or_a_document_reference(open_period, client, commune_set, commune_admin, media_root):
    client.force_login(commune_admin)
    response = client.post(
        reverse("index_process:evidence-add", args=[commune_set.code, COMMUNE_A]),
        {"title": "Công văn", "criteria": ["1.1.a"], "document_number": "12/CV"},
    )
    assert response.status_code == 400
    assert "cơ quan ban hành" in response.content.decode()
    assert not Evidence.objects.exists()


def _form(criteria_set, **points):
    data = {"version": 0, "leader_name": "Nguyễn Văn A", "action": "save"}
    for criterion in criteria_set.criteria.filter(method=Criterion.Method.ASSESSED):
        data[f"p-{criterion.code}"] = points.get(criterion.code.replace(".", "_"), "1")
        data[f"v-{criterion.code}"] = 0
        data[f"ex-{criterion.code}"] = "Chưa có văn bản"
    return data


@pytest.mark.parametrize(
    ("language", "typed", "message"),
    [
        # One rule on every page and in every file (numbers.parse_number): "." groups thousands, "," marks
        # decimals, and a lone "." that cannot group thousands is the decimal mark.
        ("vi", "2,5", "vượt điểm tối đa 2"),  # 1.1.a has 2 points
        ("vi", "1.234", "vượt điểm tối đa 2"),  # 1234
        ("en", "1.234", "exceed"),  # 1234 on the English page too
        ("en", "95,5", "exceed"),
        ("vi", "95.5", "vượt điểm tối đa 2"),
        ("en", "1,234.5", "Write numbers in Vietnamese style, e.g. 1.234,5"),
        ("vi", "abc", "Viết số theo kiểu Việt Nam, ví dụ 1.234,5"),
        ("vi", "-1", "không được âm"),
        ("vi", "=1+1", "công thức"),
    ],
)
def test_points_in_the_wrong_convention_or_beyond_the_maximum_are_refused(
    open_period, client, commune_set, commune_admin, media_root, language, typed, message
):
    client.cookies["django_language"] = language
    client.force_login(commune_admin)
    before = state(media_root)
    url = reverse("index_process:assess", args=[commune_set.code, COMMUNE_A])
    response = client.post(url, _form(commune_set, **{"1_1_a": typed}))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert state(media_root) == before


def test_points_in_the_pages_convention_are_read(open_period, client, commune_set, commune_admin, media_root):
    client.force_login(commune_admin)
    url = reverse("index_process:assess", args=[commune_set.code, COMMUNE_A])
    assert client.post(url, _form(commune_set, **{"1_2": "2,5"})).status_code == 302
    assert AssessmentScore.objects.get(criterion__code="1.2").self_points == 2.5
    client.cookies["django_language"] = "en"
    data = _form(commune_set, **{"1_2": "1.5"})
    data["version"] = Assessment.objects.get().version
    for score in AssessmentScore.objects.select_related("criterion"):
        data[f"v-{score.criterion.code}"] = score.version
    assert client.post(url, data).status_code == 302
    assert AssessmentScore.objects.get(criterion__code="1.2").self_points == 1.5


def test_a_submission_after_the_deadline_is_refused_and_the_draft_is_not_half_saved(
    client, commune_set, commune_admin, media_root, time_machine
):
    time_machine.move_to(datetime(2025, 12, 11, 9, 0, tzinfo=VIETNAM), tick=False)
    client.force_login(commune_admin)
    before = state(media_root)
    data = _form(commune_set) | {"action": "submit"}
    response = client.post(reverse("index_process:assess", args=[commune_set.code, COMMUNE_A]), data)
    assert response.status_code == 400
    assert "Đã hết hạn nộp tự đánh giá (10/12/2025)" in response.content.decode()
    assert state(media_root) == before
    data["action"] = "save"  # a draft is still fine after the deadline
    assert client.post(reverse("index_process:assess", args=[commune_set.code, COMMUNE_A]), data).status_code == 302


def test_submission_needs_an_explanation_for_each_missing_evidence(
    open_period, client, commune_set, commune_admin, media_root
):
    client.force_login(commune_admin)
    data = _form(commune_set) | {"action": "submit"}
    data["ex-1.3"] = ""
    response = client.post(reverse("index_process:assess", args=[commune_set.code, COMMUNE_A]), data)
    assert response.status_code == 400
    assert "Tiêu chí 1.3 chưa có tài liệu kiểm chứng: cần giải trình." in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_save_built_from_an_older_version_is_refused_with_409(
    open_period, client, commune_set, commune_admin, media_root
):
    client.force_login(commune_admin)
    url = reverse("index_process:assess", args=[commune_set.code, COMMUNE_A])
    assert client.post(url, _form(commune_set)).status_code == 302
    stale = _form(commune_set, **{"1_2": "2"})  # version 0: built before the first save
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "xacangiuoc" in response.content.decode()
    assert AssessmentScore.objects.get(criterion__code="1.2").self_points == 1


# --- the criteria-set annex -------------------------------------------------------------------


def import_form(content, name="phu-luc.xlsx", **fields):
    file = io.BytesIO(content)
    file.name = name
    return {
        "file": file,
        "code": "long-an-huyen-2024",
        "name": "Bộ tiêu chí cấp huyện 2024",
        "province": fields.pop("province"),
        "year": 2024,
        "level": "district",
        "opens_on": "2024-11-10",
        "closes_on": "2024-12-10",
        "bands": "Tốt: 80\nKhá: 60\nKém: 0",
        **fields,
    }


@pytest.fixture
def long_an(seeded):
    from indicators.models import AdministrativeUnit

    return AdministrativeUnit.objects.by_code_in_year("80", 2024)


def test_an_annex_that_adds_up_is_imported(client, index_staff, long_an, media_root):
    client.force_login(index_staff)
    response = client.post(reverse("index_process:set-import"), import_form(xlsx(SMALL_ANNEX), province=long_an.pk))
    assert response.status_code == 302
    criteria_set = CriteriaSet.objects.get(code="long-an-huyen-2024")
    assert criteria_set.criteria.count() == 7 and criteria_set.units().count() == 15
    assert [c.method for c in criteria_set.criteria.order_by("order")] == [
        "group",
        "group",
        "assessed",
        "assessed",
        "group",
        "indicator",
        "survey",
    ]


BAD_ANNEXES = [
    ("points do not add up", [[*r[:2], 41, *r[3:]] if r[0] == "1.1" else r for r in SMALL_ANNEX], "điểm không khớp"),
    ("areas not 100", [[*r[:2], 39, *r[3:]] if r[0] in ("1", "1.1") else r for r in SMALL_ANNEX], "phải có tổng 100"),
    ("a formula", [[*r[:2], "=20+20", *r[3:]] if r[0] == "1" else r for r in SMALL_ANNEX], "công thức"),
    (
        "a name that is a formula",
        [["1", '=HYPERLINK("x")', 40, *r[3:]] if r[0] == "1" else r for r in SMALL_ANNEX],
        "công thức",
    ),
    ("95,5 as text", [[*r[:2], "95,5", *r[3:]] if r[0] == "1.1.b" else r for r in SMALL_ANNEX], "điểm không khớp"),
    ("1.234 as text", [[*r[:2], "1.234", *r[3:]] if r[0] == "1.1.b" else r for r in SMALL_ANNEX], "điểm không khớp"),
    ("a parent missing", [r for r in SMALL_ANNEX if r[0] != "1.1"], "chưa có ở dòng nào phía trên"),
    ("a repeated code", [*SMALL_ANNEX, ["2.2", "Lặp", 0, "tự chấm", "", "", "", ""]], "bị lặp"),
    (
        "an unknown indicator",
        [[*r[:6], "khong-co", *r[7:]] if r[0] == "2.1" else r for r in SMALL_ANNEX],
        "Không có chỉ tiêu",
    ),
    ("a negative maximum", [[*r[:2], "-5", *r[3:]] if r[0] == "1.1.b" else r for r in SMALL_ANNEX], "không được âm"),
]


@pytest.mark.parametrize(("case", "rows", "message"), BAD_ANNEXES, ids=[b[0] for b in BAD_ANNEXES])
def test_an_annex_with_errors_is_refused_with_its_rows_and_nothing_is_written(
    client, index_staff, long_an, media_root, case, rows, message
):
    client.force_login(index_staff)
    before = (CriteriaSet.objects.count(), Criterion.objects.count())
    response = client.post(reverse("index_process:set-import"), import_form(xlsx(rows), province=long_an.pk))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page, page[page.find("form-errors") :][:2000]
    assert "Không có gì được lưu" in page
    assert (CriteriaSet.objects.count(), Criterion.objects.count()) == before


def test_a_hostile_workbook_is_refused_by_the_shared_guard(client, index_staff, long_an, media_root):
    """The annex goes through imports.xlsx_guard like the figures: an XML entity is refused."""
    good = xlsx(SMALL_ANNEX)
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                declaration, sep, rest = data.partition(b"?>")
                head = declaration + sep if sep else b""
                data = head + b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + (rest if sep else data)
            target.writestr(item, data)
    client.force_login(index_staff)
    response = client.post(reverse("index_process:set-import"), import_form(buffer.getvalue(), province=long_an.pk))
    assert response.status_code == 400
    assert "DTD" in response.content.decode()
    assert not CriteriaSet.objects.filter(code="long-an-huyen-2024").exists()


def test_an_annex_without_its_columns_or_empty_is_refused(client, index_staff, long_an, media_root):
    client.force_login(index_staff)
    response = client.post(
        reverse("index_process:set-import"), import_form(xlsx([["1", "x"]], header=["A", "B"]), province=long_an.pk)
    )
    assert response.status_code == 400 and "Thiếu cột" in response.content.decode()
    response = client.post(reverse("index_process:set-import"), import_form(b"", name="rong.xlsx", province=long_an.pk))
    assert response.status_code == 400
    assert not CriteriaSet.objects.filter(code="long-an-huyen-2024").exists()


def test_a_set_for_a_level_without_units_that_year_is_refused(client, index_staff, long_an, media_root):
    client.force_login(index_staff)
    response = client.post(
        reverse("index_process:set-import"), import_form(xlsx(SMALL_ANNEX), province=long_an.pk, level="commune")
    )
    assert response.status_code == 400
    assert "không có đơn vị cấp xã nào báo cáo năm 2024" in response.content.decode()
    assert not CriteriaSet.objects.filter(code="long-an-huyen-2024").exists()


# --- appraisal and survey -----------------------------------------------------------------------


def test_an_adjustment_over_the_maximum_or_without_a_reason_is_refused(
    client, commune_set, commune_admin, index_staff, media_root
):
    assessment = self_assess(commune_admin, commune_set, unit_of(commune_set, COMMUNE_A))
    client.force_login(index_staff)
    url = reverse("index_process:appraise", args=[commune_set.code, COMMUNE_A])
    score = assessment.scores.get(criterion__code="1.2")
    base = {"version": assessment.version, "v-1.2": score.version}
    response = client.post(url, base | {"d-1.2": "adjust", "ap-1.2": "4", "r-1.2": "Thiếu báo cáo quý"})
    assert response.status_code == 400 and "vượt điểm tối đa 3" in response.content.decode()
    response = client.post(url, base | {"d-1.2": "adjust", "ap-1.2": "1"})
    assert response.status_code == 400 and "Cần lý do khi điều chỉnh điểm." in response.content.decode()
    score.refresh_from_db()
    assert score.decision == "" and score.appraised_points is None


def test_an_appraisal_cannot_finish_while_a_criterion_is_undecided(
    client, commune_set, commune_admin, index_staff, media_root
):
    assessment = self_assess(commune_admin, commune_set, unit_of(commune_set, COMMUNE_A))
    client.force_login(index_staff)
    response = client.post(
        reverse("index_process:appraise", args=[commune_set.code, COMMUNE_A]),
        {"version": assessment.version, "action": "finish"},
    )
    assert response.status_code == 400
    assert "Chưa thể kết thúc thẩm định" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED


def test_survey_points_over_the_maximum_or_from_a_bad_file_are_refused(
    client, commune_set, commune_admin, index_staff, media_root
):
    client.force_login(index_staff)
    url = reverse("index_process:survey", args=[commune_set.code])
    rows = [["28159", "8.1", "31", "SIPAS 2025"], ["28165", "8.1", "=1+1", "SIPAS"], ["99999", "8.1", "10", "SIPAS"]]
    file = io.BytesIO(xlsx(rows, header=["unit_code", "criterion_code", "points", "source"]))
    file.name = "dieu-tra.xlsx"
    response = client.post(url, {"kind": "file", "file": file})
    page = response.content.decode()
    assert response.status_code == 400
    assert "công thức" in page and "99999" in page
    response = client.post(url, {"kind": "grid", "source": "SIPAS", "s-28159-8.1": "30,5"})
    assert response.status_code == 400 and "vượt điểm tối đa 30" in response.content.decode()
    assert not SurveyScore.objects.exists()
    response = client.post(url, {"kind": "grid", "source": "SIPAS 2025", "s-28159-8.1": "27,5"})
    assert response.status_code == 302
    assert SurveyScore.objects.get().points == 27.5


def test_a_locked_year_refuses_every_change(client, commune_set, commune_admin, index_staff, media_root):
    from tests.index_process.helpers import approve_and_publish, survey_all

    unit = unit_of(commune_set, COMMUNE_A)
    appraise_all(index_staff, self_assess(commune_admin, commune_set, unit))
    survey_all(index_staff, commune_set, [unit])
    approve_and_publish(index_staff, commune_set)
    client.force_login(commune_admin)
    before = state(media_root)
    response = upload(client, commune_set, pdf_bytes(), "them.pdf")
    assert response.status_code == 409
    client.force_login(index_staff)
    response = client.post(
        reverse("index_process:survey", args=[commune_set.code]), {"kind": "grid", "source": "x", "s-28159-8.1": "1"}
    )
    assert response.status_code == 400 and "Hội đồng đã thông qua" in response.content.decode()
    assert state(media_root) == before
