"""Reads of the councils module: public lists, council and meeting pages, the tracker.

Everything here is public (councils, compositions, meetings, published protocols and
recommendations are open by law), except draft protocols, which the views guard.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ortaq.accounts.enums import OrganisationKind, Role
from ortaq.accounts.models import Membership, Organisation
from ortaq.core.i18n import pick
from ortaq.core.params import int_param
from ortaq.lib.workdays import add_working_days, working_days_between

if TYPE_CHECKING:
    from ortaq.registry.models import NgoProfile

from . import checks
from .enums import (
    COUNCIL_HOST_KINDS,
    AnswerKind,
    CompositionStatus,
    ElectionStatus,
    MeetingStatus,
    Position,
    ProtocolStatus,
    RecommendationStatus,
)
from .models import (
    AgendaItem,
    Attendance,
    Ballot,
    Composition,
    Council,
    CouncilMember,
    Election,
    ElectionCandidate,
    Meeting,
    ProtocolVersion,
    Recommendation,
    Vote,
)

POSITION_ORDER: dict[str, int] = {
    Position.CHAIR: 0,
    Position.DEPUTY: 1,
    Position.SECRETARY: 2,
    Position.MEMBER: 3,
}


def _today() -> dt.date:
    return timezone.localdate()


# --- councils -------------------------------------------------------------------------------


def councils_public(params: Mapping[str, Any] | None = None) -> QuerySet[Council]:
    """Active councils, filtered by region (code), host organisation (id) and kind."""
    params = params or {}
    qs = (
        Council.objects.filter(is_active=True)
        .select_related("organisation", "region")
        .annotate(
            members_count=Count(
                "compositions__members",
                filter=Q(compositions__status=CompositionStatus.CURRENT)
                & Q(compositions__members__ceased_on__isnull=True),
            )
        )
        .order_by("region__code", "name_ru", "pk")
    )
    if params.get("region"):
        qs = qs.filter(region__code=params["region"])
    if (body := int_param(params, "body")) is not None:
        qs = qs.filter(organisation_id=body)
    if params.get("kind"):
        qs = qs.filter(kind=params["kind"])
    if params.get("level"):
        qs = qs.filter(level=params["level"])
    return qs


def lawful_host_q(prefix: str = "") -> Q:
    """Councils whose host may host their kind (enums.COUNCIL_HOST_KINDS); `prefix` is the
    path from another model to the council, such as "composition__council__"."""
    q = Q(pk__in=[]) if not prefix else Q(**{f"{prefix}pk__in": []})
    for kind, hosts in COUNCIL_HOST_KINDS.items():
        q |= Q(**{f"{prefix}kind": kind, f"{prefix}organisation__kind__in": sorted(hosts)})
    return q


def councils_with_unlawful_host() -> QuerySet[Council]:
    """Active councils attached to an organisation that may not host them: written before
    the rule (migration councils/0003), or whose host's kind changed since."""
    return (
        Council.objects.filter(is_active=True)
        .exclude(lawful_host_q())
        .select_related("organisation")
        .order_by("pk")
    )


def council_get(pk: int) -> Council:
    return Council.objects.select_related("organisation", "region").get(pk=pk)


def current_composition(council: Council) -> Composition | None:
    return council.compositions.filter(status=CompositionStatus.CURRENT).first()


def compositions_of(council: Council) -> list[Composition]:
    """Every composition of the council, newest first, with its member count."""
    return list(
        council.compositions.annotate(
            members_count=Count("members", filter=Q(members__ceased_on__isnull=True))
        ).order_by("-number")
    )


def composition_members(composition: Composition, *, with_ceased: bool = False) -> list[Any]:
    qs = composition.members.select_related("organisation", "user")
    if not with_ceased:
        qs = qs.filter(ceased_on__isnull=True)
    return sorted(
        qs, key=lambda m: (m.ceased_on is not None, POSITION_ORDER[m.position], m.full_name)
    )


def _seats(members: Iterable[CouncilMember]) -> list[checks.Seat]:
    return [
        checks.Seat(
            category=m.category,
            position=m.position,
            organisation_id=m.organisation_id,
            organisation_name=m.organisation.name if m.organisation else "",
        )
        for m in members
    ]


