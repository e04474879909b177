"""Writes of the councils module: every state change is one function, audited, in a transaction.

Services take the acting user (and the organisation he acts for) and raise `DomainError`
with a translated message; they never take a request. Permissions are checked by the views
(and the API) before calling; the services check the domain rules.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ortaq.accounts.enums import Level, OrganisationKind
from ortaq.accounts.models import Organisation, User
from ortaq.audit.services import audit_record, diff, snapshot
from ortaq.core import uploads
from ortaq.core.errors import DomainError
from ortaq.core.locking import bump_version, check_version, lock_for_update
from ortaq.core.workflow import transition
from ortaq.lib import files
from ortaq.lib.workdays import add_working_days
from ortaq.notifications.services import Address, Attachment, notify

from . import checks, selectors
from .documents import meeting_ics
from .enums import (
    AgendaKind,
    AnswerKind,
    CallStatus,
    CompositionSource,
    CompositionStatus,
    CouncilKind,
    ElectionStatus,
    MeetingStatus,
    MemberCategory,
    NominationStatus,
    Position,
    ProtocolStatus,
    RecommendationStatus,
    VoteChoice,
    VoteMode,
)
from .models import (
    AgendaDocument,
    AgendaItem,
    Attendance,
    Ballot,
    CandidateCall,
    Composition,
    CompositionStatusChange,
    Council,
    CouncilMember,
    Election,
    ElectionCandidate,
    ImplementationReport,
    Meeting,
    Nomination,
    Protocol,
    ProtocolVersion,
    Recommendation,
    Vote,
)
from .rules import can_manage, council_seats, forget_seats
from .workflows import (
    COMPOSITION_WORKFLOW,
    ELECTION_WORKFLOW,
    MEETING_WORKFLOW,
    RECOMMENDATION_WORKFLOW,
)

RULE_FIELDS = (
    "min_members",
    "max_members",
    "civil_share_num",
    "civil_share_den",
    "one_per_organisation",
    "term_years",
    "renewal_months",
    "quorum_num",
    "quorum_den",
    "quorum_strict",
    "answer_days",
)
COUNCIL_FIELDS = ("name_kk", "name_ru", "name_en", "description", *RULE_FIELDS)


def _today() -> dt.date:
    return timezone.localdate()


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def default_size(organisation: Organisation) -> tuple[int, int]:
    """docs/domain.md §6: 15–30 members at ministries (national state bodies), 10–15 in the
    quasi-public sector and associations, set locally at akimats (10–30 by default)."""
    if organisation.kind == OrganisationKind.STATE_BODY:
        return (15, 30) if organisation.level == Level.NATIONAL else (10, 30)
    return 10, 15


# --- councils -------------------------------------------------------------------------------


@transaction.atomic
def council_create(
    *,
    actor: User | None,
    organisation: Organisation,
    kind: str,
    name_kk: str,
    name_ru: str,
    name_en: str = "",
    description: str = "",
    acting_for: Organisation | None = None,
    **rules: Any,
) -> Council:
    if kind not in CouncilKind.values:
        raise DomainError(_("Unknown kind of council."), field="kind")
    refusal = checks.host_refusal(kind, organisation.kind, organisation.name)
    if refusal:
        raise DomainError(refusal, field="organisation")
    if not name_kk.strip() or not name_ru.strip():
        raise DomainError(_("The name is required in Kazakh and in Russian."), field="name_kk")
    unknown = set(rules) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"Not a rule: {sorted(unknown)}")
    minimum, maximum = default_size(organisation)
    values = {"min_members": minimum, "max_members": maximum, **rules}
    _check_rules(values)
    council = Council.objects.create(
        organisation=organisation,
        kind=kind,
        level=organisation.level,
        region=organisation.region,
        name_kk=name_kk.strip(),
        name_ru=name_ru.strip(),
        name_en=name_en.strip(),
        description=description,
        **values,
    )
    audit_record(
        actor=actor,
        action="council.create",
        obj=council,
        changes=snapshot(council),
        organisation=acting_for,
    )
    return council


def _ensure_lawful_host(council: Council) -> None:
    """A council whose host may not host its kind (written before the rule, or its host's
    kind changed since) is frozen: nothing is formed, approved or changed in it."""
    host = council.organisation
    if not checks.may_host(council.kind, host.kind):
        raise DomainError(
            _(
                "“{organisation}” ({host_kind}) may not host a council of the kind “{kind}”: "
                "a platform administrator must first attach the council to another "
                "organisation or change its kind."
            ).format(
                organisation=host.name,
                host_kind=host.get_kind_display(),
                kind=council.get_kind_display(),
            )
        )


def _ensure_manager(actor: User | None, council: Council) -> None:
    """Compositions are formed and approved by the host's staff (or a platform administrator);
    `actor=None` is the platform itself (daily jobs, demo data)."""
    if actor is not None and not can_manage.test(actor, council):
        raise DomainError(_("Only the staff of the council's host manage its compositions."))


def _check_rules(values: Mapping[str, Any]) -> None:
    for field, message in checks.rules_problems(values):
        raise DomainError(message, field=field)


@transaction.atomic
def council_update(
    *,
    actor: User | None,
    council: Council,
    expected_version: int,
    acting_for: Organisation | None = None,
    kind: str | None = None,
    **values: Any,
) -> Council:
    """Change the names, description and rules. The kind (and the host) stay as created: a
    different `kind` is refused with a message, not ignored."""
    unknown = set(values) - set(COUNCIL_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    locked = lock_for_update(
        Council.objects.select_related("organisation").select_for_update(of=("self",)),
        pk=council.pk,
        expected_version=expected_version,
    )
    if kind is not None and kind != locked.kind:
        raise DomainError(
            _(
                "The kind of a council cannot be changed once it is created; it stays “{kind}”."
            ).format(kind=locked.get_kind_display()),
            field="kind",
        )
    _ensure_lawful_host(locked)
    _check_rules({name: values.get(name, getattr(locked, name)) for name in RULE_FIELDS})
    before = snapshot(locked)
    for name, value in values.items():
        setattr(locked, name, value)
    changes = diff(before, snapshot(locked))
    if not changes:
        return locked
    locked.version += 1
    locked.save()
    audit_record(
        actor=actor, action="council.update", obj=locked, changes=changes, organisation=acting_for
    )
    return locked


# --- compositions ---------------------------------------------------------------------------


def _transition(composition: Composition, *, to: str, actor: User | None, note: str = "") -> None:
    old = composition.status
    fields = []
    if to == CompositionStatus.APPROVED:
        composition.approved_at = timezone.now()
        fields.append("approved_at")
    transition(
        composition, workflow=COMPOSITION_WORKFLOW, to=to, actor=actor, note=note, fields=fields
    )
    audit_record(
        actor=actor,
        action="composition.status",
        obj=composition,
        changes={"status": [old, to]},
    )


@transaction.atomic
def composition_create(
    *,
    actor: User | None,
    council: Council,
    term_start: dt.date,
    term_end: dt.date | None = None,
    source: str = CompositionSource.APPOINTED,
    acting_for: Organisation | None = None,
) -> Composition:
    council = (
        Council.objects.select_related("organisation")
        .select_for_update(of=("self",))
        .get(pk=council.pk)
    )
    _ensure_lawful_host(council)
    _ensure_manager(actor, council)
    number = (council.compositions.aggregate(n=Max("number"))["n"] or 0) + 1
    end = term_end or add_years(term_start, council.term_years) - dt.timedelta(days=1)
    if end <= term_start:
        raise DomainError(_("The term must end after it starts."), field="term_end")
    composition = Composition.objects.create(
        council=council, number=number, term_start=term_start, term_end=end, source=source
    )
    CompositionStatusChange.objects.create(
        composition=composition, to_status=composition.status, actor=_person(actor)
    )
    audit_record(
        actor=actor,
        action="composition.create",
        obj=composition,
        changes=snapshot(composition),
        organisation=acting_for,
    )
    return composition


def _person(actor: User | None) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _lock_composition(composition: Composition) -> Composition:
    return (
        Composition.objects.select_related("council__organisation")
        .select_for_update(of=("self",))
        .get(pk=composition.pk)
    )


@transaction.atomic
def member_add(
    *,
    actor: User | None,
    composition: Composition,
    full_name: str,
    category: str,
    position: str = Position.MEMBER,
    organisation: Organisation | None = None,
    user: Any = None,
    email: str = "",
    appointed_on: dt.date | None = None,
    acting_for: Organisation | None = None,
) -> CouncilMember:
    """Add a seat. A member added to an approved composition sends it back to draft."""
    composition = _lock_composition(composition)
    _ensure_lawful_host(composition.council)
    _ensure_manager(actor, composition.council)
    if composition.status == CompositionStatus.PAST:
        raise DomainError(_("A past composition is kept as it was."))
    if category not in MemberCategory.values:
        raise DomainError(_("Choose the category of the member."), field="category")
    if position not in Position.values:
        raise DomainError(_("Choose the position of the member."), field="position")
    if not full_name.strip():
        raise DomainError(_("The name is required."), field="full_name")
    if (
        position in (Position.CHAIR, Position.SECRETARY)
        and composition.members.filter(position=position, ceased_on__isnull=True).exists()
    ):
        raise DomainError(
            _("The composition already has a {position}; change that seat first.").format(
                position=Position(position).label.lower()
            ),
            field="position",
        )
    if user is not None and composition.members.filter(user=user, ceased_on__isnull=True).exists():
        raise DomainError(_("This person already has a seat in the composition."), field="user")
    member = CouncilMember.objects.create(
        composition=composition,
        full_name=full_name.strip(),
        category=category,
        position=position,
        organisation=organisation,
        user=user,
        email=email,
        appointed_on=appointed_on or max(composition.term_start, _today()),
    )
    if composition.status == CompositionStatus.APPROVED:
        _transition(composition, to=CompositionStatus.DRAFT, actor=actor, note="member added")
    audit_record(
        actor=actor,
        action="council_member.add",
        obj=member,
        changes=snapshot(member),
        organisation=acting_for,
    )
    if user is not None:
        forget_seats(user)
    return member


@transaction.atomic
def member_remove(
    *,
    actor: User | None,
    member: CouncilMember,
    ceased_on: dt.date | None = None,
    acting_for: Organisation | None = None,
) -> CouncilMember:
    """A draft loses the seat; a current composition records the day the member ceased."""
    composition = _lock_composition(member.composition)
    _ensure_manager(actor, composition.council)
    if composition.status == CompositionStatus.PAST:
        raise DomainError(_("A past composition is kept as it was."))
    if composition.status in (CompositionStatus.DRAFT, CompositionStatus.APPROVED):
        audit_record(
            actor=actor,
            action="council_member.remove",
            obj=member,
            changes=snapshot(member),
            organisation=acting_for,
        )
        member.delete()
        if composition.status == CompositionStatus.APPROVED:
            _transition(composition, to=CompositionStatus.DRAFT, actor=actor, note="member removed")
        return member
    day = ceased_on or _today()
    if day < member.appointed_on:
        raise DomainError(_("A member cannot cease before being appointed."), field="ceased_on")
    member.ceased_on = day
    member.save(update_fields=["ceased_on"])
    audit_record(
        actor=actor,
        action="council_member.cease",
        obj=member,
        changes={"ceased_on": [None, day]},
        organisation=acting_for,
    )
    if member.user_id:
        forget_seats(member.user)
    return member


@transaction.atomic
def member_set_position(
    *,
    actor: User | None,
    member: CouncilMember,
    position: str,
    acting_for: Organisation | None = None,
) -> CouncilMember:
    composition = _lock_composition(member.composition)
    _ensure_lawful_host(composition.council)
    _ensure_manager(actor, composition.council)
    if composition.status == CompositionStatus.PAST:
        raise DomainError(_("A past composition is kept as it was."))
    if position not in Position.values:
        raise DomainError(_("Choose the position of the member."), field="position")
    if position in (Position.CHAIR, Position.SECRETARY):
        holder = composition.members.filter(position=position, ceased_on__isnull=True).exclude(
            pk=member.pk
        )
        holder.update(position=Position.MEMBER)
    old = member.position
    member.position = position
    member.save(update_fields=["position"])
    audit_record(
        actor=actor,
        action="council_member.position",
        obj=member,
        changes={"position": [old, position]},
        organisation=acting_for,
    )
    if composition.status == CompositionStatus.APPROVED and old != position:
        _transition(composition, to=CompositionStatus.DRAFT, actor=actor, note="position changed")
    return member


@transaction.atomic
def composition_approve(
    *, actor: User | None, composition: Composition, acting_for: Organisation | None = None
) -> Composition:
    """Approve a draft; refused, with every problem listed, when it breaks a rule."""
    composition = _lock_composition(composition)
    _ensure_lawful_host(composition.council)
    _ensure_manager(actor, composition.council)
    problems = selectors.composition_problems_of(composition)
    if problems:
        raise DomainError(
            _("The composition cannot be approved: {problems}").format(problems=" ".join(problems))
        )
    _transition(composition, to=CompositionStatus.APPROVED, actor=actor)
    return composition


@transaction.atomic
def composition_take_over(
    *, actor: User | None, composition: Composition, today: dt.date | None = None
) -> Composition:
    """An approved composition becomes current on its first day; the previous one is past."""
    composition = _lock_composition(composition)
    _ensure_lawful_host(composition.council)
    today = today or _today()
    if composition.term_start > today:
        raise DomainError(
            _("The composition takes over on {day}.").format(day=composition.term_start)
        )
    if composition.status == CompositionStatus.CURRENT:
        return composition
    previous = (
        Composition.objects.select_for_update()
        .filter(council_id=composition.council_id, status=CompositionStatus.CURRENT)
        .first()
    )
    if previous is not None:
        _transition(previous, to=CompositionStatus.PAST, actor=actor)
    _transition(composition, to=CompositionStatus.CURRENT, actor=actor)
    call = CandidateCall.objects.filter(next_composition=composition, status=CallStatus.OPEN)
    call.update(status=CallStatus.CLOSED)
    for member in composition.members.exclude(user=None).select_related("user"):
        forget_seats(member.user)
    return composition


def compositions_take_over_due(*, today: dt.date | None = None) -> int:
    """Daily: every approved composition whose term has started takes over. Idempotent."""
    today = today or _today()
    done = 0
    for composition in (
        Composition.objects.filter(status=CompositionStatus.APPROVED, term_start__lte=today)
        .filter(selectors.lawful_host_q("council__"))
        .order_by("term_start", "pk")
    ):
        composition_take_over(actor=None, composition=composition, today=today)
        done += 1
    return done


# --- renewal: the call for candidates -------------------------------------------------------


def renewal_opens_on(composition: Composition) -> dt.date:
    return add_months(composition.term_end, -composition.council.renewal_months)


def calls_open_due(*, today: dt.date | None = None) -> list[CandidateCall]:
    """Daily: open the call for the next composition when a term ends within the council's
    renewal period (two months by default). A call per ending term, so a rerun opens none."""
    today = today or _today()
    opened = []
    current = (
        Composition.objects.filter(
            status=CompositionStatus.CURRENT, renewal_call__isnull=True, council__is_active=True
        )
        .filter(selectors.lawful_host_q("council__"))
        .select_related("council")
    )
    for composition in current:
        if renewal_opens_on(composition) > today:
            continue
        try:
            opened.append(call_open(actor=None, ending=composition, today=today))
        except IntegrityError:  # another worker opened it meanwhile
            continue
    return opened


@transaction.atomic
def call_open(
    *, actor: User | None, ending: Composition, today: dt.date | None = None
) -> CandidateCall:
    today = today or _today()
    council = ending.council
    start = ending.term_end + dt.timedelta(days=1)
    next_composition = composition_create(actor=actor, council=council, term_start=start)
    call = CandidateCall.objects.create(
        council=council,
        ending=ending,
        next_composition=next_composition,
        opens_on=today,
        closes_on=min(add_working_days(today, 20), ending.term_end),
    )
    audit_record(actor=actor, action="call.open", obj=call, changes=snapshot(call))
    return call


@transaction.atomic
def nomination_create(
    *,
    actor: User | None,
    call: CandidateCall,
    organisation: Organisation,
    full_name: str,
    motivation: str = "",
    today: dt.date | None = None,
) -> Nomination:
    today = today or _today()
    if call.status != CallStatus.OPEN or today > call.closes_on:
        raise DomainError(_("The call for candidates is closed."))
    if organisation.kind != OrganisationKind.NGO:
        raise DomainError(_("Only NGOs nominate candidates."), field="organisation")
    if not full_name.strip():
        raise DomainError(_("The name is required."), field="full_name")
    if Nomination.objects.filter(call=call, organisation=organisation).exists():
        raise DomainError(
            _("Your organisation has already nominated a candidate: one representative per NGO."),
            field="full_name",
        )
    nomination = Nomination.objects.create(
        call=call, organisation=organisation, full_name=full_name.strip(), motivation=motivation
    )
    audit_record(
        actor=actor,
        action="nomination.create",
        obj=nomination,
        changes=snapshot(nomination),
        organisation=organisation,
    )
    return nomination


@transaction.atomic
def nomination_decide(
    *,
    actor: User | None,
    nomination: Nomination,
    selected: bool,
    position: str = Position.MEMBER,
    acting_for: Organisation | None = None,
) -> Nomination:
    """The working group selects a candidate (a civil-society seat in the next composition)."""
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if nomination.status != NominationStatus.NOMINATED:
        raise DomainError(_("This nomination is already decided."))
    call = CandidateCall.objects.select_related("next_composition").get(pk=nomination.call_id)
    if selected:
        member_add(
            actor=actor,
            composition=call.next_composition,
            full_name=nomination.full_name,
            category=MemberCategory.CIVIL,
            position=position,
            organisation=nomination.organisation,
            user=nomination.user,
            appointed_on=call.next_composition.term_start,
            acting_for=acting_for,
        )
    nomination.status = NominationStatus.SELECTED if selected else NominationStatus.NOT_SELECTED
    nomination.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="nomination.decide",
        obj=nomination,
        changes={"status": [NominationStatus.NOMINATED, nomination.status]},
        organisation=acting_for,
    )
    return nomination


# --- elections at a general meeting ---------------------------------------------------------


def _check_election(*, held_on: dt.date, seats: int, max_choices: int, term_start: dt.date) -> None:
    if seats < 1 or max_choices < 1:
        raise DomainError(_("An election needs at least one seat and one choice."), field="seats")
    if max_choices > seats:
        raise DomainError(
            _("A ballot cannot have more choices than there are seats ({n}).").format(n=seats),
            field="max_choices",
        )
    if term_start < held_on:
        raise DomainError(
            _("The elected composition cannot start before the general meeting."),
            field="term_start",
        )


def _election_transition(election: Election, *, to: str, actor: User | None) -> None:
    old = election.status
    transition(election, workflow=ELECTION_WORKFLOW, to=to, actor=actor)
    audit_record(actor=actor, action="election.status", obj=election, changes={"status": [old, to]})


def _ensure_preparing(election: Election) -> None:
    if election.status != ElectionStatus.DRAFT:
        raise DomainError(
            _("Voting has opened: the candidates and the member organisations are fixed.")
        )


def _lock_election(election: Election) -> Election:
    return (
        Election.objects.select_related("council")
        .select_for_update(of=("self",))
        .get(pk=election.pk)
    )


@transaction.atomic
def election_create(
    *,
    actor: User | None,
    council: Council,
    held_on: dt.date,
    seats: int,
    max_choices: int,
    term_start: dt.date,
    electors: Iterable[Organisation] = (),
    candidates: Sequence[tuple[str, Organisation | None]] = (),
    acting_for: Organisation | None = None,
) -> Election:
    """Prepare an election at a general meeting; candidates and electors may follow until
    voting opens (`election_open`)."""
    _check_election(held_on=held_on, seats=seats, max_choices=max_choices, term_start=term_start)
    election = Election.objects.create(
        council=council,
        held_on=held_on,
        seats=seats,
        max_choices=max_choices,
        term_start=term_start,
    )
    election.electors.set(list(electors))
    audit_record(
        actor=actor,
        action="election.create",
        obj=election,
        changes={**snapshot(election), "electors": sorted(o.pk for o in election.electors.all())},
        organisation=acting_for,
    )
    for name, organisation in candidates:
        election_candidate_add(
            actor=actor,
            election=election,
            full_name=name,
            organisation=organisation,
            acting_for=acting_for,
        )
    return election


@transaction.atomic
def election_update(
    *,
    actor: User | None,
    election: Election,
    expected_version: int,
    held_on: dt.date,
    seats: int,
    max_choices: int,
    term_start: dt.date,
    electors: Iterable[Organisation],
    acting_for: Organisation | None = None,
) -> Election:
    """Change an election being prepared: its date, seats, choices and member organisations."""
    locked = _lock_election(election)
    check_version(locked, expected_version=expected_version)
    _ensure_preparing(locked)
    _check_election(held_on=held_on, seats=seats, max_choices=max_choices, term_start=term_start)
    before = snapshot(locked, ["held_on", "seats", "max_choices", "term_start"])
    before_electors = sorted(locked.electors.values_list("pk", flat=True))
    locked.held_on, locked.seats, locked.max_choices, locked.term_start = (
        held_on,
        seats,
        max_choices,
        term_start,
    )
    locked.version += 1
    locked.save()
    locked.electors.set(list(electors))
    changes = diff(before, snapshot(locked, ["held_on", "seats", "max_choices", "term_start"]))
    after_electors = sorted(locked.electors.values_list("pk", flat=True))
    if after_electors != before_electors:
        changes["electors"] = [before_electors, after_electors]
    audit_record(
        actor=actor, action="election.update", obj=locked, changes=changes, organisation=acting_for
    )
    return locked


@transaction.atomic
def election_candidate_add(
    *,
    actor: User | None,
    election: Election,
    full_name: str,
    organisation: Organisation | None = None,
    category: str = MemberCategory.CIVIL,
    user: Any = None,
    acting_for: Organisation | None = None,
) -> ElectionCandidate:
    """A candidate, before voting opens; one civil-society candidate per NGO when the
    council seats one representative per NGO."""
    election = _lock_election(election)
    _ensure_preparing(election)
    if not full_name.strip():
        raise DomainError(_("The name is required."), field="full_name")
    if category not in MemberCategory.values:
        raise DomainError(_("Choose the category of the member."), field="category")
    if (
        election.council.one_per_organisation
        and organisation is not None
        and category == MemberCategory.CIVIL
        and election.candidates.filter(
            organisation=organisation, category=MemberCategory.CIVIL
        ).exists()
    ):
        raise DomainError(
            _("{organisation} already has a candidate: one representative per NGO.").format(
                organisation=organisation.name
            ),
            field="organisation_bin",
        )
    candidate = ElectionCandidate.objects.create(
        election=election,
        full_name=full_name.strip(),
        organisation=organisation,
        category=category,
        user=user,
    )
    audit_record(
        actor=actor,
        action="election_candidate.add",
        obj=candidate,
        changes=snapshot(candidate),
        organisation=acting_for,
    )
    return candidate


@transaction.atomic
def election_candidate_remove(
    *, actor: User | None, candidate: ElectionCandidate, acting_for: Organisation | None = None
) -> None:
    election = _lock_election(candidate.election)
    _ensure_preparing(election)
    audit_record(
        actor=actor,
        action="election_candidate.remove",
        obj=candidate,
        changes=snapshot(candidate),
        organisation=acting_for,
    )
    candidate.delete()


@transaction.atomic
def election_open(
    *, actor: User | None, election: Election, acting_for: Organisation | None = None
) -> Election:
    """Voting opens: from now on ballots are recorded and the lists are fixed."""
    election = _lock_election(election)
    if election.status == ElectionStatus.DRAFT:
        if not election.electors.exists():
            raise DomainError(_("Name the member organisations that vote first."))
        if not election.candidates.exists():
            raise DomainError(_("Add the candidates first."))
    _election_transition(election, to=ElectionStatus.OPEN, actor=actor)
    return election


@transaction.atomic
def ballot_record(
    *,
    actor: User | None,
    election: Election,
    organisation: Organisation,
    candidate_ids: Sequence[int],
) -> Ballot:
    """One ballot per member organisation, with up to `max_choices` distinct candidates."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status == ElectionStatus.DRAFT:
        raise DomainError(_("Voting has not opened yet."))
    if election.status != ElectionStatus.OPEN:
        raise DomainError(_("Voting is over."))
    if not election.electors.filter(pk=organisation.pk).exists():
        raise DomainError(_("This organisation does not vote in this election."))
    chosen = list(dict.fromkeys(candidate_ids))
    if len(chosen) > election.max_choices:
        raise DomainError(
            _("A ballot has at most {n} choices.").format(n=election.max_choices), field="choices"
        )
    valid = set(election.candidates.filter(pk__in=chosen).values_list("pk", flat=True))
    if valid != set(chosen):
        raise DomainError(_("Unknown candidate."), field="choices")
    if Ballot.objects.filter(election=election, organisation=organisation).exists():
        raise DomainError(_("This organisation has already voted."))
    ballot = Ballot.objects.create(election=election, organisation=organisation)
    ballot.choices.set(chosen)
    audit_record(
        actor=actor,
        action="ballot.record",
        obj=ballot,
        changes={"organisation": organisation.pk, "choices": chosen},
    )
    return ballot


