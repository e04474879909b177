"""Pure rules of councils: composition checks, quorum and the tally of an election.

No models and no database here: the functions take plain values, so the tests state every
edge case exactly and hypothesis can throw thousands of cases at them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ortaq.accounts.enums import OrganisationKind

from .enums import COUNCIL_HOST_KINDS, CouncilKind

CIVIL = "civil"
CHAIR = "chair"
SECRETARY = "secretary"


def may_host(council_kind: str, host_kind: str) -> bool:
    """May an organisation of `host_kind` host a council of `council_kind` (DOMAIN.md §6)?"""
    return host_kind in COUNCIL_HOST_KINDS.get(council_kind, frozenset())


def _label(choices: type[OrganisationKind] | type[CouncilKind], value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def host_refusal(council_kind: str, host_kind: str, host_name: str) -> str | None:
    """Why `host_name` cannot host a council of `council_kind`; None when it may."""
    if may_host(council_kind, host_kind):
        return None
    allowed = ", ".join(
        _label(OrganisationKind, kind).lower()
        for kind in OrganisationKind.values
        if kind in COUNCIL_HOST_KINDS.get(council_kind, frozenset())
    )
    return _(
        "A council of the kind “{kind}” cannot be attached to “{organisation}” "
        "({host_kind}). Allowed hosts: {allowed}."
    ).format(
        kind=_label(CouncilKind, council_kind),
        organisation=host_name,
        host_kind=_label(OrganisationKind, host_kind),
        allowed=allowed,
    )


def rules_problems(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(field, message) of each contradiction in a council's rules; empty when they hold.

    The same checks as the database constraints of `Council`, with messages people read:
    the service refuses the first, the form shows them all next to their fields."""
    problems: list[tuple[str, str]] = []
    minimum = values.get("min_members", 10)
    maximum = values.get("max_members", 30)
    if minimum is not None and maximum is not None and (minimum < 1 or maximum < minimum):
        problems.append(
            ("max_members", _("The maximum number of members must be at least the minimum."))
        )
    for num, den in (("civil_share_num", "civil_share_den"), ("quorum_num", "quorum_den")):
        n, d = values.get(num, 1), values.get(den, 1)
        if n is not None and d is not None and (d < 1 or n > d):
            problems.append((num, _("A share must be a fraction between 0 and 1.")))
    term = values.get("term_years", 3)
    if term is not None and term < 1:
        problems.append(("term_years", _("The term is at least one year.")))
    return problems