def composition_problems_of(composition: Composition) -> list[str]:
    members = composition.members.filter(ceased_on__isnull=True).select_related("organisation")
    return checks.composition_problems(_seats(members), checks.CouncilRules.of(composition.council))


def composition_summary(members: list[CouncilMember]) -> dict[str, int]:
    total = len(members)
    civil = sum(1 for m in members if m.category == "civil")
    return {
        "total": total,
        "civil": civil,
        "civil_percent": round(100 * civil / total) if total else 0,
    }


def open_call(council: Council) -> Any:
    return council.calls.filter(status="open").select_related("next_composition").first()


# --- meetings -------------------------------------------------------------------------------


def meetings_of(council: Council) -> QuerySet[Meeting]:
    return council.meetings.exclude(status=MeetingStatus.CANCELLED).order_by("-starts_at")


def meetings_calendar(params: Mapping[str, Any] | None = None) -> QuerySet[Meeting]:
    """Meetings of every council by date; `?from=YYYY-MM-DD` (default today), `?region=`."""
    params = params or {}
    qs = Meeting.objects.exclude(status=MeetingStatus.CANCELLED).select_related(
        "council", "council__region", "council__organisation"
    )
    start = _parse_date(params.get("from")) or _today()
    qs = qs.filter(starts_at__date__gte=start)
    if params.get("region"):
        qs = qs.filter(council__region__code=params["region"])
    return qs.order_by("starts_at", "pk")


def _parse_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def meeting_get(pk: int) -> Meeting:
    return Meeting.objects.select_related(
        "council", "council__organisation", "council__region", "composition"
    ).get(pk=pk)


def meeting_members(meeting: Meeting) -> list[CouncilMember]:
    """Members of the meeting's composition who held their seat on the day of the meeting."""
    day = timezone.localtime(meeting.starts_at).date()
    members = meeting.composition.members.filter(
        Q(ceased_on__isnull=True) | Q(ceased_on__gte=day)
    ).select_related("organisation", "user")
    return sorted(members, key=lambda m: (POSITION_ORDER[m.position], m.full_name))


def present_member_ids(meeting: Meeting) -> list[int]:
    return list(
        Attendance.objects.filter(meeting=meeting, present=True).values_list("member_id", flat=True)
    )


def meeting_quorum(meeting: Meeting, members: list[CouncilMember] | None = None) -> checks.Quorum:
    total = len(members) if members is not None else len(meeting_members(meeting))
    attending = Attendance.objects.filter(meeting=meeting, present=True).count()
    return checks.quorum(attending, total, checks.CouncilRules.of(meeting.council))


def meeting_items(meeting: Meeting) -> list[AgendaItem]:
    return list(
        meeting.items.prefetch_related(
            Prefetch(
                "votes",
                queryset=Vote.objects.select_related("member").order_by("member__full_name"),
            ),
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("addressee"),
            ),
            "files",
        )
    )


def protocol_versions(meeting: Meeting) -> list[ProtocolVersion]:
    return list(
        ProtocolVersion.objects.filter(protocol__meeting=meeting)
        .select_related("chair_approved_by", "secretary_approved_by")
        .order_by("-number")
    )


def record_closed(meeting: Meeting) -> bool:
    """The latest protocol version is published: the record changes only through a
    correction (a new draft version), never under a published one."""
    latest = (
        ProtocolVersion.objects.filter(protocol__meeting=meeting)
        .order_by("-number")
        .values_list("status", flat=True)
        .first()
    )
    return latest == ProtocolStatus.PUBLISHED


def protocol_version_get(pk: int) -> ProtocolVersion:
    return ProtocolVersion.objects.select_related(
        "protocol__meeting__council", "protocol__meeting__council__organisation"
    ).get(pk=pk)


def _names(obj: Any) -> dict[str, str]:
    return {lang: pick(obj, "name", lang) if obj else "" for lang in ("kk", "ru", "en")}


