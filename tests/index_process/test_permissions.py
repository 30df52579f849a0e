"""Every rule of the index process from the wrong user's side: another commune's admin, a district's
admin, staff where only the unit may act, and the public, whatever URL or id they try."""

import io

import pytest
from django.urls import reverse

from indicators.models import AppraisalMessage, Assessment, AssessmentScore, CriteriaSet, Evidence, SurveyScore
from tests.index_process.helpers import COMMUNE_A, COMMUNE_B, pdf_bytes, self_assess, unit_of


@pytest.fixture
def a_submitted(commune_set, commune_admin):
    return self_assess(commune_admin, commune_set, unit_of(commune_set, COMMUNE_A))


def _state():
    return (
        Assessment.objects.count(),
        AssessmentScore.objects.filter(self_points__isnull=False).count(),
        Evidence.objects.count(),
        AppraisalMessage.objects.count(),
        SurveyScore.objects.count(),
        CriteriaSet.objects.count(),
    )


def test_another_communes_admin_can_never_see_or_change_its_assessment_or_evidence(
    client, commune_set, a_submitted, other_commune_admin, district_admin
):
    evidence = Evidence.objects.get(assessment=a_submitted)
    score = a_submitted.scores.first()
    before = _state()
    for intruder in (other_commune_admin, district_admin):
        client.force_login(intruder)
        assess = reverse("index_process:assess", args=[commune_set.code, COMMUNE_A])
        assert client.get(assess).status_code == 404
        assert client.post(assess, {"version": a_submitted.version, "action": "save"}).status_code == 404
        file = io.BytesIO(pdf_bytes())
        file.name = "x.pdf"
        add = reverse("index_process:evidence-add", args=[commune_set.code, COMMUNE_A])
        assert client.post(add, {"title": "x", "criteria": ["1.1.a"], "file": file}).status_code == 404
        assert client.get(reverse("index_process:evidence-file", args=[evidence.pk])).status_code == 404
        assert client.post(reverse("index_process:evidence-delete", args=[evidence.pk])).status_code == 404
        assert client.post(reverse("index_process:thread", args=[score.pk]), {"body": "x"}).status_code == 404
        # Ids that do not exist answer the same: nothing tells them apart.
        assert client.get(reverse("index_process:evidence-file", args=[evidence.pk + 1000])).status_code == 404
        assert client.post(reverse("index_process:thread", args=[score.pk + 1000]), {"body": "x"}).status_code == 404
        home = client.get(reverse("index_process:home")).content.decode()
        assert "Xã Cần Giuộc" not in home
    assert _state() == before


def test_a_district_admin_is_not_offered_a_commune_set_and_a_commune_admin_not_a_district_one(
    client, commune_set, district_admin, commune_admin, index_staff
):
    from tests.index_process.helpers import small_set

    district_set = small_set(index_staff)
    client.force_login(district_admin)
    assert client.get(reverse("index_process:assess", args=[commune_set.code, "805"])).status_code == 404
    assert client.get(reverse("index_process:assess", args=[district_set.code, "805"])).status_code == 200
    client.force_login(commune_admin)
    assert client.get(reverse("index_process:assess", args=[district_set.code, COMMUNE_A])).status_code == 404
    assert client.get(reverse("index_process:assess", args=[district_set.code, "805"])).status_code == 404


def test_unit_admins_cannot_do_staffs_work(client, commune_set, commune_admin, a_submitted):
    client.force_login(commune_admin)
    before = _state()
    for name, args in (
        ("index_process:set-import", []),
        ("index_process:set", [commune_set.code]),
        ("index_process:survey", [commune_set.code]),
        ("index_process:appraise", [commune_set.code, COMMUNE_A]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 403, name
    for name in ("council", "publish", "reopen", "survey"):
        response = client.post(
            reverse(f"index_process:{name}", args=[commune_set.code]), {"decision": "x", "version": 1}
        )
        assert response.status_code == 403, name
    response = client.post(
        reverse("index_process:appraise", args=[commune_set.code, COMMUNE_A]), {"version": 1, "action": "finish"}
    )
    assert response.status_code == 403
    assert _state() == before


def test_staff_cannot_self_assess_for_a_unit_or_answer_for_it(client, commune_set, index_staff, a_submitted):
    client.force_login(index_staff)
    assert client.get(reverse("index_process:assess", args=[commune_set.code, COMMUNE_A])).status_code == 403
    evidence = Evidence.objects.get(assessment=a_submitted)
    assert client.post(reverse("index_process:evidence-delete", args=[evidence.pk])).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_the_public_sees_no_file_until_published_and_then_only_if_the_set_says_so(
    client, commune_set, commune_admin, other_commune_admin, index_staff, a_submitted
):
    from tests.index_process.helpers import appraise_all, approve_and_publish, survey_all

    evidence = Evidence.objects.get(assessment=a_submitted)
    url = reverse("index_process:evidence-file", args=[evidence.pk])
    assert client.get(url).status_code == 404
    appraise_all(index_staff, a_submitted)
    survey_all(index_staff, commune_set, [a_submitted.unit])
    approve_and_publish(index_staff, commune_set)
    assert client.get(url).status_code == 404  # the shipped set keeps files private
    page = client.get(reverse("official-unit", args=[commune_set.code, COMMUNE_A])).content.decode()
    assert evidence.title in page and "12/BB-UBND" in page and url not in page
    CriteriaSet.objects.filter(pk=commune_set.pk).update(evidence_public=True)
    assert client.get(url).status_code == 200
    client.force_login(other_commune_admin)  # now public: another commune may read it too, not change it
    assert client.get(url).status_code == 200
    assert client.post(reverse("index_process:evidence-delete", args=[evidence.pk])).status_code == 404


def test_a_user_without_a_role_gets_403_and_anonymous_the_login_page(client, seeded, django_user_model, commune_set):
    assert client.get(reverse("index_process:home"))["Location"].startswith("/accounts/login/")
    client.force_login(django_user_model.objects.create_user("nobody", password="x" * 12))
    assert client.get(reverse("index_process:home")).status_code == 403
    assert client.get(reverse("index_process:notifications")).status_code == 403
    assert client.get(reverse("index_process:assess", args=[commune_set.code, COMMUNE_B])).status_code == 403


def test_a_unit_outside_the_set_or_an_unknown_set_is_404(client, commune_set, commune_admin, index_staff):
    client.force_login(index_staff)
    assert client.get(reverse("index_process:appraise", args=[commune_set.code, "805"])).status_code == 404
    assert client.get(reverse("index_process:appraise", args=["khong-co", COMMUNE_A])).status_code == 404
    assert client.get(reverse("index_process:set", args=["khong-co"])).status_code == 404
    assert client.get(reverse("official-ranking", args=["khong-co"])).status_code == 404
    assert client.get(reverse("official-export", args=[commune_set.code, "exe"])).status_code == 404
