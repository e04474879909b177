"""Demo projects: what each demo login finds to do on the contract, report, monitoring and
evaluation pages; the rows keep the models' rules (tranches sum to the amount, released only
after an approved report, history rows). Idempotence: tests/demo/test_seed.py."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from ortaq.accounts.enums import Role
from ortaq.accounts.models import Membership, Organisation
from ortaq.demo import funding_projects as demo_projects
from ortaq.demo import funding_risk as demo_risk
from ortaq.demo.councils import PUBLIC_RU
from ortaq.funding.enums import (
    ApplicationStatus,
    ContractStatus,
    EvaluationStatus,
    MonitorKind,
    ProjectReportStatus,
    TrancheStatus,
    VisitStatus,
)
from ortaq.funding.models import (
    Application,
    Contract,
    ContractStatusChange,
    Evaluation,
    MonitoringVisit,
    Report,
    ReportStatusChange,
    Tranche,
    VisitFinding,
    VisitPhoto,
    private_storage,
)
from ortaq.funding.rules import ORGANISER_ROLES
from tests.funding.test_demo_projects import assert_consistent

pytestmark = pytest.mark.django_db

FRESH = demo_projects.FRESH_TITLES[1]


def _organisation_of(email: str, role: str) -> Organisation:
    return Organisation.objects.get(memberships__user__email=email, memberships__role=role)


def _lots(queryset: Any, *fields: str) -> list[Any]:
    """Rows of this year's competition, by lot number (and the other fields asked)."""
    return list(
        queryset.filter(contract__application__lot__competition__title_ru__startswith=FRESH)
        .order_by("contract__application__lot__number", "pk")
        .values_list("contract__application__lot__number", *fields)
    )


def _the_official_has_a_report_to_review_a_tranche_to_release_and_contracts_to_make() -> None:
    body = _organisation_of("official@ortaq.kz", Role.OFFICIAL)
    mine = Report.objects.filter(contract__organiser=body)
    assert list(mine.filter(status=ProjectReportStatus.SUBMITTED).values_list("number")) == [(1,)]
    assert _lots(mine.filter(status=ProjectReportStatus.SUBMITTED), "number") == [(3, 1)]
    ready = Tranche.objects.filter(
        contract__organiser=body,
        contract__status=ContractStatus.ACTIVE,
        status=TrancheStatus.PLANNED,
        report__status=ProjectReportStatus.APPROVED,
    )
    assert _lots(ready, "number") == [(4, 2)]
    drafts = Contract.objects.filter(organiser=body, status=ContractStatus.DRAFT)
    assert list(drafts.values_list("application__lot__number", "signed_on")) == [(5, None)]
    to_prepare = Application.objects.filter(
        lot__competition__organiser=body, status=ApplicationStatus.FUNDED, contract__isnull=True
    ).exclude(demo_risk.planted())  # a planted duplicate of demo_risk waits there too
    assert list(to_prepare.values_list("lot__competition__title_ru", "lot__number")) == [
        (f"{FRESH} {timezone.localdate().year}", demo_projects.UNPREPARED_LOT)
    ]
    visits = MonitoringVisit.objects.filter(
        inspector__email="official@ortaq.kz", status=VisitStatus.DRAFT
    )
    assert _lots(visits, "monitor_kind", "published_at") == [(3, MonitorKind.STATE_BODY, None)]
    assert visits.get().photos.count() == 1


def _the_ngo_admin_has_a_report_due_soon_a_returned_one_and_a_finding_to_answer() -> None:
    ngo = _organisation_of("ngo.admin@ortaq.kz", Role.ADMIN)
    today = timezone.localdate()
    contracts = Contract.objects.filter(ngo__organisation=ngo)
    assert list(contracts.order_by("application__lot__number").values_list("status")) == [
        (ContractStatus.ACTIVE,),
        (ContractStatus.ACTIVE,),
    ]
    reports = Report.objects.filter(contract__ngo__organisation=ngo)
    due_soon = reports.filter(
        status=ProjectReportStatus.DRAFT, due_date__range=(today, today + dt.timedelta(days=7))
    )
    assert _lots(due_soon, "number", "due_date") == [(1, 1, today + dt.timedelta(days=4))]
    assert not due_soon.get().is_late
    returned = reports.filter(status=ProjectReportStatus.RETURNED)
    assert _lots(returned, "number", "review_comment") == [(2, 1, demo_projects.RETURN_COMMENTS[0])]
    assert list(returned.get().status_changes.values_list("from_status", "to_status")) == [
        (ProjectReportStatus.DRAFT, ProjectReportStatus.SUBMITTED),
        (ProjectReportStatus.SUBMITTED, ProjectReportStatus.RETURNED),
    ]
    findings = VisitFinding.objects.filter(
        visit__contract__ngo__organisation=ngo, visit__status=VisitStatus.PUBLISHED
    )
    assert list(findings.order_by("position").values_list("answer", flat=True)) == [
        demo_projects.ANSWERS[2],
        "",
    ]