def protocol_content(meeting: Meeting) -> dict[str, Any]:
    """The structured meeting, frozen as plain data: what a protocol version shows forever."""
    members = meeting_members(meeting)
    present = set(present_member_ids(meeting))
    result = meeting_quorum(meeting, members)
    items = meeting_items(meeting)
    local = timezone.localtime(meeting.starts_at)

    def person(position: str) -> str:
        return next((m.full_name for m in members if m.position == position), "")

    return {
        "council": _names(meeting.council),
        "host": _names(meeting.council.organisation),
        "meeting": {
            "title": meeting.title,
            "date": local.date().isoformat(),
            "time": local.strftime("%H:%M"),
            "place": meeting.place,
            "online_link": meeting.online_link,
        },
        "members": [
            {
                "full_name": m.full_name,
                "organisation": _names(m.organisation),
                "position": m.position,
                "category": m.category,
                "present": m.pk in present,
            }
            for m in members
        ],
        "quorum": {
            "attending": result.attending,
            "total": result.total,
            "needed": result.needed,
            "present": result.present,
        },
        "items": [
            {
                "order": item.order,
                "topic": {"kk": item.topic_kk, "ru": item.topic_ru},
                "speaker": item.speaker,
                "kind": item.kind,
                "documents": [line.strip() for line in item.documents.splitlines() if line.strip()]
                + [f"{f.original_name} ({f.file.url})" for f in item.files.all()],
                "vote_mode": item.vote_mode,
                "for": item.votes_for,
                "against": item.votes_against,
                "abstained": item.votes_abstained,
                "votes": [
                    {"full_name": v.member.full_name, "choice": v.choice} for v in item.votes.all()
                ],
                "decision": {"kk": item.decision_kk, "ru": item.decision_ru},
                "recommendations": [
                    {
                        "addressee": _names(r.addressee),
                        "text": {"kk": r.text_kk, "ru": r.text_ru},
                        "due_on": r.due_on.isoformat(),
                    }
                    for r in item.recommendations.all()
                ],
            }
            for item in items
        ],
        "chair": person(Position.CHAIR),
        "secretary": person(Position.SECRETARY),
    }


# --- recommendations ------------------------------------------------------------------------


def answer_due(sent_on: dt.date, council: Council) -> dt.date:
    """The day the answer is due: the council's working days (default 10) after sending,
    on Kazakhstan's calendar (holidays and substituted days off)."""
    return add_working_days(sent_on, council.answer_days)


def recommendations_public(params: Mapping[str, Any] | None = None) -> QuerySet[Recommendation]:
    params = params or {}
    qs = Recommendation.objects.select_related("council", "addressee", "meeting").order_by(
        "-sent_on", "-pk"
    )
    if (body := int_param(params, "body")) is not None:
        qs = qs.filter(addressee_id=body)
    if (council := int_param(params, "council")) is not None:
        qs = qs.filter(council_id=council)
    if params.get("status") in RecommendationStatus.values:
        qs = qs.filter(status=params["status"])
    if params.get("overdue"):
        qs = qs.filter(status=RecommendationStatus.SENT, due_on__lt=_today())
    return qs


def recommendation_get(pk: int) -> Recommendation:
    return Recommendation.objects.select_related(
        "council", "addressee", "meeting", "item", "answered_by"
    ).get(pk=pk)


def is_overdue(recommendation: Recommendation, today: dt.date | None = None) -> bool:
    return recommendation.status == RecommendationStatus.SENT and recommendation.due_on < (
        today or _today()
    )


def overdue_to_remind(*, today: dt.date, every: int) -> QuerySet[Recommendation]:
    last_ok = add_working_days(today, -every)
    return (
        Recommendation.objects.filter(status=RecommendationStatus.SENT, due_on__lt=today)
        .filter(Q(last_reminded_on__isnull=True) | Q(last_reminded_on__lte=last_ok))
        .select_related("council")
    )


def answering_officials(body_ids: Iterable[int]) -> dict[int, list[Any]]:
    """State body id → the active people who answer its recommendations."""
    found: dict[int, list[Any]] = {}
    for membership in Membership.objects.filter(
        organisation_id__in=list(body_ids),
        role__in=[Role.OFFICIAL, Role.REGIONAL_ADMIN],
        is_active=True,
        user__is_active=True,
    ).select_related("user"):
        found.setdefault(membership.organisation_id, []).append(membership.user)
    return found


