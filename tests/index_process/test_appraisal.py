"""Appraisal: per criterion accept, adjust with a reason or "not applicable"; a thread when staff ask
for an explanation; finishing only when every criterion is decided; the difference per criterion and
per area; survey points; the council; publication and its correction, with the history of both."""

from decimal import Decimal

import pytest
from django.urls import reverse
from simple_history.utils import get_history_model_for_model

from indicators.models import AppraisalMessage, Assessment, AssessmentScore, Evidence, IndicatorValue, PublishedResult
from indicators.selectors import index_process as selectors
from indicators.services import index_process as services
from indicators.services import index_publication as publication
from tests.index_process.helpers import (
    COMMUNE_A,
    COMMUNE_B,
    appraise_all,
    approve_and_publish,
    evidence,
    self_assess,
    survey_all,
    unit_of,
)


@pytest.fixture
def submitted(commune_set, commune_admin):
    return self_assess(commune_admin, commune_set, unit_of(commune_set, COMMUNE_A))


def test_one_piece_of_evidence_serves_several_criteria(commune_set, commune_admin, submitted):
    shared = Evidence.objects.get(assessment=submitted)
    assert shared.criteria.count() == len([c for c in commune_set.criteria.all() if c.evidence_required])
    page = selectors.assessment_page(criteria_set=commune_set, unit=submitted.unit)
    with_it = [n.criterion.code for n in page.nodes if shared in n.evidence]
    assert "1.1.a" in with_it and "8.2" in with_it


def test_staff_ask_the_commune_answers_and_only_then_staff_decide(
    client, commune_set, commune_admin, index_staff, submitted
):
    score = submitted.scores.get(criterion__code="1.2")
    client.force_login(index_staff)
    response = client.post(
        reverse("index_process:thread", args=[score.pk]), {"body": "Đề nghị bổ sung báo cáo quý III"}
    )
    assert response.status_code == 302
    score.refresh_from_db()
    assert score.explanation_requested and score.decision == ""
    # While the explanation is awaited, the criterion cannot be decided, nor the appraisal finished.
    with pytest.raises(Exception, match="Đang chờ đơn vị giải trình"):
        publication.save_appraisal(
            user=index_staff,
            assessment=submitted,
            decisions=[publication.AppraisalDecision(score.criterion, publication.ACCEPT, version=score.version)],
            version=Assessment.objects.get(pk=submitted.pk).version,
        )
    # The commune may now add evidence to that criterion only, and answers in the thread.
    client.force_login(commune_admin)
    page = client.get(reverse("index_process:assess", args=[commune_set.code, COMMUNE_A])).content.decode()
    assert "Đề nghị bổ sung báo cáo quý III" in page
    extra = evidence(commune_admin, commune_set, submitted.unit, [score.criterion], title="Báo cáo quý III")
    with pytest.raises(Exception, match="chỉ bổ sung tài liệu cho tiêu chí Sở đề nghị"):
        evidence(commune_admin, commune_set, submitted.unit, [commune_set.criteria.get(code="1.3")])
    response = client.post(reverse("index_process:thread", args=[score.pk]), {"body": "Đã bổ sung báo cáo quý III"})
    assert response.status_code == 302
    score.refresh_from_db()
    assert not score.explanation_requested
    assert list(AppraisalMessage.objects.filter(score=score).values_list("kind", flat=True)) == ["request", "answer"]
    assert extra.criteria.get() == score.criterion
    # Staff then adjust it, with a reason, and finish.
    finished = appraise_all(index_staff, submitted, adjust={"1.2": "2,5".replace(",", ".")})
    assert finished.status == Assessment.Status.APPRAISED
    score.refresh_from_db()
    assert (score.decision, score.appraised_points, score.reason) == ("adjusted", Decimal("2.5"), "Theo hồ sơ")


def test_the_difference_is_shown_per_criterion_and_per_area(client, commune_set, commune_admin, index_staff, submitted):
    appraise_all(index_staff, submitted, adjust={"1.2": 0}, finish=False)
    page = selectors.assessment_page(criteria_set=commune_set, unit=submitted.unit, with_computed=True)
    node = next(n for n in page.nodes if n.criterion.code == "1.2")
    assert (node.self_points, node.appraised_points, node.difference) == (Decimal(2), Decimal(0), Decimal(-2))
    area = next(a for a in page.areas if a.criterion.code == "1")
    assert area.difference == Decimal(-2)  # only what the unit scored: 1.1.b is automatic
    assert (area.self_points, area.appraised_points) == (Decimal(5), Decimal(5))  # 1.1.b's 2 appraised points
    client.force_login(index_staff)
    html = client.get(reverse("index_process:appraise", args=[commune_set.code, COMMUNE_A])).content.decode()
    assert "−2" in html
    overview = client.get(reverse("index_process:set", args=[commune_set.code])).content.decode()
    assert "Xã Cần Giuộc" in overview