@transaction.atomic
def election_close(
    *, actor: User | None, election: Election, tie_winners: Sequence[int] = ()
) -> tuple[checks.Tally, Composition]:
    """Count the ballots and create the elected composition (a draft: the council then chooses
    its chair and secretary). A tie for the last seats must be settled (a second round or a
    lot at the meeting) and passed in `tie_winners`; otherwise closing is refused."""
    election = _lock_election(election)
    if election.status == ElectionStatus.DRAFT:
        raise DomainError(_("Voting has not opened yet."))
    if election.status != ElectionStatus.OPEN:
        raise DomainError(_("The election is already counted."))
    result = selectors.election_tally(election)
    elected = list(result.elected)
    if result.tied:
        winners = list(dict.fromkeys(tie_winners))
        if len(winners) != result.tied_seats or set(winners) - set(result.tied):
            raise DomainError(
                _(
                    "{n} candidates are tied for the last {seats} seats: settle the tie and "
                    "choose who takes them."
                ).format(n=len(result.tied), seats=result.tied_seats)
            )
        elected += winners
    composition = composition_create(
        actor=actor,
        council=election.council,
        term_start=election.term_start,
        source=CompositionSource.ELECTED,
    )
    candidates = {c.pk: c for c in election.candidates.select_related("organisation")}
    CouncilMember.objects.bulk_create(
        CouncilMember(
            composition=composition,
            full_name=candidates[pk].full_name,
            organisation=candidates[pk].organisation,
            user=candidates[pk].user,
            category=candidates[pk].category,
            position=Position.MEMBER,
            appointed_on=election.term_start,
        )
        for pk in elected
    )
    election.candidates.filter(pk__in=elected).update(elected=True)
    election.composition = composition
    election.save(update_fields=["composition"])
    _election_transition(election, to=ElectionStatus.CLOSED, actor=actor)
    audit_record(
        actor=actor,
        action="election.close",
        obj=election,
        changes={"elected": elected, "tied": result.tied},
    )
    return result, composition


