"""Who may do what with councils (django-rules).

Council positions are seats in the *current* composition linked to the person's account, not
memberships: `council_seats` reads them once per request and caches them on the user.

- Anyone reads councils, compositions, meetings, published protocols and recommendations.
- The host organisation's staff and platform administrators manage the council: rules,
  compositions, calls, elections. Only a host that may host the council's kind has staff
  (enums.COUNCIL_HOST_KINDS: a public council's host is a state body), and whose roles make
  them staff depends on the host's kind (enums.HOST_STAFF_ROLES): the administrators,
  officials and regional administrators of a state body, the administrators of an NGO.
- Only the council's chair and secretary schedule and record meetings, and approve protocols.
- Only officials and regional administrators of the addressed state body answer a
  recommendation and report on its implementation.
"""

from __future__ import annotations

from typing import Any

import rules

from ortaq.accounts.enums import OrganisationKind, Role
from ortaq.accounts.rules import has_role_in, is_platform_admin, user_roles

from .checks import may_host
from .enums import COUNCIL_HOST_KINDS, HOST_STAFF_ROLES, CompositionStatus, Position
from .models import (
    CandidateCall,
    Composition,
    Council,
    CouncilMember,
    Election,
    Meeting,
    ProtocolVersion,
    Recommendation,
)

_CACHE_ATTR = "_ortaq_council_seats"
HOSTING_KINDS = frozenset().union(*COUNCIL_HOST_KINDS.values())
ANSWER_ROLES = (Role.OFFICIAL, Role.REGIONAL_ADMIN)


def council_seats(user: Any) -> frozenset[tuple[int, str]]:
    """(council id, position) of the person's seats in current compositions."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = frozenset(
            CouncilMember.objects.filter(
                user=user,
                ceased_on__isnull=True,
                composition__status=CompositionStatus.CURRENT,
            ).values_list("composition__council_id", "position")
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_seats(user: Any) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _council_of(obj: Any) -> Council | None:
    if obj is None:
        return None
    if isinstance(obj, Council):
        return obj
    if isinstance(obj, Meeting | Composition | CandidateCall | Recommendation | Election):
        return obj.council
    if isinstance(obj, ProtocolVersion):
        return obj.protocol.meeting.council
    return None


def _holds(user: Any, obj: Any, *positions: str) -> bool:
    council = _council_of(obj)
    if council is None:
        return False
    return any(c == council.pk and p in positions for c, p in council_seats(user))


@rules.predicate
def is_council_chair(user: Any, obj: Any) -> bool:
    return _holds(user, obj, Position.CHAIR)


@rules.predicate
def is_council_secretary(user: Any, obj: Any) -> bool:
    return _holds(user, obj, Position.SECRETARY)


@rules.predicate
def is_council_member(user: Any, obj: Any) -> bool:
    return _holds(user, obj, *Position.values)


def host_organisation_ids(user: Any) -> set[int]:
    """The organisations whose staff the person is, among those that may host some council."""
    return {
        org
        for org, role, _r, kind in user_roles(user)
        if kind in HOSTING_KINDS and role in HOST_STAFF_ROLES.get(kind, frozenset())
    }


@rules.predicate
def is_council_host_staff(user: Any, obj: Any) -> bool:
    """Staff of the council's host, when that host may host a council of its kind."""
    council = _council_of(obj)
    if council is None:
        return False
    return any(
        org == council.organisation_id
        and may_host(council.kind, kind)
        and role in HOST_STAFF_ROLES.get(kind, frozenset())
        for org, role, _r, kind in user_roles(user)
    )


@rules.predicate
def is_addressed_official(user: Any, recommendation: Recommendation | None) -> bool:
    return recommendation is not None and has_role_in(
        user, recommendation.addressee_id, *ANSWER_ROLES
    )


@rules.predicate
def is_host_staff_anywhere(user: Any) -> bool:
    return bool(host_organisation_ids(user))


@rules.predicate
def is_ngo_admin_anywhere(user: Any) -> bool:
    return any(
        role == Role.ADMIN and kind == OrganisationKind.NGO
        for _o, role, _r, kind in user_roles(user)
    )


@rules.predicate
def is_draft_protocol_reader(user: Any, version: ProtocolVersion | None) -> bool:
    """Published versions are public; a draft only for the chair and the secretary."""
    if version is None:
        return False
    return version.is_published or _holds(user, version, Position.CHAIR, Position.SECRETARY)


can_record = is_council_chair | is_council_secretary
can_manage = is_platform_admin | is_council_host_staff

rules.add_perm("councils.view_council", rules.always_allow)
rules.add_perm("councils.add_council", is_platform_admin | is_host_staff_anywhere)
rules.add_perm("councils.manage_council", can_manage)
rules.add_perm("councils.record_meeting", can_record)
rules.add_perm("councils.approve_protocol", can_record)
rules.add_perm("councils.view_protocolversion", is_draft_protocol_reader)
rules.add_perm("councils.add_recommendation", can_record)
rules.add_perm("councils.answer_recommendation", is_addressed_official)
rules.add_perm("councils.nominate", is_ngo_admin_anywhere)

# --- Back office (Django admin; see accounts/rules.py) ----------------------------------------
# Councils are added (`councils.add_council` above) and corrected (their host, kind, names) by
# the platform administrator; compositions, meetings and recommendations are the council's own
# workflow: read-only for him.
rules.add_perm("councils", is_platform_admin)
rules.add_perm("councils.change_council", is_platform_admin)
for _model in ("composition", "councilmember", "meeting", "recommendation"):
    rules.add_perm(f"councils.view_{_model}", is_platform_admin)