def _the_council_chair_published_a_visit_with_photos() -> None:
    visit = MonitoringVisit.objects.get(inspector__email="council.chair@ortaq.kz")
    assert (visit.monitor_kind, visit.status, visit.council.name_ru) == (
        MonitorKind.COUNCIL,
        VisitStatus.PUBLISHED,
        PUBLIC_RU,
    )
    assert visit.published_at is not None
    assert visit.photos.count() == 2


def _the_expert_has_a_completed_project_to_evaluate_and_others_are_published() -> None:
    mine = Evaluation.objects.get(evaluated_by__email="expert@ortaq.kz")
    assert (mine.status, mine.contract.status, mine.published_at) == (
        EvaluationStatus.DRAFT,
        ContractStatus.COMPLETED,
        None,
    )
    published = Evaluation.objects.filter(status=EvaluationStatus.PUBLISHED)
    assert published.exists()
    assert not published.filter(evaluated_by__email="expert@ortaq.kz").exists()
    for evaluation in published:
        assert evaluation.contract.status == ContractStatus.COMPLETED
        assert evaluation.scores.count() == 5
        assert evaluation.conclusion


def _every_funded_application_of_the_demo_but_one_has_a_contract() -> None:
    # The risk module's plants (demo_risk) keep their own story: left out here.
    funded = Application.objects.filter(status=ApplicationStatus.FUNDED).exclude(
        demo_risk.planted()
    )
    assert funded.filter(contract__isnull=True).count() == 1
    assert Contract.objects.exclude(number__startswith="РС-").count() == funded.count() - 1
    statuses = set(Contract.objects.values_list("status", flat=True))
    assert statuses == set(ContractStatus.values)
    report_statuses = set(Report.objects.values_list("status", flat=True))
    assert report_statuses == set(ProjectReportStatus.values)


def _photos_are_small_jpegs_without_metadata_in_the_private_storage() -> None:
    photos = list(VisitPhoto.objects.all())
    assert len(photos) == 6
    for photo in photos:
        assert photo.file.name.startswith(f"visits/{photo.visit_id}/")
        with private_storage.open(photo.file.name) as handle:
            data = handle.read()
        assert len(data) == photo.size < 100_000
        with Image.open(io.BytesIO(data)) as image:
            assert (image.format, image.size) == ("JPEG", (photo.width, photo.height))
            assert not image.getexif()


def test_each_demo_login_finds_work_on_the_project_pages(demo: str) -> None:
    """One seed, every login's view (the demo takes a while to make)."""
    _the_official_has_a_report_to_review_a_tranche_to_release_and_contracts_to_make()
    _the_ngo_admin_has_a_report_due_soon_a_returned_one_and_a_finding_to_answer()
    _the_council_chair_published_a_visit_with_photos()
    _the_expert_has_a_completed_project_to_evaluate_and_others_are_published()


def _every_act_of_the_small_demo_names_a_person_allowed_to_do_it() -> None:
    """The small demo is made through the services: each act has its actor, and he holds the
    role the rules ask of him (the customer's staff, the NGO's administrator)."""
    contracts = Contract.objects.exclude(number__startswith="РС-")  # demo_risk's plants
    customers = {
        (m.organisation_id, m.user_id)
        for m in Membership.objects.filter(role__in=ORGANISER_ROLES, is_active=True)
    }
    admins = {
        (m.organisation_id, m.user_id)
        for m in Membership.objects.filter(role=Role.ADMIN, is_active=True)
    }
    released = Tranche.objects.filter(contract__in=contracts, status=TrancheStatus.RELEASED)
    assert released.exists()
    for organiser, person in released.values_list("contract__organiser", "released_by"):
        assert (organiser, person) in customers
    reviewed = Report.objects.filter(contract__in=contracts, reviewed_at__isnull=False)
    assert reviewed.exists()
    for organiser, person in reviewed.values_list("contract__organiser", "reviewed_by"):
        assert (organiser, person) in customers
    sent = ReportStatusChange.objects.filter(
        report__contract__in=contracts, to_status=ProjectReportStatus.SUBMITTED
    )
    for ngo, person in sent.values_list("report__contract__ngo__organisation", "actor"):
        assert (ngo, person) in admins
    assert not MonitoringVisit.objects.filter(inspector__isnull=True).exists()
    answered = VisitFinding.objects.exclude(answer="")
    assert answered.exists()
    for ngo, person in answered.values_list("visit__contract__ngo__organisation", "answered_by"):
        assert (ngo, person) in admins


def test_the_demo_keeps_the_rules(demo: str) -> None:
    assert f"funding (projects): {Contract.objects.count()} contracts of the demo" in demo
    _every_funded_application_of_the_demo_but_one_has_a_contract()
    assert_consistent(timezone.localdate())
    assert ContractStatusChange.objects.filter(to_status=ContractStatus.TERMINATED).count() == 1
    _photos_are_small_jpegs_without_metadata_in_the_private_storage()
    _every_act_of_the_small_demo_names_a_person_allowed_to_do_it()