# --- meetings -------------------------------------------------------------------------------


@transaction.atomic
def meeting_create(
    *,
    actor: User | None,
    council: Council,
    starts_at: dt.datetime,
    place: str = "",
    online_link: str = "",
    title: str = "",
    duration_minutes: int = 120,
) -> Meeting:
    composition = council.compositions.filter(status=CompositionStatus.CURRENT).first()
    if composition is None:
        raise DomainError(_("The council has no current composition to meet."))
    if not place.strip() and not online_link.strip():
        raise DomainError(_("Give the place of the meeting or an online link."), field="place")
    meeting = Meeting.objects.create(
        council=council,
        composition=composition,
        starts_at=starts_at,
        place=place.strip(),
        online_link=online_link.strip(),
        title=title.strip(),
        duration_minutes=duration_minutes,
    )
    audit_record(actor=actor, action="meeting.create", obj=meeting, changes=snapshot(meeting))
    return meeting


def _lock_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_related("council", "composition")
        .select_for_update(of=("self",))
        .get(pk=meeting.pk)
    )


def _ensure_open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("The meeting is cancelled."))
    if selectors.record_closed(meeting):
        raise DomainError(
            _("The protocol is published: the meeting record is closed. Publish a correction.")
        )


@transaction.atomic
def agenda_item_add(
    *,
    actor: User | None,
    meeting: Meeting,
    topic_kk: str,
    topic_ru: str,
    kind: str = AgendaKind.DISCUSSION,
    speaker: str = "",
    documents: str = "",
    vote_mode: str = VoteMode.NONE,
) -> AgendaItem:
    meeting = _lock_meeting(meeting)
    _ensure_open(meeting)
    if not topic_kk.strip() and not topic_ru.strip():
        raise DomainError(_("Give the topic in Kazakh or in Russian."), field="topic_kk")
    if kind not in AgendaKind.values:
        raise DomainError(_("Unknown kind of agenda item."), field="kind")
    if vote_mode not in VoteMode.values:
        raise DomainError(_("Unknown way of voting."), field="vote_mode")
    order = (meeting.items.aggregate(n=Max("order"))["n"] or 0) + 1
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=order,
        topic_kk=topic_kk.strip(),
        topic_ru=topic_ru.strip(),
        kind=kind,
        speaker=speaker.strip(),
        documents=documents.strip(),
        vote_mode=vote_mode,
    )
    audit_record(actor=actor, action="agenda_item.add", obj=item, changes=snapshot(item))
    return item


