"""The working-day deadlines of the compliance check and the evaluation: overdue flags on the
organiser's desk and the competition page, daily reminders to the organiser's officials."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import timezone

from ortaq.funding import tasks
from ortaq.funding.competitions import services
from ortaq.funding.models import Competition, DeadlineReminder
from ortaq.lib.workdays import add_working_days, is_working_day
from ortaq.notifications.models import Notification
from tests.access import Cast

from . import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 10)  # a Tuesday


@pytest.fixture(autouse=True)
def _organisers_read_english(cast: Cast) -> None:
    for role in ("official", "regional_admin"):
        cast.users[role].preferred_language = "en"
        cast.users[role].save(update_fields=["preferred_language"])


def _in_compliance(cast: Cast, due: dt.date) -> Competition:
    comp = f.announced(cast)
    f.pass_deadline(comp)
    services.competition_close(actor=cast.users["official"], competition=comp)
    Competition.objects.filter(pk=comp.pk).update(compliance_due=due)
    comp.refresh_from_db()
    return comp


def _in_evaluation(cast: Cast, due: dt.date) -> Competition:
    comp = _in_compliance(cast, TODAY)
    services.evaluation_start(actor=cast.users["official"], competition=comp)
    Competition.objects.filter(pk=comp.pk).update(evaluation_due=due)
    comp.refresh_from_db()
    return comp


def _reminded(cast: Cast) -> list[tuple[str, str]]:
    return sorted(
        (n.recipient.email, n.subject)
        for n in Notification.objects.filter(topic__startswith="funding.competition.")
    )


def _organisers(cast: Cast, subject: str) -> list[tuple[str, str]]:
    return sorted(
        [(cast.users["official"].email, subject), (cast.users["regional_admin"].email, subject)]
    )


def test_compliance_due_within_two_working_days_is_reminded(cast: Cast) -> None:
    assert is_working_day(TODAY)
    due = add_working_days(TODAY, 2)
    assert due == dt.date(2025, 6, 12)
    comp = _in_compliance(cast, due)
    assert services.deadline_reminders_send(today=TODAY) == 1
    assert _reminded(cast) == _organisers(
        cast, "The compliance check of “Competition” is due on 12.06.2025"
    )
    reminder = DeadlineReminder.objects.get()
    assert (reminder.competition, reminder.stage, reminder.day, reminder.due) == (
        comp,
        "compliance",
        TODAY,
        due,
    )
    assert reminder.recipients == 2


def test_compliance_due_in_three_working_days_is_not_reminded_yet(cast: Cast) -> None:
    due = add_working_days(TODAY, 3)
    assert due == dt.date(2025, 6, 13)
    _in_compliance(cast, due)
    assert services.deadline_reminders_send(today=TODAY) == 0
    assert _reminded(cast) == []
    assert services.deadline_reminders_send(today=add_working_days(TODAY, 1)) == 1


def test_reminder_counts_working_days_over_a_weekend(cast: Cast) -> None:
    friday = dt.date(2025, 6, 13)
    due = add_working_days(friday, 2)
    assert due == dt.date(2025, 6, 17)  # Tuesday: Saturday and Sunday do not count
    _in_compliance(cast, due)
    assert services.deadline_reminders_send(today=friday) == 1
    _in_compliance(cast, add_working_days(friday, 3))
    assert services.deadline_reminders_send(today=friday) == 0


def test_overdue_compliance_check_is_reminded_as_overdue(cast: Cast) -> None:
    due = add_working_days(TODAY, -1)
    assert due == dt.date(2025, 6, 9)
    _in_compliance(cast, due)
    assert services.deadline_reminders_send(today=TODAY) == 1
    assert _reminded(cast) == _organisers(
        cast, "The compliance check of “Competition” is overdue: it was due on 09.06.2025"
    )


def test_reminders_are_sent_once_per_competition_stage_and_day(
    cast: Cast, mailoutbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _in_compliance(cast, TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.deadline_reminders_send(today=TODAY) == 1
        assert services.deadline_reminders_send(today=TODAY) == 0
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [cast.users["official"].email, cast.users["regional_admin"].email]
    )
    assert Notification.objects.count() == 2
    tomorrow = add_working_days(TODAY, 1)
    assert services.deadline_reminders_send(today=tomorrow) == 1
    assert list(DeadlineReminder.objects.values_list("day", flat=True)) == [TODAY, tomorrow]


def test_evaluation_due_is_reminded_and_other_stages_are_not(cast: Cast) -> None:
    due = add_working_days(TODAY, 1)
    _in_evaluation(cast, due)
    f.announced(cast)  # accepting applications: nothing is due
    assert services.deadline_reminders_send(today=TODAY) == 1
    assert _reminded(cast) == _organisers(
        cast, "The evaluation of “Competition” is due on 11.06.2025"
    )
    assert list(DeadlineReminder.objects.values_list("stage", flat=True)) == ["evaluation"]
    assert services.deadline_reminders_send(today=add_working_days(TODAY, 3)) == 1
    assert _reminded(cast)[-1][1] == (
        "The evaluation of “Competition” is overdue: it was due on 11.06.2025"
    )


def test_reminder_is_in_the_recipients_language(cast: Cast) -> None:
    official = cast.users["official"]
    official.preferred_language = "ru"
    official.save(update_fields=["preferred_language"])
    _in_compliance(cast, TODAY)
    services.deadline_reminders_send(today=TODAY)
    subject = Notification.objects.get(recipient=official).subject
    assert "Конкурс" in subject
    assert "10.06.2025" in subject


def test_daily_task_reminds_of_todays_deadlines(cast: Cast) -> None:
    _in_compliance(cast, timezone.localdate())
    assert tasks.deadline_reminders.delay().get() == 1
    assert DeadlineReminder.objects.get().day == timezone.localdate()
    entry = django_settings.CELERY_BEAT_SCHEDULE["funding-deadline-reminders"]
    assert entry["task"] == "funding.deadline_reminders"


def _page(cast: Cast, url: str) -> str:
    client = Client()
    client.force_login(cast.users["official"])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_overdue_compliance_check_is_flagged_on_the_desk_and_the_pages(cast: Cast) -> None:
    today = timezone.localdate()
    late = _in_compliance(cast, add_working_days(today, -1))
    on_time = _in_compliance(cast, add_working_days(today, 1))
    assert late.compliance_overdue
    assert not on_time.compliance_overdue
    desk = _page(cast, "/en/funding/manage/")
    assert desk.count('data-testid="overdue"') == 1
    assert "Compliance check overdue" in desk
    for comp, flagged in ((late, 1), (on_time, 0)):
        for url in (
            f"/en/funding/competitions/{comp.pk}/",
            f"/en/funding/manage/competitions/{comp.pk}/",
        ):
            assert _page(cast, url).count("Compliance check overdue") == flagged, url


def test_overdue_evaluation_is_flagged(cast: Cast) -> None:
    comp = _in_evaluation(cast, add_working_days(timezone.localdate(), -1))
    assert comp.evaluation_overdue
    assert not comp.compliance_overdue
    assert "Evaluation overdue" in _page(cast, "/en/funding/manage/")
    assert "Evaluation overdue" in _page(cast, f"/en/funding/competitions/{comp.pk}/")