@dataclass(frozen=True)
class CouncilRules:
    min_members: int = 10
    max_members: int = 30
    civil_share_num: int = 2
    civil_share_den: int = 3
    one_per_organisation: bool = True
    quorum_num: int = 1
    quorum_den: int = 2
    quorum_strict: bool = True

    @classmethod
    def of(cls, council: object) -> CouncilRules:
        return cls(**{name: getattr(council, name) for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Seat:
    """What the checks need to know of one member of a composition."""

    category: str
    position: str = "member"
    organisation_id: int | None = None
    organisation_name: str = ""


def composition_problems(seats: Sequence[Seat], rules: CouncilRules) -> list[str]:
    """What is wrong with a composition under the rules, in order; empty when it is valid."""
    problems: list[str] = []
    total = len(seats)
    if total < rules.min_members:
        problems.append(
            _("Too few members: {total}; the rules require at least {minimum}.").format(
                total=total, minimum=rules.min_members
            )
        )
    if total > rules.max_members:
        problems.append(
            _("Too many members: {total}; the rules allow at most {maximum}.").format(
                total=total, maximum=rules.max_members
            )
        )
    civil = sum(1 for seat in seats if seat.category == CIVIL)
    # Integers only: civil / total >= num / den, without rounding.
    if total and civil * rules.civil_share_den < rules.civil_share_num * total:
        problems.append(
            _(
                "Civil society holds {civil} of {total} seats; the rules require at least "
                "{num}/{den}, that is {needed} seats."
            ).format(
                civil=civil,
                total=total,
                num=rules.civil_share_num,
                den=rules.civil_share_den,
                needed=civil_seats_needed(total, rules),
            )
        )
    if rules.one_per_organisation:
        counts = Counter(
            (seat.organisation_id, seat.organisation_name)
            for seat in seats
            if seat.category == CIVIL and seat.organisation_id is not None
        )
        for (_pk, name), count in sorted(counts.items(), key=lambda kv: kv[0][1]):
            if count > 1:
                problems.append(
                    _(
                        "{organisation} has {count} representatives; one representative "
                        "per NGO is allowed."
                    ).format(organisation=name, count=count)
                )
    for position, missing, many in (
        (CHAIR, _("The composition has no chair."), _("The composition has {n} chairs.")),
        (
            SECRETARY,
            _("The composition has no secretary."),
            _("The composition has {n} secretaries."),
        ),
    ):
        n = sum(1 for seat in seats if seat.position == position)
        if n == 0:
            problems.append(missing)
        elif n > 1:
            problems.append(many.format(n=n))
    return problems


def civil_seats_needed(total: int, rules: CouncilRules) -> int:
    """The smallest number of civil-society seats that meets the share: ceil(total·num/den)."""
    return -(-total * rules.civil_share_num // rules.civil_share_den)


@dataclass(frozen=True)
class Quorum:
    present: bool
    needed: int
    attending: int
    total: int
    explanation: str


def quorum_needed(total: int, rules: CouncilRules) -> int:
    """Members who must be present: more than (or at least) num/den of the total."""
    if rules.quorum_strict:
        return total * rules.quorum_num // rules.quorum_den + 1
    return -(-total * rules.quorum_num // rules.quorum_den)


def quorum(attending: int, total: int, rules: CouncilRules) -> Quorum:
    """Is the quorum present? With the sentence the meeting page and the protocol show."""
    needed = max(quorum_needed(total, rules), 1)
    present = total > 0 and attending >= needed
    if present:
        text = ngettext(
            "Quorum present: {attending} of {total} members attend; {needed} member is needed.",
            "Quorum present: {attending} of {total} members attend; {needed} members are needed.",
            needed,
        )
    else:
        text = ngettext(
            "No quorum: {attending} of {total} members attend; {needed} member is needed.",
            "No quorum: {attending} of {total} members attend; {needed} members are needed.",
            needed,
        )
    return Quorum(
        present=present,
        needed=needed,
        attending=attending,
        total=total,
        explanation=text.format(attending=attending, total=total, needed=needed),
    )


@dataclass(frozen=True)
class Tally:
    """Votes per candidate (most first), who is elected, and a tie on the last seats."""

    counts: list[tuple[int, int]]  # (candidate id, votes), by votes desc then id
    elected: list[int]
    tied: list[int] = field(default_factory=list)  # candidates tied for the remaining seats
    tied_seats: int = 0  # how many of the seats the tied candidates compete for
    invalid_ballots: int = 0


def tally(
    ballots: Iterable[Iterable[int]], candidates: Iterable[int], seats: int, max_choices: int
) -> Tally:
    """Count ballots of up to `max_choices` distinct candidates for `seats` seats.

    A ballot naming more than `max_choices` candidates, a candidate twice or an unknown one
    is invalid and not counted. When candidates share the votes of the last seat so that not
    all of them fit, the tie is reported and none of them is declared elected.
    """
    known = set(candidates)
    votes: Counter[int] = Counter(dict.fromkeys(known, 0))
    invalid = 0
    for ballot in ballots:
        chosen = list(ballot)
        if len(chosen) > max_choices or len(set(chosen)) != len(chosen) or set(chosen) - known:
            invalid += 1
            continue
        votes.update(chosen)
    counts = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    if len(counts) <= seats:
        return Tally(counts, [c for c, _v in counts], invalid_ballots=invalid)
    boundary = counts[seats - 1][1]
    above = [c for c, v in counts if v > boundary]
    at_boundary = [c for c, v in counts if v == boundary]
    if len(above) + len(at_boundary) == seats:
        return Tally(counts, above + at_boundary, invalid_ballots=invalid)
    return Tally(
        counts,
        above,
        tied=at_boundary,
        tied_seats=seats - len(above),
        invalid_ballots=invalid,
    )