def document_max_bytes() -> int:
    return int(settings.COUNCIL_DOCUMENT_MAX_BYTES)


AGENDA_DOCUMENT_TYPES = frozenset({files.PDF, files.DOC, files.DOCX, files.ODT})


def agenda_document_add(
    *, actor: User | None, item: AgendaItem, upload: UploadedFile
) -> AgendaDocument:
    """Attach a PDF, DOC, DOCX or ODT file to an agenda item. The type is read from the
    content by `ortaq.lib.files`, not from the name; the file is stored under a random name."""
    checked = uploads.accept(
        upload,
        allowed=AGENDA_DOCUMENT_TYPES,
        limit=document_max_bytes(),
        refused=_("Only PDF, DOC, DOCX and ODT documents are accepted."),
    )
    with transaction.atomic():
        return _agenda_document_store(actor=actor, item=item, checked=checked)


def _agenda_document_store(
    *, actor: User | None, item: AgendaItem, checked: files.Checked
) -> AgendaDocument:
    meeting = _lock_meeting(item.meeting)
    _ensure_open(meeting)
    document = AgendaDocument(
        item=item,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=_person(actor),
    )
    document.file.save(
        f"{secrets.token_urlsafe(16)}.{checked.extension}", ContentFile(checked.data), save=False
    )
    document.save()
    audit_record(
        actor=actor,
        action="agenda_document.add",
        obj=document,
        changes={
            "item": item.pk,
            "name": document.original_name,
            "size": checked.size,
            "type": checked.content_type,
        },
    )
    return document


