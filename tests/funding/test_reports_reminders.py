"""Reminders of project reports: the NGO's administrators are told (inbox and e-mail) of
reports due within five working days or overdue, once per report and day, whoever runs it
(the daily task, the command, two workers)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ortaq.funding import tasks
from ortaq.funding.enums import ContractStatus
from ortaq.funding.models import Contract, Report
from ortaq.funding.reports import services
from ortaq.lib.workdays import add_working_days
from ortaq.notifications.models import Notification
from tests.access import Cast

from . import reports_helpers as h

pytestmark = pytest.mark.django_db


def _due(report: Report, day: dt.date) -> None:
    Report.objects.filter(pk=report.pk).update(due_date=day)


def _reminders() -> list[tuple[str, str]]:
    return sorted(
        Notification.objects.filter(topic__startswith="funding.report.reminder").values_list(
            "recipient__email", "subject"
        )
    )


@pytest.fixture(autouse=True)
def _ngo_reads_english(cast: Cast) -> None:
    for role in ("ngo_admin", "outsider_ngo_admin"):
        cast.users[role].preferred_language = "en"
        cast.users[role].save(update_fields=["preferred_language"])


def test_due_and_overdue_reports_are_reminded_to_the_ngo_admins_once_a_day(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    made = h.contract(cast)
    made.title = "Youth centre"
    Contract.objects.filter(pk=made.pk).update(title="Youth centre")
    due, overdue = h.first(made), h.final(made)
    _due(due, add_working_days(today, 5))
    _due(overdue, today - dt.timedelta(days=2))
    far = h.first(h.contract(cast))
    _due(far, add_working_days(today, 10))
    sent = h.first(h.contract(cast))
    h.submitted(cast, sent)
    _due(sent, today)  # already submitted: nothing to remind
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.project_report_reminders() == 2
    day = lambda d: d.strftime("%d.%m.%Y")  # noqa: E731
    assert _reminders() == [
        (
            "ngo-admin@example.kz",
            f"Report 1 on “Youth centre” is due on {day(add_working_days(today, 5))}",
        ),
        (
            "ngo-admin@example.kz",
            "Report 2 on “Youth centre” is overdue: it was due on "
            f"{day(today - dt.timedelta(days=2))}",
        ),
    ]
    assert sorted(m.to[0] for m in mail.outbox) == ["ngo-admin@example.kz"] * 2
    assert {
        m.subject.removeprefix(django_settings.ACCOUNT_EMAIL_SUBJECT_PREFIX) for m in mail.outbox
    } == {s for _e, s in _reminders()}
    # A second run the same day, by the task or the command, sends nothing.
    assert tasks.project_report_reminders() == 0
    out = StringIO()
    call_command("remind_project_reports", stdout=out)
    assert out.getvalue() == "0 report(s) reminded.\n"
    assert len(_reminders()) == 2
    # The next day they are reminded again.
    assert services.report_reminders_send(today=today + dt.timedelta(days=1)) == 2
    assert len(_reminders()) == 4


def test_returned_reports_are_reminded_and_contracts_not_in_force_are_not(cast: Cast) -> None:
    today = timezone.localdate()
    made = h.contract(cast)
    returned = h.submitted(cast, h.first(made))
    services.report_return(actor=cast.users["official"], report=returned, comment="Fix")
    _due(returned, today)
    _due(h.final(made), today + dt.timedelta(days=200))
    ended = h.contract(cast)
    _due(h.first(ended), today - dt.timedelta(days=1))
    Contract.objects.filter(pk=ended.pk).update(status=ContractStatus.TERMINATED)
    assert services.report_reminders_send(today=today) == 1
    assert Notification.objects.filter(topic=services.reminder_topic(returned, today)).count() == 1


def test_only_administrators_are_reminded_and_the_command_takes_a_date(cast: Cast) -> None:
    made = h.contract(cast, outsider=True)
    report = h.first(made)
    _due(report, dt.date(2030, 3, 1))
    _due(h.final(made), dt.date(2031, 3, 1))
    out = StringIO()
    call_command("remind_project_reports", "--date", "2030-02-27", stdout=out)
    assert out.getvalue() == "1 report(s) reminded.\n"
    assert [e for e, _s in _reminders()] == ["outsider@example.kz"]
    assert Notification.objects.get().url == f"/en/funding/reports/{report.pk}/edit/"


def test_the_beat_runs_it_daily() -> None:
    entry = django_settings.CELERY_BEAT_SCHEDULE["funding-project-report-reminders"]
    assert entry["task"] == "funding.project_report_reminders"
    assert tasks.project_report_reminders.name == "funding.project_report_reminders"
