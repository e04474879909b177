"""The declared workflows of councils (tables in enums.py, one `core.workflow.transition`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ortaq.core.workflow import Workflow

from .enums import (
    COMPOSITION_TRANSITIONS,
    ELECTION_TRANSITIONS,
    MEETING_TRANSITIONS,
    RECOMMENDATION_TRANSITIONS,
    CompositionStatus,
    ElectionStatus,
    MeetingStatus,
    RecommendationStatus,
)
from .models import CompositionStatusChange, MeetingStatusChange, RecommendationStatusChange

COMPOSITION_WORKFLOW = Workflow(
    table=COMPOSITION_TRANSITIONS,
    states=CompositionStatus,
    log_model=CompositionStatusChange,
    log_fk="composition",
    refusal=_("A composition cannot go from “{old}” to “{new}”."),
)

# The election's candidates, ballots and count are audited; the election has no history table.
ELECTION_WORKFLOW = Workflow(
    table=ELECTION_TRANSITIONS,
    states=ElectionStatus,
    refusal=_("An election cannot go from “{old}” to “{new}”."),
)

MEETING_WORKFLOW = Workflow(
    table=MEETING_TRANSITIONS,
    states=MeetingStatus,
    log_model=MeetingStatusChange,
    log_fk="meeting",
    version_field=None,
    refusal=_("A meeting cannot go from “{old}” to “{new}”."),
)

RECOMMENDATION_WORKFLOW = Workflow(
    table=RECOMMENDATION_TRANSITIONS,
    states=RecommendationStatus,
    log_model=RecommendationStatusChange,
    log_fk="recommendation",
    refusal=_("A recommendation cannot go from “{old}” to “{new}”."),
)
