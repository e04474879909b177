"""The demo funding world: experts for a 3 + 3 draw, competitions in every stage, the demo
NGO's draft and submitted application, and open data that validates (OCDS and 360Giving)."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.test import Client

from ortaq.demo.world import DEMO_PASSWORD
from ortaq.funding.competitions import services
from ortaq.funding.competitions.selectors import competition_is_open
from ortaq.funding.enums import (
    ApplicationStatus,
    AssignmentStatus,
    CompetitionStatus,
    DecisionStatus,
    ProgrammeKind,
    TopicStatus,
)
from ortaq.funding.models import (
    Application,
    Assignment,
    Competition,
    Expert,
    ExpertDraw,
    Programme,
    Topic,
)
from ortaq.funding.opendata import giving360, ocds
from tests.funding.factories import read_json

pytestmark = pytest.mark.django_db


def test_demo_experts_log_in_and_a_draw_of_three_plus_three_works(demo: str) -> None:
    experts = Expert.objects.filter(is_active=True).select_related("user")
    assert experts.count() >= 6
    for expert in experts:
        assert expert.user.check_password(DEMO_PASSWORD)
        assert expert.user.emailaddress_set.get().verified
        assert expert.user.email in demo
    per_area = Expert.objects.values("areas__code").annotate(n=Count("id"))
    assert {row["areas__code"]: row["n"] for row in per_area}["youth"] >= 6
    for record in ExpertDraw.objects.all():
        assert (len(record.main), len(record.reserves)) == (3, 3)
        assert services.draw_verifies(record)


def test_demo_has_programmes_of_every_kind_and_competitions_in_every_stage(demo: str) -> None:
    assert set(Programme.objects.values_list("kind", flat=True)) == set(ProgrammeKind.values)
    assert len(set(Programme.objects.values_list("year", flat=True))) >= 3
    stages = set(Competition.objects.values_list("status", flat=True))
    assert stages >= {
        CompetitionStatus.ANNOUNCED,
        CompetitionStatus.COMPLIANCE,
        CompetitionStatus.EVALUATION,
        CompetitionStatus.DECISION,
        CompetitionStatus.PUBLISHED,
    }
    for competition in Competition.objects.filter(status=CompetitionStatus.ANNOUNCED):
        assert competition_is_open(competition)
    evaluation = Competition.objects.get(status=CompetitionStatus.EVALUATION)
    statuses = set(
        Assignment.objects.filter(application__lot__competition=evaluation).values_list(
            "status", flat=True
        )
    )
    assert {AssignmentStatus.SUBMITTED, AssignmentStatus.ASSIGNED} <= statuses
    assert Assignment.objects.filter(
        expert__user__email="expert@ortaq.kz", status=AssignmentStatus.ASSIGNED
    ).exists()
    decided = Competition.objects.filter(status=CompetitionStatus.PUBLISHED)
    assert decided.count() >= 3
    for competition in decided:
        assert competition.decision.status == DecisionStatus.PUBLISHED
        assert competition.lots.filter(applications__status=ApplicationStatus.FUNDED).exists()
    assert Competition.objects.get(status=CompetitionStatus.DECISION).decision.status == (
        DecisionStatus.PROPOSED
    )


def test_demo_topics_are_in_consultation_with_comments_and_answers(demo: str) -> None:
    topic = Topic.objects.get(status=TopicStatus.CONSULTATION)
    comments = list(topic.comments.exclude(text=""))
    assert len(comments) == 2
    assert [bool(c.answer) for c in comments] == [True, False]
    approved = Topic.objects.get(status=TopicStatus.APPROVED)
    assert approved.lots.count() == 1


def test_the_demo_ngo_has_a_draft_and_a_submitted_application(demo: str) -> None:
    mine = Application.objects.filter(
        ngo__organisation__memberships__user__email="ngo.admin@ortaq.kz",
        ngo__organisation__name_en="Bolashak Zhastary public association",
    )
    by_stage = set(mine.values_list("lot__competition__status", "status"))
    assert {
        (CompetitionStatus.ANNOUNCED, ApplicationStatus.DRAFT),
        (CompetitionStatus.COMPLIANCE, ApplicationStatus.SUBMITTED),
    } <= by_stage


def test_open_data_of_the_demo_validates(demo: str) -> None:
    client = Client()
    releases = read_json(client.get("/opendata/ocds/releases.json"))
    records = read_json(client.get("/opendata/ocds/records.json"))
    assert ocds.validation_errors(releases) == []
    assert ocds.validation_errors(records, kind="record") == []
    announced = Competition.objects.exclude(status=CompetitionStatus.DRAFT).count()
    assert len(records["records"]) == announced
    assert sum(r["tag"] == ["award"] for r in releases["releases"]) == (
        Competition.objects.filter(status=CompetitionStatus.PUBLISHED).count()
    )


def test_360giving_of_the_demo_validates(demo: str, client: Client) -> None:
    data = client.get("/opendata/360giving.json").json()
    expected = list(giving360.grants_for_360giving().values_list("pk", flat=True))
    assert expected  # the demo's published award at least
    assert [g["id"] for g in data["grants"]] == [f"360G-ortaq-{pk}" for pk in expected]
    assert giving360.validation_errors(data) == []