@transaction.atomic
def agenda_document_remove(*, actor: User | None, document: AgendaDocument) -> None:
    """Remove a document while the record is open; the file goes once the removal commits."""
    meeting = _lock_meeting(document.item.meeting)
    _ensure_open(meeting)
    audit_record(
        actor=actor,
        action="agenda_document.remove",
        obj=document,
        changes={"item": document.item_id, "name": document.original_name},
    )
    storage, path = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(path))


@transaction.atomic
def invitations_send(*, actor: User | None, meeting: Meeting) -> Meeting:
    """Mark the invitations sent; the e-mails (with an iCalendar file) go after the commit."""
    meeting = _lock_meeting(meeting)
    _ensure_open(meeting)
    meeting.invitations_sent_at = timezone.now()
    meeting.save(update_fields=["invitations_sent_at"])
    audit_record(
        actor=actor,
        action="meeting.invite",
        obj=meeting,
        changes={"invitations_sent_at": meeting.invitations_sent_at},
    )
    # tasks.py imports this module (a task calls a service): importing it above is a cycle.
    from .tasks import deliver_invitations

    pk = meeting.pk
    transaction.on_commit(lambda: deliver_invitations.delay(pk))
    return meeting


def invitations_deliver(*, meeting: Meeting) -> int:
    """Send each member of the meeting's composition the invitation with the .ics file, in his
    language (an inbox row for members with an account); returns the members invited."""
    ics = Attachment(filename="meeting.ics", content=meeting_ics(meeting), mimetype="text/calendar")
    recipients: list[Any] = []
    for member in selectors.meeting_members(meeting):
        if member.user is not None:
            recipients.append(member.user)
        elif member.email:
            recipients.append(Address(email=member.email))
    items = list(meeting.items.all())
    day = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    notify(
        recipients=recipients,
        subject=lambda: _("Invitation: meeting of {council} on {day}").format(
            council=meeting.council.name, day=day
        ),
        body=lambda: _(
            "You are invited to the meeting of {council}.\nPlace: {place}\nAgenda:\n{agenda}"
        ).format(
            council=meeting.council.name,
            place=meeting.place or meeting.online_link,
            agenda="\n".join(f"{item.order}. {item.topic}" for item in items),
        ),
        url=meeting.get_absolute_url(),
        topic="councils.meeting.invitation",
        attachments=[ics],
    )
    return len(recipients)


