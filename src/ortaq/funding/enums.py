"""Kinds, statuses and transition tables of the funding workflows (docs/domain.md §5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProgrammeKind(models.TextChoices):
    SOCIAL_ORDER = "social_order", _("State social order")
    STATE_GRANT = "state_grant", _("State grant")
    NON_STATE_GRANT = "non_state_grant", _("Non-state grant")
    AWARD = "award", _("Award")


class AmountUnit(models.TextChoices):
    TENGE = "tenge", _("tenge")
    MCI = "mci", _("MCI")


class Aggregation(models.TextChoices):
    MEAN = "mean", _("Weighted mean")
    MEDIAN = "median", _("Median")


class TopicStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("topic status", "Draft")
    CONSULTATION = "consultation", _("Under consultation")
    APPROVED = "approved", pgettext_lazy("topic status", "Approved")
    DROPPED = "dropped", pgettext_lazy("topic status", "Dropped")


TOPIC_ALLOWED: dict[str, frozenset[str]] = {
    TopicStatus.DRAFT: frozenset({TopicStatus.CONSULTATION, TopicStatus.DROPPED}),
    TopicStatus.CONSULTATION: frozenset({TopicStatus.APPROVED, TopicStatus.DROPPED}),
    TopicStatus.APPROVED: frozenset(),
    TopicStatus.DROPPED: frozenset(),
}


class CompetitionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("competition status", "Draft")
    ANNOUNCED = "announced", _("Accepting applications")
    COMPLIANCE = "compliance", _("Compliance check")
    EVALUATION = "evaluation", _("Evaluation by experts")
    DECISION = "decision", _("Decision")
    PUBLISHED = "published", _("Results published")
    CANCELLED = "cancelled", pgettext_lazy("competition status", "Cancelled")


COMPETITION_ALLOWED: dict[str, frozenset[str]] = {
    CompetitionStatus.DRAFT: frozenset({CompetitionStatus.ANNOUNCED, CompetitionStatus.CANCELLED}),
    CompetitionStatus.ANNOUNCED: frozenset(
        {CompetitionStatus.COMPLIANCE, CompetitionStatus.CANCELLED}
    ),
    CompetitionStatus.COMPLIANCE: frozenset({CompetitionStatus.EVALUATION}),
    CompetitionStatus.EVALUATION: frozenset({CompetitionStatus.DECISION}),
    CompetitionStatus.DECISION: frozenset({CompetitionStatus.PUBLISHED}),
    CompetitionStatus.PUBLISHED: frozenset(),
    CompetitionStatus.CANCELLED: frozenset(),
}
# Competitions the public sees (a draft is the organiser's own).
PUBLIC_COMPETITION_STATUSES = frozenset(set(CompetitionStatus.values) - {CompetitionStatus.DRAFT})


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("application status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("application status", "Submitted")
    WITHDRAWN = "withdrawn", pgettext_lazy("application status", "Withdrawn")
    COMPLIANT = "compliant", _("Passed the compliance check")
    NON_COMPLIANT = "non_compliant", _("Failed the compliance check")
    FUNDED = "funded", pgettext_lazy("application status", "Funded")
    NOT_FUNDED = "not_funded", pgettext_lazy("application status", "Not funded")


APPLICATION_ALLOWED: dict[str, frozenset[str]] = {
    ApplicationStatus.DRAFT: frozenset({ApplicationStatus.SUBMITTED}),
    ApplicationStatus.SUBMITTED: frozenset(
        {ApplicationStatus.WITHDRAWN, ApplicationStatus.COMPLIANT, ApplicationStatus.NON_COMPLIANT}
    ),
    # A withdrawn application may be edited and sent again while the window is open.
    ApplicationStatus.WITHDRAWN: frozenset({ApplicationStatus.DRAFT}),
    ApplicationStatus.COMPLIANT: frozenset(
        {ApplicationStatus.FUNDED, ApplicationStatus.NOT_FUNDED}
    ),
    ApplicationStatus.NON_COMPLIANT: frozenset(),
    ApplicationStatus.FUNDED: frozenset(),
    ApplicationStatus.NOT_FUNDED: frozenset(),
}
# Applications that the organiser sees (drafts and withdrawn ones stay the NGO's own).
SENT_STATUSES = frozenset(
    {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.COMPLIANT,
        ApplicationStatus.NON_COMPLIANT,
        ApplicationStatus.FUNDED,
        ApplicationStatus.NOT_FUNDED,
    }
)
EDITABLE_STATUSES = frozenset({ApplicationStatus.DRAFT})


class ComplianceReason(models.TextChoices):
    NOT_IN_DATABASE = "not_in_database", _("Not in the NGO database for the last year")
    DOCUMENTS = "documents", _("Documents missing or invalid")
    BUDGET = "budget", _("Budget does not meet the conditions")
    TOPIC = "topic", _("Project does not match the lot's topic")
    OBLIGATIONS = "obligations", _("Unfinished obligations under earlier funding")
    OTHER = "other", pgettext_lazy("compliance reason", "Other")


class BudgetKind(models.TextChoices):
    PROJECT = "project", _("Project costs")
    INSTITUTIONAL = "institutional", _("Institutional needs of the NGO")


class AssignmentRole(models.TextChoices):
    MAIN = "main", _("Commission member")
    RESERVE = "reserve", _("Reserve")


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", _("Waiting for the declaration")
    DECLARED = "declared", _("No conflict declared")
    RECUSED = "recused", _("Recused (conflict of interest)")
    SUBMITTED = "submitted", _("Scores submitted")


ASSIGNMENT_ALLOWED: dict[str, frozenset[str]] = {
    AssignmentStatus.ASSIGNED: frozenset({AssignmentStatus.DECLARED, AssignmentStatus.RECUSED}),
    AssignmentStatus.DECLARED: frozenset({AssignmentStatus.SUBMITTED, AssignmentStatus.RECUSED}),
    AssignmentStatus.RECUSED: frozenset(),
    AssignmentStatus.SUBMITTED: frozenset(),
}


class ConflictSource(models.TextChoices):
    NONE = "", _("None")
    DECLARED = "declared", _("Declared by the expert")
    APPLICANT = "applicant", _("Member, leader, founder or employee of the applicant")
    ORGANISER = "organiser", _("Belongs to the organiser that drafted the topic")


class DecisionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Trial allocation")
    CONFIRMED = "confirmed", pgettext_lazy("decision status", "Confirmed")
    APPROVED = "approved", _("Confirmed by the second approver")
    PUBLISHED = "published", pgettext_lazy("decision status", "Published")


DECISION_ALLOWED: dict[str, frozenset[str]] = {
    DecisionStatus.PROPOSED: frozenset({DecisionStatus.CONFIRMED}),
    DecisionStatus.CONFIRMED: frozenset({DecisionStatus.APPROVED, DecisionStatus.PUBLISHED}),
    DecisionStatus.APPROVED: frozenset({DecisionStatus.PUBLISHED}),
    DecisionStatus.PUBLISHED: frozenset(),
}


class SkipReason(models.TextChoices):
    FUNDED = "", _("Funded")
    BELOW_THRESHOLD = "below_threshold", _("Total score below the programme's pass mark")
    NO_SCORE = "no_score", _("No submitted expert scores")
    OVER_BUDGET = "over_budget", _("Does not fit into what remains of the lot's budget")


class ReminderStage(models.TextChoices):
    COMPLIANCE = "compliance", _("Compliance check")
    EVALUATION = "evaluation", _("Evaluation by experts")


# --- Implementation: contracts, tranches, reports, monitoring, evaluation, risk signals ---


class ContractStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("contract status", "Being prepared")
    ACTIVE = "active", pgettext_lazy("contract status", "In force")
    COMPLETED = "completed", pgettext_lazy("contract status", "Completed")
    TERMINATED = "terminated", pgettext_lazy("contract status", "Terminated")


CONTRACT_ALLOWED: dict[str, frozenset[str]] = {
    ContractStatus.DRAFT: frozenset({ContractStatus.ACTIVE}),
    ContractStatus.ACTIVE: frozenset({ContractStatus.COMPLETED, ContractStatus.TERMINATED}),
    ContractStatus.COMPLETED: frozenset(),
    ContractStatus.TERMINATED: frozenset(),
}

# Contracts the public sees on the project pages and in open data.
PUBLIC_CONTRACT_STATUSES = frozenset(
    {ContractStatus.ACTIVE, ContractStatus.COMPLETED, ContractStatus.TERMINATED}
)


class TrancheStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("tranche status", "Planned")
    RELEASED = "released", pgettext_lazy("tranche status", "Released")


class ReportKind(models.TextChoices):
    PROGRESS = "progress", _("Progress report")
    FINAL = "final", _("Final report")


class ProjectReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("project report status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("project report status", "Submitted")
    RETURNED = "returned", pgettext_lazy("project report status", "Returned for changes")
    APPROVED = "approved", pgettext_lazy("project report status", "Approved")


PROJECT_REPORT_ALLOWED: dict[str, frozenset[str]] = {
    ProjectReportStatus.DRAFT: frozenset({ProjectReportStatus.SUBMITTED}),
    ProjectReportStatus.SUBMITTED: frozenset(
        {ProjectReportStatus.APPROVED, ProjectReportStatus.RETURNED}
    ),
    ProjectReportStatus.RETURNED: frozenset({ProjectReportStatus.SUBMITTED}),
    ProjectReportStatus.APPROVED: frozenset(),
}


class MonitorKind(models.TextChoices):
    STATE_BODY = "state_body", _("State body (the customer)")
    OPERATOR = "operator", _("Grant operator")
    COUNCIL = "council", _("Members of a public council")


class VisitStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("visit status", "Draft")
    PUBLISHED = "published", pgettext_lazy("visit status", "Published")


class FindingSeverity(models.TextChoices):
    NOTE = "note", _("Observation")
    MINOR = "minor", _("Minor shortcoming")
    MAJOR = "major", _("Serious shortcoming")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("evaluation status", "Draft")
    PUBLISHED = "published", pgettext_lazy("evaluation status", "Published")


class EvaluationCriterion(models.TextChoices):
    """The five criteria of the evaluation of effectiveness (docs/domain.md §5, step 10)."""

    RELEVANCE = "relevance", _("Relevance")
    PLAN = "plan", _("Fulfilment of the plan")
    RESULT = "result", _("Result of the project")
    CONTINUITY = "continuity", _("Likelihood the activity continues")
    IMPACT = "impact", _("Likelihood of long-term positive social impact")


class RiskKind(models.TextChoices):
    DOUBLE_FUNDING = "double_funding", _("Possible double funding")
    WHOLESALER = "wholesaler", _("Lots won in many regions far below the ceilings")
    REPORTING = "reporting", _("Applies again with returned or late reports")
    REGION_CONCENTRATION = "region_concentration", _("Funds concentrated in a region")
    NGO_CONCENTRATION = "ngo_concentration", _("Funds concentrated in one NGO")


class RiskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("risk status", "Open")
    CONFIRMED = "confirmed", pgettext_lazy("risk status", "Confirmed")
    DISMISSED = "dismissed", pgettext_lazy("risk status", "Dismissed")
