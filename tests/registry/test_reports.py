"""The yearly NGO-database report: drafts, submission, review, deadline, reminders, rights."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from ortaq.audit.models import AuditEntry
from ortaq.core.errors import ConflictError, DomainError
from ortaq.registry import report_services as services
from ortaq.registry.enums import NgoStatus, ReportStatus
from ortaq.registry.models import AnnualReport, ReportReminder, ReportStatusChange
from ortaq.registry.report_selectors import closed_year, deadline_of, report_deadline
from tests.access import Cast, PermRow, assert_permission_matrix
from tests.factories import MembershipFactory, UserFactory

from .factories import AnnualReportFactory, NgoProfileFactory

pytestmark = pytest.mark.django_db

COMPLETE = {
    "founders_and_members": "Әбенова Г., Жұмабаев Н.",
    "members_count": 12,
    "income_state_grants": 3_000_000,
    "income_donations": 500_000,
    "income_total_declared": 3_500_000,
    "spending_programmes": 3_000_000,
    "spending_salaries": 400_000,
    "spending_total_declared": 3_400_000,
    "projects_description": "Жастар форумы",
    "projects_count": 1,
    "beneficiaries_count": 250,
}


@pytest.fixture
def own(cast: Cast) -> Any:
    ngo = NgoProfileFactory(organisation=cast.objects["own_ngo"])
    cast.objects["own_profile"] = ngo
    cast.objects["other_profile"] = NgoProfileFactory(organisation=cast.objects["other_ngo"])
    return ngo


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _draft(cast: Cast, ngo: Any, year: int = 2024, **values: Any) -> AnnualReport:
    return services.report_save_draft(
        actor=cast.user("ngo_admin"),
        ngo=ngo,
        year=year,
        expected_version=None,
        values={**COMPLETE, **values},
        today=dt.date(2025, 3, 1),
    )


def test_deadline_is_31_march_of_the_next_year(settings: Any) -> None:
    assert report_deadline(2024) == dt.date(2025, 3, 31)
    settings.NGO_REPORT_DEADLINE = "04-15"
    assert report_deadline(2024) == dt.date(2025, 4, 15)
    assert deadline_of(2024, dt.date(2025, 4, 10)).days_left == 5
    assert deadline_of(2024, dt.date(2025, 4, 16)).passed


def test_closed_year_is_the_last_year_whose_deadline_passed() -> None:
    assert closed_year(dt.date(2025, 3, 31)) == 2023
    assert closed_year(dt.date(2025, 4, 1)) == 2024


def test_draft_is_saved_and_audited(cast: Cast, own: Any) -> None:
    report = _draft(cast, own, members_count=3)
    assert (report.status, report.version, report.members_count) == ("draft", 1, 3)
    report = services.report_save_draft(
        actor=cast.user("ngo_admin"),
        ngo=own,
        year=2024,
        expected_version=1,
        values={"members_count": 5},
        today=dt.date(2025, 3, 1),
    )
    assert (report.version, report.members_count) == (2, 5)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-2:] == ["annual_report.create", "annual_report.update"]


def test_stale_version_raises_conflict_and_changes_nothing(cast: Cast, own: Any) -> None:
    _draft(cast, own, members_count=3)
    with pytest.raises(ConflictError):
        services.report_save_draft(
            actor=cast.user("ngo_admin"),
            ngo=own,
            year=2024,
            expected_version=0,
            values={"members_count": 99},
            today=dt.date(2025, 3, 1),
        )
    assert AnnualReport.objects.get().members_count == 3


def test_no_report_for_the_current_year(cast: Cast, own: Any) -> None:
    with pytest.raises(DomainError):
        services.report_save_draft(
            actor=cast.user("ngo_admin"),
            ngo=own,
            year=2025,
            expected_version=None,
            values={},
            today=dt.date(2025, 3, 1),
        )


def test_submit_on_time(cast: Cast, own: Any) -> None:
    report = _draft(cast, own)
    report = services.report_submit(
        actor=cast.user("ngo_admin"), report=report, now=_at(dt.date(2025, 3, 31), 23)
    )
    assert (report.status, report.submitted_late) == (ReportStatus.SUBMITTED, False)
    change = ReportStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.actor_id) == (
        "draft",
        "submitted",
        cast.users["ngo_admin"].pk,
    )


def test_submit_after_the_deadline_is_marked_late(cast: Cast, own: Any) -> None:
    report = _draft(cast, own)
    report = services.report_submit(
        actor=cast.user("ngo_admin"), report=report, now=_at(dt.date(2025, 4, 1), 9)
    )
    assert report.submitted_late is True
    assert AnnualReport.objects.get().submitted_late is True


def test_submit_refused_when_totals_do_not_add_up(cast: Cast, own: Any) -> None:
    report = _draft(cast, own, income_total_declared=1, founders_and_members="")
    with pytest.raises(services.ReportIncomplete) as error:
        services.report_submit(actor=cast.user("ngo_admin"), report=report)
    assert sorted(k or "" for k in error.value.errors) == [
        "founders_and_members",
        "income_total_declared",
    ]
    assert AnnualReport.objects.get().status == ReportStatus.DRAFT
    assert not ReportStatusChange.objects.exists()


def test_return_needs_a_comment(cast: Cast, own: Any) -> None:
    report = services.report_submit(actor=cast.user("ngo_admin"), report=_draft(cast, own))
    with pytest.raises(DomainError):
        services.report_return(actor=cast.user("regional_admin"), report=report, comment="  ")
    assert AnnualReport.objects.get().status == ReportStatus.SUBMITTED


def test_returned_report_is_corrected_and_accepted(cast: Cast, own: Any) -> None:
    report = _draft(cast, own)
    report = services.report_submit(
        actor=cast.user("ngo_admin"), report=report, now=_at(dt.date(2025, 3, 1))
    )
    report = services.report_return(
        actor=cast.user("regional_admin"), report=report, comment="Add the donors."
    )
    assert (report.status, report.review_comment) == ("returned", "Add the donors.")
    report = services.report_save_draft(
        actor=cast.user("ngo_admin"),
        ngo=own,
        year=2024,
        expected_version=report.version,
        values={"founders_and_members": "Donors: Ақниет LLP"},
        today=dt.date(2025, 4, 2),
    )
    report = services.report_submit(
        actor=cast.user("ngo_admin"), report=report, now=_at(dt.date(2025, 4, 5))
    )
    assert report.submitted_late is False  # first filed on time
    report = services.report_accept(actor=cast.user("platform_admin"), report=report)
    assert report.status == ReportStatus.ACCEPTED
    assert list(ReportStatusChange.objects.values_list("from_status", "to_status", "note")) == [
        ("draft", "submitted", ""),
        ("submitted", "returned", "Add the donors."),
        ("returned", "submitted", ""),
        ("submitted", "accepted", ""),
    ]


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (ReportStatus.DRAFT, "accept"),
        (ReportStatus.DRAFT, "return"),
        (ReportStatus.ACCEPTED, "submit"),
        (ReportStatus.ACCEPTED, "return"),
        (ReportStatus.RETURNED, "accept"),
    ],
)
def test_transitions_outside_the_table_are_refused(
    cast: Cast, own: Any, status: str, action: str
) -> None:
    report = AnnualReportFactory(
        ngo=own, year=2024, status=status, submitted_at=timezone.now(), **COMPLETE
    )
    call = {
        "accept": lambda: services.report_accept(actor=cast.user("regional_admin"), report=report),
        "return": lambda: services.report_return(
            actor=cast.user("regional_admin"), report=report, comment="x"
        ),
        "submit": lambda: services.report_submit(actor=cast.user("ngo_admin"), report=report),
    }[action]
    with pytest.raises(DomainError):
        call()
    assert AnnualReport.objects.get().status == status
    assert not ReportStatusChange.objects.exists()


def test_submitted_report_cannot_be_edited(cast: Cast, own: Any) -> None:
    report = services.report_submit(actor=cast.user("ngo_admin"), report=_draft(cast, own))
    with pytest.raises(DomainError):
        services.report_save_draft(
            actor=cast.user("ngo_admin"),
            ngo=own,
            year=2024,
            expected_version=report.version,
            values={"members_count": 1},
            today=dt.date(2025, 3, 1),
        )


def test_only_the_ngo_admin_fills_and_only_the_region_reviews(cast: Cast, own: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.report_save_draft(
            actor=cast.user("ngo_member"),
            ngo=own,
            year=2024,
            expected_version=None,
            values={},
            today=dt.date(2025, 3, 1),
        )
    report = services.report_submit(actor=cast.user("ngo_admin"), report=_draft(cast, own))
    with pytest.raises(PermissionDenied):
        services.report_accept(actor=cast.user("other_regional_admin"), report=report)


def test_report_permissions(cast: Cast, own: Any) -> None:
    cast.objects["own_report"] = AnnualReportFactory(ngo=own, year=2024)
    # The platform administrator reviews reports; only the NGO's administrators fill them.
    own_admins = frozenset({"ngo_admin"})
    reviewers = frozenset({"regional_admin", "platform_admin"})
    assert_permission_matrix(
        cast,
        [
            PermRow("registry.fill_annualreport", "own_profile", own_admins),
            PermRow("registry.fill_annualreport", "own_report", own_admins),
            PermRow(
                "registry.fill_annualreport",
                "other_profile",
                frozenset({"outsider_ngo_admin"}),
            ),
            PermRow("registry.review_annualreport", "own_report", reviewers),
            PermRow(
                "registry.review_annualreport",
                "other_profile",
                frozenset({"other_regional_admin", "platform_admin"}),
            ),
            PermRow("registry.view_annualreport", "own_report", own_admins | reviewers),
            PermRow(
                "registry.view_compliance",
                None,
                frozenset({"regional_admin", "other_regional_admin", "platform_admin"}),
            ),
            PermRow(
                "registry.import_ngos",
                None,
                frozenset({"regional_admin", "other_regional_admin", "platform_admin"}),
            ),
        ],
    )


# --- Reminders -------------------------------------------------------------------------------


def _reminder_world(cast: Cast, own: Any) -> dict[str, Any]:
    """Own NGO has not filed; a second NGO filed; a third is liquidated; a fourth has a draft."""
    filed = NgoProfileFactory()
    MembershipFactory(organisation=filed.organisation, role="admin")
    AnnualReportFactory(ngo=filed, year=2024, status="submitted", submitted_at=timezone.now())
    gone = NgoProfileFactory(status=NgoStatus.LIQUIDATED)
    MembershipFactory(organisation=gone.organisation, role="admin")
    drafting = NgoProfileFactory()
    drafter = UserFactory(email="drafter@example.kz", preferred_language="ru")
    MembershipFactory(organisation=drafting.organisation, role="admin", user=drafter)
    AnnualReportFactory(ngo=drafting, year=2024, status="draft")
    return {"drafting": drafting}


def test_reminders_go_to_admins_of_ngos_that_have_not_filed(
    cast: Cast, own: Any, django_capture_on_commit_callbacks: Any
) -> None:
    world = _reminder_world(cast, own)
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.reminders_send(today=dt.date(2025, 3, 24))  # 7 days before
    assert sent == 3
    assert sorted(m.to[0] for m in mail.outbox) == [
        "drafter@example.kz",
        "ngo-admin@example.kz",
        "outsider@example.kz",
    ]
    drafter_mail = next(m for m in mail.outbox if m.to == ["drafter@example.kz"])
    assert "2024" in drafter_mail.subject
    assert "31.03.2025" in drafter_mail.body
    assert sorted(ReportReminder.objects.values_list("ngo_id", "year", "days_before")) == sorted(
        (ngo.pk, 2024, 7) for ngo in (own, cast.objects["other_profile"], world["drafting"])
    )


def test_reminders_are_sent_once_a_day(
    cast: Cast, own: Any, django_capture_on_commit_callbacks: Any
) -> None:
    _reminder_world(cast, own)
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(today=dt.date(2025, 3, 24))
        assert services.reminders_send(today=dt.date(2025, 3, 24)) == 0
    assert len(mail.outbox) == 3


def test_no_reminder_on_other_days(cast: Cast, own: Any, settings: Any) -> None:
    settings.NGO_REPORT_REMINDER_DAYS = [30, 7, 1]
    _reminder_world(cast, own)
    assert services.reminders_send(today=dt.date(2025, 3, 23)) == 0
    assert services.reminders_send(today=dt.date(2025, 3, 30)) == 3  # 1 day before
    assert services.reminders_send(today=dt.date(2025, 3, 1)) == 3  # 30 days before


def test_reminder_task_is_scheduled_daily(settings: Any) -> None:
    from celery.schedules import crontab

    entry = settings.CELERY_BEAT_SCHEDULE["registry-report-reminders"]
    assert entry["task"] == "registry.send_report_reminders"
    assert isinstance(entry["schedule"], crontab)