def test_not_applicable_criteria_shrink_the_units_maximum(commune_set, commune_admin, index_staff, submitted):
    score = submitted.scores.get(criterion__code="8.2")
    submitted.refresh_from_db()
    publication.save_appraisal(
        user=index_staff,
        assessment=submitted,
        decisions=[
            publication.AppraisalDecision(
                score.criterion, publication.NOT_APPLICABLE, reason="Không có dự án", version=score.version
            )
        ],
        version=submitted.version,
    )
    appraise_all(index_staff, submitted)
    survey_all(index_staff, commune_set, [submitted.unit], Decimal(30))
    approve_and_publish(index_staff, commune_set)
    result = PublishedResult.objects.get(unit=submitted.unit)
    assert result.max_points == Decimal(94)
    assert result.leaf_points["8.2"] is None
    assert result.share == (result.total_points * 100 / Decimal(94)).quantize(Decimal("0.01"))


def test_a_correction_is_a_new_publication_and_the_history_keeps_both(
    commune_set, commune_admin, other_commune_admin, index_staff, submitted
):
    unit_b = unit_of(commune_set, COMMUNE_B)
    appraise_all(index_staff, submitted)
    appraise_all(index_staff, self_assess(other_commune_admin, commune_set, unit_b))
    survey_all(index_staff, commune_set, [submitted.unit, unit_b])
    first = approve_and_publish(index_staff, commune_set)
    score_a = IndicatorValue.objects.get(indicator__code="diem-chi-so-cchc-cap-xa", unit=submitted.unit, year=2025)
    before = score_a.value
    # Once approved the year is locked: nothing changes until it is reopened.
    with pytest.raises(Exception, match="Hội đồng đã thông qua"):
        publication.reopen_appraisal(user=index_staff, assessment=submitted, reason="x")
    commune_set.refresh_from_db()
    with pytest.raises(Exception, match="đã được công bố"):
        publication.publish(
            user=index_staff,
            criteria_set=commune_set,
            decision="QĐ 2",
            published_on=first.published_on,
            version=commune_set.version,
        )
    publication.reopen_for_correction(
        user=index_staff, criteria_set=commune_set, reason="Sai điểm 1.2", version=commune_set.version
    )
    publication.reopen_appraisal(user=index_staff, assessment=submitted, reason="Sai điểm 1.2")
    appraise_all(index_staff, submitted, adjust={"1.2": 0})
    with pytest.raises(Exception, match="cần ghi lý do"):
        approve_and_publish(index_staff, commune_set, decision="Quyết định số 101/QĐ-UBND")
    commune_set.refresh_from_db()
    second = publication.publish(
        user=index_staff,
        criteria_set=commune_set,
        decision="Quyết định số 101/QĐ-UBND (đính chính)",
        published_on=first.published_on,
        note="Sai điểm 1.2",
        version=commune_set.version,
    )
    assert (first.number, second.number) == (1, 2)
    assert (
        PublishedResult.objects.filter(publication=first).count()
        == PublishedResult.objects.filter(publication=second).count()
        == 2
    )
    score_a.refresh_from_db()
    assert score_a.value < before and score_a.source == second.source
    history = get_history_model_for_model(IndicatorValue).objects.filter(id=score_a.pk).order_by("history_id")
    assert [h.value for h in history][-2:] == [before, score_a.value]
    assert {h.source_id for h in history} == {first.source_id, second.source_id}


def test_history_records_who_saved_and_why(commune_set, commune_admin, index_staff, submitted):
    score = AssessmentScore.objects.get(assessment=submitted, criterion__code="1.2")
    reasons = list(score.history.order_by("history_id").values_list("history_change_reason", "history_user__username"))
    assert reasons[0] == ("saved", "xacangiuoc")
    states = list(submitted.history.order_by("history_id").values_list("status", "history_change_reason"))
    assert states[-1] == ("submitted", "submitted")


def test_a_second_self_assessment_save_with_an_old_version_is_a_conflict(commune_set, commune_admin):
    unit = unit_of(commune_set, COMMUNE_A)
    self_assess(commune_admin, commune_set, unit, submit=False)
    criterion = commune_set.criteria.get(code="1.2")
    with pytest.raises(services.IndexConflict, match="xacangiuoc"):
        services.save_self_assessment(
            user=commune_admin,
            criteria_set=commune_set,
            unit=unit,
            scores=[services.SelfScore(criterion=criterion, points=Decimal(1), version=0)],
            leader_name="A",
            version=0,
        )
