"""Data for the index-process tests: files of each kind, a small annex, users, and a year taken to
any stage through the services (so that each test starts where it needs to)."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal

from openpyxl import Workbook

from indicators.models import AdministrativeUnit, Assessment, CriteriaSet, Criterion
from indicators.services import index_evidence as evidence_services
from indicators.services import index_process as services
from indicators.services import index_publication as publication

COMMUNE_A, COMMUNE_B, COMMUNE_C = "28159", "28165", "28177"  # Xã Cần Giuộc, Phước Lý, Mỹ Lộc (from Cần Giuộc district)
OPEN_DAY = date(2025, 11, 20)  # within the shipped set's period (10/11–10/12/2025)


def pdf_bytes(text: str = "bien ban") -> bytes:
    body = f"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% {text}\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    return body.encode()


def png_bytes() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17 + b"IEND\xaeB`\x82"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


ANNEX_HEADER = ["Mã", "Tiêu chí", "Điểm tối đa", "Cách chấm", "TLKC", "Hướng dẫn", "Mã chỉ tiêu", "Mục tiêu"]
# A small set that adds up: two areas, an assessed criterion with two sub-criteria, survey points.
SMALL_ANNEX = [
    ["1", "Chỉ đạo, điều hành", 40, "", "", "", "", ""],
    ["1.1", "Kế hoạch CCHC", 40, "", "", "", "", ""],
    ["1.1.a", "Ban hành kế hoạch đúng hạn", 25, "tự chấm", "có", "Đúng hạn: 25 điểm", "", ""],
    ["1.1.b", "Báo cáo đúng hạn", 15, "tự chấm", "không", "", "", ""],
    ["2", "Tác động", 60, "", "", "", "", ""],
    ["2.1", "Thanh toán trực tuyến", 20, "tự động", "", "", "thanh-toan-truc-tuyen", 80],
    ["2.2", "Điều tra xã hội học", 40, "điều tra", "", "", "", ""],
]


def xlsx(rows, header=ANNEX_HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def meta(*, code="long-an-huyen-2024", year=2024, level="district", province=None, opens=None, closes=None, **extra):
    province = province or AdministrativeUnit.objects.by_code_in_year("80", year)
    return services.SetMeta(
        code=code,
        name=f"Bộ tiêu chí thử {code}",
        year=year,
        level=level,
        province=province,
        opens_on=opens or date(year, 11, 10),
        closes_on=closes or date(year, 12, 10),
        bands=[("Tốt", Decimal(80)), ("Khá", Decimal(60)), ("Kém", Decimal(0))],
        **extra,
    )


def small_set(staff, **kwargs) -> CriteriaSet:
    return services.import_criteria_set(
        user=staff, meta=meta(**kwargs), content=xlsx(SMALL_ANNEX), filename="phu-luc.xlsx"
    )


def shipped_set() -> CriteriaSet:
    from pathlib import Path

    from django.conf import settings

    from indicators.management.commands.load_criteria_set import load

    return load(Path(settings.BASE_DIR) / "fixtures" / "index" / "tay-ninh-cap-xa-2025-mau.json")[0]


def unit_of(criteria_set: CriteriaSet, code: str) -> AdministrativeUnit:
    return criteria_set.units().get(code=code)


def assessed(criteria_set: CriteriaSet) -> list[Criterion]:
    return list(criteria_set.criteria.filter(method=Criterion.Method.ASSESSED).order_by("order"))


def evidence(admin, criteria_set, unit, criteria, *, content=None, name="bien-ban.pdf", title="Biên bản"):
    return evidence_services.add_evidence(
        user=admin,
        criteria_set=criteria_set,
        unit=unit,
        data=evidence_services.EvidenceInput(
            title=title,
            criteria=list(criteria),
            document_number="12/BB-UBND",
            issuer="UBND xã",
            filename=name,
            content=pdf_bytes() if content is None else content,
        ),
    )


def self_assess(
    admin, criteria_set, unit, points: dict | None = None, *, submit=True, today=None, leader="Nguyễn Văn A"
):
    """Every assessed criterion scored (its maximum minus one, or `points[code]`), with evidence where required."""
    leaves = assessed(criteria_set)
    needing = [c for c in leaves if c.evidence_required]
    assessment = Assessment.objects.filter(criteria_set=criteria_set, unit=unit).first()
    if needing and not (assessment and assessment.evidence.exists()):
        evidence(admin, criteria_set, unit, needing)
    points = points or {}
    versions = dict(criteria_set.criteria.filter(scores__assessment__unit=unit).values_list("code", "scores__version"))
    assessment = Assessment.objects.filter(criteria_set=criteria_set, unit=unit).first()
    return services.save_self_assessment(
        user=admin,
        criteria_set=criteria_set,
        unit=unit,
        scores=[
            services.SelfScore(
                criterion=c,
                points=Decimal(points.get(c.code, max(c.max_points - 1, 0))),
                version=versions.get(c.code, 0),
            )
            for c in leaves
        ],
        leader_name=leader,
        version=assessment.version if assessment else 0,
        submit=submit,
        today=today or date(criteria_set.year, 11, 20),
    ).assessment


def appraise_all(staff, assessment, *, adjust: dict | None = None, finish=True):
    """Accept every criterion (an automatic one without a figure gets its maximum, with a reason)."""
    adjust = adjust or {}
    assessment.refresh_from_db()
    decisions = []
    for score in assessment.scores.select_related("criterion"):
        code = score.criterion.code
        if score.decision and code not in adjust:
            continue  # decided already
        if code in adjust or (score.criterion.method == Criterion.Method.INDICATOR):
            points = Decimal(adjust.get(code, score.criterion.max_points))
            decisions.append(
                publication.AppraisalDecision(score.criterion, publication.ADJUST, points, "Theo hồ sơ", score.version)
            )
        else:
            decisions.append(publication.AppraisalDecision(score.criterion, publication.ACCEPT, version=score.version))
    publication.save_appraisal(
        user=staff, assessment=assessment, decisions=decisions, version=assessment.version, finish=finish
    )
    assessment.refresh_from_db()
    return assessment


def survey_all(staff, criteria_set, units, points=Decimal(30)):
    entries = [
        publication.SurveyEntry(unit, criterion, min(points, criterion.max_points), "Điều tra SIPAS 2025")
        for unit in units
        for criterion in criteria_set.criteria.filter(method=Criterion.Method.SURVEY)
    ]
    return publication.save_survey_points(user=staff, criteria_set=criteria_set, entries=entries)


def approve_and_publish(staff, criteria_set, *, decision="Quyết định số 100/QĐ-UBND", note=""):
    criteria_set.refresh_from_db()
    publication.approve_by_council(
        user=staff, criteria_set=criteria_set, decision="Biên bản Hội đồng", version=criteria_set.version
    )
    criteria_set.refresh_from_db()
    published = publication.publish(
        user=staff,
        criteria_set=criteria_set,
        decision=decision,
        published_on=date(criteria_set.year + 1, 1, 15),
        note=note,
        version=criteria_set.version,
    )
    criteria_set.refresh_from_db()
    return published


def published_year(staff, admins: dict, criteria_set, points: dict[str, dict] | None = None):
    """Each unit in `admins` (code -> its admin) self-assesses, is appraised and surveyed; then publication."""
    points = points or {}
    units = []
    for code, admin in admins.items():
        unit = unit_of(criteria_set, code)
        assessment = self_assess(admin, criteria_set, unit, points.get(code))
        appraise_all(staff, assessment)
        units.append(unit)
    survey_all(staff, criteria_set, units)
    return approve_and_publish(staff, criteria_set)
