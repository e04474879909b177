"""Kinds and states of councils, compositions, meetings, protocols and recommendations."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ortaq.accounts.enums import OrganisationKind, Role


class CouncilKind(models.TextChoices):
    PUBLIC = "public", _("Public council")
    COORDINATION = "coordination", _("Coordination council")
    OTHER = "other", pgettext_lazy("council kind", "Other council")


# Who may host which council (DOMAIN.md §6). A public council is formed at a state body (a
# ministry, an akimat, a maslikhat); a coordination council sits under a minister or is elected
# by a regional NGO alliance; other councils (expert councils and the like) also at a grant
# operator. Migration councils/0003 repeats this table in its trigger, and the tests of
# test_host_rule hold both to it, pair by pair.
COUNCIL_HOST_KINDS: dict[str, frozenset[str]] = {
    CouncilKind.PUBLIC: frozenset({OrganisationKind.STATE_BODY}),
    CouncilKind.COORDINATION: frozenset({OrganisationKind.STATE_BODY, OrganisationKind.NGO}),
    CouncilKind.OTHER: frozenset(
        {OrganisationKind.STATE_BODY, OrganisationKind.NGO, OrganisationKind.GRANT_OPERATOR}
    ),
}

# Whose membership in a (lawful) host makes him its staff, who manage the host's councils.
HOST_STAFF_ROLES: dict[str, frozenset[str]] = {
    OrganisationKind.STATE_BODY: frozenset({Role.ADMIN, Role.OFFICIAL, Role.REGIONAL_ADMIN}),
    OrganisationKind.NGO: frozenset({Role.ADMIN}),
    OrganisationKind.GRANT_OPERATOR: frozenset({Role.ADMIN, Role.OFFICIAL}),
}


class CompositionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("composition", "Draft")
    APPROVED = "approved", pgettext_lazy("composition", "Approved")
    CURRENT = "current", pgettext_lazy("composition", "Current")
    PAST = "past", pgettext_lazy("composition", "Past")


# The one transition table of a composition (STYLE.md: one table per workflow).
COMPOSITION_TRANSITIONS: dict[str, frozenset[str]] = {
    CompositionStatus.DRAFT: frozenset({CompositionStatus.APPROVED}),
    CompositionStatus.APPROVED: frozenset({CompositionStatus.DRAFT, CompositionStatus.CURRENT}),
    CompositionStatus.CURRENT: frozenset({CompositionStatus.PAST}),
    CompositionStatus.PAST: frozenset(),
}


class CompositionSource(models.TextChoices):
    APPOINTED = "appointed", _("Selected by the working group")
    ELECTED = "elected", _("Elected at a general meeting")


class MemberCategory(models.TextChoices):
    CIVIL = "civil", _("Civil society")
    STATE = "state", _("State")
    QUASI_PUBLIC = "quasi", _("Quasi-public sector")


class Position(models.TextChoices):
    CHAIR = "chair", pgettext_lazy("council position", "Chair")
    DEPUTY = "deputy", pgettext_lazy("council position", "Deputy chair")
    SECRETARY = "secretary", pgettext_lazy("council position", "Secretary")
    MEMBER = "member", pgettext_lazy("council position", "Member")


class CallStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("call", "Open")
    CLOSED = "closed", pgettext_lazy("call", "Closed")


class NominationStatus(models.TextChoices):
    NOMINATED = "nominated", _("Nominated")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")


class ElectionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("election", "Preparing")
    OPEN = "open", pgettext_lazy("election", "Voting")
    CLOSED = "closed", pgettext_lazy("election", "Counted")


# Candidates and electors change only while the election is prepared; ballots only while
# voting is open; the count closes it.
ELECTION_TRANSITIONS: dict[str, frozenset[str]] = {
    ElectionStatus.DRAFT: frozenset({ElectionStatus.OPEN}),
    ElectionStatus.OPEN: frozenset({ElectionStatus.CLOSED}),
    ElectionStatus.CLOSED: frozenset(),
}


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("meeting", "Planned")
    HELD = "held", pgettext_lazy("meeting", "Held")
    CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")


# A meeting is held once its attendance is recorded; a held or cancelled one stays so.
MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.PLANNED: frozenset({MeetingStatus.HELD, MeetingStatus.CANCELLED}),
    MeetingStatus.HELD: frozenset(),
    MeetingStatus.CANCELLED: frozenset(),
}


class AgendaKind(models.TextChoices):
    DISCUSSION = "discussion", _("Discussion")
    REPORT_HEARING = "report", _("Hearing the report of a state body's head")
    RECOMMENDATION = "recommendation", _("Recommendation")


class VoteMode(models.TextChoices):
    NONE = "none", _("No vote")
    BY_NAME = "by_name", _("By name")
    BY_COUNT = "by_count", _("By count")


class VoteChoice(models.TextChoices):
    FOR = "for", pgettext_lazy("vote", "For")
    AGAINST = "against", pgettext_lazy("vote", "Against")
    ABSTAINED = "abstained", pgettext_lazy("vote", "Abstained")


class ProtocolStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("protocol", "Draft")
    PUBLISHED = "published", pgettext_lazy("protocol", "Published")


class AnswerKind(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("recommendation", "Accepted")
    PARTIAL = "partial", pgettext_lazy("recommendation", "Partially accepted")
    REJECTED = "rejected", pgettext_lazy("recommendation", "Rejected")


class RecommendationStatus(models.TextChoices):
    SENT = "sent", pgettext_lazy("recommendation", "Awaiting answer")
    ANSWERED = "answered", pgettext_lazy("recommendation", "Answered")
    IMPLEMENTED = "implemented", pgettext_lazy("recommendation", "Implemented")


# The state body answers; a report of 100% progress marks an accepted one implemented.
RECOMMENDATION_TRANSITIONS: dict[str, frozenset[str]] = {
    RecommendationStatus.SENT: frozenset({RecommendationStatus.ANSWERED}),
    RecommendationStatus.ANSWERED: frozenset({RecommendationStatus.IMPLEMENTED}),
    RecommendationStatus.IMPLEMENTED: frozenset(),
}
