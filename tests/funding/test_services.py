"""The funding workflow through its services: each rule of the issue, one test each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError
from django.utils import timezone

from ortaq.core.errors import DomainError
from ortaq.funding.competitions import services
from ortaq.funding.enums import (
    ApplicationStatus,
    AssignmentStatus,
    CompetitionStatus,
    ComplianceReason,
    ConflictSource,
    DecisionStatus,
)
from ortaq.funding.models import Application, Assignment, Criterion, ExpertDraw
from ortaq.notifications.models import Notification
from ortaq.registry.enums import Verification
from ortaq.registry.models import AnnualReport
from tests.access import Cast

from . import factories as f

pytestmark = pytest.mark.django_db


def test_programme_gets_the_five_default_criteria_and_the_grant_cap(cast: Cast) -> None:
    programme = f.programme(cast)
    assert list(programme.criteria.values_list("code", "weight", "scale_max")) == [
        ("relevance", 1, 5),
        ("plan", 1, 5),
        ("result", 1, 5),
        ("continuity", 1, 5),
        ("impact", 1, 5),
    ]
    assert programme.institutional_cap_percent == 10


def test_only_the_organiser_creates_programmes(cast: Cast) -> None:
    with pytest.raises(DomainError):
        services.programme_create(
            actor=cast.users["outsider_ngo_admin"],
            owner=cast.objects["state_body"],
            kind="state_grant",
            year=2026,
            title_kk="x",
            title_ru="x",
            budget=1,
        )


def test_announce_sets_the_deadline_in_working_days_at_18_local(cast: Cast) -> None:
    comp = f.announced(cast)
    assert comp.status == CompetitionStatus.ANNOUNCED
    local = comp.application_deadline.astimezone(dt.timezone(dt.timedelta(hours=5)))
    assert local.hour == 18
    assert comp.application_deadline > timezone.now()
    assert list(comp.status_changes.values_list("from_status", "to_status")) == [
        ("draft", "announced")
    ]


def test_announce_refuses_a_competition_without_lots(cast: Cast) -> None:
    comp = f.competition(cast, lots=0)
    with pytest.raises(DomainError, match="at least one lot"):
        services.competition_announce(actor=cast.users["official"], competition=comp)


def test_submit_and_the_applicant_is_notified(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    comp = f.announced(cast)
    with django_capture_on_commit_callbacks(execute=True):
        application = f.submitted(cast, comp)
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.requested_amount == 5_000_000
    assert (
        Notification.objects.filter(
            recipient=cast.users["ngo_admin"], topic="funding.application.submitted"
        ).count()
        == 1
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["member@example.kz", "ngo-admin@example.kz"]


def test_submit_rejected_after_deadline(cast: Cast) -> None:
    comp = f.announced(cast)
    application = f.draft(cast, comp)
    f.pass_deadline(comp)
    with pytest.raises(DomainError, match="deadline has passed"):
        services.application_submit(actor=cast.users["ngo_admin"], application=application)


def test_submit_rejected_when_not_in_the_ngo_database(cast: Cast) -> None:
    comp = f.announced(cast)
    application = f.draft(cast, comp)
    AnnualReport.objects.filter(ngo=application.ngo).delete()
    with pytest.raises(DomainError, match="not in the NGO database"):
        services.application_submit(actor=cast.users["ngo_admin"], application=application)


def test_submit_rejected_for_an_unverified_ngo(cast: Cast) -> None:
    comp = f.announced(cast)
    application = f.draft(cast, comp)
    application.ngo.verification = Verification.UNVERIFIED
    application.ngo.save()
    with pytest.raises(DomainError, match="verified"):
        services.application_submit(actor=cast.users["ngo_admin"], application=application)


def test_budget_over_ceiling_and_institutional_cap_are_refused(cast: Cast) -> None:
    comp = f.announced(cast, ceiling=4_000_000)
    application = f.draft(cast, comp, amount=5_000_000, institutional=1_000_000)
    problems = services.submission_problems(application)
    assert "The budget exceeds the lot's ceiling." in problems
    assert "Institutional needs may be at most 10% of the budget." in problems


def test_one_application_per_ngo_and_lot(cast: Cast) -> None:
    comp = f.announced(cast)
    application = f.draft(cast, comp)
    with pytest.raises(DomainError, match="already has an application"):
        f.draft(cast, comp)
    with pytest.raises(IntegrityError):
        Application.objects.create(
            lot=application.lot, ngo=application.ngo, title="x", region=application.region
        )


def test_withdraw_before_deadline_and_no_editing_after_submission(cast: Cast) -> None:
    comp = f.announced(cast)
    application = f.submitted(cast, comp)
    with pytest.raises(DomainError, match="cannot be edited"):
        services.application_update(
            actor=cast.users["ngo_admin"],
            application=application,
            expected_version=application.version,
            title="Changed",
        )
    application = services.application_withdraw(
        actor=cast.users["ngo_admin"], application=application, reason="Ошибка в бюджете"
    )
    assert application.status == ApplicationStatus.WITHDRAWN
    assert application.status_changes.last().note == "Ошибка в бюджете"


def test_outsider_cannot_edit_or_submit(cast: Cast) -> None:
    comp = f.announced(cast)
    application = f.draft(cast, comp)
    for role in ("outsider_ngo_admin", "ngo_member", "official"):
        with pytest.raises(DomainError):
            services.application_submit(actor=cast.users[role], application=application)


def test_attachment_type_is_read_from_the_content(cast: Cast, settings: Any, tmp_path: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    comp = f.announced(cast)
    application = f.draft(cast, comp)
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(DomainError, match="Only PDF"):
        services.attachment_add(actor=cast.users["ngo_admin"], application=application, upload=fake)
    pdf = SimpleUploadedFile("устав.pdf", b"%PDF-1.4\n%%EOF\n")
    attachment = services.attachment_add(
        actor=cast.users["ngo_admin"], application=application, upload=pdf
    )
    assert (attachment.content_type, attachment.original_name) == ("application/pdf", "устав.pdf")
    assert str(tmp_path) in attachment.file.path
    settings.FUNDING_ATTACHMENT_MAX_BYTES = 4
    with pytest.raises(DomainError, match="too large"):
        services.attachment_add(actor=cast.users["ngo_admin"], application=application, upload=pdf)


def _through_compliance(
    cast: Cast, *, n: int = 1, amounts: tuple[int, ...] = (), **kwargs: Any
) -> tuple[Any, list[Any]]:
    comp = f.announced(cast, **kwargs)
    amounts = amounts or tuple(5_000_000 - i for i in range(n))
    apps = [f.submitted(cast, comp, amount=amounts[0])]
    for i in range(1, n):
        ngo, admin = f.ngo_with_admin(cast, f"NGO {i}")
        apps.append(f.submitted(cast, comp, ngo=ngo, admin=admin, amount=amounts[i]))
    f.pass_deadline(comp)
    comp = services.competition_close(actor=cast.users["official"], competition=comp)
    return comp, apps


def test_close_refused_before_deadline(cast: Cast) -> None:
    comp = f.announced(cast)
    with pytest.raises(DomainError, match="still accepted"):
        services.competition_close(actor=cast.users["official"], competition=comp)


def test_compliance_failure_keeps_each_reason_and_notifies(cast: Cast) -> None:
    comp, (application,) = _through_compliance(cast)
    assert comp.compliance_due is not None
    application = services.compliance_record(
        actor=cast.users["official"],
        application=application,
        failures=[(ComplianceReason.DOCUMENTS, "Нет устава")],
    )
    assert application.status == ApplicationStatus.NON_COMPLIANT
    assert list(application.compliance_failures.values_list("reason", "explanation")) == [
        ("documents", "Нет устава")
    ]
    assert "Нет устава" in application.status_changes.last().note
    assert Notification.objects.filter(
        recipient=cast.users["ngo_admin"], topic="funding.application.compliance"
    ).exists()


def _through_draw(cast: Cast, *, n: int = 1, **kwargs: Any) -> tuple[Any, list[Any]]:
    comp, apps = _through_compliance(cast, n=n, **kwargs)
    for application in apps:
        services.compliance_record(
            actor=cast.users["official"], application=application, failures=[]
        )
    f.experts(6)
    comp = services.evaluation_start(actor=cast.users["official"], competition=comp)
    return comp, [Application.objects.get(pk=a.pk) for a in apps]


def test_draw_assigns_three_and_records_a_verifiable_seed(cast: Cast) -> None:
    comp, (application,) = _through_draw(cast)
    draw = ExpertDraw.objects.get(competition=comp)
    assert (len(draw.main), len(draw.reserves)) == (3, 3)
    assert services.draw_verifies(draw)
    assert sorted(application.assignments.values_list("expert_id", flat=True)) == sorted(draw.main)
    draw.main = [draw.reserves[0], *draw.main[1:]]
    assert not services.draw_verifies(draw)


def test_system_flags_a_member_of_the_applicant_and_uses_a_reserve(cast: Cast) -> None:
    comp, apps = _through_compliance(cast)
    services.compliance_record(actor=cast.users["official"], application=apps[0], failures=[])
    # Only the three experts of the register who would be drawn... all six are in the pool;
    # make every expert a member of the applicant except the reserves' last one.
    pool = f.experts(6)
    from ortaq.accounts.models import Membership

    for expert in pool[:1]:
        Membership.objects.create(
            user=expert.user, organisation=cast.objects["own_ngo"], role="member"
        )
    services.evaluation_start(actor=cast.users["official"], competition=comp)
    flagged = Assignment.objects.filter(expert=pool[0], application=apps[0]).first()
    active = Assignment.objects.filter(application=apps[0]).exclude(status=AssignmentStatus.RECUSED)
    assert active.count() == 3
    assert pool[0].pk not in active.values_list("expert_id", flat=True)
    if flagged is not None:  # pool[0] was drawn: recused by the system and replaced
        assert flagged.conflict == ConflictSource.APPLICANT
        assert flagged.replaced_by.role == "reserve"


def test_declared_conflict_recuses_and_a_reserve_replaces(cast: Cast) -> None:
    comp, (application,) = _through_draw(cast)
    first = application.assignments.order_by("id").first()
    services.assignment_declare(
        actor=first.expert.user, assignment=first, no_conflict=False, note="Родственник"
    )
    first.refresh_from_db()
    assert first.status == AssignmentStatus.RECUSED
    assert first.replaced_by.expert_id in ExpertDraw.objects.get(competition=comp).reserves


def _score_all(application: Any, values: list[int | None]) -> None:
    criteria = list(Criterion.objects.filter(programme=application.lot.competition.programme))
    for assignment in application.assignments.exclude(status=AssignmentStatus.RECUSED):
        user = assignment.expert.user
        services.assignment_declare(actor=user, assignment=assignment, no_conflict=True)
        services.scores_submit(
            actor=user,
            assignment=assignment,
            values={c.pk: v for c, v in zip(criteria, values, strict=True)},
        )


def test_scores_need_a_declaration_first(cast: Cast) -> None:
    comp, (application,) = _through_draw(cast)
    assignment = application.assignments.first()
    criteria = Criterion.objects.filter(programme=comp.programme)
    with pytest.raises(DomainError, match="Declare"):
        services.scores_submit(
            actor=assignment.expert.user,
            assignment=assignment,
            values={c.pk: 5 for c in criteria},
        )
    with pytest.raises(DomainError, match="not your assignment"):
        services.assignment_declare(
            actor=cast.users["official"], assignment=assignment, no_conflict=True
        )


def test_whole_cycle_to_published_results(cast: Cast) -> None:
    comp, apps = _through_draw(
        cast, n=3, ceiling=6_000_000, amounts=(5_000_000, 3_000_000, 1_000_000)
    )
    _score_all(apps[0], [5, 5, 5, 5, None])  # 100
    _score_all(apps[1], [4, 4, 4, 4, 4])  # 80
    _score_all(apps[2], [3, 3, 3, 3, 3])  # 60
    decision = services.decision_compute(actor=cast.users["official"], competition=comp)
    lines = list(
        decision.lines.order_by("rank").values_list(
            "application_id", "funded", "skip_reason", "total_score"
        )
    )
    assert lines == [
        (apps[0].pk, True, "", Decimal("100.00")),
        (apps[1].pk, False, "over_budget", Decimal("80.00")),
        (apps[2].pk, True, "", Decimal("60.00")),
    ]
    services.decision_confirm(actor=cast.users["official"], decision=decision)
    decision = services.decision_publish(actor=cast.users["regional_admin"], decision=decision)
    assert decision.status == DecisionStatus.PUBLISHED
    statuses = [Application.objects.get(pk=a.pk).status for a in apps]
    assert statuses == ["funded", "not_funded", "funded"]
    assert "Does not fit" in Application.objects.get(pk=apps[1].pk).status_changes.last().note
    comp.refresh_from_db()
    assert comp.status == CompetitionStatus.PUBLISHED


def test_second_approver_must_be_another_person(cast: Cast) -> None:
    comp, apps = _through_draw(cast, second_approval=True)
    _score_all(apps[0], [5, 5, 5, 5, 5])
    decision = services.decision_compute(actor=cast.users["official"], competition=comp)
    services.decision_confirm(actor=cast.users["official"], decision=decision)
    with pytest.raises(DomainError, match="second approver"):
        services.decision_publish(actor=cast.users["official"], decision=decision)
    with pytest.raises(DomainError, match="another person"):
        services.decision_approve(actor=cast.users["official"], decision=decision)
    services.decision_approve(actor=cast.users["regional_admin"], decision=decision)
    services.decision_publish(actor=cast.users["official"], decision=decision)