@transaction.atomic
def attendance_record(
    *, actor: User | None, meeting: Meeting, present_ids: Iterable[int]
) -> checks.Quorum:
    """Who attended, member by member; the meeting counts as held. Returns the quorum."""
    meeting = _lock_meeting(meeting)
    _ensure_open(meeting)
    members = {m.pk: m for m in selectors.meeting_members(meeting)}
    present = set(present_ids)
    if present - set(members):
        raise DomainError(_("Only members of the composition attend."), field="present")
    meeting.attendance.all().delete()
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, member_id=pk, present=pk in present) for pk in members
    )
    # Votes by name of members now absent are no longer valid.
    Vote.objects.filter(item__meeting=meeting).exclude(member_id__in=present).delete()
    if meeting.status == MeetingStatus.PLANNED:
        transition(meeting, workflow=MEETING_WORKFLOW, to=MeetingStatus.HELD, actor=actor)
    audit_record(
        actor=actor,
        action="meeting.attendance",
        obj=meeting,
        changes={"present": sorted(present), "absent": sorted(set(members) - present)},
    )
    return selectors.meeting_quorum(meeting)


def _ensure_quorum(meeting: Meeting) -> checks.Quorum:
    result = selectors.meeting_quorum(meeting)
    if not result.present:
        raise DomainError(
            _("Decisions can be recorded only when the quorum is present. {why}").format(
                why=result.explanation
            )
        )
    return result


