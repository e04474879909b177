"""The declared workflows of funding (tables in enums.py, one `core.workflow.transition`).

Beside `rules.py` at the app's level: every stage's services use them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ortaq.core.workflow import Workflow

from .enums import (
    APPLICATION_ALLOWED,
    ASSIGNMENT_ALLOWED,
    COMPETITION_ALLOWED,
    CONTRACT_ALLOWED,
    DECISION_ALLOWED,
    PROJECT_REPORT_ALLOWED,
    TOPIC_ALLOWED,
    ApplicationStatus,
    AssignmentStatus,
    CompetitionStatus,
    ContractStatus,
    DecisionStatus,
    ProjectReportStatus,
    TopicStatus,
)
from .models import (
    ApplicationStatusChange,
    CompetitionStatusChange,
    ContractStatusChange,
    ReportStatusChange,
    TopicStatusChange,
)

TOPIC_WORKFLOW = Workflow(
    table=TOPIC_ALLOWED,
    states=TopicStatus,
    log_model=TopicStatusChange,
    log_fk="topic",
    refusal=_("A topic cannot go from “{old}” to “{new}”."),
)

COMPETITION_WORKFLOW = Workflow(
    table=COMPETITION_ALLOWED,
    states=CompetitionStatus,
    log_model=CompetitionStatusChange,
    log_fk="competition",
    refusal=_("A competition cannot go from “{old}” to “{new}”."),
)

APPLICATION_WORKFLOW = Workflow(
    table=APPLICATION_ALLOWED,
    states=ApplicationStatus,
    log_model=ApplicationStatusChange,
    log_fk="application",
    touch=("updated_at",),
    refusal=_("An application cannot go from “{old}” to “{new}”."),
)

# An expert's assignment and the allocation decision keep their steps in the audit log (an
# assignment's is confidential) and carry no version: nobody edits them in a form.
ASSIGNMENT_WORKFLOW = Workflow(
    table=ASSIGNMENT_ALLOWED,
    states=AssignmentStatus,
    version_field=None,
    refusal=_("An assignment cannot go from “{old}” to “{new}”."),
)

DECISION_WORKFLOW = Workflow(
    table=DECISION_ALLOWED,
    states=DecisionStatus,
    version_field=None,
    refusal=_("A decision cannot go from “{old}” to “{new}”."),
)

CONTRACT_WORKFLOW = Workflow(
    table=CONTRACT_ALLOWED,
    states=ContractStatus,
    log_model=ContractStatusChange,
    log_fk="contract",
    refusal=_("A contract cannot go from “{old}” to “{new}”."),
)

PROJECT_REPORT_WORKFLOW = Workflow(
    table=PROJECT_REPORT_ALLOWED,
    states=ProjectReportStatus,
    log_model=ReportStatusChange,
    log_fk="report",
    refusal=_("A project report cannot go from “{old}” to “{new}”."),
)
