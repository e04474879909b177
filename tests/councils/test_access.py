"""The access matrix of the councils: only the chair and the secretary record a meeting,
only the addressed state body's officials answer, everyone reads the public pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import rules
from django.core.files.uploadedfile import SimpleUploadedFile

from ortaq.councils import services
from ortaq.councils.models import (
    AgendaDocument,
    AgendaItem,
    Ballot,
    Election,
    ElectionCandidate,
    Recommendation,
)
from tests.access import EVERYONE, ROLES, Cast, HttpRow, PermRow, assert_http_matrix
from tests.factories import OrganisationFactory

from .conftest import CouncilWorld

pytestmark = pytest.mark.django_db

RECORDERS = frozenset({"ngo_admin", "ngo_member"})  # the chair and the secretary
ANSWERERS = frozenset({"official", "regional_admin"})  # of the addressed state body
HOST_STAFF = frozenset({"official", "regional_admin", "platform_admin"})


@pytest.fixture
def recorded(world: CouncilWorld, cast: Cast) -> CouncilWorld:
    item = services.agenda_item_add(
        actor=None, meeting=world.meeting, topic_kk="Тақырып", topic_ru="Тема", vote_mode="by_count"
    )
    members = world.composition.members.all()
    services.attendance_record(
        actor=None, meeting=world.meeting, present_ids=[m.pk for m in members]
    )
    services.decision_record(actor=None, item=item, decision_kk="Шешім", decision_ru="Решение")
    recommendation = services.recommendation_create(
        actor=None,
        item=item,
        addressee=cast.objects["state_body"],
        text_kk="Ұсыным",
        text_ru="Рекомендация",
        sent_on=dt.date(2024, 3, 15),
    )
    version = services.protocol_generate(actor=None, meeting=world.meeting)
    cast.objects.update(item=item, recommendation=recommendation, draft=version)
    voter = OrganisationFactory()
    preparing, voting = (
        services.election_create(
            actor=None,
            council=world.council,
            held_on=dt.date(2026, 12, 8),
            seats=2,
            max_choices=2,
            term_start=dt.date(2027, 1, 15),
            electors=[voter],
            candidates=[("Ana", None), ("Bek", None)],
        )
        for _ in range(2)
    )
    services.election_open(actor=None, election=voting)
    cast.objects.update(election=preparing, voting=voting, voter=voter)
    return world


def assert_rule_matrix(cast: Cast, rows: list[PermRow]) -> None:
    """As tests.access.assert_permission_matrix, but asking the rules (what the council views
    ask), not user.has_perm: Django's ModelBackend would grant the superuser everything."""
    mismatches = []
    for row in rows:
        obj = cast.objects[row.target] if row.target else None
        for role in ROLES:
            actual = rules.has_perm(row.perm, cast.user(role), obj)
            if actual != (role in row.allowed):
                mismatches.append(f"{row.perm} on {row.target} as {role}: got {actual}")
    assert not mismatches, "Access matrix mismatches:\n" + "\n".join(mismatches)


def test_council_permissions(cast: Cast, recorded: CouncilWorld) -> None:
    assert_rule_matrix(
        cast,
        [
            PermRow("councils.view_council", "council", EVERYONE),
            PermRow("councils.manage_council", "council", HOST_STAFF),
            PermRow("councils.manage_council", "election", HOST_STAFF),
            PermRow("councils.record_meeting", "council", RECORDERS),
            PermRow("councils.record_meeting", "meeting", RECORDERS),
            PermRow("councils.approve_protocol", "draft", RECORDERS),
            PermRow("councils.view_protocolversion", "draft", RECORDERS),
            PermRow("councils.add_recommendation", "meeting", RECORDERS),
            PermRow("councils.answer_recommendation", "recommendation", ANSWERERS),
            PermRow(
                "councils.add_council",
                None,
                frozenset(
                    {
                        "ngo_admin",
                        "outsider_ngo_admin",
                        "official",
                        "regional_admin",
                        "other_regional_admin",
                        "platform_admin",
                    }
                ),
            ),
        ],
    )


def _reset_answer(cast: Cast) -> None:
    Recommendation.objects.filter(pk=cast.objects["recommendation"].pk).update(
        status="sent", answer="", answer_text="", answered_on=None, version=1
    )