def recommendations_to_answer(organisation: Organisation | None) -> QuerySet[Recommendation]:
    """The inbox of a state body: what it must answer or report on."""
    if organisation is None:
        return Recommendation.objects.none()
    return (
        Recommendation.objects.filter(addressee=organisation)
        .exclude(status=RecommendationStatus.IMPLEMENTED)
        .exclude(answer=AnswerKind.REJECTED)
        .select_related("council")
        .order_by("status", "due_on", "pk")
    )


@dataclass(frozen=True)
class TrackerRow:
    body_id: int
    name: str
    region: str
    received: int
    answered: int
    on_time: int
    accepted: int
    partial: int
    rejected: int
    implemented: int
    overdue: int

    @property
    def on_time_percent(self) -> int:
        return round(100 * self.on_time / self.received) if self.received else 0


def tracker(
    params: Mapping[str, Any] | None = None, today: dt.date | None = None
) -> list[TrackerRow]:
    """For each state body: recommendations received, answered on time, accepted, implemented,
    overdue — one GROUP BY query over the recommendations."""
    params = params or {}
    today = today or _today()
    qs = Recommendation.objects.all()
    if params.get("region"):
        qs = qs.filter(addressee__region__code=params["region"])
    rows = (
        qs.values(
            "addressee_id",
            "addressee__name_kk",
            "addressee__name_ru",
            "addressee__name_en",
            "addressee__region__name_kk",
            "addressee__region__name_ru",
            "addressee__region__name_en",
        )
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=Q(answered_on__isnull=False)),
            on_time=Count("pk", filter=Q(answered_on__lte=F("due_on"))),
            accepted=Count("pk", filter=Q(answer=AnswerKind.ACCEPTED)),
            partial=Count("pk", filter=Q(answer=AnswerKind.PARTIAL)),
            rejected=Count("pk", filter=Q(answer=AnswerKind.REJECTED)),
            implemented=Count("pk", filter=Q(status=RecommendationStatus.IMPLEMENTED)),
            overdue=Count("pk", filter=Q(status=RecommendationStatus.SENT, due_on__lt=today)),
        )
        .order_by("-received", "addressee__name_ru")
    )
    result = []
    for row in rows:
        name = _Named(row, "addressee__name")
        region = _Named(row, "addressee__region__name")
        result.append(
            TrackerRow(
                body_id=row["addressee_id"],
                name=pick(name, "v"),
                region=pick(region, "v"),
                **{
                    k: row[k]
                    for k in (
                        "received",
                        "answered",
                        "on_time",
                        "accepted",
                        "partial",
                        "rejected",
                        "implemented",
                        "overdue",
                    )
                },
            )
        )
    return result


class _Named:
    """Lets `pick` read a values() row: v_kk / v_ru / v_en from prefix_kk ..."""

    def __init__(self, row: Mapping[str, Any], prefix: str) -> None:
        for lang in ("kk", "ru", "en"):
            setattr(self, f"v_{lang}", row.get(f"{prefix}_{lang}") or "")


def days_left(recommendation: Recommendation, today: dt.date | None = None) -> int:
    return working_days_between(today or _today(), recommendation.due_on)


def state_bodies() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind=OrganisationKind.STATE_BODY, is_active=True)


# --- the registry's link --------------------------------------------------------------------


@dataclass(frozen=True)
class CouncilSeat:
    """A council where an organisation is represented, and by whom."""

    council_id: int
    council_name: str
    position: str
    position_label: str
    full_name: str

    def __str__(self) -> str:
        return _("{council} — {position}: {name}").format(
            council=self.council_name, position=self.position_label, name=self.full_name
        )


def councils_of_organisation(organisation: Organisation) -> list[CouncilSeat]:
    """The councils where the organisation is represented in the current composition."""
    seats = (
        CouncilMember.objects.filter(
            organisation=organisation,
            ceased_on__isnull=True,
            composition__status=CompositionStatus.CURRENT,
            composition__council__is_active=True,
        )
        .select_related("composition__council")
        .order_by("composition__council__name_ru", "pk")
    )
    return [
        CouncilSeat(
            council_id=m.composition.council_id,
            council_name=m.composition.council.name,
            position=m.position,
            position_label=str(Position(m.position).label),
            full_name=m.full_name,
        )
        for m in seats
    ]


