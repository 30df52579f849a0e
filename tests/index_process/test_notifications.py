"""Email of the index process, through Django's SMTP backend to a real SMTP server the tests start:
who gets what at each step, each deadline reminder once, and a user who switched them off gets none."""

from datetime import date

import pytest
from django.urls import reverse

from indicators.models import NotificationSent
from indicators.services import index_evidence as evidence_services
from indicators.services import index_notifications
from tests.index_process.helpers import COMMUNE_A, self_assess, unit_of

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_are_told_when_a_commune_submits(smtp_server, commune_set, commune_admin, index_staff):
    self_assess(commune_admin, commune_set, unit_of(commune_set, COMMUNE_A))
    messages = smtp_server.wait_for(1)
    assert [m["to"] for m in messages] == [["sonoivu@example.vn"]]
    assert "Xã Cần Giuộc đã nộp tự đánh giá" in messages[0]["subject"]
    assert "has submitted its self-assessment" in messages[0]["body"]
    assert f"/index-process/appraise/{commune_set.code}/{COMMUNE_A}/" in messages[0]["body"]


def test_the_commune_is_told_when_staff_ask_for_an_explanation(
    smtp_server, commune_set, commune_admin, other_commune_admin, index_staff
):
    assessment = self_assess(commune_admin, commune_set, unit_of(commune_set, COMMUNE_A))
    smtp_server.wait_for(1)
    score = assessment.scores.get(criterion__code="1.2")
    evidence_services.request_explanation(user=index_staff, score=score, body="Thiếu báo cáo quý III")
    smtp_server.wait_for(2)
    asked = smtp_server.to("cangiuoc@example.vn")
    assert len(asked) == 1 and "giải trình tiêu chí 1.2" in asked[0]["subject"]
    assert not smtp_server.to("phuocly@example.vn")  # another commune's admin hears nothing


def test_reminders_go_once_each_on_their_days(
    smtp_server, commune_set, commune_admin, other_commune_admin, index_staff
):
    assert index_notifications.send_reminders(today=date(2025, 11, 9)) == 0  # not open yet
    assert index_notifications.send_reminders(today=date(2025, 11, 10)) == 2  # opened: both communes' admins
    assert index_notifications.send_reminders(today=date(2025, 11, 11)) == 0  # each once
    self_assess(other_commune_admin, commune_set, unit_of(commune_set, "28165"))
    assert index_notifications.send_reminders(today=date(2025, 12, 3)) == 1  # 7 days left: only who has not submitted
    assert index_notifications.send_reminders(today=date(2025, 12, 9)) == 1  # tomorrow
    assert index_notifications.send_reminders(today=date(2025, 12, 11)) == 0  # closed
    smtp_server.wait_for(5)
    subjects = [m["subject"] for m in smtp_server.to("cangiuoc@example.vn")]
    assert len(subjects) == 3
    assert "Đã mở tự đánh giá" in subjects[0] and "Còn 7 ngày" in subjects[1] and "Ngày mai" in subjects[2]
    assert NotificationSent.objects.filter(user=commune_admin).count() == 3


def test_a_user_who_switched_notifications_off_gets_none(smtp_server, client, commune_set, commune_admin, index_staff):
    client.force_login(index_staff)
    response = client.post(reverse("index_process:notifications"), {})  # the box unticked
    assert response.status_code == 302
    assert not index_notifications.wants_email(index_staff)
    client.force_login(commune_admin)
    assert client.post(reverse("index_process:notifications"), {"email_enabled": "on"}).status_code == 302
    self_assess(commune_admin, commune_set, unit_of(commune_set, COMMUNE_A))
    assert index_notifications.send_reminders(today=date(2025, 11, 10)) == 1  # the opening goes to every admin
    smtp_server.wait_for(1, timeout=1)
    assert not smtp_server.to("sonoivu@example.vn")


def test_a_dead_mail_server_does_not_stop_the_submission(settings, commune_set, commune_admin, index_staff, caplog):
    from tests.index_process.smtp import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 1
    assessment = self_assess(commune_admin, commune_set, unit_of(commune_set, COMMUNE_A))
    assert assessment.status == "submitted"
    assert "Index notification" in caplog.text
