"""Email of the CCHC index process, through Django's email (SMTP settings from the environment).

- to a unit's admins: the self-assessment period opens, closes in 7 days, closes tomorrow, and staff
  ask for an explanation on a criterion;
- to provincial staff: a unit submits its self-assessment.

Each message is written in Vietnamese, then in English. A user who switched notifications off
(NotificationSetting) gets none; a user without an address is skipped. Mail is sent after the
transaction that caused it commits, and a mail server that fails is logged, never the user's error.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from indicators.models import (
    DISTRICT_ADMIN_GROUP,
    PROVINCIAL_STAFF_GROUP,
    AdministrativeUnit,
    Assessment,
    CriteriaSet,
    NotificationSent,
    NotificationSetting,
)

logger = logging.getLogger(__name__)

OPENED, CLOSES_IN_7, CLOSES_IN_1 = "opened", "closes-in-7", "closes-in-1"


def _with_email(users) -> list:
    """Active users with an address who have not switched notifications off (one query)."""
    return list(
        users.filter(is_active=True)
        .exclude(email="")
        .exclude(index_notifications__email_enabled=False)
        .order_by("pk")
        .distinct()
    )


def unit_admins(units: Iterable[AdministrativeUnit]):
    user_model = get_user_model()
    return _with_email(
        user_model.objects.filter(unit_assignments__unit__in=list(units), groups__name=DISTRICT_ADMIN_GROUP)
    )


def staff_users():
    return _with_email(get_user_model().objects.filter(groups__name=PROVINCIAL_STAFF_GROUP))


def wants_email(user) -> bool:
    setting = NotificationSetting.objects.filter(user=user).first()
    return setting is None or setting.email_enabled


def set_email_enabled(*, user, enabled: bool) -> None:
    NotificationSetting.objects.update_or_create(user=user, defaults={"email_enabled": enabled})


def _bilingual(build) -> tuple[str, str]:
    """(subject, body): the Vietnamese text, then the English one."""
    with translation.override("vi"):
        subject_vi, body_vi = build()
    with translation.override("en"):
        subject_en, body_en = build()
    subject = subject_vi if subject_vi == subject_en else f"{subject_vi} / {subject_en}"
    return subject, f"{body_vi}\n\n---\n\n{body_en}\n"


def _send(users, build) -> int:
    """Send to each user; failures are logged. Returns the number of messages handed to the server."""
    if not users:
        return 0
    subject, body = _bilingual(build)
    sent = 0
    for user in users:
        try:
            sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except (OSError, Exception) as error:  # smtplib errors, refused connections, timeouts
            logger.warning("Index notification to %s not sent: %s: %s", user.pk, type(error).__name__, error)
    return sent


def _site(path: str) -> str:
    return f"{settings.CCHC_SITE_URL}{path}"


def after_commit(function, *args) -> None:
    transaction.on_commit(lambda: function(*args))


def notify_submitted(assessment: Assessment) -> int:
    from django.urls import reverse

    unit, criteria_set = assessment.unit, assessment.criteria_set
    link = _site(reverse("index_process:appraise", args=[criteria_set.code, unit.code]))

    def build():
        return (
            _("[Chỉ số CCHC] %(unit)s đã nộp tự đánh giá") % {"unit": unit.name},
            _("%(unit)s đã nộp bản tự đánh giá theo “%(set)s”. Thẩm định tại: %(link)s")
            % {"unit": unit.name, "set": criteria_set.name, "link": link},
        )

    return _send(staff_users(), build)


def notify_explanation_requested(score) -> int:
    from django.urls import reverse

    assessment = score.assessment
    unit, criteria_set = assessment.unit, assessment.criteria_set
    link = _site(reverse("index_process:assess", args=[criteria_set.code, unit.code]))

    def build():
        return (
            _("[Chỉ số CCHC] Sở Nội vụ đề nghị giải trình tiêu chí %(code)s") % {"code": score.criterion.code},
            _("Sở Nội vụ đề nghị %(unit)s giải trình tiêu chí %(code)s (%(name)s). Trả lời tại: %(link)s")
            % {"unit": unit.name, "code": score.criterion.code, "name": score.criterion.name, "link": link},
        )

    return _send(unit_admins([unit]), build)


def _reminder_text(kind: str, criteria_set: CriteriaSet, link: str):
    closes = f"{criteria_set.closes_on:%d/%m/%Y}"
    if kind == OPENED:
        subject = _("[Chỉ số CCHC] Đã mở tự đánh giá: %(set)s") % {"set": criteria_set.name}
        body = _("Đã mở tự đánh giá “%(set)s”, hạn nộp %(closes)s. Nhập tại: %(link)s")
    elif kind == CLOSES_IN_7:
        subject = _("[Chỉ số CCHC] Còn 7 ngày để nộp tự đánh giá")
        body = _("Hạn nộp tự đánh giá “%(set)s” là %(closes)s, còn 7 ngày. Nhập tại: %(link)s")
    else:
        subject = _("[Chỉ số CCHC] Ngày mai hết hạn nộp tự đánh giá")
        body = _("Hạn nộp tự đánh giá “%(set)s” là %(closes)s, tức ngày mai. Nhập tại: %(link)s")
    return subject, body % {"set": criteria_set.name, "closes": closes, "link": link}


def due_reminders(criteria_set: CriteriaSet, today: date) -> list[str]:
    """The reminders due for the set today, in the order they are sent (each at most once per user)."""
    if criteria_set.is_locked or not criteria_set.is_open_on(today):
        return []
    left = (criteria_set.closes_on - today).days
    kinds = [OPENED]
    if left <= 7:
        kinds.append(CLOSES_IN_7)
    if left <= 1:
        kinds.append(CLOSES_IN_1)
    return kinds


def send_reminders(*, today: date) -> int:
    """The daily run (`manage.py index_reminders`): every reminder due today that was not sent yet.

    The closing reminders go to the admins of units that have not submitted; the opening one to all.
    """
    from django.urls import reverse

    sent = 0
    for criteria_set in CriteriaSet.objects.filter(council_approved_at__isnull=True).select_related("province"):
        kinds = due_reminders(criteria_set, today)
        if not kinds:
            continue
        units = list(criteria_set.units())
        submitted = set(
            Assessment.objects.filter(criteria_set=criteria_set)
            .exclude(status=Assessment.Status.DRAFT)
            .values_list("unit_id", flat=True)
        )
        for kind in kinds:
            targets = units if kind == OPENED else [u for u in units if u.pk not in submitted]
            already = set(
                NotificationSent.objects.filter(criteria_set=criteria_set, kind=kind).values_list("user_id", flat=True)
            )
            admins = [u for u in unit_admins(targets) if u.pk not in already]
            for user in admins:
                units_of_user = [u for u in targets if u.pk in _assigned(user)]
                unit = units_of_user[0] if units_of_user else targets[0]
                link = _site(reverse("index_process:assess", args=[criteria_set.code, unit.code]))
                if _send([user], lambda kind=kind, link=link, s=criteria_set: _reminder_text(kind, s, link)):
                    try:
                        with transaction.atomic():
                            NotificationSent.objects.create(criteria_set=criteria_set, kind=kind, user=user)
                    except IntegrityError:  # another run recorded it meanwhile
                        continue
                    sent += 1
    return sent


def _assigned(user) -> set[int]:
    return set(user.unit_assignments.values_list("unit_id", flat=True))