def _reset_candidates(cast: Cast) -> None:
    election = cast.objects["election"]
    ElectionCandidate.objects.filter(election=election).exclude(full_name="Ana").delete()
    cast.objects["candidate"] = ElectionCandidate.objects.create(election=election, full_name="X")


def _reset_election(cast: Cast) -> None:
    Election.objects.filter(pk=cast.objects["election"].pk).update(status="draft")


def _reset_ballots(cast: Cast) -> None:
    Ballot.objects.filter(election=cast.objects["voting"]).delete()


def _reset_documents(cast: Cast) -> None:
    AgendaDocument.objects.all().delete()
    cast.objects["document"] = services.agenda_document_add(
        actor=None,
        item=cast.objects["item"],
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n"),
    )


def _reset_decision(cast: Cast) -> None:
    AgendaItem.objects.filter(pk=cast.objects["item"].pk).update(decision_ru="Решение")


def test_council_pages(cast: Cast, recorded: CouncilWorld, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    o = cast.objects
    meeting = lambda c: f"/en/councils/meetings/{c.objects['meeting'].pk}/"  # noqa: E731
    item = lambda c: f"/en/councils/items/{c.objects['item'].pk}/"  # noqa: E731
    rec = lambda c: f"/en/councils/recommendations/{c.objects['recommendation'].pk}/"  # noqa: E731
    draft = lambda c: f"/en/councils/protocols/{c.objects['draft'].pk}/"  # noqa: E731
    election = lambda c: f"/en/councils/elections/{c.objects['election'].pk}/"  # noqa: E731
    voting = lambda c: f"/en/councils/elections/{c.objects['voting'].pk}/"  # noqa: E731
    assert_http_matrix(
        cast,
        [
            HttpRow("list", "GET", lambda c: "/en/councils/", EVERYONE),
            HttpRow("council", "GET", lambda c: f"/en/councils/{o['council'].pk}/", EVERYONE),
            HttpRow(
                "composition",
                "GET",
                lambda c: f"/en/councils/compositions/{o['composition'].pk}/",
                EVERYONE,
            ),
            HttpRow("calendar", "GET", lambda c: "/en/councils/calendar/", EVERYONE),
            HttpRow("meeting", "GET", meeting, EVERYONE),
            HttpRow("ics", "GET", lambda c: meeting(c) + "meeting.ics", EVERYONE),
            HttpRow("recommendations", "GET", lambda c: "/en/councils/recommendations/", EVERYONE),
            HttpRow("recommendation", "GET", rec, EVERYONE),
            HttpRow("tracker", "GET", lambda c: "/en/councils/tracker/", EVERYONE),
            HttpRow(
                "recommendations csv",
                "GET",
                lambda c: "/en/councils/recommendations/?export=csv",
                EVERYONE,
            ),
            HttpRow(
                "recommendations xlsx",
                "GET",
                lambda c: "/en/councils/recommendations/?export=xlsx",
                EVERYONE,
            ),
            HttpRow("tracker csv", "GET", lambda c: "/en/councils/tracker/?export=csv", EVERYONE),
            HttpRow("tracker xlsx", "GET", lambda c: "/en/councils/tracker/?export=xlsx", EVERYONE),
            HttpRow("election", "GET", lambda c: election(c), EVERYONE),
            # A draft protocol is not public.
            HttpRow(
                "draft pdf",
                "GET",
                lambda c: draft(c) + "kk.pdf",
                RECORDERS,
                refused=404,
                anonymous=404,
            ),
            HttpRow(
                "draft docx",
                "GET",
                lambda c: draft(c) + "ru.docx",
                RECORDERS,
                refused=404,
                anonymous=404,
            ),
            # Recording the meeting: the chair and the secretary only.
            HttpRow(
                "new meeting",
                "GET",
                lambda c: f"/en/councils/{o['council'].pk}/meetings/new/",
                RECORDERS,
            ),
            HttpRow("attendance", "GET", lambda c: meeting(c) + "attendance/", RECORDERS),
            HttpRow("votes", "GET", lambda c: item(c) + "votes/", RECORDERS),
            HttpRow(
                "decision",
                "POST",
                lambda c: item(c) + "decision/",
                RECORDERS,
                data=lambda c: {"decision_kk": "", "decision_ru": "Решение"},
                reset=_reset_decision,
                ok=302,
            ),
            HttpRow("recommend", "GET", lambda c: item(c) + "recommend/", RECORDERS),
            HttpRow(
                "agenda",
                "POST",
                lambda c: meeting(c) + "agenda/",
                RECORDERS,
                data=lambda c: {
                    "topic_kk": "",
                    "topic_ru": "Ещё",
                    "kind": "discussion",
                    "vote_mode": "none",
                },
                ok=302,
            ),
            HttpRow(
                "attach a document",
                "POST",
                lambda c: item(c) + "documents/",
                RECORDERS,
                data=lambda c: {"file": SimpleUploadedFile("b.pdf", b"%PDF-1.4\n%%EOF\n")},
                done=lambda c, r: (
                    AgendaDocument.objects.filter(item=c.objects["item"]).count() == 2
                ),
                reset=_reset_documents,
                ok=302,
            ),
            HttpRow(
                "remove a document",
                "POST",
                lambda c: f"/en/councils/documents/{c.objects['document'].pk}/remove/",
                RECORDERS,
                reset=_reset_documents,
                ok=302,
            ),
            # Answering: the addressed state body's officials only.
            HttpRow("answer form", "GET", lambda c: rec(c) + "answer/", ANSWERERS),
            HttpRow(
                "answer",
                "POST",
                lambda c: rec(c) + "answer/",
                ANSWERERS,
                data=lambda c: {"answer": "accepted", "reasons": "Agreed", "version": 1},
                reset=_reset_answer,
                ok=302,
            ),
            # Managing the council: the host's staff.
            HttpRow("rules", "GET", lambda c: f"/en/councils/{o['council'].pk}/edit/", HOST_STAFF),
            HttpRow(
                "add member",
                "GET",
                lambda c: f"/en/councils/compositions/{o['composition'].pk}/members/add/",
                HOST_STAFF,
            ),
            # Elections at a general meeting: the host's staff prepare, open and count them.
            HttpRow(
                "new election",
                "GET",
                lambda c: f"/en/councils/{o['council'].pk}/elections/new/",
                HOST_STAFF,
            ),
            HttpRow(
                "create election",
                "POST",
                lambda c: f"/en/councils/{o['council'].pk}/elections/new/",
                HOST_STAFF,
                data=lambda c: {
                    "held_on": "2026-12-08",
                    "seats": "2",
                    "max_choices": "1",
                    "term_start": "2027-01-15",
                    "elector_bins": c.objects["voter"].bin,
                },
                ok=302,
            ),
            HttpRow("edit election", "GET", lambda c: election(c) + "edit/", HOST_STAFF),
            HttpRow(
                "add candidate",
                "POST",
                lambda c: election(c) + "candidates/",
                HOST_STAFF,
                data=lambda c: {"full_name": "New", "category": "civil"},
                reset=_reset_candidates,
                ok=302,
            ),
            HttpRow(
                "remove candidate",
                "POST",
                lambda c: f"/en/councils/candidates/{c.objects['candidate'].pk}/remove/",
                HOST_STAFF,
                reset=_reset_candidates,
                ok=302,
            ),
            HttpRow(
                "open voting",
                "POST",
                lambda c: election(c) + "open/",
                HOST_STAFF,
                reset=_reset_election,
                ok=302,
            ),
            HttpRow(
                "record a ballot",
                "POST",
                lambda c: voting(c) + "ballot/",
                HOST_STAFF,
                data=lambda c: {"organisation": c.objects["voter"].pk, "choices": []},
                reset=_reset_ballots,
                ok=302,
            ),
        ],
    )


def test_answering_as_another_state_body_changes_nothing(
    cast: Cast, recorded: CouncilWorld
) -> None:
    from django.test import Client

    client = Client()
    client.force_login(cast.users["other_regional_admin"])
    recommendation: Any = cast.objects["recommendation"]
    response = client.post(
        f"/en/councils/recommendations/{recommendation.pk}/answer/",
        {"answer": "rejected", "reasons": "No", "version": 1},
    )
    assert response.status_code == 403
    recommendation.refresh_from_db()
    assert (recommendation.status, recommendation.answer) == ("sent", "")