def councils_of_ngo(ngo: NgoProfile) -> list[CouncilSeat]:
    """The "Councils" panel of the registry's NGO page (registered in `apps.py`)."""
    return councils_of_organisation(ngo.organisation)


# --- elections ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ElectionResult:
    """An election as the pages show it: the candidates with their votes, who is elected
    (once counted, including who took tied seats after a second round or a lot), who tied."""

    election: Any
    rows: list[tuple[Any, int]]  # (candidate, votes), most votes first
    result: checks.Tally
    ballots: int
    electors: int

    @property
    def elected(self) -> list[Any]:
        if self.election.status == ElectionStatus.CLOSED:
            return [c for c, _v in self.rows if c.elected]
        chosen = set(self.result.elected)
        return [c for c, _v in self.rows if c.pk in chosen]

    @property
    def tied(self) -> list[Any]:
        tied = set(self.result.tied)
        return [c for c, _v in self.rows if c.pk in tied]


def _result(election: Any, candidates: list[Any], ballots: Iterable[list[int]]) -> ElectionResult:
    tally = checks.tally(ballots, [c.pk for c in candidates], election.seats, election.max_choices)
    by_pk = {c.pk: c for c in candidates}
    return ElectionResult(
        election=election,
        rows=[(by_pk[pk], votes) for pk, votes in tally.counts],
        result=tally,
        ballots=election.ballots_count,
        electors=election.electors_count,
    )


def elections_with_results(elections: QuerySet[Any]) -> list[ElectionResult]:
    """Elections with their counts, in a fixed number of queries whatever their number."""
    found = list(
        elections.select_related("council", "composition").annotate(
            electors_count=Count("electors", distinct=True),
            ballots_count=Count("ballots", distinct=True),
        )
    )
    ids = [e.pk for e in found]
    candidates: dict[int, list[Any]] = {}
    for candidate in ElectionCandidate.objects.filter(election_id__in=ids).select_related(
        "organisation"
    ):
        candidates.setdefault(candidate.election_id, []).append(candidate)
    ballots: dict[int, dict[int, list[int]]] = {}
    for ballot_id, election_id in Ballot.objects.filter(election_id__in=ids).values_list(
        "pk", "election_id"
    ):
        ballots.setdefault(election_id, {})[ballot_id] = []
    through = Ballot.choices.through.objects.filter(ballot__election_id__in=ids)
    for ballot_id, election_id, candidate_id in through.values_list(
        "ballot_id", "ballot__election_id", "electioncandidate_id"
    ):
        ballots[election_id][ballot_id].append(candidate_id)
    return [_result(e, candidates.get(e.pk, []), ballots.get(e.pk, {}).values()) for e in found]


def elections_of(council: Council, *, limit: int = 5) -> list[ElectionResult]:
    """The council's latest elections, newest first, with their results."""
    ids = list(
        Election.objects.filter(council=council)
        .order_by("-held_on", "-pk")
        .values_list("pk", flat=True)[:limit]
    )
    return elections_with_results(Election.objects.filter(pk__in=ids).order_by("-held_on", "-pk"))


def election_result(pk: int) -> ElectionResult:
    found = elections_with_results(Election.objects.filter(pk=pk))
    if not found:
        raise Election.DoesNotExist
    return found[0]


def election_tally(election: Any) -> checks.Tally:
    """Count the ballots of an election (two queries, whatever the number of ballots)."""
    choices: dict[int, list[int]] = {}
    through = Ballot.choices.through.objects.filter(ballot__election=election)
    for ballot_id, candidate_id in through.values_list("ballot_id", "electioncandidate_id"):
        choices.setdefault(ballot_id, []).append(candidate_id)
    ballots = [choices.get(pk, []) for pk in election.ballots.values_list("pk", flat=True)]
    candidates = election.candidates.values_list("pk", flat=True)
    return checks.tally(ballots, candidates, election.seats, election.max_choices)
