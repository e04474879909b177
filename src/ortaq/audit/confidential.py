"""What an audit entry may keep of confidential objects: ids and statuses, never their content.

An NGO's application (texts, budget, indicators, file names) is confidential until the decision,
and an expert's declaration and scores are never shown to anyone but the organiser: platform
administrators, who read the audit log, may not see them either. Of these objects an entry keeps
the values of the fields listed here and only the *names* of the others (what changed), and it
names the object by its kind and id instead of its text (an application's `str` is its title).

The list is by model label, so the audit app needs no import of the apps it audits. The same
function cleans what is written (`audit_record`) and what is shown (entries written before).
"""

from __future__ import annotations

from typing import Any

REDACTED = "[confidential]"

_APPLICATION_VALUES = frozenset(
    {
        "id",
        "lot",
        "lot_id",
        "ngo",
        "ngo_id",
        "region",
        "region_id",
        "status",
        "reason",
        "submitted_at",
        "created_by",
        "created_by_id",
        "version",
        "created_at",
        "updated_at",
    }
)

# model label (app_label.model_name) -> the fields whose values an entry may keep
CONFIDENTIAL_MODELS: dict[str, frozenset[str]] = {
    "funding.application": _APPLICATION_VALUES,
    "funding.budgetline": frozenset({"id", "application", "application_id", "kind"}),
    "funding.indicator": frozenset({"id", "application", "application_id"}),
    "funding.attachment": frozenset({"id", "application", "application_id", "size"}),
    "funding.assignment": frozenset(
        {"id", "application", "application_id", "expert", "expert_id", "role", "status"}
    ),
    "funding.score": frozenset({"id", "assignment", "assignment_id", "criterion", "criterion_id"}),
}


def is_confidential(label: str) -> bool:
    return label in CONFIDENTIAL_MODELS


def redact_changes(label: str, changes: Any) -> Any:
    """The changes with the values of confidential fields replaced by REDACTED."""
    allowed = CONFIDENTIAL_MODELS.get(label)
    if allowed is None or not isinstance(changes, dict):
        return changes if allowed is None else {}
    return {key: value if key in allowed else REDACTED for key, value in changes.items()}


def redact_repr(label: str, model_name: str, object_id: Any, text: str) -> str:
    """The object's text, or its kind and id when its text is confidential."""
    if label in CONFIDENTIAL_MODELS:
        return f"{model_name} #{object_id}"
    return text