@transaction.atomic
def votes_record(
    *,
    actor: User | None,
    item: AgendaItem,
    by_name: Mapping[int, str] | None = None,
    counts: tuple[int, int, int] | None = None,
) -> AgendaItem:
    """Votes on one item: by name (one row per present member) or by count."""
    meeting = _lock_meeting(item.meeting)
    _ensure_open(meeting)
    result = _ensure_quorum(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    Vote.objects.filter(item=item).delete()
    if by_name is not None:
        present = set(selectors.present_member_ids(meeting))
        unknown = set(by_name) - present
        if unknown:
            raise DomainError(_("Only members present at the meeting vote."), field="votes")
        if set(by_name.values()) - set(VoteChoice.values):
            raise DomainError(_("Unknown vote."), field="votes")
        Vote.objects.bulk_create(
            Vote(item=item, member_id=pk, choice=choice) for pk, choice in by_name.items()
        )
        tally = {c: sum(1 for v in by_name.values() if v == c) for c in VoteChoice.values}
        item.vote_mode = VoteMode.BY_NAME
        item.votes_for = tally[VoteChoice.FOR]
        item.votes_against = tally[VoteChoice.AGAINST]
        item.votes_abstained = tally[VoteChoice.ABSTAINED]
    elif counts is not None:
        if min(counts) < 0 or sum(counts) > result.attending:
            raise DomainError(
                _("More votes than members present ({n}).").format(n=result.attending),
                field="votes_for",
            )
        item.vote_mode = VoteMode.BY_COUNT
        item.votes_for, item.votes_against, item.votes_abstained = counts
    else:
        raise ValueError("by_name or counts")
    item.save(update_fields=["vote_mode", "votes_for", "votes_against", "votes_abstained"])
    audit_record(
        actor=actor,
        action="agenda_item.votes",
        obj=item,
        changes={
            "mode": item.vote_mode,
            "for": item.votes_for,
            "against": item.votes_against,
            "abstained": item.votes_abstained,
        },
    )
    return item


@transaction.atomic
def decision_record(
    *, actor: User | None, item: AgendaItem, decision_kk: str, decision_ru: str
) -> AgendaItem:
    meeting = _lock_meeting(item.meeting)
    _ensure_open(meeting)
    _ensure_quorum(meeting)
    if not decision_kk.strip() and not decision_ru.strip():
        raise DomainError(_("Write the decision in Kazakh or in Russian."), field="decision_kk")
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    before = snapshot(item, ["decision_kk", "decision_ru"])
    item.decision_kk = decision_kk.strip()
    item.decision_ru = decision_ru.strip()
    item.decided_at = item.decided_at or timezone.now()
    item.save(update_fields=["decision_kk", "decision_ru", "decided_at"])
    audit_record(
        actor=actor,
        action="agenda_item.decision",
        obj=item,
        changes=diff(before, snapshot(item, ["decision_kk", "decision_ru"])),
    )
    return item


# --- protocols ------------------------------------------------------------------------------


@transaction.atomic
def protocol_generate(
    *, actor: User | None, meeting: Meeting, correction_note: str = ""
) -> ProtocolVersion:
    """Freeze the meeting into the draft version of its protocol.

    The draft is refreshed (its approvals dropped: they were for other content); once a
    version is published, the next generation is a correction, version n+1, with a note.
    """
    meeting = _lock_meeting(meeting)
    if meeting.status != MeetingStatus.HELD:
        raise DomainError(_("Record the attendance first: the protocol is of a held meeting."))
    protocol, _created = Protocol.objects.get_or_create(meeting=meeting)
    content = selectors.protocol_content(meeting)
    draft = protocol.versions.select_for_update().filter(status=ProtocolStatus.DRAFT).first()
    if draft is not None:
        draft.content = content
        draft.correction_note = correction_note or draft.correction_note
        draft.chair_approved_by = draft.secretary_approved_by = None
        draft.chair_approved_at = draft.secretary_approved_at = None
        draft.save()
        audit_record(actor=actor, action="protocol.refresh", obj=draft, changes={"n": draft.number})
        return draft
    last = protocol.versions.aggregate(n=Max("number"))["n"] or 0
    if last and not correction_note.strip():
        raise DomainError(
            _("The protocol is published; say what the correction changes."),
            field="correction_note",
        )
    version = ProtocolVersion.objects.create(
        protocol=protocol, number=last + 1, content=content, correction_note=correction_note
    )
    audit_record(
        actor=actor, action="protocol.generate", obj=version, changes={"number": version.number}
    )
    return version


@transaction.atomic
def protocol_approve(*, actor: User | None, version: ProtocolVersion) -> ProtocolVersion:
    """The chair and the secretary each approve the draft, as the seat they hold."""
    version = ProtocolVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise DomainError(_("A published protocol is never changed; publish a correction."))
    council_id = version.protocol.meeting.council_id
    seats = {p for c, p in council_seats(actor) if c == council_id}
    now = timezone.now()
    fields = []
    if Position.CHAIR in seats and version.chair_approved_at is None:
        version.chair_approved_by, version.chair_approved_at = actor, now
        fields += ["chair_approved_by", "chair_approved_at"]
    if Position.SECRETARY in seats and version.secretary_approved_at is None:
        version.secretary_approved_by, version.secretary_approved_at = actor, now
        fields += ["secretary_approved_by", "secretary_approved_at"]
    if not seats & {Position.CHAIR, Position.SECRETARY}:
        raise DomainError(_("Only the chair and the secretary approve the protocol."))
    if fields:
        version.save(update_fields=fields)
        audit_record(actor=actor, action="protocol.approve", obj=version, changes={"by": fields})
    return version


@transaction.atomic
def protocol_publish(*, actor: User | None, version: ProtocolVersion) -> ProtocolVersion:
    version = ProtocolVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        return version
    if version.chair_approved_at is None or version.secretary_approved_at is None:
        raise DomainError(_("The chair and the secretary must both approve the protocol first."))
    version.status = ProtocolStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at"])
    audit_record(
        actor=actor,
        action="protocol.publish",
        obj=version,
        changes={"status": [ProtocolStatus.DRAFT, ProtocolStatus.PUBLISHED]},
    )
    return version


# --- recommendations ------------------------------------------------------------------------


@transaction.atomic
def recommendation_create(
    *,
    actor: User | None,
    item: AgendaItem,
    addressee: Organisation,
    text_kk: str,
    text_ru: str,
    sent_on: dt.date | None = None,
) -> Recommendation:
    """A recommendation from a recorded decision, due in the council's working days."""
    item = AgendaItem.objects.select_related("meeting__council").get(pk=item.pk)
    meeting = item.meeting
    if item.decided_at is None:
        raise DomainError(_("Record the decision of the item first."))
    if addressee.kind != OrganisationKind.STATE_BODY:
        raise DomainError(_("Recommendations are addressed to a state body."), field="addressee")
    if not text_kk.strip() and not text_ru.strip():
        raise DomainError(_("Write the recommendation in Kazakh or in Russian."), field="text_kk")
    sent = sent_on or _today()
    recommendation = Recommendation.objects.create(
        council=meeting.council,
        meeting=meeting,
        item=item,
        addressee=addressee,
        text_kk=text_kk.strip(),
        text_ru=text_ru.strip(),
        sent_on=sent,
        due_on=selectors.answer_due(sent, meeting.council),
    )
    audit_record(
        actor=actor,
        action="recommendation.create",
        obj=recommendation,
        changes=snapshot(recommendation),
    )
    return recommendation


def _lock_recommendation(recommendation: Recommendation, expected_version: int) -> Any:
    return lock_for_update(recommendation, expected_version=expected_version)


@transaction.atomic
def recommendation_answer(
    *,
    actor: User | None,
    recommendation: Recommendation,
    answer: str,
    reasons: str,
    expected_version: int,
    today: dt.date | None = None,
    acting_for: Organisation | None = None,
) -> Recommendation:
    """The addressed state body's reasoned answer: accepted, partially accepted or rejected."""
    locked = _lock_recommendation(recommendation, expected_version)
    if locked.status != RecommendationStatus.SENT:
        raise DomainError(_("This recommendation is already answered."))
    if answer not in AnswerKind.values:
        raise DomainError(_("Choose the answer."), field="answer")
    if not reasons.strip():
        raise DomainError(_("Give the reasons of the answer."), field="reasons")
    locked.answer = answer
    locked.answer_text = reasons.strip()
    locked.answered_on = today or _today()
    locked.answered_by = _person(actor)
    transition(
        locked,
        workflow=RECOMMENDATION_WORKFLOW,
        to=RecommendationStatus.ANSWERED,
        actor=actor,
        fields=["answer", "answer_text", "answered_on", "answered_by"],
    )
    audit_record(
        actor=actor,
        action="recommendation.answer",
        obj=locked,
        changes={"answer": answer, "answered_on": locked.answered_on},
        organisation=acting_for,
    )
    return locked


@transaction.atomic
def recommendation_report(
    *,
    actor: User | None,
    recommendation: Recommendation,
    progress: int,
    text: str,
    expected_version: int,
    today: dt.date | None = None,
    acting_for: Organisation | None = None,
) -> ImplementationReport:
    locked = _lock_recommendation(recommendation, expected_version)
    if locked.status == RecommendationStatus.SENT:
        raise DomainError(_("Answer the recommendation before reporting on it."))
    if locked.answer == AnswerKind.REJECTED:
        raise DomainError(_("A rejected recommendation is not implemented."))
    if not 0 <= progress <= 100:
        raise DomainError(_("Progress is a percentage from 0 to 100."), field="progress")
    if progress < locked.progress:
        raise DomainError(
            _("Progress cannot go back from {old}%.").format(old=locked.progress), field="progress"
        )
    if not text.strip():
        raise DomainError(_("Say what was done."), field="text")
    day = today or _today()
    report = ImplementationReport.objects.create(
        recommendation=locked,
        progress=progress,
        text=text.strip(),
        reported_on=day,
        reported_by=_person(actor),
    )
    old = locked.progress
    locked.progress = progress
    if progress == 100 and locked.status != RecommendationStatus.IMPLEMENTED:
        locked.implemented_on = day
        transition(
            locked,
            workflow=RECOMMENDATION_WORKFLOW,
            to=RecommendationStatus.IMPLEMENTED,
            actor=actor,
            fields=["progress", "implemented_on"],
        )
    else:
        locked.save(update_fields=["progress", *bump_version(locked)])
    audit_record(
        actor=actor,
        action="recommendation.report",
        obj=locked,
        changes={"progress": [old, progress]},
        organisation=acting_for,
    )
    return report


REMIND_EVERY_WORKING_DAYS = 5


def _overdue_subject(items: list[Recommendation]) -> str:
    return _("Overdue answers to council recommendations: {n}").format(n=len(items))


def _overdue_lines(items: list[Recommendation]) -> str:
    return "\n".join(
        _("— {text} (council: {council}; due {due})").format(
            text=r.text[:200], council=r.council.name, due=r.due_on
        )
        for r in items
    )


def overdue_remind(*, today: dt.date | None = None) -> int:
    """Daily: remind the officials of each state body with overdue unanswered
    recommendations, again every five working days while they stay overdue. Each gets an
    inbox row and, after the commit, an e-mail in his language. Returns the reminders."""
    today = today or _today()
    due = list(selectors.overdue_to_remind(today=today, every=REMIND_EVERY_WORKING_DAYS))
    if not due:
        return 0
    recipients = selectors.answering_officials({r.addressee_id for r in due})
    by_body: dict[int, list[Recommendation]] = {}
    for recommendation in due:
        by_body.setdefault(recommendation.addressee_id, []).append(recommendation)
    sent = 0
    with transaction.atomic():
        Recommendation.objects.filter(pk__in=[r.pk for r in due]).update(last_reminded_on=today)
        for recommendation in due:
            audit_record(
                actor=None,
                action="recommendation.remind",
                obj=recommendation,
                changes={"last_reminded_on": today},
            )
        for body_id, items in by_body.items():
            sent += len(
                notify(
                    recipients=recipients.get(body_id, []),
                    subject=partial(_overdue_subject, items),
                    body=partial(_overdue_lines, items),
                    url=reverse("councils:inbox"),
                    topic="councils.recommendation.overdue",
                )
            )
    return sent
