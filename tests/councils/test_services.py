"""The councils' workflows: compositions, renewal, elections, meetings, protocols, answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from ortaq.audit.models import AuditEntry
from ortaq.core.errors import ConflictError, DomainError
from ortaq.councils import documents, selectors, services
from ortaq.councils.enums import (
    AnswerKind,
    CompositionStatus,
    MeetingStatus,
    MemberCategory,
    Position,
    ProtocolStatus,
    RecommendationStatus,
    VoteChoice,
)
from ortaq.councils.models import CandidateCall, Composition, CouncilMember, ProtocolVersion
from ortaq.councils.selectors import CouncilSeat, councils_of_organisation
from tests.access import Cast
from tests.factories import OrganisationFactory

from .conftest import CouncilWorld, make_composition

pytestmark = pytest.mark.django_db


def _members(world: CouncilWorld) -> list[CouncilMember]:
    return selectors.meeting_members(world.meeting)


def _held(world: CouncilWorld, cast: Cast, present: int) -> Any:
    members = _members(world)
    return services.attendance_record(
        actor=cast.users["ngo_member"],
        meeting=world.meeting,
        present_ids=[m.pk for m in members[:present]],
    )


def _decided_item(world: CouncilWorld, cast: Cast) -> Any:
    item = services.agenda_item_add(
        actor=cast.users["ngo_member"],
        meeting=world.meeting,
        topic_kk="Жастар саясаты",
        topic_ru="Молодёжная политика",
        vote_mode="by_count",
    )
    _held(world, cast, 7)
    services.votes_record(actor=cast.users["ngo_member"], item=item, counts=(6, 0, 1))
    return services.decision_record(
        actor=cast.users["ngo_member"],
        item=item,
        decision_kk="Ұсыну",
        decision_ru="Рекомендовать управлению",
    )


# --- compositions ---------------------------------------------------------------------------


def test_a_composition_that_breaks_the_rules_cannot_be_approved(
    world: CouncilWorld, cast: Cast
) -> None:
    draft = services.composition_create(
        actor=cast.users["official"], council=world.council, term_start=dt.date(2027, 1, 15)
    )
    ngo = OrganisationFactory(name_en="Twice NGO")
    for name in ("A", "B"):
        services.member_add(
            actor=cast.users["official"],
            composition=draft,
            full_name=name,
            category=MemberCategory.CIVIL,
            organisation=ngo,
        )
    services.member_add(
        actor=cast.users["official"], composition=draft, full_name="C", category="state"
    )
    assert draft.term_end == dt.date(2030, 1, 14)
    with pytest.raises(DomainError) as error:
        services.composition_approve(actor=cast.users["official"], composition=draft)
    assert str(error.value.message) == (
        "The composition cannot be approved: "
        "Too few members: 3; the rules require at least 10. "
        "Twice NGO has 2 representatives; one representative per NGO is allowed. "
        "The composition has no chair. The composition has no secretary."
    )
    draft.refresh_from_db()
    assert draft.status == CompositionStatus.DRAFT


def test_a_valid_composition_is_approved_and_takes_over_on_its_date(
    world: CouncilWorld, cast: Cast
) -> None:
    start = world.composition.term_end + dt.timedelta(days=1)
    nxt = make_composition(
        world.council,
        status=CompositionStatus.DRAFT,
        start=start,
        seated={Position.CHAIR: (None, None), Position.SECRETARY: (None, None)},
    )
    services.composition_approve(actor=cast.users["official"], composition=nxt)
    assert services.compositions_take_over_due(today=start - dt.timedelta(days=1)) == 0
    assert services.compositions_take_over_due(today=start) == 1
    assert services.compositions_take_over_due(today=start) == 0
    statuses = dict(Composition.objects.values_list("pk", "status"))
    assert statuses == {world.composition.pk: "past", nxt.pk: "current"}
    # The old chair lost his seat's permissions; the history is kept and public.
    assert not cast.user("ngo_admin").has_perm("councils.record_meeting", world.council)
    assert [c.to_status for c in nxt.status_changes.all()] == ["approved", "current"]


def test_a_member_added_to_an_approved_composition_sends_it_back_to_draft(
    world: CouncilWorld, cast: Cast
) -> None:
    nxt = make_composition(
        world.council,
        status=CompositionStatus.DRAFT,
        start=dt.date(2027, 1, 15),
        seated={Position.CHAIR: (None, None), Position.SECRETARY: (None, None)},
    )
    services.composition_approve(actor=None, composition=nxt)
    services.member_add(actor=None, composition=nxt, full_name="New", category="civil")
    nxt.refresh_from_db()
    assert nxt.status == CompositionStatus.DRAFT


def test_a_ceased_member_stays_in_the_history(world: CouncilWorld, cast: Cast) -> None:
    seat = world.composition.members.get(user=cast.users["consultant"])
    services.member_remove(actor=None, member=seat, ceased_on=dt.date(2025, 2, 1))
    assert world.composition.members.filter(pk=seat.pk, ceased_on=dt.date(2025, 2, 1)).exists()
    assert len(selectors.composition_members(world.composition)) == 11


def test_one_chair_is_a_database_rule(world: CouncilWorld) -> None:
    with pytest.raises(DomainError, match="already has a chair"):
        services.member_add(
            actor=None,
            composition=world.composition,
            full_name="X",
            category="civil",
            position=Position.CHAIR,
        )


# --- renewal --------------------------------------------------------------------------------


def test_the_call_opens_two_months_before_the_term_ends_once(world: CouncilWorld) -> None:
    end = world.composition.term_end  # 2027-01-14
    assert services.calls_open_due(today=dt.date(2026, 11, 13)) == []
    [call] = services.calls_open_due(today=dt.date(2026, 11, 14))
    assert services.calls_open_due(today=dt.date(2026, 11, 15)) == []
    assert call.ending == world.composition
    assert call.opens_on == dt.date(2026, 11, 14)
    assert call.next_composition.term_start == end + dt.timedelta(days=1)
    assert call.next_composition.status == CompositionStatus.DRAFT
    assert CandidateCall.objects.count() == 1


def test_ngos_nominate_and_the_working_group_selects(world: CouncilWorld, cast: Cast) -> None:
    [call] = services.calls_open_due(today=dt.date(2026, 12, 1))
    nomination = services.nomination_create(
        actor=cast.users["ngo_admin"],
        call=call,
        organisation=cast.objects["own_ngo"],
        full_name="Candidate One",
        today=dt.date(2026, 12, 2),
    )
    with pytest.raises(DomainError, match="one representative per NGO"):
        services.nomination_create(
            actor=cast.users["ngo_admin"],
            call=call,
            organisation=cast.objects["own_ngo"],
            full_name="Candidate Two",
            today=dt.date(2026, 12, 2),
        )
    with pytest.raises(DomainError, match="Only NGOs"):
        services.nomination_create(
            actor=None,
            call=call,
            organisation=cast.objects["state_body"],
            full_name="X",
            today=dt.date(2026, 12, 2),
        )
    services.nomination_decide(actor=cast.users["official"], nomination=nomination, selected=True)
    [seat] = call.next_composition.members.all()
    assert (seat.full_name, seat.organisation, seat.category) == (
        "Candidate One",
        cast.objects["own_ngo"],
        "civil",
    )
    with pytest.raises(DomainError, match="closed"):
        services.nomination_create(
            actor=None,
            call=call,
            organisation=cast.objects["other_ngo"],
            full_name="Late",
            today=call.closes_on + dt.timedelta(days=1),
        )


# --- elections ------------------------------------------------------------------------------


def _election(world: CouncilWorld, seats: int = 2) -> Any:
    electors = [OrganisationFactory() for _ in range(4)]
    election = services.election_create(
        actor=None,
        council=world.council,
        held_on=dt.date(2024, 1, 10),
        seats=seats,
        max_choices=2,
        term_start=dt.date(2027, 1, 15),
        electors=electors,
        candidates=[(name, OrganisationFactory()) for name in ("Ana", "Bek", "Dana")],
    )
    election = services.election_open(actor=None, election=election)
    return election, electors, {c.full_name: c.pk for c in election.candidates.all()}


def test_one_ballot_per_member_organisation(world: CouncilWorld) -> None:
    election, electors, ids = _election(world)
    services.ballot_record(
        actor=None, election=election, organisation=electors[0], candidate_ids=[ids["Ana"]]
    )
    with pytest.raises(DomainError, match="already voted"):
        services.ballot_record(
            actor=None, election=election, organisation=electors[0], candidate_ids=[ids["Bek"]]
        )
    with pytest.raises(DomainError, match="at most 2"):
        services.ballot_record(
            actor=None,
            election=election,
            organisation=electors[1],
            candidate_ids=list(ids.values()),
        )
    with pytest.raises(DomainError, match="does not vote"):
        services.ballot_record(
            actor=None, election=election, organisation=OrganisationFactory(), candidate_ids=[]
        )


def test_an_election_with_a_tie_needs_it_settled(world: CouncilWorld) -> None:
    election, electors, ids = _election(world)
    for org, choice in zip(electors, [["Ana", "Bek"], ["Ana", "Dana"], ["Ana"]], strict=False):
        services.ballot_record(
            actor=None,
            election=election,
            organisation=org,
            candidate_ids=[ids[name] for name in choice],
        )
    result = selectors.election_tally(election)
    assert (result.elected, sorted(result.tied), result.tied_seats) == (
        [ids["Ana"]],
        sorted([ids["Bek"], ids["Dana"]]),
        1,
    )
    with pytest.raises(DomainError, match="2 candidates are tied for the last 1 seats"):
        services.election_close(actor=None, election=election)
    _result, composition = services.election_close(
        actor=None, election=election, tie_winners=[ids["Dana"]]
    )
    assert sorted(composition.members.values_list("full_name", flat=True)) == ["Ana", "Dana"]
    assert (composition.source, composition.status) == ("elected", "draft")


# --- meetings, quorum, votes, decisions -----------------------------------------------------


def test_no_decision_without_quorum(world: CouncilWorld, cast: Cast) -> None:
    item = services.agenda_item_add(
        actor=None, meeting=world.meeting, topic_kk="", topic_ru="Тема", vote_mode="by_name"
    )
    result = _held(world, cast, 6)
    assert result.explanation == "No quorum: 6 of 12 members attend; 7 members are needed."
    with pytest.raises(DomainError) as error:
        services.decision_record(actor=None, item=item, decision_kk="", decision_ru="Решено")
    assert str(error.value.message) == (
        "Decisions can be recorded only when the quorum is present. "
        "No quorum: 6 of 12 members attend; 7 members are needed."
    )
    with pytest.raises(DomainError, match="quorum"):
        services.votes_record(actor=None, item=item, counts=(1, 0, 0))
    assert _held(world, cast, 7).present is True
    world.meeting.refresh_from_db()
    assert world.meeting.status == MeetingStatus.HELD


def test_votes_by_name_only_from_present_members(world: CouncilWorld, cast: Cast) -> None:
    item = services.agenda_item_add(
        actor=None, meeting=world.meeting, topic_kk="Тақырып", topic_ru="", vote_mode="by_name"
    )
    _held(world, cast, 8)
    members = _members(world)
    votes = {
        members[0].pk: VoteChoice.FOR,
        members[1].pk: VoteChoice.FOR,
        members[2].pk: VoteChoice.AGAINST,
        members[3].pk: VoteChoice.ABSTAINED,
    }
    item = services.votes_record(actor=None, item=item, by_name=votes)
    assert (item.votes_for, item.votes_against, item.votes_abstained) == (2, 1, 1)
    with pytest.raises(DomainError, match="Only members present"):
        services.votes_record(actor=None, item=item, by_name={members[10].pk: VoteChoice.FOR})
    with pytest.raises(DomainError, match="More votes than members present"):
        services.votes_record(actor=None, item=item, counts=(5, 3, 1))


def test_invitations_carry_an_icalendar_file(
    world: CouncilWorld, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    services.agenda_item_add(
        actor=None, meeting=world.meeting, topic_kk="Күн тәртібі", topic_ru="Повестка"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.invitations_send(actor=cast.users["ngo_member"], meeting=world.meeting)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "consultant@example.kz",
        "member@example.kz",
        "ngo-admin@example.kz",
    ]
    name, ics, mimetype = mail.outbox[0].attachments[0]
    assert (name, mimetype) == ("meeting.ics", "text/calendar")
    assert "DTSTART:20240315T050000Z\r\n" in ics  # 10:00 in Almaty (UTC+5)
    assert "LOCATION:Kyzylorda\\, akimat\\, hall 2\r\n" in ics


# --- protocols ------------------------------------------------------------------------------


def test_a_published_protocol_never_changes_corrections_are_new_versions(
    world: CouncilWorld, cast: Cast
) -> None:
    chair, secretary = cast.users["ngo_admin"], cast.users["ngo_member"]
    item = _decided_item(world, cast)
    v1 = services.protocol_generate(actor=secretary, meeting=world.meeting)
    assert v1.content["quorum"] == {"attending": 7, "total": 12, "needed": 7, "present": True}
    assert v1.content["items"][0]["decision"] == {"kk": "Ұсыну", "ru": "Рекомендовать управлению"}
    with pytest.raises(DomainError, match="both approve"):
        services.protocol_publish(actor=chair, version=v1)
    with pytest.raises(DomainError, match="Only the chair and the secretary"):
        services.protocol_approve(actor=cast.users["consultant"], version=v1)
    services.protocol_approve(actor=chair, version=v1)
    services.protocol_approve(actor=secretary, version=v1)
    v1 = services.protocol_publish(actor=chair, version=v1)
    frozen = v1.content
    # The record is closed under a published protocol.
    with pytest.raises(DomainError, match="published"):
        services.decision_record(actor=secretary, item=item, decision_kk="", decision_ru="Иное")
    with pytest.raises(DomainError, match="say what the correction changes"):
        services.protocol_generate(actor=secretary, meeting=world.meeting)
    v2 = services.protocol_generate(
        actor=secretary, meeting=world.meeting, correction_note="Typo in the decision"
    )
    services.decision_record(actor=secretary, item=item, decision_kk="", decision_ru="Иное")
    v2 = services.protocol_generate(actor=secretary, meeting=world.meeting)
    assert (v2.number, v2.status, v2.correction_note) == (2, "draft", "Typo in the decision")
    assert v2.content["items"][0]["decision"]["ru"] == "Иное"
    v1.refresh_from_db()
    assert (v1.status, v1.content) == (ProtocolStatus.PUBLISHED, frozen)
    with pytest.raises(DomainError, match="never changed"):
        services.protocol_approve(actor=chair, version=v1)
    assert ProtocolVersion.objects.count() == 2


def test_protocol_documents_in_kazakh_and_russian(world: CouncilWorld, cast: Cast) -> None:
    _decided_item(world, cast)
    version = services.protocol_generate(actor=None, meeting=world.meeting)
    html_kk = documents.protocol_html(version, "kk")
    html_ru = documents.protocol_html(version, "ru")
    assert "Жастар саясаты" in html_kk
    assert "Молодёжная политика" in html_ru
    assert "Ұсыну" in html_kk
    assert "Рекомендовать управлению" in html_ru
    pdf = documents.protocol_pdf(version, "kk")
    assert pdf.startswith(b"%PDF-")
    docx = documents.protocol_docx(version, "ru")
    assert docx.startswith(b"PK")


# --- recommendations ------------------------------------------------------------------------


def test_a_recommendation_is_due_in_ten_working_days_and_answered(
    world: CouncilWorld, cast: Cast
) -> None:
    item = _decided_item(world, cast)
    recommendation = services.recommendation_create(
        actor=None,
        item=item,
        addressee=cast.objects["state_body"],
        text_kk="",
        text_ru="Провести слушания",
        sent_on=dt.date(2024, 3, 15),
    )
    assert recommendation.due_on == dt.date(2024, 4, 3)  # over Nauryz
    with pytest.raises(DomainError, match="reasons"):
        services.recommendation_answer(
            actor=None,
            recommendation=recommendation,
            answer=AnswerKind.PARTIAL,
            reasons=" ",
            expected_version=1,
        )
    with pytest.raises(ConflictError):
        services.recommendation_answer(
            actor=None,
            recommendation=recommendation,
            answer="accepted",
            reasons="ok",
            expected_version=99,
        )
    answered = services.recommendation_answer(
        actor=cast.users["official"],
        recommendation=recommendation,
        answer=AnswerKind.PARTIAL,
        reasons="Budget allows half",
        expected_version=1,
        today=dt.date(2024, 4, 3),
    )
    assert (answered.status, answered.answered_on) == ("answered", dt.date(2024, 4, 3))
    with pytest.raises(DomainError, match="already answered"):
        services.recommendation_answer(
            actor=None,
            recommendation=answered,
            answer="accepted",
            reasons="x",
            expected_version=answered.version,
        )
    services.recommendation_report(
        actor=None, recommendation=answered, progress=40, text="Half done", expected_version=2
    )
    with pytest.raises(DomainError, match="cannot go back"):
        services.recommendation_report(
            actor=None, recommendation=answered, progress=30, text="x", expected_version=3
        )
    services.recommendation_report(
        actor=None, recommendation=answered, progress=100, text="Done", expected_version=3
    )
    answered.refresh_from_db()
    assert (answered.status, answered.progress) == (RecommendationStatus.IMPLEMENTED, 100)
    assert list(answered.status_changes.values_list("from_status", "to_status", "actor")) == [
        ("sent", "answered", cast.users["official"].pk),
        ("answered", "implemented", None),
    ]
    assert AuditEntry.objects.filter(action="recommendation.report").count() == 2


def test_only_state_bodies_receive_recommendations(world: CouncilWorld, cast: Cast) -> None:
    item = _decided_item(world, cast)
    with pytest.raises(DomainError, match="state body"):
        services.recommendation_create(
            actor=None, item=item, addressee=cast.objects["own_ngo"], text_kk="x", text_ru=""
        )


def test_overdue_recommendations_are_reminded_every_five_working_days(
    world: CouncilWorld, cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    item = _decided_item(world, cast)
    services.recommendation_create(
        actor=None,
        item=item,
        addressee=cast.objects["state_body"],
        text_kk="",
        text_ru="Текст",
        sent_on=dt.date(2024, 3, 15),
    )
    assert services.overdue_remind(today=dt.date(2024, 4, 3)) == 0  # due today: not overdue
    with django_capture_on_commit_callbacks(execute=True):  # the e-mails go after the commit
        assert services.overdue_remind(today=dt.date(2024, 4, 4)) == 2  # official + region admin
    assert sorted(m.to[0] for m in mail.outbox) == [
        "official@example.kz",
        "region-admin@example.kz",
    ]
    assert services.overdue_remind(today=dt.date(2024, 4, 5)) == 0
    assert services.overdue_remind(today=dt.date(2024, 4, 10)) == 0
    assert services.overdue_remind(today=dt.date(2024, 4, 11)) == 2


def test_tracker_counts_per_state_body(world: CouncilWorld, cast: Cast) -> None:
    item = _decided_item(world, cast)
    body, other = cast.objects["state_body"], cast.objects["other_state_body"]

    def rec(to: Any, answer: str = "", on: dt.date | None = None, progress: int = 0) -> None:
        r = services.recommendation_create(
            actor=None,
            item=item,
            addressee=to,
            text_kk="",
            text_ru="Т",
            sent_on=dt.date(2024, 3, 15),
        )
        if answer:
            r = services.recommendation_answer(
                actor=None, recommendation=r, answer=answer, reasons="r", today=on,
                expected_version=r.version,
            )  # fmt: skip
        if progress:
            services.recommendation_report(
                actor=None, recommendation=r, progress=progress, text="t",
                expected_version=r.version,
            )  # fmt: skip

    rec(body, "accepted", dt.date(2024, 4, 3), progress=100)  # on time (the due day)
    rec(body, "partial", dt.date(2024, 4, 4))  # late
    rec(body, "rejected", dt.date(2024, 3, 20))
    rec(body)  # overdue
    rec(other)
    rows = selectors.tracker(today=dt.date(2024, 5, 1))
    assert [
        (
            r.name,
            r.received,
            r.answered,
            r.on_time,
            r.accepted,
            r.partial,
            r.rejected,
            r.implemented,
            r.overdue,
        )
        for r in rows
    ] == [
        ("Kyzylorda department", 4, 3, 2, 1, 1, 1, 1, 1),
        ("Aktobe department", 1, 0, 0, 0, 0, 0, 0, 1),
    ]
    assert [r.name for r in selectors.tracker({"region": "15"})] == ["Aktobe department"]


def test_councils_of_organisation_for_the_registry(world: CouncilWorld, cast: Cast) -> None:
    assert councils_of_organisation(cast.objects["own_ngo"]) == [
        CouncilSeat(
            council_id=world.council.pk,
            council_name="Public council of Kyzylorda department",
            position="chair",
            position_label="Chair",
            full_name=cast.users["ngo_admin"].full_name,
        )
    ]
    assert str(councils_of_organisation(cast.objects["own_ngo"])[0]).startswith(
        "Public council of Kyzylorda department — Chair: "
    )
    assert councils_of_organisation(cast.objects["other_ngo"]) == []
