"""Writes of the evaluation of effectiveness (docs/domain.md §5, step 10): the expert council
scores the five criteria 0..scale_max, each with a comment, and writes a conclusion; the
customer publishes it, and the scores and conclusion become public.

- The evaluation opens once the contract is completed or its end date has passed
  (`rules.evaluation_opens`).
- The scale is fixed when the evaluation is first saved, from the setting
  `FUNDING_EVALUATION_SCALE_MAX` (5 by default: at most 25 for the five criteria), and kept in
  `Evaluation.scale_max`, so a later change of the setting does not rescale old evaluations.
- Who drafts and who publishes: funding/rules.py, section "Monitoring and evaluation"; the
  predicates are asked directly (a superuser gets no bypass).
- The indicators achieved are not part of it: they are computed from the approved reports
  (`achievement.py`) and shown next to it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ortaq.audit.services import audit_record
from ortaq.core.errors import DomainError
from ortaq.core.locking import check_version, conflict
from ortaq.notifications.services import notify

from ..competitions.selectors import organiser_people
from ..enums import EvaluationCriterion, EvaluationStatus
from ..models import Contract, Evaluation, EvaluationScore
from ..rules import evaluation_opens, is_council_expert, is_organiser
from .services import ngo_admins

if TYPE_CHECKING:
    from ortaq.accounts.models import User

MAX_COMMENT = 4000


def scale_max_setting() -> int:
    return int(settings.FUNDING_EVALUATION_SCALE_MAX)


def _audit(actor: User, action: str, obj: Model, changes: dict[str, Any] | None = None) -> None:
    audit_record(actor=actor, action=f"funding.{action}", obj=obj, changes=changes or {})


def _lock_contract(contract: Contract) -> Contract:
    return (
        Contract.objects.select_for_update(of=("self",))
        .select_related("application__lot", "ngo")
        .get(pk=contract.pk)
    )


def _require_open(contract: Contract) -> None:
    if not evaluation_opens(contract):
        raise DomainError(
            _("The evaluation opens once the project is completed or its end date has passed.")
        )


def _clean_scores(
    scores: Mapping[str, tuple[int | None, str]], scale_max: int
) -> dict[str, tuple[int | None, str]]:
    cleaned: dict[str, tuple[int | None, str]] = {}
    labels = dict(EvaluationCriterion.choices)
    for criterion, (value, comment) in scores.items():
        if criterion not in labels:
            raise DomainError(_("Unknown criterion."), field="scores")
        comment = (comment or "").strip()
        field = f"score_{criterion}"
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= scale_max
        ):
            raise DomainError(
                _("The score of “{criterion}” is a whole number from 0 to {max}.").format(
                    criterion=labels[criterion], max=scale_max
                ),
                field=field,
            )
        if value is None and comment:
            raise DomainError(
                _("Give the score of “{criterion}” that goes with its comment.").format(
                    criterion=labels[criterion]
                ),
                field=field,
            )
        if len(comment) > MAX_COMMENT:
            raise DomainError(
                _("A comment has at most {n} characters.").format(n=MAX_COMMENT),
                field=f"comment_{criterion}",
            )
        cleaned[criterion] = (value, comment)
    return cleaned


@transaction.atomic
def evaluation_save(
    *,
    actor: User,
    contract: Contract,
    scores: Mapping[str, tuple[int | None, str]],
    conclusion: str,
    expected_version: int | None,
) -> Evaluation:
    """Save the draft evaluation; the first save creates it (`expected_version` 0: none existed
    when the form was opened). A criterion given None loses its score; one not given keeps it."""
    contract = _lock_contract(contract)
    if not (is_organiser(actor, contract) or is_council_expert(actor, contract)):
        raise DomainError(
            _("Only the customer's officials and experts of the register evaluate the project.")
        )
    _require_open(contract)
    evaluation = Evaluation.objects.select_for_update().filter(contract=contract).first()
    created = evaluation is None
    if evaluation is None:
        if expected_version != 0:
            raise conflict()
        evaluation = Evaluation.objects.create(
            contract=contract, scale_max=scale_max_setting(), evaluated_by=actor
        )
        _audit(actor, "evaluation.create", evaluation, {"scale_max": evaluation.scale_max})
    else:
        if evaluation.status != EvaluationStatus.DRAFT:
            raise DomainError(_("A published evaluation can no longer be changed."))
        check_version(evaluation, expected_version=expected_version)
    cleaned = _clean_scores(scores, evaluation.scale_max)
    existing = {s.criterion: s for s in evaluation.scores.all()}
    changes: dict[str, Any] = {}
    for criterion, (value, comment) in cleaned.items():
        old = existing.get(criterion)
        before = [old.value, old.comment] if old else [None, ""]
        if [value, comment] == before:
            continue
        changes[criterion] = [before, [value, comment]]
        if value is None:
            if old is not None:
                old.delete()
        elif old is None:
            EvaluationScore.objects.create(
                evaluation=evaluation, criterion=criterion, value=value, comment=comment
            )
        else:
            old.value, old.comment = value, comment
            old.save(update_fields=["value", "comment"])
    if conclusion.strip() != evaluation.conclusion:
        changes["conclusion"] = [evaluation.conclusion, conclusion.strip()]
        evaluation.conclusion = conclusion.strip()
    if changes or created:
        evaluation.version += 1
        evaluation.save(update_fields=["conclusion", "version"])
    if changes:
        _audit(actor, "evaluation.update", evaluation, changes)
    return evaluation


@transaction.atomic
def evaluation_publish(
    *, actor: User, contract: Contract, expected_version: int | None
) -> Evaluation:
    """The customer publishes the evaluation: all five scores and the conclusion are needed.
    From then on the NGO's answers to monitoring findings are closed too."""
    contract = _lock_contract(contract)
    if not is_organiser(actor, contract):
        raise DomainError(_("Only the customer's officials publish the evaluation."))
    _require_open(contract)
    evaluation = Evaluation.objects.select_for_update().filter(contract=contract).first()
    if evaluation is None:
        raise DomainError(_("Score the criteria and write the conclusion first."))
    if evaluation.status != EvaluationStatus.DRAFT:
        raise DomainError(_("The evaluation is already published."))
    check_version(evaluation, expected_version=expected_version)
    scored = set(evaluation.scores.values_list("criterion", flat=True))
    missing = [str(label) for value, label in EvaluationCriterion.choices if value not in scored]
    if missing:
        raise DomainError(
            _("Score every criterion before publishing: {missing}.").format(
                missing=", ".join(missing)
            )
        )
    if not evaluation.conclusion.strip():
        raise DomainError(_("Write the conclusion before publishing."), field="conclusion")
    evaluation.status = EvaluationStatus.PUBLISHED
    evaluation.published_at = timezone.now()
    evaluation.evaluated_by = actor
    evaluation.version += 1
    evaluation.save(update_fields=["status", "published_at", "evaluated_by", "version"])
    _audit(
        actor,
        "evaluation.publish",
        evaluation,
        {"status": [EvaluationStatus.DRAFT, EvaluationStatus.PUBLISHED]},
    )
    recipients = [
        u
        for u in [
            *ngo_admins(contract.ngo.organisation_id),
            *organiser_people(contract.organiser_id),
        ]
        if u.pk != actor.pk
    ]
    notify(
        recipients=recipients,
        subject=lambda: _("The evaluation of “{title}” is published").format(title=contract.title),
        url=reverse("funding:evaluation_detail", args=[contract.pk]),
        topic="funding.evaluation.published",
    )
    return evaluation
