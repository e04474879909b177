"""The models of funding, split by stage; everything is re-exported here, so
`from ortaq.funding.models import Contract` keeps working and Django finds every model when it
imports `ortaq.funding.models`. The modules live under the `ortaq.funding` package, so each model
belongs to the `funding` app (label, tables, permissions unchanged) without a `Meta.app_label`.

Stages import only lower ones: base ← competitions ← contracts ← reports, monitoring ← risk
(a tranche names its report as "funding.Report", so contracts need not import reports).
"""

from __future__ import annotations

from .base import (
    USER,
    PrivateFile,
    PrivateStorage,
    Trilingual,
    get_private_storage,
    private_storage,
)
from .competitions import (
    Application,
    ApplicationStatusChange,
    Assignment,
    Attachment,
    BudgetLine,
    Competition,
    CompetitionDocument,
    CompetitionStatusChange,
    ComplianceFailure,
    Criterion,
    DeadlineReminder,
    Decision,
    DecisionLine,
    Expert,
    ExpertDraw,
    Indicator,
    Lot,
    Programme,
    Score,
    Topic,
    TopicComment,
    TopicStatusChange,
    attachment_path,
    document_path,
)
from .contracts import (
    Contract,
    ContractAmendment,
    ContractIndicator,
    ContractStatusChange,
    Tranche,
)
from .monitoring import (
    Evaluation,
    EvaluationScore,
    MonitoringVisit,
    VisitFinding,
    VisitPhoto,
    visit_photo_path,
)
from .reports import (
    Report,
    ReportEvidence,
    ReportIndicatorValue,
    ReportSpending,
    ReportStatusChange,
    evidence_path,
)
from .risk import (
    RiskSignal,
)

# The historical migrations (0001, 0002, 0004) name these callables as
# `ortaq.funding.models._<name>`; they are the same objects, so no migration is needed.
_private_storage = get_private_storage
_attachment_path = attachment_path
_document_path = document_path
_evidence_path = evidence_path
_visit_photo_path = visit_photo_path

__all__ = [
    "USER",
    "Application",
    "ApplicationStatusChange",
    "Assignment",
    "Attachment",
    "BudgetLine",
    "Competition",
    "CompetitionDocument",
    "CompetitionStatusChange",
    "ComplianceFailure",
    "Contract",
    "ContractAmendment",
    "ContractIndicator",
    "ContractStatusChange",
    "Criterion",
    "DeadlineReminder",
    "Decision",
    "DecisionLine",
    "Evaluation",
    "EvaluationScore",
    "Expert",
    "ExpertDraw",
    "Indicator",
    "Lot",
    "MonitoringVisit",
    "PrivateFile",
    "PrivateStorage",
    "Programme",
    "Report",
    "ReportEvidence",
    "ReportIndicatorValue",
    "ReportSpending",
    "ReportStatusChange",
    "RiskSignal",
    "Score",
    "Topic",
    "TopicComment",
    "TopicStatusChange",
    "Tranche",
    "Trilingual",
    "VisitFinding",
    "VisitPhoto",
    "attachment_path",
    "document_path",
    "evidence_path",
    "get_private_storage",
    "private_storage",
    "visit_photo_path",
]
