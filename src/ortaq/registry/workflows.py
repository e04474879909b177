"""The declared workflows of the registry (tables in enums.py, one `core.workflow.transition`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ortaq.core.errors import ConflictError
from ortaq.core.workflow import Workflow

from .enums import (
    CLAIM_TRANSITIONS,
    NGO_STATUS_TRANSITIONS,
    REPORT_TRANSITIONS,
    ClaimStatus,
    NgoStatus,
    ReportStatus,
)
from .models import ClaimStatusChange, NgoStatusChange, ReportStatusChange

NGO_WORKFLOW = Workflow(
    table=NGO_STATUS_TRANSITIONS,
    states=NgoStatus,
    log_model=NgoStatusChange,
    log_fk="ngo",
    touch=("updated_at",),
    refusal=_("An NGO cannot go from “{old}” to “{new}”."),
    refusal_field="status",
)

# A claim is decided once: a second decision finds it decided (someone was quicker).
CLAIM_WORKFLOW = Workflow(
    table=CLAIM_TRANSITIONS,
    states=ClaimStatus,
    log_model=ClaimStatusChange,
    log_fk="claim",
    version_field=None,
    refusal=_("This claim has already been decided."),
    refusal_error=ConflictError,
)

REPORT_WORKFLOW = Workflow(
    table=REPORT_TRANSITIONS,
    states=ReportStatus,
    log_model=ReportStatusChange,
    log_fk="report",
    touch=("updated_at",),
    refusal=_("A report that is “{old}” cannot become “{new}”."),
)
